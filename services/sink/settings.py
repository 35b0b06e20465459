"""Sink settings, from CLAIMWATCH_SINK_* environment variables."""
from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr, field_validator
from typing import Annotated

from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class SinkSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMWATCH_SINK_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)

    host: str = "127.0.0.1"
    port: int = 8090
    # Comma-separated: any one of them verifies a delivery (secret rotation).
    secrets: Annotated[list[SecretStr], NoDecode] = []
    out: Path | None = None
    quiet: bool = False

    @field_validator("secrets", mode="before")
    @classmethod
    def _split(cls, value):
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value
