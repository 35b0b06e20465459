"""Ingestor settings, from CLAIMWATCH_INGESTOR_* (and CLAIMWATCH_KAFKA_*) environment variables."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.kafka_settings import KafkaSettings
from services.common.secrets import configured_token


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
        return configured_token(self.api_token, self.api_token_file, "CLAIMWATCH_INGESTOR_API_TOKEN")
