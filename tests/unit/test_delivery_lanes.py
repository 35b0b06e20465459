"""Delivery policy without I/O: the step after an attempt, the retry lanes' commits, the breaker, the shared
endpoint state, and which endpoint a dead letter names. Deliverer and RetryLanes run here with a fake HTTP
attempt and fake topics, so the ordering is checked without a broker."""
from __future__ import annotations

import asyncio
import base64
import json
import random
import time
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from schemas.models import Alert, AlertKind, DeadLetter, Severity
from services.alerter import delivery, metrics
from services.alerter.delivery import (DISABLED_REASON, Attempt, Deliverer, DeliveryRetry, EndpointBreaker,
                                       EndpointStates, OffsetTracker, Origin, RetryLanes, apply_state_record,
                                       endpoint_state, is_disabled, next_step)
from services.alerter.redeliver import endpoint_of, letter_of
from services.alerter.settings import AlerterSettings, WebhookEndpoint
from services.common.dead_letters import dead_letter_record
from tests.helpers import make_claim

SECRET = "whsec_" + base64.b64encode(b"unit-test-secret-of-24-b").decode()


def _endpoint(name: str, url: str | None = None) -> WebhookEndpoint:
    return WebhookEndpoint(name=name, url=url or f"http://127.0.0.1:9/{name}", secrets=[SECRET])


def _alert(n: int) -> Alert:
    claim = make_claim(n, key=f"place{n}.killed.flood")
    return Alert(alert_id=f"alert-{n}", kind=AlertKind.new, severity=Severity.info, quantity_key=claim.quantity_key,
                 summary=f"New figure: {n} killed", claim=claim)


# ---- next_step ------------------------------------------------------------------------------------------

def _step(status, made=1, of=4, error="", retry_after=None):
    return next_step(Attempt(status, error, retry_after), made, of, 1.0, 30.0, random.Random(7))


def test_the_step_after_each_kind_of_answer():
    assert _step(204).action == "delivered"
    assert (_step(410).action, _step(410).reason) == ("disabled", "HTTP 410 Gone: the receiver asked to stop")
    assert (_step(400).action, _step(400).reason) == ("dead_letter", "HTTP 400: not retried")
    retry = _step(503, made=2)
    assert retry.action == "retry" and retry.reason == "HTTP 503"
    assert 1.0 <= retry.delay_s <= 2.0  # second attempt failed: base * 2, with jitter in [half, whole]
    assert _step(0, error="ClientConnectorError: refused").reason == "ClientConnectorError: refused"
    assert _step(429, retry_after="9").delay_s == 9.0


def test_the_last_attempt_dead_letters_with_the_count():
    last = _step(503, made=4, of=4)
    assert (last.action, last.reason) == ("dead_letter", "gave up after 4 attempts: HTTP 503")
    assert _step(503, made=3, of=4).action == "retry"


# ---- OffsetTracker --------------------------------------------------------------------------------------

def test_commits_stop_at_the_first_record_not_finished():
    tracker = OffsetTracker()
    for offset in (10, 11, 12):
        tracker.started("p0", offset)
    tracker.started("p1", 4)
    tracker.finished("p0", 11)
    tracker.finished("p0", 12)
    assert tracker.committable("p0") == 10  # 10 still waits: 11 and 12 must not be committed past it
    tracker.finished("p1", 4)
    assert tracker.committable("p1") == 5  # partitions are independent
    tracker.finished("p0", 10)
    assert tracker.committable("p0") == 13
    assert tracker.committable("p9") is None and tracker.held() == 0
    tracker.forget("p0")
    assert tracker.partitions() == ["p1"]


# ---- EndpointBreaker ------------------------------------------------------------------------------------

def test_the_breaker_holds_longer_with_each_failure_and_a_success_closes_it():
    breaker = EndpointBreaker(base_s=1.0, max_s=5.0)
    assert breaker.allows("a", 100.0)
    breaker.failed("a", 100.0)
    assert not breaker.allows("a", 100.5) and breaker.allows("a", 101.0) and breaker.allows("b", 100.5)
    breaker.failed("a", 101.0)
    assert not breaker.allows("a", 102.5) and breaker.allows("a", 103.0)  # held 2 s after the second
    for _ in range(10):
        breaker.failed("a", 200.0)
    assert breaker.allows("a", 205.0)  # never more than max_s
    breaker.failed("a", 300.0, at_least_s=40.0)  # a Retry-After longer than the hold wins
    assert not breaker.allows("a", 339.0)
    breaker.succeeded("a")
    assert breaker.allows("a", 300.0)


