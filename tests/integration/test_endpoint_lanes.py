"""Per-endpoint delivery with the real alerter on the tests' broker: a dead endpoint does not hold up a
healthy one, retries survive a killed worker, and "disabled after 410" survives a restart."""
from __future__ import annotations

import base64
import time

import pytest

from schemas.models import Alert, Article, DeadLetter
from schemas.topics import ALERTS, ALERTS_RETRY, dead_letter
from services.alerter.delivery import DeliveryRetry
from services.common.metrics_http import scrape, total
from services.ingestor.publisher import ArticlePublisher
from claimwatch.local_stack import LocalStack, new_webhook_secret
from tests.helpers import consume, wait_until
from tests.integration.receiver import ScriptedReceiver

pytestmark = pytest.mark.integration

ARTICLES = [
    Article(id="flood", text="Officials said 40 people died in the flood in Valencia on Monday.",
            published_at="2024-05-06T00:00:00Z"),
    Article(id="landslide", text="Rescuers said 12 people were injured in the landslide in Nepal on Tuesday.",
            published_at="2024-05-07T00:00:00Z"),
    Article(id="fire", text="Police said 7 people were killed in the fire in Lagos on Wednesday.",
            published_at="2024-05-08T00:00:00Z"),
]


@pytest.fixture
def receivers():
    started: list[ScriptedReceiver] = []

    def start(status: int) -> ScriptedReceiver:
        receiver = ScriptedReceiver(lambda attempt: (status, {})).start()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.stop()


def _hook(name: str, receiver: ScriptedReceiver) -> dict:
    return {"name": name, "url": receiver.url, "secrets": [new_webhook_secret()]}


def _publish(stack: LocalStack, *articles: Article) -> None:
    publisher = ArticlePublisher(stack.kafka)
    for article in articles:
        publisher.publish(article, "test")
    publisher.flush()
    publisher.close()


def _metrics(stack: LocalStack, name: str = "alerter") -> dict:
    return scrape(f"{stack.services[name].base_url}/metrics")


def _wait(condition, timeout_s: float, what: str):
    return wait_until(condition, timeout_s, what)


def test_a_dead_endpoint_does_not_hold_up_a_healthy_one(tmp_path, receivers):
    dead, healthy = receivers(503), receivers(200)
    # the dead endpoint comes first: inline retries would make the healthy one wait behind it
    env = {"CLAIMWATCH_ALERTER_DELIVERY_BACKOFF_S": "4", "CLAIMWATCH_ALERTER_DELIVERY_ATTEMPTS": "3",
           "CLAIMWATCH_ALERTER_DELIVERY_BACKOFF_MAX_S": "8"}
    stack = LocalStack(tmp_path / "stack", with_sink=False, extra_webhooks=[_hook("dead", dead), _hook("healthy", healthy)],
                       env_overrides=env)
    with stack:
        _publish(stack, *ARTICLES)
        _wait(lambda: len({r.webhook_id for r in healthy.received}) >= 3, 60, "the healthy endpoint's 3 alerts")
        delivered_at = {r.webhook_id: r.at for r in healthy.received}
        stack.wait_until_settled(3, timeout_s=90)  # the dead endpoint's alerts have run out of attempts
        letters = [DeadLetter.model_validate_json(r.value) for r in consume(stack.broker.bootstrap, dead_letter(ALERTS), 3)]
        retries = consume(stack.broker.bootstrap, ALERTS_RETRY, 9, timeout_s=5)
        metrics = _metrics(stack)
    ids = set(delivered_at)
    assert len(ids) == 3
    for alert_id in ids:
        first_try = dead.attempts(alert_id)[0].at
        # the first retry to the dead endpoint comes 2 s (half the 4 s backoff) or more after its first try;
        # the healthy endpoint had the alert long before that
        assert delivered_at[alert_id] - first_try < 1.0, alert_id
        assert [r.status for r in dead.attempts(alert_id)] == [503, 503, 503]
    # none lost: every alert the dead endpoint missed is in alerts.dlq, named for it, after its last attempt
    assert sorted(_alert_of(letter).alert_id for letter in letters) == sorted(ids)
    assert {(letter.reason, letter.error) for letter in letters} == {
        ("delivery_failed", "dead: gave up after 3 attempts: HTTP 503")}
    # each alert went through alerts.retry once, keyed by the endpoint: after its 1st attempt, or with attempt 0
    # when the delivery agent queued it straight away (the endpoint had just failed); the lane made the rest in place
    queued = [DeliveryRetry.model_validate_json(r.value) for r in retries]
    assert {r.key for r in retries} == {b"dead"}
    for alert_id in ids:
        assert [q.attempt for q in queued if q.alert.alert_id == alert_id] in ([1], [0]), alert_id
    assert total(metrics, "claimwatch_webhook_deliveries_total", endpoint="healthy", outcome="delivered") == 3
    assert total(metrics, "claimwatch_webhook_deliveries_total", endpoint="dead", outcome="dead_lettered") == 3
    assert total(metrics, "claimwatch_webhook_retries_total", endpoint="dead") == len(retries)


