"""Webhook signing, retry policy and payloads."""
import json
import random
from datetime import datetime, timedelta, timezone

import pytest
from standardwebhooks.webhooks import WebhookVerificationError

from schemas.models import Alert, AlertKind, Severity
from services.alerter.webhooks import (MAX_PAYLOAD_BYTES, is_retryable, parse_retry_after, retry_delay, sign,
                                       slack_payload, standard_payload)
from services.sink.app import verify
from tests.helpers import make_claim

OLD, NEW = "whsec_" + "a" * 32, "whsec_" + "b" * 32


def _headers(secrets, body, when=None):
    when = when or datetime.now(timezone.utc)
    return {"webhook-id": "msg_1", "webhook-timestamp": str(int(when.timestamp())),
            "webhook-signature": sign(secrets, "msg_1", when, body)}


def test_signature_verifies_and_rotation_sends_both():
    body = json.dumps({"type": "claim.new", "data": {}})
    headers = _headers([OLD, NEW], body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert verify([NEW], body.encode(), headers)["type"] == "claim.new"
    assert verify([OLD], body.encode(), headers)


def test_tampered_body_wrong_secret_and_old_timestamp_are_rejected():
    body = json.dumps({"x": 1})
    with pytest.raises(WebhookVerificationError):
        verify([OLD], b'{"x": 2}', _headers([OLD], body))
    with pytest.raises(WebhookVerificationError):
        verify([NEW], body.encode(), _headers([OLD], body))
    with pytest.raises(WebhookVerificationError):
        verify([OLD], body.encode(), _headers([OLD], body, datetime.now(timezone.utc) - timedelta(hours=1)))
    with pytest.raises(WebhookVerificationError):
        verify([OLD], body.encode(), {"webhook-id": "m", "webhook-timestamp": "1", "webhook-signature": "junk"})


def test_retry_policy():
    assert is_retryable(503) and is_retryable(429) and not is_retryable(404) and not is_retryable(410)
    rng = random.Random(1)
    delays = [retry_delay(n, 1.0, 60.0, None, rng) for n in range(8)]
    assert all(0.5 * min(60, 2 ** n) <= d <= min(60, 2 ** n) for n, d in enumerate(delays))
    assert retry_delay(0, 1.0, 60.0, "7", rng) == 7.0
    assert retry_delay(0, 1.0, 5.0, "120", rng) == 5.0


def test_retry_after_http_date():
    now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert parse_retry_after("Mon, 01 Jan 2024 00:00:30 GMT", now) == 30
    assert parse_retry_after("soon") is None


def _alert(sentence="x"):
    claim = make_claim(64, sentence=sentence)
    return Alert(alert_id="a1", kind=AlertKind.contradiction, severity=Severity.critical, quantity_key="k",
                 summary="Contradiction: A says 64", claim=claim, related=[make_claim(1052, source="B",
                                                                                      sentence=sentence)])


def test_standard_payload_type_and_size_bound():
    now = datetime.now(timezone.utc)
    payload = standard_payload(_alert(), now)
    assert payload["type"] == "claim.contradicted" and payload["data"]["alert_id"] == "a1"
    big = standard_payload(_alert("y" * 30_000), now)
    assert len(json.dumps(big)) < MAX_PAYLOAD_BYTES


def test_slack_payload_has_text():
    assert slack_payload(_alert())["text"] == "Contradiction: A says 64"