# ---- endpoint state -------------------------------------------------------------------------------------

def test_a_disabled_state_applies_to_the_url_that_answered_410_only():
    gone = _endpoint("gone")
    states: dict = {}
    disabled = endpoint_state(gone, True, "HTTP 410 Gone")
    assert apply_state_record(states, b"gone", disabled.model_dump_json().encode()) is None
    assert is_disabled(states, gone)
    assert not is_disabled(states, _endpoint("gone", "http://127.0.0.1:9/moved"))  # re-pointed: enabled
    assert not is_disabled(states, _endpoint("other"))
    assert gone.url not in disabled.model_dump_json()  # the URL (it may hold a token) is only hashed
    apply_state_record(states, b"gone", endpoint_state(gone, False, "redelivered").model_dump_json().encode())
    assert not is_disabled(states, gone)
    apply_state_record(states, b"gone", disabled.model_dump_json().encode())
    apply_state_record(states, b"gone", None)  # a tombstone deletes the state
    assert not is_disabled(states, gone)
    assert apply_state_record(states, b"x", b"{broken").startswith("not an endpoint state: ")


# ---- which endpoint a dead letter names -----------------------------------------------------------------

def test_the_endpoint_is_read_from_the_field_or_else_from_the_error_text():
    names = ["ops", "ops: night shift", "press"]
    assert endpoint_of(SimpleNamespace(endpoint="press", error="ops: HTTP 500"), names) == "press"
    assert endpoint_of(SimpleNamespace(error="ops: night shift: HTTP 503"), names) == "ops: night shift"
    assert endpoint_of(SimpleNamespace(error="ops: endpoint_disabled: it answered 410 Gone earlier"), names) == "ops"
    assert endpoint_of(SimpleNamespace(error="newsroom: HTTP 500"), names) is None
    assert endpoint_of(SimpleNamespace(error="opsroom: HTTP 500"), names) is None


def test_a_delivery_dead_letter_reads_back_as_its_alert_and_endpoint():
    alert = _alert(3)
    value = dead_letter_record(source_topic="alerts", reason="delivery_failed", error="press: HTTP 400: not retried",
                               service="alerter", key=b"k", value=alert.model_dump_json().encode(), endpoint="press")
    letter = letter_of(value, ["ops", "press"])
    assert letter.alert == alert and letter.endpoint == "press"
    claims_letter = dead_letter_record(source_topic="claims", reason="decision_failed", error="boom",
                                       service="alerter", key=None, value=b"{}")
    assert letter_of(claims_letter, ["press"]) == "from claims, not alerts"
    DeadLetter.model_validate_json(value)  # still a valid DeadLetter, with or without an endpoint field


# ---- Deliverer and RetryLanes with a fake attempt -------------------------------------------------------

class FakeHttp:
    """post_once's stand-in: answers per endpoint name, records when each post was made."""

    def __init__(self, answers: dict[str, list[int]], hang_s: dict[str, float] | None = None):
        self.answers = answers
        self.hang_s = hang_s or {}
        self.posts: list[tuple[str, str, float]] = []

    async def __call__(self, session, endpoint, alert, timeout_s):
        self.posts.append((endpoint.name, alert.alert_id, time.monotonic()))
        await asyncio.sleep(self.hang_s.get(endpoint.name, 0.0))
        queue = self.answers[endpoint.name]
        return Attempt(queue.pop(0) if len(queue) > 1 else queue[0])


class Sink:
    def __init__(self):
        self.records: list[tuple[bytes | None, bytes]] = []

    async def __call__(self, key, value):
        self.records.append((key, value))


def _deliverer(*names, attempts=3, backoff_s=0.2):
    settings = AlerterSettings(webhooks=[_endpoint(n) for n in names],
                               delivery_attempts=attempts, delivery_backoff_s=backoff_s, delivery_backoff_max_s=2.0)
    states = EndpointStates(settings.webhooks, Sink())
    states.ready.set()
    retries, letters = Sink(), Sink()
    return Deliverer(settings, states, retries, letters, random.Random(3)), retries, letters, states


