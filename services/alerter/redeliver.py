"""`claimwatch redeliver`: re-send dead-lettered alerts to the endpoint each one failed at.

It reads alerts.dlq with its own consumer group. Each dead letter names its endpoint (the `endpoint` field
where the contract has it, else the "name: reason" the alerter writes in `error`), and only that endpoint
is posted to. Offsets are committed per partition up to the first letter still failing, so a failure
stays in the queue for the next run even when later letters were delivered."""
from __future__ import annotations

import asyncio
import base64
import sys
import time
from dataclasses import dataclass, field

import aiohttp
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata
from pydantic import ValidationError

from schemas.models import Alert, DeadLetter
from schemas.topics import ALERTER_ENDPOINTS, ALERTS, dead_letter
from services.alerter.delivery import (EndpointState, OffsetTracker, apply_state_record, endpoint_state, is_disabled,
                                       post_alert)
from services.alerter.settings import AlerterSettings, WebhookEndpoint
from services.common.kafka_settings import KafkaSettings


@dataclass
class RedeliveryReport:
    delivered: int = 0
    failed: int = 0
    skipped: list[str] = field(default_factory=list)
    enabled: list[str] = field(default_factory=list)  # disabled endpoints that took a redelivery


@dataclass(frozen=True)
class Letter:
    alert: Alert
    endpoint: str | None  # None: the letter names no endpoint that is configured


def endpoint_of(letter: DeadLetter, names: list[str]) -> str | None:
    """The endpoint a delivery dead letter failed at: its `endpoint` field, else the name before ": " in
    `error` (the longest configured name that prefixes it, since names may hold ": " themselves)."""
    named = getattr(letter, "endpoint", None)
    if named:
        return named
    matches = [name for name in names if letter.error.startswith(f"{name}: ")]
    return max(matches, key=len) if matches else None


def letter_of(record_value: bytes, names: list[str]) -> Letter | str:
    """The alert and its endpoint, or why the record can never be redelivered."""
    try:
        letter = DeadLetter.model_validate_json(record_value)
    except ValidationError as exc:
        return f"not a dead letter: {exc.errors()[0]['msg']}"
    if letter.source_topic != ALERTS:
        return f"from {letter.source_topic}, not {ALERTS}"
    try:
        alert = Alert.model_validate_json(base64.b64decode(letter.value_b64))
    except (ValidationError, ValueError) as exc:
        return f"original bytes are not an alert ({letter.reason}): {exc}"
    return Letter(alert, endpoint_of(letter, names))


async def _deliver(pending: list[tuple[object, Letter]], settings: AlerterSettings, done,
                   states: dict[str, EndpointState]) -> RedeliveryReport:
    report = RedeliveryReport()
    endpoints = {e.name: e for e in settings.webhooks}
    async with aiohttp.ClientSession() as session:
        for record, letter in pending:
            endpoint = endpoints.get(letter.endpoint) if letter.endpoint else None
            if endpoint is None:
                report.failed += 1
                why = (f"endpoint {letter.endpoint!r} is not configured" if letter.endpoint
                       else "the dead letter names no configured endpoint")
                print(f"still failing: {letter.alert.alert_id}: {why}", file=sys.stderr)
                continue
            outcome = await post_alert(session, endpoint, letter.alert, settings)
            if outcome.result == "delivered":
                report.delivered += 1
                done(record)
                if is_disabled(states, endpoint) and endpoint.name not in report.enabled:
                    report.enabled.append(endpoint.name)
            else:
                report.failed += 1
                print(f"still failing: {letter.alert.alert_id}: {endpoint.name}: {outcome.reason}", file=sys.stderr)
    return report


