"""Placeholder and weak secrets are refused at start-up, each with one line naming the variable and the fix."""
from __future__ import annotations

import base64
import json
import os
import secrets
import shutil

import pytest

from services.alerter.settings import AlerterSettings
from services.common.errors import ConfigError
from services.ingestor.settings import IngestorSettings
from services.sink.settings import SinkSettings
from tests.conftest import ROOT

PLACEHOLDER_TOKENS = ["change-me", "changeme", "change_me", "Change-Me", "CHANGEME", "secret", "password", "token",
                      "example", "test", "todo", "TODO", "xxx", "xxxxxxxxxxxxxxxxxxxxxxxx", "<token>",
                      "<put the ingest token here>", "change-me-before-going-live"]
PLACEHOLDER_WEBHOOK_SECRETS = ["whsec_change-me", "whsec_changeme", "WHSEC_CHANGE_ME", "whsec_secret",
                               "whsec_password", "whsec_token", "whsec_example", "whsec_test", "whsec_todo",
                               "whsec_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "whsec_<signing secret>",
                               "change-me", "<whsec_...>"]


def good_webhook_secret(size: int = 32) -> str:
    return "whsec_" + base64.b64encode(os.urandom(size)).decode()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No CLAIMWATCH_ variable from the caller's shell, and no .env in the working directory."""
    for name in list(os.environ):
        if name.startswith("CLAIMWATCH_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def _refusal(build) -> str:
    with pytest.raises(ConfigError) as info:
        build()
    message = str(info.value)
    assert "\n" not in message and "Value error" not in message and "validation error" not in message
    return message


@pytest.mark.parametrize("value", PLACEHOLDER_TOKENS)
def test_each_placeholder_ingest_token_is_refused(monkeypatch, value):
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN", value)
    message = _refusal(lambda: IngestorSettings().token())
    assert message.startswith("CLAIMWATCH_INGESTOR_API_TOKEN is a placeholder value")
    assert "token_urlsafe" in message and "16" in message


@pytest.mark.parametrize("value", ["change-me", "<token>", "xxxxxxxxxxxxxxxxxxxx"])
def test_a_placeholder_in_the_ingest_token_file_is_refused(monkeypatch, tmp_path, value):
    secret = tmp_path / "ingest-token"
    secret.write_text(value + "\n")
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN_FILE", str(secret))
    message = _refusal(lambda: IngestorSettings().token())
    assert message.startswith("CLAIMWATCH_INGESTOR_API_TOKEN_FILE: the token in")
    assert "placeholder" in message and value not in message


def test_a_short_ingest_token_is_refused_with_the_minimum(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN", "k3Jx9-q2Lm")
    message = _refusal(lambda: IngestorSettings().token())
    assert message.startswith("CLAIMWATCH_INGESTOR_API_TOKEN is too short (10 characters)")
    assert "at least 16 characters" in message and "k3Jx9-q2Lm" not in message


def test_a_missing_or_empty_token_file_is_one_line_naming_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN_FILE", str(tmp_path / "absent"))
    assert _refusal(lambda: IngestorSettings().token()).startswith("CLAIMWATCH_INGESTOR_API_TOKEN_FILE: cannot read")
    (tmp_path / "empty").write_text("\n")
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN_FILE", str(tmp_path / "empty"))
    assert "is empty" in _refusal(lambda: IngestorSettings().token())


def test_good_ingest_tokens_are_accepted(monkeypatch, tmp_path):
    token = secrets.token_urlsafe(32)
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN", token)
    assert IngestorSettings().token() == token
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN", "exactly-16-chars")
    assert IngestorSettings().token() == "exactly-16-chars"


@pytest.mark.parametrize("value", PLACEHOLDER_WEBHOOK_SECRETS)
def test_each_placeholder_webhook_secret_is_refused_naming_the_endpoint(monkeypatch, value):
    hooks = [{"name": "newsroom", "url": "https://hooks.example.org/claims", "secrets": [value]}]
    monkeypatch.setenv("CLAIMWATCH_ALERTER_WEBHOOKS", json.dumps(hooks))
    message = _refusal(AlerterSettings)
    assert message.startswith("CLAIMWATCH_ALERTER_WEBHOOKS: endpoint 'newsroom': its secret is a placeholder")
    assert "base64.b64encode(os.urandom(" in message and "24 random bytes" in message


@pytest.mark.parametrize("value", PLACEHOLDER_WEBHOOK_SECRETS)
def test_each_placeholder_sink_secret_is_refused(monkeypatch, value):
    monkeypatch.setenv("CLAIMWATCH_SINK_SECRETS", value)
    assert _refusal(SinkSettings).startswith("CLAIMWATCH_SINK_SECRETS is a placeholder value")


@pytest.mark.parametrize("value, problem", [
    ("whsec_" + base64.b64encode(os.urandom(16)).decode(), "too short (16 bytes after decoding)"),
    ("whsec_" + "Zm9v-YmFy_YmF6!cXV4-cXV1eA" * 2, "not valid base64"),
    (base64.b64encode(os.urandom(32)).decode(), "does not start with \"whsec_\""),
])
def test_weak_or_malformed_webhook_secrets_are_refused(monkeypatch, value, problem):
    monkeypatch.setenv("CLAIMWATCH_SINK_SECRETS", value)
    message = _refusal(SinkSettings)
    assert message.startswith("CLAIMWATCH_SINK_SECRETS ") and problem in message and value not in message


def test_a_rotating_list_names_the_bad_secret(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_SINK_SECRETS", f"{good_webhook_secret()},whsec_change-me")
    assert _refusal(SinkSettings).startswith("CLAIMWATCH_SINK_SECRETS: secret 2 is a placeholder")


@pytest.mark.parametrize("size", [24, 32, 64])
def test_good_webhook_secrets_are_accepted(monkeypatch, size):
    secret = good_webhook_secret(size)
    monkeypatch.setenv("CLAIMWATCH_SINK_SECRETS", secret)
    assert SinkSettings().secret_values() == [secret]
    hooks = [{"name": "newsroom", "url": "https://hooks.example.org/claims", "secrets": [secret]}]
    monkeypatch.setenv("CLAIMWATCH_ALERTER_WEBHOOKS", json.dumps(hooks))
    assert AlerterSettings().webhooks[0].secrets[0].get_secret_value() == secret


def test_local_stack_secrets_pass_the_checks(monkeypatch):
    from claimwatch.local_stack import new_webhook_secret

    secret = new_webhook_secret()
    monkeypatch.setenv("CLAIMWATCH_SINK_SECRETS", secret)
    assert SinkSettings().secret_values() == [secret]


def test_the_sink_reads_its_secrets_from_a_file(monkeypatch, tmp_path):
    first, second = good_webhook_secret(), good_webhook_secret(24)
    path = tmp_path / "sink-secrets"
    path.write_text(f"# rotating: the new secret first\n{first}\n\n  {second}  \n")
    monkeypatch.setenv("CLAIMWATCH_SINK_SECRETS_FILE", str(path))
    assert SinkSettings().secret_values() == [first, second]
    # beside the environment's secrets, not instead of them
    third = good_webhook_secret()
    monkeypatch.setenv("CLAIMWATCH_SINK_SECRETS", third)
    assert SinkSettings().secret_values() == [third, first, second]


def test_a_placeholder_in_the_sink_secrets_file_is_refused_with_its_line(monkeypatch, tmp_path):
    path = tmp_path / "sink-secrets"
    path.write_text(f"{good_webhook_secret()}\n# old one below\nwhsec_change-me\n")
    monkeypatch.setenv("CLAIMWATCH_SINK_SECRETS_FILE", str(path))
    message = _refusal(lambda: SinkSettings().secret_values())
    assert message.startswith(f"CLAIMWATCH_SINK_SECRETS_FILE: the secret on line 3 of {path} is a placeholder")


def test_a_sink_secrets_file_without_secrets_is_refused(monkeypatch, tmp_path):
    path = tmp_path / "sink-secrets"
    path.write_text("# nothing yet\n\n")
    monkeypatch.setenv("CLAIMWATCH_SINK_SECRETS_FILE", str(path))
    assert "holds no secret" in _refusal(lambda: SinkSettings().secret_values())
    monkeypatch.setenv("CLAIMWATCH_SINK_SECRETS_FILE", str(tmp_path / "absent"))
    assert _refusal(lambda: SinkSettings().secret_values()).startswith("CLAIMWATCH_SINK_SECRETS_FILE: cannot read")


def test_cp_env_example_then_start_refuses_every_placeholder(tmp_path):
    """The issue's first step: `cp .env.example .env`; the ingest API, the alerter and the sink all refuse."""
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    assert _refusal(lambda: IngestorSettings().token()).startswith("CLAIMWATCH_INGESTOR_API_TOKEN is a placeholder")
    assert _refusal(AlerterSettings).startswith("CLAIMWATCH_ALERTER_WEBHOOKS: endpoint 'sink': its secret is a "
                                                "placeholder")
    assert _refusal(SinkSettings).startswith("CLAIMWATCH_SINK_SECRETS is a placeholder")
