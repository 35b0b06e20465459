"""Webhook delivery: one attempt per endpoint, then a retry lane per endpoint, and the shared endpoint state.

The alerter's delivery agent makes one attempt per endpoint, all endpoints at once. A retryable failure is
written to `alerts.retry` (keyed by endpoint name) and the retry lanes make the later attempts, each record
waiting for its own time, so a dead endpoint never holds up the others. An endpoint that answers 410 Gone is
disabled in `alerter.endpoints`, a compacted topic every replica reads whole.

The policy is plain functions and small classes at the top (no I/O, unit-tested); the I/O that applies it
follows: post_once, post_alert (the inline retries `claimwatch redeliver` uses), Deliverer, RetryLanes and
EndpointStates."""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import random
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Awaitable, Callable, Hashable

import aiohttp
from pydantic import ValidationError

# the records on alerts.retry and alerter.endpoints are contracts, kept with the others in schemas/
from schemas.models import Alert, DeliveryRetry, EndpointState
from schemas.topics import ALERTER_ENDPOINTS, ALERTS, ALERTS_RETRY
from services.alerter import metrics
from services.alerter.settings import AlerterSettings, WebhookEndpoint
from services.alerter.webhooks import is_retryable, retry_delay, sign, slack_payload, standard_payload
from services.common.dead_letters import dead_letter_record
from services.common.kafka_settings import KafkaSettings

log = logging.getLogger("claimwatch.alerter")

DISABLED_REASON = "endpoint_disabled: it answered 410 Gone earlier"
GONE_REASON = "HTTP 410 Gone: the receiver asked to stop"
# posts in flight at once to one endpoint from one worker's retry lanes
LANE_CONCURRENCY = 4
# retry records one worker holds while they wait; past this it stops reading alerts.retry for a while
MAX_HELD = 5000


# ---- policy (pure) ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attempt:
    """What one HTTP attempt got: a status (0 when no HTTP answer came) and, for status 0, why."""
    status: int
    error: str = ""
    retry_after: str | None = None


@dataclass(frozen=True)
class Step:
    """What to do after an attempt: delivered, disabled, retry (after delay_s) or dead_letter."""
    action: str
    reason: str = ""
    delay_s: float = 0.0


def next_step(attempt: Attempt, attempts_made: int, max_attempts: int, backoff_s: float, backoff_max_s: float,
              rng: random.Random) -> Step:
    """The step after the `attempts_made`-th attempt of one delivery to one endpoint."""
    status = attempt.status
    if 200 <= status < 300:
        return Step("delivered")
    if status == 410:
        return Step("disabled", GONE_REASON)
    if status and not is_retryable(status):
        return Step("dead_letter", f"HTTP {status}: not retried")
    reason = f"HTTP {status}" if status else attempt.error
    if attempts_made >= max(1, max_attempts):
        return Step("dead_letter", f"gave up after {attempts_made} attempts: {reason}")
    return Step("retry", reason, retry_delay(attempts_made - 1, backoff_s, backoff_max_s, attempt.retry_after, rng))


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def endpoint_state(endpoint: WebhookEndpoint, disabled: bool, reason: str, changed_by: str = "alerter",
                   now: datetime | None = None) -> EndpointState:
    return EndpointState(endpoint=endpoint.name, disabled=disabled, url_sha256=url_hash(endpoint.url),
                         reason=reason, changed_at=now or datetime.now(timezone.utc), changed_by=changed_by)


def is_disabled(states: dict[str, EndpointState], endpoint: WebhookEndpoint) -> bool:
    state = states.get(endpoint.name)
    return bool(state and state.disabled and state.url_sha256 == url_hash(endpoint.url))


def apply_state_record(states: dict[str, EndpointState], key: bytes | None, value: bytes | None) -> str | None:
    """Fold one alerter.endpoints record into `states`; the problem in one line when the record is unusable."""
    if value is None:  # a tombstone: the endpoint's state was deleted
        if key:
            states.pop(key.decode(errors="replace"), None)
        return None
    try:
        state = EndpointState.model_validate_json(value)
    except ValidationError as exc:
        return f"not an endpoint state: {exc.errors()[0]['msg']}"
    states[state.endpoint] = state
    return None


