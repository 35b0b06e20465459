"""Sink settings, from CLAIMWATCH_SINK_* environment variables."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from services.common.secrets import check_webhook_secret, read_secret_lines

SECRETS_VARIABLE = "CLAIMWATCH_SINK_SECRETS"
SECRETS_FILE_VARIABLE = "CLAIMWATCH_SINK_SECRETS_FILE"


class SinkSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMWATCH_SINK_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)

    host: str = "127.0.0.1"
    port: int = 8090
    # Comma-separated: any one of them verifies a delivery (secret rotation).
    secrets: Annotated[list[SecretStr], NoDecode] = []
    # Or a file, one secret a line (blank lines and # comments ignored), so no secret is on a command line.
    secrets_file: Path | None = None
    out: Path | None = None
    quiet: bool = False

    @field_validator("secrets", mode="before")
    @classmethod
    def _split(cls, value):
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("secrets")
    @classmethod
    def _not_placeholders(cls, value: list[SecretStr]) -> list[SecretStr]:
        for number, secret in enumerate(value, 1):
            subject = SECRETS_VARIABLE if len(value) == 1 else f"{SECRETS_VARIABLE}: secret {number}"
            check_webhook_secret(secret.get_secret_value(), subject)
        return value

    def secret_values(self) -> list[str]:
        """Every secret that verifies a delivery: CLAIMWATCH_SINK_SECRETS, then the lines of
        CLAIMWATCH_SINK_SECRETS_FILE. ConfigError for an unreadable file or a placeholder/short secret in it."""
        values = [secret.get_secret_value() for secret in self.secrets]
        if self.secrets_file is not None:
            for number, secret in read_secret_lines(self.secrets_file, SECRETS_FILE_VARIABLE):
                values.append(check_webhook_secret(
                    secret, f"{SECRETS_FILE_VARIABLE}: the secret on line {number} of {self.secrets_file}"))
        return values
