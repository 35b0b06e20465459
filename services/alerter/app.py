"""The alerter service: claims -> decisions -> `alerts` (outbox) -> signed webhooks.

The agents only move records around decide() and the delivery policy in webhooks.py."""
from __future__ import annotations

import asyncio
import json
import logging
import random
from datetime import datetime, timezone

import aiohttp
from pydantic import ValidationError

from schemas.models import Alert, Claim
from schemas.topics import ALERTS, CLAIMS, dead_letter
from services.alerter import metrics
from services.alerter.decisions import QuantityState, decide
from services.alerter.settings import AlerterSettings, WebhookEndpoint
from services.alerter.webhooks import is_retryable, retry_delay, sign, slack_payload, standard_payload
from services.common.dead_letters import send_dead_letter
from services.common.faust_app import make_app, run_worker, serve_metrics

log = logging.getLogger("claimwatch.alerter")

settings = AlerterSettings()
policy = settings.policy()
app = make_app(settings.app_id, settings.kafka, settings.web_host, settings.web_port)
claims_topic = app.topic(CLAIMS)
alerts_topic = app.topic(ALERTS)
claims_dead_letters = app.topic(dead_letter(CLAIMS))
alerts_dead_letters = app.topic(dead_letter(ALERTS))
# Keyed by quantity_key, like `claims`, so each worker owns the quantities of its partitions.
quantities = app.Table("quantities", default=None, partitions=settings.kafka.partitions)
serve_metrics(app, metrics.REGISTRY)
_disabled_endpoints: set[str] = set()
_rng = random.Random()


@app.agent(claims_topic)
async def decide_claims(stream):
    async for event in stream.events():
        try:
            claim = Claim.model_validate_json(event.value)
        except ValidationError as exc:
            await send_dead_letter(claims_dead_letters, event, source_topic=CLAIMS, reason="invalid_claim",
                                   error=str(exc), service="alerter", counter=metrics.DEAD_LETTERS)
            continue
        stored = quantities.get(claim.quantity_key)
        state = (QuantityState.model_validate_json(stored) if stored
                 else QuantityState(quantity_key=claim.quantity_key))
        decision = decide(state, claim, policy)
        quantities[claim.quantity_key] = decision.state.model_dump_json().encode()
        for alert in decision.alerts:
            await alerts_topic.send(key=alert.quantity_key.encode(), value=alert.model_dump_json().encode())
            metrics.ALERTS.labels(kind=alert.kind.value).inc()
        metrics.CLAIMS.labels(relation=decision.relation).inc()


async def _post(session: aiohttp.ClientSession, endpoint: WebhookEndpoint, alert: Alert) -> tuple[str, str]:
    """Deliver one alert to one endpoint with retries: (outcome, reason)."""
    secrets = [s.get_secret_value() for s in endpoint.secrets]
    attempts = max(1, settings.delivery_attempts)
    reason = ""
    for attempt in range(attempts):
        now = datetime.now(timezone.utc)
        payload = standard_payload(alert, now) if endpoint.format == "standard" else slack_payload(alert)
        body = json.dumps(payload, separators=(",", ":"))
        headers = {"content-type": "application/json", "webhook-id": alert.alert_id,
                   "webhook-timestamp": str(int(now.timestamp()))}
        if secrets:
            headers["webhook-signature"] = sign(secrets, alert.alert_id, now, body)
        retry_after = None
        try:
            async with session.post(endpoint.url, data=body.encode(), headers=headers,
                                    timeout=aiohttp.ClientTimeout(total=settings.delivery_timeout_s)) as response:
                status = response.status
                retry_after = response.headers.get("Retry-After")
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            status, reason = 0, f"{type(exc).__name__}: {exc}"
        metrics.ATTEMPTS.labels(endpoint=endpoint.name, status=f"{status // 100}xx" if status else "error").inc()
        if 200 <= status < 300:
            return "delivered", ""
        if status == 410:
            return "disabled", "HTTP 410 Gone: the receiver asked to stop"
        if status and not is_retryable(status):
            return "dead_lettered", f"HTTP {status}: not retried"
        reason = reason if not status else f"HTTP {status}"
        if attempt + 1 < attempts:
            await asyncio.sleep(retry_delay(attempt, settings.delivery_backoff_s, settings.delivery_backoff_max_s,
                                            retry_after, _rng))
    return "dead_lettered", f"gave up after {attempts} attempts: {reason}"


@app.agent(alerts_topic)
async def deliver_alerts(stream):
    async with aiohttp.ClientSession() as session:
        async for event in stream.events():
            try:
                alert = Alert.model_validate_json(event.value)
            except ValidationError as exc:
                await send_dead_letter(alerts_dead_letters, event, source_topic=ALERTS, reason="invalid_alert",
                                       error=str(exc), service="alerter", counter=metrics.DEAD_LETTERS)
                continue
            for endpoint in settings.webhooks:
                if endpoint.name in _disabled_endpoints:
                    continue
                outcome, reason = await _post(session, endpoint, alert)
                metrics.DELIVERIES.labels(endpoint=endpoint.name, outcome=outcome).inc()
                if outcome == "delivered" and alert.claim.ingested_at:
                    latency = (datetime.now(timezone.utc) - alert.claim.ingested_at).total_seconds()
                    metrics.END_TO_END_SECONDS.observe(max(0.0, latency))
                elif outcome == "disabled":
                    _disabled_endpoints.add(endpoint.name)
                    metrics.ENDPOINTS_DISABLED.set(len(_disabled_endpoints))
                    log.error("webhook endpoint %s disabled: %s", endpoint.name, reason)
                elif outcome == "dead_lettered":
                    await send_dead_letter(alerts_dead_letters, event, source_topic=ALERTS, reason="delivery_failed",
                                           error=f"{endpoint.name}: {reason}", service="alerter",
                                           counter=metrics.DEAD_LETTERS)


def main() -> None:
    run_worker(app, settings.log_level)