class QuantityQueue:
    """Which (endpoint, quantity) pairs have deliveries waiting in a retry lane that this worker queued.

    While one has, the next alert of that quantity to that endpoint joins the lane instead of being posted
    at once, so one quantity's alerts reach an endpoint in the order they were decided (the lane keeps that
    order). Records that another worker's lane finishes never come back here, so entries expire after
    `horizon_s`, the longest a delivery can spend in the lanes."""

    def __init__(self, horizon_s: float) -> None:
        self.horizon_s = horizon_s
        self._waiting: dict[tuple[str, str], tuple[int, float]] = {}

    def waiting(self, endpoint: str, quantity: str, now: float) -> bool:
        count, since = self._waiting.get((endpoint, quantity), (0, now))
        if count and now - since > self.horizon_s:
            del self._waiting[(endpoint, quantity)]
            return False
        return count > 0

    def queued(self, endpoint: str, quantity: str, now: float) -> None:
        count, _ = self._waiting.get((endpoint, quantity), (0, now))
        self._waiting[(endpoint, quantity)] = (count + 1, now)
        if len(self._waiting) > 10_000:  # bounded: drop what has expired
            self._waiting = {k: v for k, v in self._waiting.items() if now - v[1] <= self.horizon_s}

    def finished(self, endpoint: str, quantity: str) -> None:
        count, since = self._waiting.get((endpoint, quantity), (0, 0.0))
        if count <= 1:
            self._waiting.pop((endpoint, quantity), None)
        else:
            self._waiting[(endpoint, quantity)] = (count - 1, since)


class EndpointBreaker:
    """Endpoints whose attempts in this worker keep failing, and until when the delivery agent leaves them alone.

    While open, the agent does not post inline (a hanging endpoint would hold it for the whole timeout on
    every alert): it queues the delivery on the endpoint's retry lane at once. The hold doubles with each
    failure in a row, up to max_s; a success closes it."""

    def __init__(self, base_s: float, max_s: float) -> None:
        self.base_s, self.max_s = base_s, max_s
        self._open_until: dict[str, float] = {}
        self._failures: dict[str, int] = {}

    def allows(self, name: str, now: float) -> bool:
        return now >= self._open_until.get(name, 0.0)

    def failed(self, name: str, now: float, at_least_s: float = 0.0) -> None:
        failures = self._failures.get(name, 0) + 1
        self._failures[name] = failures
        hold = max(at_least_s, min(self.max_s, self.base_s * 2 ** min(failures - 1, 30)))
        self._open_until[name] = max(self._open_until.get(name, 0.0), now + hold)

    def succeeded(self, name: str) -> None:
        self._open_until.pop(name, None)
        self._failures.pop(name, None)


class OffsetTracker:
    """The offset a consumer may commit, per partition: that of the first record not yet finished.

    Records finish out of order (one endpoint's retry waits while another's is done, or a redelivery still
    fails after a later one succeeded); committing past an unfinished record would lose it if the worker
    stopped, so the commit stops there."""

    def __init__(self) -> None:
        self._pending: dict[Hashable, set[int]] = {}
        self._next: dict[Hashable, int] = {}

    def started(self, tp: Hashable, offset: int) -> None:
        self._pending.setdefault(tp, set()).add(offset)
        self._next[tp] = max(self._next.get(tp, 0), offset + 1)

    def finished(self, tp: Hashable, offset: int) -> None:
        self._pending.get(tp, set()).discard(offset)

    def committable(self, tp: Hashable) -> int | None:
        if tp not in self._next:
            return None
        pending = self._pending.get(tp)
        return min(pending) if pending else self._next[tp]

    def held(self, tp: Hashable | None = None) -> int:
        if tp is not None:
            return len(self._pending.get(tp, ()))
        return sum(len(p) for p in self._pending.values())

    def partitions(self) -> list[Hashable]:
        return list(self._next)

    def forget(self, tp: Hashable) -> None:
        self._pending.pop(tp, None)
        self._next.pop(tp, None)


# ---- one HTTP attempt ------------------------------------------------------------------------------------

