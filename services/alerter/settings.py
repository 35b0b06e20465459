"""Alerter settings, from CLAIMWATCH_ALERTER_* (and CLAIMWATCH_KAFKA_*) environment variables."""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from services.alerter.decisions import DecisionPolicy
from services.common.kafka_settings import WorkerSettings


class WebhookEndpoint(BaseModel):
    """One alert receiver. Operators configure these; claimwatch posts only where they say."""

    name: str
    url: str
    # Several secrets sign every delivery while a secret rotates (Standard Webhooks).
    secrets: list[SecretStr] = Field(default_factory=list)
    format: Literal["standard", "slack"] = "standard"


class AlerterSettings(WorkerSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMWATCH_ALERTER_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)

    app_id: str = "claimwatch-alerter"
    web_port: int = 6067
    # JSON list of endpoints: [{"name": "...", "url": "...", "secrets": ["whsec_..."], "format": "standard"}]
    webhooks: list[WebhookEndpoint] = Field(default_factory=list)
    contradiction_window_hours: float = 24.0
    exact_tolerance: float = 0.02
    max_known_per_quantity: int = 64
    historical_years: int = 10
    settle_after_days: float = 30.0
    delivery_timeout_s: float = 5.0
    delivery_attempts: int = 6
    delivery_backoff_s: float = 0.5
    delivery_backoff_max_s: float = 60.0

    @field_validator("webhooks", mode="before")
    @classmethod
    def _parse_json(cls, value):
        if isinstance(value, str):
            return json.loads(value) if value.strip() else []
        return value

    def policy(self) -> DecisionPolicy:
        return DecisionPolicy(contradiction_window=timedelta(hours=self.contradiction_window_hours),
                              exact_tolerance=self.exact_tolerance,
                              max_known_per_quantity=self.max_known_per_quantity,
                              historical_years=self.historical_years,
                              settle_after=timedelta(days=self.settle_after_days))
