"""Refuse placeholder and weak secrets at start-up, each with one line naming the setting and how to make a
good one. Every settings class that holds a token or a webhook secret checks it here.

The checks raise ConfigError (also from inside pydantic validators, which pass it through unchanged), so the
message is the whole line the CLI prints: the variable, the problem, the fix."""
from __future__ import annotations

import base64
import binascii
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import SecretStr

from services.common.errors import ConfigError

MIN_TOKEN_CHARS = 16
MIN_WEBHOOK_SECRET_BYTES = 24  # what Standard Webhooks recommends
WEBHOOK_PREFIX = "whsec_"
TOKEN_RECIPE = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
WEBHOOK_SECRET_RECIPE = ("python3 -c 'import base64, os; "
                         "print(\"whsec_\" + base64.b64encode(os.urandom(24)).decode())'")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


@lru_cache(maxsize=1)
def _placeholders() -> tuple[frozenset[str], tuple[str, ...], tuple[re.Pattern[str], ...]]:
    data = json.loads(resources.files(__package__).joinpath("placeholder_secrets.json").read_text("utf-8"))
    return (frozenset(_normalise(word) for word in data["exact"]),
            tuple(_normalise(word) for word in data["contains"]),
            tuple(re.compile(pattern, re.DOTALL) for pattern in data["patterns"]))


def _normalise(value: str) -> str:
    value = value.strip().lower()
    value = value.removeprefix(WEBHOOK_PREFIX)
    return re.sub(r"[\s._-]+", "-", value).strip("-")


def is_placeholder(value: str) -> bool:
    """True for values such as change-me, <your-token>, xxxx or whsec_change-me (see placeholder_secrets.json)."""
    exact, contains, patterns = _placeholders()
    key = _normalise(value)
    if not key:
        return True
    return key in exact or any(word in key for word in contains) or any(p.match(key) for p in patterns)


def check_token(value: str, subject: str) -> str:
    """A bearer token: not a placeholder, at least MIN_TOKEN_CHARS characters. `subject` names where it was
    read, e.g. "CLAIMWATCH_INGESTOR_API_TOKEN"."""
    fix = f"set a random token of at least {MIN_TOKEN_CHARS} characters, e.g. {TOKEN_RECIPE}"
    if is_placeholder(value):
        raise ConfigError(f"{subject} is a placeholder value: {fix}")
    if len(value) < MIN_TOKEN_CHARS:
        raise ConfigError(f"{subject} is too short ({len(value)} characters): {fix}")
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ConfigError(f"{subject} contains spaces or control characters, which a bearer token cannot "
                          f"carry: {fix}")
    return value


def check_webhook_secret(value: str, subject: str) -> str:
    """A Standard Webhooks signing secret: "whsec_" + base64 of at least MIN_WEBHOOK_SECRET_BYTES random bytes."""
    fix = (f"use \"whsec_\" + base64 of at least {MIN_WEBHOOK_SECRET_BYTES} random bytes, "
           f"e.g. {WEBHOOK_SECRET_RECIPE}")
    if is_placeholder(value):
        raise ConfigError(f"{subject} is a placeholder value: {fix}")
    if not value.startswith(WEBHOOK_PREFIX):
        raise ConfigError(f"{subject} does not start with \"{WEBHOOK_PREFIX}\": {fix}")
    body = value[len(WEBHOOK_PREFIX):]
    decoded = _b64decode(body)
    if decoded is None:
        raise ConfigError(f"{subject} is not valid base64 after \"{WEBHOOK_PREFIX}\": {fix}")
    if len(decoded) < MIN_WEBHOOK_SECRET_BYTES:
        raise ConfigError(f"{subject} is too short ({len(decoded)} bytes after decoding): {fix}")
    return value


def _b64decode(text: str) -> bytes | None:
    # Strict: the signing library silently drops characters outside the alphabet ("change-me" -> "changeme").
    if not _BASE64.fullmatch(text) or len(text.rstrip("=")) % 4 == 1:
        return None
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def read_secret_file(path: Path, variable: str) -> str:
    """The whole file, stripped (a mounted secret usually ends with a newline); ConfigError if unreadable."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{variable}: cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if not text:
        raise ConfigError(f"{variable}: {path} is empty: put the secret in it")
    return text


def configured_token(value: SecretStr | None, path: Path | None, variable: str) -> str | None:
    """A bearer token from `variable` or from the file `variable`_FILE names, checked: None when neither is set."""
    if value is not None:
        return check_token(value.get_secret_value(), variable)
    if path is not None:
        return check_token(read_secret_file(path, f"{variable}_FILE"), f"{variable}_FILE: the token in {path}")
    return None


def read_secret_lines(path: Path, variable: str) -> list[tuple[int, str]]:
    """(line number, secret) for each secret in the file, one a line; blank lines and # comments are ignored."""
    text = read_secret_file(path, variable)
    secrets = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)
               if line.strip() and not line.strip().startswith("#")]
    if not secrets:
        raise ConfigError(f"{variable}: {path} holds no secret (only blank lines and comments)")
    return secrets