async def post_once(session: aiohttp.ClientSession, endpoint: WebhookEndpoint, alert: Alert,
                    timeout_s: float) -> Attempt:
    """One signed POST of the alert to the endpoint. The webhook-id is the alert's notice id (its alert id,
    unless it is an amendment): the same on every retry and every replay, so receivers can de-duplicate."""
    now = datetime.now(timezone.utc)
    link = endpoint.console_url
    payload = standard_payload(alert, now, link) if endpoint.format == "standard" else slack_payload(alert, link)
    body = json.dumps(payload, separators=(",", ":"))
    headers = {"content-type": "application/json", "webhook-id": alert.notice_id,
               "webhook-timestamp": str(int(now.timestamp()))}
    secrets = [s.get_secret_value() for s in endpoint.secrets]
    if secrets:
        headers["webhook-signature"] = sign(secrets, alert.notice_id, now, body)
    try:
        async with session.post(endpoint.url, data=body.encode(), headers=headers,
                                timeout=aiohttp.ClientTimeout(total=timeout_s)) as response:
            attempt = Attempt(response.status, retry_after=response.headers.get("Retry-After"))
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
        attempt = Attempt(0, f"{type(exc).__name__}: {exc}")
    status = attempt.status
    metrics.ATTEMPTS.labels(endpoint=endpoint.name, status=f"{status // 100}xx" if status else "error").inc()
    return attempt


@dataclass(frozen=True)
class Outcome:
    result: str  # delivered, disabled (410), dead_lettered
    reason: str = ""
    attempts: int = 1


async def post_alert(session: aiohttp.ClientSession, endpoint: WebhookEndpoint, alert: Alert,
                     settings: AlerterSettings, rng: random.Random | None = None) -> Outcome:
    """Every attempt inline, with backoff: for `claimwatch redeliver`, which an operator runs and waits for."""
    rng = rng or random.Random()
    attempts = 0
    while True:
        attempts += 1
        attempt = await post_once(session, endpoint, alert, settings.delivery_timeout_s)
        step = next_step(attempt, attempts, settings.delivery_attempts, settings.delivery_backoff_s,
                         settings.delivery_backoff_max_s, rng)
        if step.action == "retry":
            await asyncio.sleep(step.delay_s)
            continue
        result = {"delivered": "delivered", "disabled": "disabled"}.get(step.action, "dead_lettered")
        return Outcome(result, step.reason, attempts)


# ---- the alerter's delivery, applying the policy ----------------------------------------------------------

Write = Callable[[bytes | None, bytes], Awaitable[None]]  # key, value: returns once the broker has the record


@dataclass(frozen=True)
class Origin:
    """Where the alert came from in `alerts`, for dead letters and the delivery latency."""
    key: bytes | None = None
    value: bytes | None = None
    partition: int | None = None
    offset: int | None = None
    outbox_at: float | None = None


class EndpointStates:
    """Which endpoints are disabled, as every replica sees it: folded from alerter.endpoints, read whole."""

    def __init__(self, endpoints: list[WebhookEndpoint], write: Write | None = None) -> None:
        self._endpoints = endpoints
        self._write = write
        self._states: dict[str, EndpointState] = {}
        self.ready = asyncio.Event()

    def is_disabled(self, endpoint: WebhookEndpoint) -> bool:
        return is_disabled(self._states, endpoint)

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        problem = apply_state_record(self._states, key, value)
        if problem:
            log.warning("ignored a record on %s: %s", ALERTER_ENDPOINTS, problem)
        self._update_gauge()

    def _update_gauge(self) -> None:
        metrics.ENDPOINTS_DISABLED.set(sum(1 for e in self._endpoints if self.is_disabled(e)))

    async def disable(self, endpoint: WebhookEndpoint, reason: str) -> None:
        state = endpoint_state(endpoint, True, reason)
        self._states[endpoint.name] = state  # at once here; other replicas when they read it
        self._update_gauge()
        if self._write is not None:
            try:
                await self._write(endpoint.name.encode(), state.model_dump_json().encode())
            except Exception as exc:  # the broker is away: this worker still stops posting to it
                log.error("could not record on %s that endpoint %s is disabled: %r", ALERTER_ENDPOINTS,
                          endpoint.name, exc)

    async def follow(self, kafka: KafkaSettings, poll_ms: int = 500) -> None:
        """Read alerter.endpoints from the beginning, for ever; `ready` once the log as it stood is read."""
        from aiokafka import AIOKafkaConsumer, TopicPartition

        consumer = AIOKafkaConsumer(group_id=None, enable_auto_commit=False, auto_offset_reset="earliest",
                                    fetch_max_wait_ms=kafka.fetch_max_wait_ms, **aiokafka_config(kafka))
        try:
            await consumer.start()
            partitions = None
            while partitions is None:
                # all topics' metadata, read from the answer itself: consumer.partitions_for_topic() knows only
                # the topics it tracks, none here (the embedded broker happened to send them all, Kafka does not)
                cluster = await consumer._client.fetch_all_metadata()
                partitions = cluster.partitions_for_topic(ALERTER_ENDPOINTS)
                if partitions is None:
                    log.error("topic %s does not exist (run `claimwatch topics`): disabled endpoints are kept in "
                              "this worker's memory only until it appears", ALERTER_ENDPOINTS)
                    self.ready.set()
                    await asyncio.sleep(30)
            tps = [TopicPartition(ALERTER_ENDPOINTS, p) for p in sorted(partitions)]
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
            ends = await consumer.end_offsets(tps)
            while True:
                if not self.ready.is_set() and all([await consumer.position(tp) >= ends[tp] for tp in tps]):
                    self.ready.set()
                batches = await consumer.getmany(timeout_ms=poll_ms)
                for records in batches.values():
                    for record in records:
                        self.apply(record.key, record.value)
        finally:
            await consumer.stop()


