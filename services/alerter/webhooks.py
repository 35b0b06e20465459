"""Alert delivery: Standard Webhooks signing, payload formats, and the retry policy (pure parts)."""
from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from standardwebhooks.webhooks import Webhook

from schemas.models import WEBHOOK_EVENT_TYPES, Alert

MAX_PAYLOAD_BYTES = 20_000


def standard_payload(alert: Alert, now: datetime) -> dict:
    data = alert.model_dump(mode="json")
    body = {"type": WEBHOOK_EVENT_TYPES[alert.kind], "timestamp": now.isoformat(), "data": data}
    if len(json.dumps(body)) > MAX_PAYLOAD_BYTES:
        # keep the alert readable and under the spec's size advice: drop related evidence first
        data["related"] = [{"claim_id": c["claim_id"], "source": c["source"], "figure_text": c["figure_text"],
                            "as_of": c["as_of"]} for c in data["related"]]
        data["claim"]["sentence"] = data["claim"]["sentence"][:1000]
    return body


def slack_payload(alert: Alert) -> dict:
    claim = alert.claim
    lines = [f"*{alert.summary}*", f"> {claim.sentence[:500]}"]
    for other in alert.related[:3]:
        lines.append(f"• {other.source or 'unattributed'}: {other.figure_text} ({other.as_of or 'undated'})")
    return {"text": alert.summary, "blocks": [{"type": "section", "text": {"type": "mrkdwn",
                                                                          "text": "\n".join(lines)}}]}


def sign(secrets: list[str], msg_id: str, timestamp: datetime, body: str) -> str:
    """One v1 signature per secret, space-separated, so receivers can rotate secrets."""
    return " ".join(Webhook(secret).sign(msg_id, timestamp, body) for secret in secrets)


def retry_delay(attempt: int, base_s: float, max_s: float, retry_after: str | None, rng: random.Random) -> float:
    """Exponential backoff with full jitter; a Retry-After header wins when it asks for longer."""
    backoff = min(max_s, base_s * (2 ** attempt)) * (0.5 + rng.random() / 2)
    asked = parse_retry_after(retry_after)
    return min(max_s, max(backoff, asked)) if asked is not None else backoff


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


def is_retryable(status: int) -> bool:
    return status == 429 or status >= 500
