"""Ingestor settings, from CLAIMWATCH_INGESTOR_* (and CLAIMWATCH_KAFKA_*) environment variables."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.kafka_settings import KafkaSettings


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
        if self.api_token is not None:
            return self.api_token.get_secret_value()
        if self.api_token_file is not None:
            return self.api_token_file.read_text(encoding="utf-8").strip() or None
        return None