def redeliver(settings: AlerterSettings, group_id: str = "claimwatch-redeliver", idle_s: float = 2.0) -> RedeliveryReport:
    if not settings.webhooks:
        raise SystemExit("no endpoints configured: set CLAIMWATCH_ALERTER_WEBHOOKS")
    names = [e.name for e in settings.webhooks]
    consumer = KafkaConsumer(
        dead_letter(ALERTS), group_id=group_id, enable_auto_commit=False, auto_offset_reset="earliest",
        session_timeout_ms=int(settings.kafka.session_timeout_s * 1000),
        heartbeat_interval_ms=int(settings.kafka.heartbeat_interval_s * 1000),
        # the deliveries (with their backoff) run between the polls: stay in the group meanwhile
        max_poll_interval_ms=3_600_000,
        **settings.kafka.kafka_python_config())
    tracker = OffsetTracker()
    pending: list[tuple[object, Letter]] = []
    skipped: list[str] = []
    committed: dict[TopicPartition, int] = {}

    def commit(tps) -> None:
        offsets = {}
        for tp in tps:
            offset = tracker.committable(tp)
            if offset is not None and offset != committed.get(tp):
                offsets[tp] = OffsetAndMetadata(offset, "", -1)
        if offsets:
            consumer.commit(offsets)
            committed.update({tp: meta.offset for tp, meta in offsets.items()})

    deadline = time.monotonic() + idle_s
    try:
        # drain what is there now: stop once nothing new has arrived for idle_s
        while time.monotonic() < deadline or not consumer.assignment():
            unassigned = not consumer.assignment()
            batches = consumer.poll(timeout_ms=300)
            if unassigned and consumer.assignment():  # idle counts from the join (slower on Kafka than Tansu)
                deadline = time.monotonic() + idle_s
            for tp, records in batches.items():
                for record in records:
                    tracker.started(tp, record.offset)
                    letter = letter_of(record.value, names)
                    if isinstance(letter, str):
                        # can never be sent: reported, and not held against the letters after it
                        skipped.append(f"offset {record.offset}: {letter}")
                        tracker.finished(tp, record.offset)
                    else:
                        pending.append((record, letter))
                deadline = time.monotonic() + idle_s

        def done(record) -> None:
            tp = TopicPartition(record.topic, record.partition)
            tracker.finished(tp, record.offset)
            commit([tp])

        states = read_endpoint_states(settings.kafka)
        report = asyncio.run(_deliver(pending, settings, done, states))
        commit(tracker.partitions())
        report.skipped = skipped
        for name in report.enabled:
            endpoint = next(e for e in settings.webhooks if e.name == name)
            write_endpoint_state(settings.kafka, endpoint, disabled=False,
                                 reason="claimwatch redeliver: the endpoint accepted a redelivery")
            print(f"endpoint {name} is enabled again: it accepted a redelivery after HTTP 410", file=sys.stderr)
        return report
    finally:
        consumer.close()


def read_endpoint_states(kafka: KafkaSettings, timeout_s: float = 10.0) -> dict[str, EndpointState]:
    """alerter.endpoints, read whole, folded to the latest state per endpoint."""
    consumer = KafkaConsumer(enable_auto_commit=False, **kafka.kafka_python_config())
    try:
        partitions = consumer.partitions_for_topic(ALERTER_ENDPOINTS)
        if not partitions:
            return {}
        tps = [TopicPartition(ALERTER_ENDPOINTS, p) for p in sorted(partitions)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        ends = consumer.end_offsets(tps)
        states: dict[str, EndpointState] = {}
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and any(consumer.position(tp) < ends[tp] for tp in tps):
            for records in consumer.poll(timeout_ms=300).values():
                for record in records:
                    apply_state_record(states, record.key, record.value)
        return states
    finally:
        consumer.close()


def write_endpoint_state(kafka: KafkaSettings, endpoint: WebhookEndpoint, disabled: bool, reason: str) -> None:
    producer = KafkaProducer(acks="all", **kafka.kafka_python_config())
    try:
        state = endpoint_state(endpoint, disabled, reason, changed_by="claimwatch redeliver")
        producer.send(ALERTER_ENDPOINTS, key=endpoint.name.encode(), value=state.model_dump_json().encode()).get(30)
    finally:
        producer.close()