# Alert ids a worker remembers having handled: a re-read partition is at most a few thousand records back.
HANDLED_MEMORY = 100_000


class RecentIds:
    """The last `capacity` ids added, oldest forgotten first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, item: str) -> bool:
        return item in self._ids

    def add(self, item: str) -> None:
        self._ids[item] = None
        self._ids.move_to_end(item)
        while len(self._ids) > self.capacity:
            self._ids.popitem(last=False)


class Deliverer:
    """Applies next_step(): counts, disables, queues the next attempt on alerts.retry, or dead-letters."""

    def __init__(self, settings: AlerterSettings, states: EndpointStates, write_retry: Write,
                 write_dead_letter: Write, rng: random.Random | None = None) -> None:
        self.settings = settings
        self.states = states
        self.endpoints = {e.name: e for e in settings.webhooks}
        self.breaker = EndpointBreaker(settings.delivery_backoff_s, settings.delivery_backoff_max_s)
        self.instance = os.urandom(8).hex()
        horizon_s = settings.delivery_attempts * (settings.delivery_backoff_max_s + settings.delivery_timeout_s)
        self.waiting = QuantityQueue(max(60.0, horizon_s))
        self._write_retry = write_retry
        self.write_dead_letter = write_dead_letter
        self._rng = rng or random.Random()
        self.handled = RecentIds(HANDLED_MEMORY)

    async def first(self, session: aiohttp.ClientSession, alert: Alert, origin: Origin) -> None:
        """The delivery agent's part: one attempt per endpoint, all at once. An alert this worker already
        handed to every endpoint (delivered, queued for a retry or dead-lettered) is not handled twice."""
        if alert.notice_id in self.handled:
            metrics.ALREADY_DELIVERED.inc()
            return
        await self.states.ready.wait()
        results = await asyncio.gather(*(self._first(session, endpoint, alert, origin)
                                         for endpoint in self.settings.webhooks), return_exceptions=True)
        for result in results:  # every endpoint had its turn; then a failure to write (broker) is raised
            if isinstance(result, BaseException):
                raise result
        self.handled.add(alert.notice_id)

    async def _first(self, session: aiohttp.ClientSession, endpoint: WebhookEndpoint, alert: Alert,
                     origin: Origin) -> None:
        if self.states.is_disabled(endpoint):
            # kept, not dropped: `claimwatch redeliver` sends it once the endpoint is fixed
            await self._dead_letter(endpoint.name, alert, origin, DISABLED_REASON)
            return
        if not self.breaker.allows(endpoint.name, time.monotonic()):
            await self._queue(endpoint, alert, origin, 0, 0.0, "queued: the endpoint failed just before")
            return
        if self.waiting.waiting(endpoint.name, alert.quantity_key, time.monotonic()):
            await self._queue(endpoint, alert, origin, 0, 0.0, "queued: earlier alerts of its quantity wait")
            return
        attempt = await post_once(session, endpoint, alert, self.settings.delivery_timeout_s)
        await self._apply(endpoint, alert, origin, 1, attempt)

    async def retry(self, session: aiohttp.ClientSession, record: DeliveryRetry, lane: asyncio.Semaphore) -> None:
        """A retry lane's part: the later attempts of one queued delivery (the lane has waited for its time).

        They are made in place, each after its backoff, until one ends the delivery: the record stays
        uncommitted meanwhile, so a worker that dies leaves it to the next owner, and it keeps its place
        before the newer alerts of its quantity. `lane` is held only while posting."""
        origin = Origin(key=record.alert.quantity_key.encode(), partition=record.source_partition,
                        offset=record.source_offset, outbox_at=record.outbox_at)
        endpoint = self.endpoints.get(record.endpoint)
        if endpoint is None:
            await self._dead_letter(record.endpoint, record.alert, origin,
                                    "endpoint_unknown: it is no longer configured")
            return
        attempts_made = record.attempt
        while True:
            if self.states.is_disabled(endpoint):
                await self._dead_letter(endpoint.name, record.alert, origin, DISABLED_REASON)
                return
            async with lane:
                attempt = await post_once(session, endpoint, record.alert, self.settings.delivery_timeout_s)
            attempts_made += 1
            s = self.settings
            step = next_step(attempt, attempts_made, s.delivery_attempts, s.delivery_backoff_s,
                             s.delivery_backoff_max_s, self._rng)
            if step.action != "retry":
                await self._apply(endpoint, record.alert, origin, attempts_made, attempt, step)
                return
            self.breaker.failed(endpoint.name, time.monotonic(), at_least_s=step.delay_s)
            await asyncio.sleep(step.delay_s)

    async def _apply(self, endpoint: WebhookEndpoint, alert: Alert, origin: Origin, attempts_made: int,
                     attempt: Attempt, step: Step | None = None) -> None:
        s = self.settings
        step = step or next_step(attempt, attempts_made, s.delivery_attempts, s.delivery_backoff_s,
                                 s.delivery_backoff_max_s, self._rng)
        if step.action == "delivered":
            self.breaker.succeeded(endpoint.name)
            metrics.DELIVERIES.labels(endpoint=endpoint.name, outcome="delivered").inc()
            now = datetime.now(timezone.utc)
            if origin.outbox_at:
                # from the alert written to the outbox to the receiver's 2xx, retries included
                metrics.DELIVERY_SECONDS.labels(endpoint=endpoint.name).observe(
                    max(0.0, now.timestamp() - origin.outbox_at))
            if alert.claim.ingested_at:
                metrics.END_TO_END_SECONDS.observe(max(0.0, (now - alert.claim.ingested_at).total_seconds()))
        elif step.action == "disabled":
            await self.states.disable(endpoint, step.reason)
            metrics.DELIVERIES.labels(endpoint=endpoint.name, outcome="disabled").inc()
            log.error("webhook endpoint %s disabled: %s", endpoint.name, step.reason)
        elif step.action == "retry":
            self.breaker.failed(endpoint.name, time.monotonic(), at_least_s=step.delay_s)
            await self._queue(endpoint, alert, origin, attempts_made, step.delay_s, step.reason)
        else:
            await self._dead_letter(endpoint.name, alert, origin, step.reason)

    async def _queue(self, endpoint: WebhookEndpoint, alert: Alert, origin: Origin, attempts_made: int,
                     delay_s: float, reason: str) -> None:
        record = DeliveryRetry(endpoint=endpoint.name, attempt=attempts_made, alert=alert, last_error=reason,
                               not_before=datetime.now(timezone.utc) + timedelta(seconds=delay_s),
                               outbox_at=origin.outbox_at, source_partition=origin.partition,
                               source_offset=origin.offset, queued_by=self.instance)
        await self._write_retry(endpoint.name.encode(), record.model_dump_json().encode())
        self.waiting.queued(endpoint.name, alert.quantity_key, time.monotonic())
        metrics.RETRIES.labels(endpoint=endpoint.name).inc()

    def lane_finished(self, record: DeliveryRetry) -> None:
        """A lane is done with a record (delivered, dead-lettered, or queued again, which counted anew)."""
        if record.queued_by == self.instance:
            self.waiting.finished(record.endpoint, record.alert.quantity_key)

    async def _dead_letter(self, name: str, alert: Alert, origin: Origin, reason: str) -> None:
        value = origin.value if origin.value is not None else alert.model_dump_json().encode()
        key = origin.key if origin.key is not None else alert.quantity_key.encode()
        # "name: reason" in `error` is what `claimwatch redeliver` reads when the contract has no endpoint field
        await self.write_dead_letter(key, dead_letter_record(
            source_topic=ALERTS, reason="delivery_failed", error=f"{name}: {reason}", service="alerter",
            key=key, value=value, partition=origin.partition, offset=origin.offset, endpoint=name))
        metrics.DEAD_LETTERS.labels(topic=ALERTS, reason="delivery_failed").inc()
        metrics.DELIVERIES.labels(endpoint=name, outcome="dead_lettered").inc()


@dataclass
class RetryLanes:
    """Reads alerts.retry (its own consumer group, shared by the alerter replicas) and gives every record
    its own task: it waits for the record's time, then makes the later attempts through the endpoint's lane
    (at most LANE_CONCURRENCY posts at once per endpoint). Nothing waits for another endpoint; the records of
    one quantity for one endpoint go one after another, in the order they were queued.

    A record's offset is committed only when its delivery has ended (delivered or dead-lettered), and only
    up to the first record still waiting (OffsetTracker): a worker that dies mid-retry leaves its records to
    the next owner of the partition, which starts their attempts again. At least once: a receiver may see
    an alert id twice, never zero times."""

    deliverer: Deliverer
    settings: AlerterSettings
    commit_interval_s: float = 1.0
    tracker: OffsetTracker = field(default_factory=OffsetTracker)
    _tasks: dict = field(default_factory=dict)  # tp -> {offset: task}
    _lanes: dict = field(default_factory=dict)  # endpoint name -> semaphore
    _chains: dict = field(default_factory=dict)  # (endpoint, quantity) -> the task of its newest record
    _committed: dict = field(default_factory=dict)

    def _lane(self, name: str) -> asyncio.Semaphore:
        if name not in self._lanes:
            self._lanes[name] = asyncio.Semaphore(LANE_CONCURRENCY)
        return self._lanes[name]

    def consumer(self):
        """alerts.retry in the `<app id>-retry` group; a rebalance first releases the partitions it takes."""
        from aiokafka import AIOKafkaConsumer
        from aiokafka.abc import ConsumerRebalanceListener

        lanes = self
        kafka = self.settings.kafka

        class Listener(ConsumerRebalanceListener):
            async def on_partitions_revoked(self, revoked):
                await lanes._release(consumer, revoked)

            async def on_partitions_assigned(self, assigned):
                pass

        consumer = AIOKafkaConsumer(
            group_id=f"{self.settings.app_id}-retry", enable_auto_commit=False, auto_offset_reset="earliest",
            session_timeout_ms=int(kafka.session_timeout_s * 1000),
            heartbeat_interval_ms=int(kafka.heartbeat_interval_s * 1000),
            fetch_max_wait_ms=kafka.fetch_max_wait_ms, max_partition_fetch_bytes=kafka.max_message_bytes,
            **aiokafka_config(kafka))
        consumer.subscribe([ALERTS_RETRY], listener=Listener())
        return consumer

    async def run(self, session: aiohttp.ClientSession, consumer=None) -> None:
        consumer = consumer or self.consumer()
        try:
            await consumer.start()
            last_commit = time.monotonic()
            while True:
                if self.tracker.held() >= MAX_HELD:
                    waiting = [t for tasks in self._tasks.values() for t in tasks.values()]
                    await asyncio.wait(waiting, timeout=self.commit_interval_s, return_when=asyncio.FIRST_COMPLETED)
                else:
                    batches = await consumer.getmany(timeout_ms=int(self.commit_interval_s * 500))
                    for tp, records in batches.items():
                        for record in records:
                            self._start(session, tp, record)
                if time.monotonic() - last_commit >= self.commit_interval_s:
                    await self._commit(consumer, self.tracker.partitions())
                    last_commit = time.monotonic()
        finally:
            try:
                await self._release(consumer, list(self._tasks))
            finally:
                await consumer.stop()

    def _start(self, session: aiohttp.ClientSession, tp, record) -> None:
        self.tracker.started(tp, record.offset)
        retry, error = _parse_retry(record.value)
        chain = (retry.endpoint, retry.alert.quantity_key) if retry else None
        previous = self._chains.get(chain) if chain else None
        task = asyncio.ensure_future(self._handle(session, tp, record, retry, error, previous))
        if chain:
            # records of one quantity for one endpoint go one after another, in the order they were queued
            self._chains[chain] = task
            task.add_done_callback(lambda done, key=chain: self._chains.pop(key, None)
                                   if self._chains.get(key) is done else None)
        self._tasks.setdefault(tp, {})[record.offset] = task

    async def _handle(self, session: aiohttp.ClientSession, tp, record, retry: DeliveryRetry | None, error: str,
                      previous=None) -> None:
        if previous is not None:
            await asyncio.wait([previous])  # done, failed or cancelled: this one's turn
        pause = 1.0
        while True:
            try:
                await self._attempt(session, record.value, retry, error)
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the broker or a bug: keep the record (uncommitted) and try again
                log.error("retry lane: the record at %s partition %s offset %s failed (%r); trying again in "
                          "%.0f s", tp.topic, tp.partition, record.offset, exc, pause)
                await asyncio.sleep(pause)
                pause = min(30.0, pause * 2)
        self.tracker.finished(tp, record.offset)
        self._tasks.get(tp, {}).pop(record.offset, None)

    async def _attempt(self, session: aiohttp.ClientSession, value: bytes, retry: DeliveryRetry | None,
                       error: str) -> None:
        if retry is None:
            await self.deliverer.write_dead_letter(None, dead_letter_record(
                source_topic=ALERTS_RETRY, reason="invalid_retry", error=error, service="alerter", key=None,
                value=value))
            metrics.DEAD_LETTERS.labels(topic=ALERTS_RETRY, reason="invalid_retry").inc()
            return
        pending = metrics.RETRIES_PENDING.labels(endpoint=retry.endpoint)
        pending.inc()
        try:
            # capped: a record from a replica whose clock runs ahead must not wait for ever
            wait_s = (retry.not_before - datetime.now(timezone.utc)).total_seconds()
            await asyncio.sleep(max(0.0, min(wait_s, self.settings.delivery_backoff_max_s)))
            await self.deliverer.retry(session, retry, self._lane(retry.endpoint))
            self.deliverer.lane_finished(retry)
        finally:
            pending.dec()

    async def _release(self, consumer, tps) -> None:
        """Partitions leave this worker (rebalance or stop): stop their records, commit what is done."""
        tps = list(tps)
        stopping = [t for tp in tps for t in self._tasks.pop(tp, {}).values()]
        for task in stopping:
            task.cancel()
        if stopping:
            await asyncio.gather(*stopping, return_exceptions=True)
        await self._commit(consumer, tps)
        for tp in tps:
            self.tracker.forget(tp)
            self._committed.pop(tp, None)

    async def _commit(self, consumer, tps) -> None:
        offsets = {}
        for tp in tps:
            offset = self.tracker.committable(tp)
            if offset is not None and offset != self._committed.get(tp):
                offsets[tp] = offset
        if not offsets:
            return
        try:
            await consumer.commit(offsets)
            self._committed.update(offsets)
        except Exception as exc:  # a rebalance is under way: the next owner starts from the last commit
            log.warning("retry lane: commit failed (%r); the records are kept and tried again", exc)


def _parse_retry(value: bytes) -> tuple[DeliveryRetry | None, str]:
    """The record read once: the retry, or None and why (the lane dead-letters it)."""
    try:
        return DeliveryRetry.model_validate_json(value), ""
    except ValidationError as exc:
        return None, str(exc)


def aiokafka_config(kafka: KafkaSettings) -> dict:
    """Connection options for aiokafka clients, from the same settings as the kafka-python ones."""
    config = kafka.kafka_python_config()
    cafile = config.pop("ssl_cafile", None)
    if "SSL" in kafka.security_protocol:
        from aiokafka.helpers import create_ssl_context
        config["ssl_context"] = create_ssl_context(cafile=cafile)
    return config
