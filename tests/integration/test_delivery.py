"""Webhook delivery with the real alerter on the tests' broker and a real HTTP receiver."""
import json
import subprocess
import sys
import time

import pytest

from schemas.models import Article, DeadLetter
from schemas.topics import ALERTS, dead_letter
from services.common.metrics_http import scrape, total
from services.ingestor.publisher import ArticlePublisher
from claimwatch.local_stack import LocalStack
from services.sink.app import verify
from tests.conftest import ROOT
from tests.helpers import consume
from tests.integration.receiver import ScriptedReceiver

pytestmark = pytest.mark.integration
FAST_RETRIES = {"CLAIMWATCH_ALERTER_DELIVERY_BACKOFF_S": "0.05", "CLAIMWATCH_ALERTER_DELIVERY_ATTEMPTS": "4",
                "CLAIMWATCH_ALERTER_DELIVERY_BACKOFF_MAX_S": "5"}
# a place the gazetteer knows: a figure with no place is compared only within its own article (issue 18)
ARTICLE = Article(id="one-figure", text="Officials said 40 people died in the flood in Brazil on Monday.",
                  published_at="2024-01-03T00:00:00Z")


def _stack(tmp_path, receiver, **env):
    secret = "whsec_" + "c2VjcmV0LWZvci10ZXN0cy1vbmx5LTEyMzQ1Njc4"
    hooks = [{"name": "scripted", "url": receiver.url, "secrets": [secret]}]
    stack = LocalStack(tmp_path / "stack", with_sink=False, extra_webhooks=hooks,
                       env_overrides={**FAST_RETRIES, **env})
    return stack, secret


def _publish(stack, *articles):
    publisher = ArticlePublisher(stack.kafka)
    for article in articles:
        publisher.publish(article, "test")
    publisher.flush()
    publisher.close()


@pytest.fixture
def receiver():
    scripted = ScriptedReceiver(lambda attempt: (200, {})).start()
    yield scripted
    scripted.stop()


def test_500_500_200_is_one_success_with_one_webhook_id(tmp_path, receiver):
    receiver.set_script(lambda attempt: (500, {}) if attempt <= 2 else (200, {}))
    stack, secret = _stack(tmp_path, receiver)
    with stack:
        _publish(stack, ARTICLE)
        stack.wait_until_settled(1, timeout_s=60)
    ids = {r.webhook_id for r in receiver.received}
    assert len(ids) == 1
    [webhook_id] = ids
    assert [r.status for r in receiver.attempts(webhook_id)] == [500, 500, 200]
    last = receiver.attempts(webhook_id)[-1]
    payload = verify([secret], last.body, last.headers)
    assert payload["type"] == "claim.new" and payload["data"]["alert_id"] == webhook_id


def test_retry_after_is_honoured(tmp_path, receiver):
    receiver.set_script(lambda attempt: (503, {"Retry-After": "2"}) if attempt == 1 else (200, {}))
    stack, _ = _stack(tmp_path, receiver)
    with stack:
        _publish(stack, ARTICLE)
        stack.wait_until_settled(1, timeout_s=60)
    first, second = receiver.received[:2]
    assert (first.status, second.status) == (503, 200)
    assert second.at - first.at >= 1.9  # backoff alone would retry after ~0.05 s


def test_410_disables_the_endpoint(tmp_path, receiver):
    receiver.set_script(lambda attempt: (410, {}))
    stack, _ = _stack(tmp_path, receiver)
    second = Article(id="other", text="Officials said 12 people were injured in the blast on Tuesday.",
                     published_at="2024-01-04T00:00:00Z")
    with stack:
        _publish(stack, ARTICLE, second)
        stack.wait_until_settled(2, timeout_s=60)
        metrics = scrape(f"{stack.services['alerter'].base_url}/metrics")
        letters = [DeadLetter.model_validate_json(r.value)
                   for r in consume(stack.broker.bootstrap, dead_letter(ALERTS), 1)]
    assert len(receiver.received) == 1  # nothing is posted after the 410
    assert total(metrics, "claimwatch_webhook_endpoints_disabled") == 1
    assert total(metrics, "claimwatch_webhook_deliveries_total", outcome="disabled") == 1
    # the alert the disabled endpoint missed is kept for redelivery
    assert [letter.error.split(": ")[1] for letter in letters] == ["endpoint_disabled"]


def test_permanent_failure_goes_to_the_dlq_and_redeliver_sends_it(tmp_path, receiver):
    receiver.set_script(lambda attempt: (400, {}))
    stack, _ = _stack(tmp_path, receiver)
    with stack:
        _publish(stack, ARTICLE)
        stack.wait_until_settled(1, timeout_s=60)
        [record] = consume(stack.broker.bootstrap, dead_letter(ALERTS), 1)
        letter = DeadLetter.model_validate_json(record.value)
        assert letter.reason == "delivery_failed" and "HTTP 400" in letter.error
        failed_id = receiver.received[0].webhook_id

        receiver.set_script(lambda attempt: (200, {}))
        env = {**stack.child_env(), "CLAIMWATCH_ALERTER_WEBHOOKS": json.dumps(stack.webhooks())}
        result = subprocess.run([sys.executable, "-m", "claimwatch.cli", "redeliver", "--idle", "2"], env=env,
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "redelivered 1 alert(s)" in result.stderr
        assert receiver.received[-1].status == 200 and receiver.received[-1].webhook_id == failed_id
        # a second run finds nothing left to send
        again = subprocess.run([sys.executable, "-m", "claimwatch.cli", "redeliver", "--idle", "2"], env=env,
                               cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert "redelivered 0 alert(s)" in again.stderr


def test_an_alerter_restart_does_not_re_announce_known_quantities(tmp_path, receiver):
    stack, _ = _stack(tmp_path, receiver)
    with stack:
        _publish(stack, ARTICLE)
        stack.wait_until_settled(1, timeout_s=60)
        stack.services["alerter"].stop(hard=True)  # kill -9: no clean shutdown
        stack.start_alerter("alerter")
        stack.wait_healthy(60)
        follow_up = Article(id="follow-up", text="Officials said 40 people died in the flood in Brazil on Monday, "
                                                 "and rescuers were still searching.",
                            published_at="2024-01-04T00:00:00Z")
        _publish(stack, follow_up)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            metrics = scrape(f"{stack.services['alerter'].base_url}/metrics")
            if total(metrics, "claimwatch_alerter_claims_total") >= 1:
                break
            time.sleep(0.3)
        decided = total(metrics, "claimwatch_alerter_claims_total")
        new_after_restart = total(metrics, "claimwatch_alerts_total", kind="new")
    assert decided >= 1
    assert new_after_restart == 0  # the restored table still knows the quantity