def test_a_failing_endpoint_is_queued_on_its_lane_while_the_healthy_one_is_delivered(monkeypatch):
    http = FakeHttp({"down": [503], "up": [200]}, hang_s={"down": 0.3})
    monkeypatch.setattr(delivery, "post_once", http)
    deliverer, retries, letters, _ = _deliverer("down", "up")

    async def scenario():
        for n in (1, 2, 3):
            await deliverer.first(None, _alert(n), Origin(partition=0, offset=n, outbox_at=time.time()))

    asyncio.run(scenario())
    assert [(n, a) for n, a, _ in http.posts if n == "up"] == [("up", "alert-1"), ("up", "alert-2"), ("up", "alert-3")]
    # the hanging endpoint was posted to once; the breaker sent the next alerts straight to its lane
    assert [a for n, a, _ in http.posts if n == "down"] == ["alert-1"]
    queued = [DeliveryRetry.model_validate_json(value) for _, value in retries.records]
    assert [key for key, _ in retries.records] == [b"down"] * 3
    assert [(r.alert.alert_id, r.attempt) for r in queued] == [("alert-1", 1), ("alert-2", 0), ("alert-3", 0)]
    assert queued[0].not_before > datetime.now(timezone.utc) - timedelta(seconds=1) and queued[0].last_error == "HTTP 503"
    assert letters.records == []


def test_a_disabled_endpoint_is_dead_lettered_without_a_post(monkeypatch):
    http = FakeHttp({"gone": [410], "up": [200]})
    monkeypatch.setattr(delivery, "post_once", http)
    deliverer, retries, letters, states = _deliverer("gone", "up")

    async def scenario():
        await deliverer.first(None, _alert(1), Origin(partition=0, offset=1))
        await deliverer.first(None, _alert(2), Origin(partition=0, offset=2))

    asyncio.run(scenario())
    assert [(n, a) for n, a, _ in http.posts] == [("gone", "alert-1"), ("up", "alert-1"), ("up", "alert-2")]
    assert states.is_disabled(deliverer.endpoints["gone"])
    [(_, written)] = states._write.records  # the shared state was written for the other replicas
    assert json.loads(written)["endpoint"] == "gone" and json.loads(written)["disabled"] is True
    [(_, letter_value)] = letters.records
    letter = DeadLetter.model_validate_json(letter_value)
    assert letter.error == f"gone: {DISABLED_REASON}" and letter.offset == 2
    assert retries.records == []


class FakeConsumer:
    """alerts.retry as aiokafka would hand it over: one batch, then nothing."""

    def __init__(self, records):
        self.batches = [{"tp0": records}]
        self.commits: list[dict] = []

    async def start(self):
        pass

    async def stop(self):
        pass

    async def getmany(self, timeout_ms):
        if self.batches:
            return self.batches.pop(0)
        await asyncio.sleep(timeout_ms / 1000)
        return {}

    async def commit(self, offsets):
        self.commits.append(dict(offsets))


def _run_lanes(lanes: RetryLanes, consumer, seconds: float) -> None:
    """Run the lanes over the fake consumer for `seconds`, then stop them as a worker would."""
    async def scenario():
        task = asyncio.ensure_future(lanes.run(None, consumer))
        await asyncio.sleep(seconds)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(scenario())


def _retry_record(offset, endpoint, alert, wait_s, attempt=1):
    record = DeliveryRetry(endpoint=endpoint, attempt=attempt, alert=alert, last_error="HTTP 503",
                           not_before=datetime.now(timezone.utc) + timedelta(seconds=wait_s))
    return SimpleNamespace(offset=offset, value=record.model_dump_json().encode())