def test_a_retry_survives_a_killed_worker(tmp_path, receivers):
    flaky = receivers(503)
    # a long first backoff: the worker is killed while the retry waits, after the alert's offset is committed
    env = {"CLAIMWATCH_ALERTER_DELIVERY_BACKOFF_S": "16", "CLAIMWATCH_ALERTER_DELIVERY_ATTEMPTS": "4",
           "CLAIMWATCH_ALERTER_DELIVERY_BACKOFF_MAX_S": "16"}
    stack = LocalStack(tmp_path / "stack", with_sink=False, extra_webhooks=[_hook("flaky", flaky)], env_overrides=env)
    with stack:
        _publish(stack, ARTICLES[0])
        [queued] = consume(stack.broker.bootstrap, ALERTS_RETRY, 1, timeout_s=60)
        alert_id = DeliveryRetry.model_validate_json(queued.value).alert.alert_id
        time.sleep(4)  # past Faust's commit interval: the restarted worker will not see the alert on `alerts` again
        stack.services["alerter"].stop(hard=True)  # kill -9 in the middle of the retry's wait
        flaky.set_script(lambda attempt: (200, {}))
        stack.start_alerter("alerter")
        stack.wait_healthy(60)
        _wait(lambda: any(r.status == 200 for r in flaky.attempts(alert_id)), 60, "the retried delivery")
    assert [r.status for r in flaky.attempts(alert_id)][0] == 503
    assert [r.status for r in flaky.attempts(alert_id)][-1] == 200


def test_an_endpoint_disabled_by_410_stays_disabled_after_a_restart(tmp_path, receivers):
    gone = receivers(410)
    stack = LocalStack(tmp_path / "stack", with_sink=False, extra_webhooks=[_hook("gone", gone)])
    with stack:
        _publish(stack, ARTICLES[0])
        stack.wait_until_settled(1, timeout_s=60)
        assert len(gone.received) == 1
        time.sleep(4)  # past Faust's commit interval: the restarted worker does not replay the first alert
        stack.services["alerter"].stop(hard=True)
        stack.start_alerter("alerter")
        stack.wait_healthy(60)
        # the new process knows without being told again: it read alerter.endpoints
        _wait(lambda: total(_metrics(stack), "claimwatch_webhook_endpoints_disabled") == 1, 30,
              "the restarted alerter to count the endpoint as disabled")
        _publish(stack, ARTICLES[1])

        def second_letter():
            letters = [DeadLetter.model_validate_json(r.value)
                       for r in consume(stack.broker.bootstrap, dead_letter(ALERTS), 1, timeout_s=2)]
            return [letter for letter in letters if _alert_of(letter).claim.article_id == "landslide"]

        [letter] = _wait(second_letter, 60, "the second alert's dead letter")
    assert letter.error == "gone: endpoint_disabled: it answered 410 Gone earlier"
    assert len(gone.received) == 1  # nothing was posted to it after the 410, before or after the restart


def _alert_of(letter: DeadLetter) -> Alert:
    return Alert.model_validate_json(base64.b64decode(letter.value_b64))
