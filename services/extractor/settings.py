"""Extractor settings, from CLAIMWATCH_EXTRACTOR_* (and CLAIMWATCH_KAFKA_*) environment variables."""
from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.kafka_settings import KafkaSettings


class ExtractorSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMWATCH_EXTRACTOR_", env_file=".env", extra="ignore")

    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    app_id: str = "claimwatch-extractor"
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    log_level: str = "info"
