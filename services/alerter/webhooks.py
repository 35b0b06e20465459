"""Alert delivery: Standard Webhooks signing, payload formats, and the retry policy (pure parts)."""
from __future__ import annotations

import json
import random
import unicodedata
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import quote

from standardwebhooks.webhooks import Webhook

from schemas.models import WEBHOOK_EVENT_TYPES, Alert

MAX_PAYLOAD_BYTES = 20_000


def console_link(console_url: str | None, quantity_key: str) -> str | None:
    """The quantity's page in the analyst console (its public URL is the alerter's console_url setting); the
    key is percent-encoded whole, so no character of it can end the link or start another part."""
    if not console_url:
        return None
    return f"{console_url.rstrip('/')}/#quantity={quote(quantity_key, safe='')}"


def standard_payload(alert: Alert, now: datetime, console_url: str | None = None) -> dict:
    data = alert.model_dump(mode="json")
    link = console_link(console_url, alert.quantity_key)
    if link:
        data["console_url"] = link
    body = {"type": WEBHOOK_EVENT_TYPES[alert.kind], "timestamp": now.isoformat(), "data": data}
    if _size(body) > MAX_PAYLOAD_BYTES:
        # keep the alert readable and under the spec's size advice: drop related evidence first
        data["related"] = [{"claim_id": c["claim_id"], "source": c["source"], "figure_text": c["figure_text"],
                            "as_of": c["as_of"], "headline": c.get("headline")} for c in data["related"]]
        data["claim"]["sentence"] = data["claim"]["sentence"][:1000]
    while _size(body) > MAX_PAYLOAD_BYTES and _halve_longest_text(data):
        pass  # still too big (very long sources or names): cut the longest free text, never an identifier
    return body


# Free-text fields of an alert that may be shortened to fit; ids, keys and numbers never are.
_CUTTABLE = frozenset({"summary", "sentence", "figure_text", "source", "outlet", "entity", "actor", "location",
                       "time_text", "measure", "headline"})


def _size(body: dict) -> int:
    return len(json.dumps(body))  # ASCII-escaped, as delivered: an upper bound on the bytes sent


def _halve_longest_text(data: dict) -> bool:
    holders = [data, data["claim"], *data["related"]]
    longest = max(((holder, key) for holder in holders for key in _CUTTABLE if isinstance(holder.get(key), str)),
                  key=lambda place: len(place[0][place[1]]), default=None)
    if longest is None or len(longest[0][longest[1]]) <= 16:
        return False
    holder, key = longest
    holder[key] = holder[key][:len(holder[key]) // 2] + "\u2026"
    return True


# Slack's message formatting rules: only &, < and > need escaping, & first.
_SLACK_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# mrkdwn has no escape for its formatting marks, so in the block article text gets look-alikes: it cannot
# bold, strike or code-quote part of the message, or close our own *bold* early.
MRKDWN_LOOKALIKES = {"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"}
# After an @ so that @channel, @here, @everyone or @someone written in an article pings nobody.
WORD_JOINER = "\u2060"
SLACK_SECTION_MAX = 3000  # characters in one section block's text


def slack_text(raw: object, limit: int, mrkdwn: bool = False) -> str:
    """Article text made inert for Slack: &, < and > escaped, mentions broken with a word joiner, line breaks
    and control characters turned into spaces (one line, so it cannot start a quote or a list), and, with
    mrkdwn, formatting marks replaced by look-alikes. At most `limit` characters, never half an entity."""
    text = "" if raw is None else str(raw)
    pieces = []
    for index, char in enumerate(text):
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            piece = " "
        elif char in _SLACK_ENTITIES:
            piece = _SLACK_ENTITIES[char]
        elif mrkdwn and char in MRKDWN_LOOKALIKES:
            piece = MRKDWN_LOOKALIKES[char]
        elif char == "@" and index + 1 < len(text) and (text[index + 1].isalnum() or text[index + 1] == "_"):
            piece = "@" + WORD_JOINER
        else:
            piece = char
        pieces.append(piece)
    if sum(map(len, pieces)) <= limit:
        return "".join(pieces)
    kept, used = [], 0
    for piece in pieces:
        if used + len(piece) > limit - 1:
            break
        kept.append(piece)
        used += len(piece)
    return "".join(kept) + "\u2026"


def slack_payload(alert: Alert, console_url: str | None = None) -> dict:
    claim = alert.claim
    lines = [f"*{slack_text(alert.summary, 400, mrkdwn=True)}*"]
    if claim.headline or claim.outlet:
        where = " · ".join(slack_text(part, 200, mrkdwn=True) for part in (claim.headline, claim.outlet) if part)
        lines.append(f"From: {where}")
    lines.append(f"> {slack_text(claim.sentence, 1200, mrkdwn=True)}")
    for other in alert.related[:3]:
        source = slack_text(other.source or "unattributed", 120, mrkdwn=True)
        figure = slack_text(other.figure_text, 120, mrkdwn=True)
        lines.append(f"• {source}: {figure} ({slack_text(other.as_of or 'undated', 40, mrkdwn=True)})")
    link = console_link(console_url, alert.quantity_key)
    if link:
        lines.append(f"<{link}|Open the quantity in the console>")  # our link: the key in it is percent-encoded
    # verbatim: Slack does not turn bare URLs, #channels or @names from the text into links or mentions
    block = {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines), "verbatim": True}}
    return {"text": slack_text(alert.summary, 1000), "blocks": [block], "unfurl_links": False,
            "unfurl_media": False}


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