def test_a_lane_never_waits_for_another_endpoint_and_commits_only_what_is_done(monkeypatch):
    http = FakeHttp({"slow": [200], "quick": [200]})
    monkeypatch.setattr(delivery, "post_once", http)
    deliverer, retries, letters, _ = _deliverer("slow", "quick", attempts=5)
    # in one partition: the slow endpoint's record first, due in 1.2 s; the quick one's is due now
    consumer = FakeConsumer([_retry_record(0, "slow", _alert(1), 1.2), _retry_record(1, "quick", _alert(2), 0),
                             SimpleNamespace(offset=2, value=b"not a retry record")])
    lanes = RetryLanes(deliverer, deliverer.settings, commit_interval_s=0.2)
    before = metrics.DEAD_LETTERS.labels(topic="alerts.retry", reason="invalid_retry")._value.get()

    async def scenario():
        started = time.monotonic()
        task = asyncio.ensure_future(lanes.run(None, consumer))
        await asyncio.sleep(0.8)
        during = list(consumer.commits)
        await asyncio.sleep(1.2)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return started, during

    started, during = asyncio.run(scenario())
    posted = {name: at - started for name, _, at in http.posts}
    assert posted["quick"] < 0.5 and posted["slow"] >= 1.1
    # while the slow record waited, nothing at or past it was committed
    assert during and all(c["tp0"] == 0 for c in during)
    assert consumer.commits[-1] == {"tp0": 3}
    [(_, invalid)] = letters.records
    assert DeadLetter.model_validate_json(invalid).reason == "invalid_retry"
    assert metrics.DEAD_LETTERS.labels(topic="alerts.retry", reason="invalid_retry")._value.get() == before + 1


def test_a_lane_retries_in_place_and_dead_letters_after_the_last_attempt(monkeypatch):
    http = FakeHttp({"down": [503]})
    monkeypatch.setattr(delivery, "post_once", http)
    deliverer, retries, letters, _ = _deliverer("down", attempts=3)
    consumer = FakeConsumer([_retry_record(0, "down", _alert(1), 0, attempt=1),
                             _retry_record(1, "down", _alert(2), 0, attempt=2)])
    lanes = RetryLanes(deliverer, deliverer.settings, commit_interval_s=0.1)

    _run_lanes(lanes, consumer, 1.5)
    # alert 1 had made 1 of 3 attempts: the lane made the other 2 itself; alert 2 its last one
    assert [a for _, a, _ in http.posts].count("alert-1") == 2 and [a for _, a, _ in http.posts].count("alert-2") == 1
    assert retries.records == []  # no new record: the queued one kept its place until the delivery ended
    dead = [DeadLetter.model_validate_json(letter) for _, letter in letters.records]
    assert sorted(d.error for d in dead) == ["down: gave up after 3 attempts: HTTP 503"] * 2
    assert sorted(Alert.model_validate_json(base64.b64decode(d.value_b64)).alert_id for d in dead) == ["alert-1",
                                                                                                        "alert-2"]
    assert consumer.commits[-1] == {"tp0": 2}


def test_a_record_for_an_endpoint_no_longer_configured_is_dead_lettered(monkeypatch):
    missing = "gone-away"
    http = FakeHttp({"up": [200]})
    monkeypatch.setattr(delivery, "post_once", http)
    deliverer, _, letters, _ = _deliverer("up")
    record = DeliveryRetry(endpoint=missing, attempt=1, alert=_alert(1), not_before=datetime.now(timezone.utc))
    asyncio.run(deliverer.retry(None, record, asyncio.Semaphore(1)))
    [(_, letter)] = letters.records
    assert DeadLetter.model_validate_json(letter).error == f"{missing}: endpoint_unknown: it is no longer configured"
    assert http.posts == []


# ---- one quantity's alerts reach an endpoint in decision order --------------------------------------------

def _alert_of(quantity: str, n: int) -> Alert:
    claim = make_claim(n, key=quantity)
    return Alert(alert_id=f"alert-{quantity}-{n}", kind=AlertKind.update, severity=Severity.warning,
                 quantity_key=quantity, summary=f"Update: {n}", claim=claim)


def test_a_lane_keeps_one_quantitys_order_and_holds_up_no_other_quantity(monkeypatch):
    http = FakeHttp({"hook": [200]})
    monkeypatch.setattr(delivery, "post_once", http)
    deliverer, _, _, _ = _deliverer("hook", attempts=5)
    first, second = _alert_of("lake.flooded.homes", 1), _alert_of("lake.flooded.homes", 2)
    other = _alert_of("valley.killed.storm", 3)
    # the quantity's earlier alert waits longer (a later attempt) than its newer one
    consumer = FakeConsumer([_retry_record(0, "hook", first, 0.6, attempt=3), _retry_record(1, "hook", second, 0),
                             _retry_record(2, "hook", other, 0)])
    lanes = RetryLanes(deliverer, deliverer.settings, commit_interval_s=0.1)

    _run_lanes(lanes, consumer, 1.2)
    order = [alert_id for _, alert_id, _ in http.posts]
    assert order.index(first.alert_id) < order.index(second.alert_id)
    assert order[0] == other.alert_id  # another quantity did not wait
    assert consumer.commits[-1] == {"tp0": 3}


