"""Ingestor settings, from CLAIMWATCH_INGESTOR_* (and CLAIMWATCH_KAFKA_*) environment variables."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.kafka_settings import KafkaSettings
from services.common.secrets import check_token, read_secret_file


class IngestorSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMWATCH_INGESTOR_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)

    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    # The bearer token for POST /articles: from the environment, or from a file (e.g. a mounted secret).
    api_token: SecretStr | None = None
    api_token_file: Path | None = None
    max_body_bytes: int = 8 * 1024 * 1024
    send_timeout_s: float = 30.0

    def token(self) -> str | None:
        """The ingest token, checked here rather than when the settings are built: `ingest` and `replay` share
        these settings and need no token. ConfigError for a placeholder, a short token or an unreadable file."""
        if self.api_token is not None:
            return check_token(self.api_token.get_secret_value(), "CLAIMWATCH_INGESTOR_API_TOKEN")
        if self.api_token_file is not None:
            variable = "CLAIMWATCH_INGESTOR_API_TOKEN_FILE"
            return check_token(read_secret_file(self.api_token_file, variable),
                               f"{variable}: the token in {self.api_token_file}")
        return None
