"""Post an alert to one webhook endpoint: signed, retried with backoff and jitter, honouring Retry-After.

Shared by the alerter's delivery agent and `claimwatch redeliver`."""
from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass
from datetime import datetime, timezone

import aiohttp

from schemas.models import Alert
from services.alerter import metrics
from services.alerter.settings import AlerterSettings, WebhookEndpoint
from services.alerter.webhooks import is_retryable, retry_delay, sign, slack_payload, standard_payload


@dataclass(frozen=True)
class Outcome:
    result: str  # delivered, disabled (410), dead_lettered
    reason: str = ""
    attempts: int = 1


async def post_alert(session: aiohttp.ClientSession, endpoint: WebhookEndpoint, alert: Alert,
                     settings: AlerterSettings, rng: random.Random | None = None) -> Outcome:
    rng = rng or random.Random()
    secrets = [s.get_secret_value() for s in endpoint.secrets]
    attempts = max(1, settings.delivery_attempts)
    reason = ""
    for attempt in range(attempts):
        now = datetime.now(timezone.utc)
        payload = standard_payload(alert, now) if endpoint.format == "standard" else slack_payload(alert)
        body = json.dumps(payload, separators=(",", ":"))
        # webhook-id is the alert id: the same on every retry and every replay, so receivers can de-duplicate
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
            return Outcome("delivered", "", attempt + 1)
        if status == 410:
            return Outcome("disabled", "HTTP 410 Gone: the receiver asked to stop", attempt + 1)
        if status and not is_retryable(status):
            return Outcome("dead_lettered", f"HTTP {status}: not retried", attempt + 1)
        reason = reason if not status else f"HTTP {status}"
        if attempt + 1 < attempts:
            await asyncio.sleep(retry_delay(attempt, settings.delivery_backoff_s, settings.delivery_backoff_max_s,
                                            retry_after, rng))
    return Outcome("dead_lettered", f"gave up after {attempts} attempts: {reason}", attempts)