def test_while_a_quantity_waits_in_a_lane_its_next_alert_joins_it(monkeypatch):
    http = FakeHttp({"hook": [503, 200, 200]})
    monkeypatch.setattr(delivery, "post_once", http)
    deliverer, retries, _, _ = _deliverer("hook", attempts=5)
    quantity = "lake.flooded.homes"

    async def scenario():
        await deliverer.first(None, _alert_of(quantity, 1), Origin(partition=0, offset=1))
        deliverer.breaker.succeeded("hook")  # the endpoint answers again
        await deliverer.first(None, _alert_of(quantity, 2), Origin(partition=0, offset=2))
        await deliverer.first(None, _alert_of("valley.killed.storm", 3), Origin(partition=0, offset=3))

    asyncio.run(scenario())
    queued = [DeliveryRetry.model_validate_json(value) for _, value in retries.records]
    assert [(r.alert.alert_id, r.attempt) for r in queued] == [(f"alert-{quantity}-1", 1), (f"alert-{quantity}-2", 0)]
    # only the first alert and the other quantity's were posted at once
    assert [a for _, a, _ in http.posts] == [f"alert-{quantity}-1", "alert-valley.killed.storm-3"]
    # once the lane is done with this worker's records, the quantity is posted at once again
    for record in queued:
        deliverer.lane_finished(record)
    assert not deliverer.waiting.waiting("hook", quantity, time.monotonic())


def test_a_quantity_queue_entry_expires_when_another_worker_finished_it():
    from services.alerter.delivery import QuantityQueue
    queue = QuantityQueue(horizon_s=10.0)
    queue.queued("hook", "q", now=100.0)
    assert queue.waiting("hook", "q", now=105.0)
    assert not queue.waiting("hook", "q", now=111.0)
    assert not queue.waiting("hook", "other", now=105.0)


def test_a_failed_attempt_keeps_its_place_before_the_quantitys_newer_alert(monkeypatch):
    http = FakeHttp({"hook": [503, 200, 200]})  # the first post fails, the receiver is back after it
    monkeypatch.setattr(delivery, "post_once", http)
    deliverer, retries, _, _ = _deliverer("hook", attempts=5)
    older, newer = _alert_of("lake.flooded.homes", 1), _alert_of("lake.flooded.homes", 2)
    consumer = FakeConsumer([_retry_record(0, "hook", older, 0, attempt=1), _retry_record(1, "hook", newer, 0)])
    lanes = RetryLanes(deliverer, deliverer.settings, commit_interval_s=0.1)

    _run_lanes(lanes, consumer, 1.2)
    assert [a for _, a, _ in http.posts] == [older.alert_id, older.alert_id, newer.alert_id]
    assert retries.records == [] and consumer.commits[-1] == {"tp0": 2}


def test_an_alert_read_again_by_the_worker_that_handled_it_is_not_sent_twice(monkeypatch):
    """A partition read again from a skipped record brings its later alerts back: one webhook each."""
    from services.alerter import metrics
    http = FakeHttp({"up": [200]})
    monkeypatch.setattr(delivery, "post_once", http)
    deliverer, _, _, _ = _deliverer("up")
    skipped = metrics.ALREADY_DELIVERED._value.get()

    async def scenario():
        for n in (1, 2, 1, 2, 3):
            await deliverer.first(None, _alert(n), Origin(partition=0, offset=n, outbox_at=time.time()))

    asyncio.run(scenario())
    assert [a for _, a, _ in http.posts] == ["alert-1", "alert-2", "alert-3"]
    assert metrics.ALREADY_DELIVERED._value.get() == skipped + 2


def test_the_memory_of_handled_alerts_is_bounded():
    recent = delivery.RecentIds(3)
    for n in range(5):
        recent.add(f"a{n}")
    assert "a0" not in recent and "a1" not in recent and all(f"a{n}" in recent for n in (2, 3, 4))
