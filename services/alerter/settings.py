"""Alerter settings, from CLAIMWATCH_ALERTER_* (and CLAIMWATCH_KAFKA_*) environment variables."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from schemas.models import http_url
from services.alerter.decisions import DecisionPolicy
from services.common.errors import ConfigError
from services.common.kafka_settings import WorkerSettings
from services.common.secrets import WEBHOOK_SECRET_RECIPE, check_webhook_secret, configured_token

WEBHOOKS_VARIABLE = "CLAIMWATCH_ALERTER_WEBHOOKS"


class WebhookEndpoint(BaseModel):
    """One alert receiver. Operators configure these; claimwatch posts only where they say."""

    name: str
    url: str
    # Several secrets sign every delivery while a secret rotates (Standard Webhooks).
    secrets: list[SecretStr] = Field(default_factory=list)
    format: Literal["standard", "slack"] = "standard"
    console_url: str | None = None  # where its messages link to; the alerter's console_url unless set

    _console_url_is_http = field_validator("console_url", mode="before")(http_url)


class AlerterSettings(WorkerSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMWATCH_ALERTER_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)

    app_id: str = "claimwatch-alerter"
    web_port: int = 6067
    # JSON list of endpoints: [{"name": "...", "url": "...", "secrets": ["whsec_..."], "format": "standard"}]
    webhooks: Annotated[list[WebhookEndpoint], NoDecode] = Field(default_factory=list)
    # An endpoint without secrets is refused unless this says unsigned delivery is meant.
    allow_unsigned_webhooks: bool = False
    # The bearer token of the history API and console: from the environment, or from a file. Not required
    # here (tools build these settings without one); the history API refuses to start without it.
    api_token: SecretStr | None = None
    api_token_file: Path | None = None
    # The console's public address (e.g. https://alerts.example.org/ui/): webhooks link to a quantity's page.
    console_url: str | None = None
    contradiction_window_hours: float = 24.0
    exact_tolerance: float = 0.02
    max_known_per_quantity: int = 64
    historical_years: int = 10
    past_occurrence_days: int = Field(default=30, ge=0)  # 0: figures of past marches, elections ... alert too
    settle_after_days: float = 30.0
    alert_market_figures: bool = False  # share prices and market levels raise no alert unless this is set
    # Claims that arrive within this many seconds of each other are decided in publication order (a reorder
    # window); later ones are decided in order against the state and amend what they change. 0: no window,
    # each claim decided as it arrives. Every claim waits up to this long before its alert.
    reorder_window_s: float = Field(default=0.0, ge=0.0, le=60.0)
    reorder_max_claims: int = Field(default=500, ge=1, le=100_000)  # a full window is decided at once
    delivery_timeout_s: float = 5.0
    delivery_attempts: int = 6
    delivery_backoff_s: float = 0.5
    delivery_backoff_max_s: float = 60.0

    @field_validator("webhooks", mode="before")
    @classmethod
    def _parse_json(cls, value):
        if isinstance(value, str):
            try:
                return json.loads(value) if value.strip() else []
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{WEBHOOKS_VARIABLE} is not valid JSON ({exc.msg} at character {exc.pos}): "
                                  f"write a list such as [{{\"name\": \"sink\", \"url\": \"https://...\", "
                                  f"\"secrets\": [\"whsec_...\"]}}]") from None
        return value

    @field_validator("console_url", mode="before")
    @classmethod
    def _console_url_is_http(cls, value: object) -> object:
        try:
            return http_url(value)
        except ValueError as exc:
            raise ConfigError(f"CLAIMWATCH_ALERTER_CONSOLE_URL {exc}") from None

    @model_validator(mode="after")
    def _endpoints_link_to_the_console(self) -> "AlerterSettings":
        for endpoint in self.webhooks:
            if endpoint.console_url is None:
                endpoint.console_url = self.console_url
        return self

    @model_validator(mode="after")
    def _endpoints_are_signed(self) -> "AlerterSettings":
        # checked when the settings are built: every alerter process delivers, so a bad secret fails at start
        for endpoint in self.webhooks:
            where = f"{WEBHOOKS_VARIABLE}: endpoint {endpoint.name!r}"
            if not endpoint.secrets and not self.allow_unsigned_webhooks:
                raise ConfigError(f"{where} has no signing secret: add \"secrets\": [\"whsec_...\"] "
                                  f"(make one with {WEBHOOK_SECRET_RECIPE}), or set "
                                  f"CLAIMWATCH_ALERTER_ALLOW_UNSIGNED_WEBHOOKS=true to deliver unsigned")
            for number, secret in enumerate(endpoint.secrets, 1):
                subject = f"{where}: its secret" if len(endpoint.secrets) == 1 else f"{where}: secret {number}"
                check_webhook_secret(secret.get_secret_value(), subject)
        return self

    def api_token_value(self) -> str | None:
        """The history API's bearer token, checked like the ingest token (ConfigError for a placeholder,
        a short token or an unreadable file); None when neither variable is set."""
        return configured_token(self.api_token, self.api_token_file, "CLAIMWATCH_ALERTER_API_TOKEN")

    def policy(self) -> DecisionPolicy:
        return DecisionPolicy(contradiction_window=timedelta(hours=self.contradiction_window_hours),
                              exact_tolerance=self.exact_tolerance,
                              max_known_per_quantity=self.max_known_per_quantity,
                              historical_years=self.historical_years,
                              past_occurrence_days=self.past_occurrence_days,
                              settle_after=timedelta(days=self.settle_after_days),
                              alert_market_figures=self.alert_market_figures)
