"""`claimwatch redeliver`: re-send dead-lettered alerts to the configured endpoints.

It reads alerts.dlq with its own consumer group and commits only after an alert is delivered, so a
failed redelivery stays in the queue for the next run and nothing is sent twice by design."""
from __future__ import annotations

import asyncio
import base64
import sys
import time
from dataclasses import dataclass, field

import aiohttp
from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata
from pydantic import ValidationError

from schemas.models import Alert, DeadLetter
from schemas.topics import ALERTS, dead_letter
from services.alerter.delivery import post_alert
from services.alerter.settings import AlerterSettings


@dataclass
class RedeliveryReport:
    delivered: int = 0
    failed: int = 0
    skipped: list[str] = field(default_factory=list)


def _alert_of(record_value: bytes) -> Alert | str:
    try:
        letter = DeadLetter.model_validate_json(record_value)
    except ValidationError as exc:
        return f"not a dead letter: {exc.errors()[0]['msg']}"
    if letter.source_topic != ALERTS:
        return f"from {letter.source_topic}, not {ALERTS}"
    try:
        return Alert.model_validate_json(base64.b64decode(letter.value_b64))
    except (ValidationError, ValueError) as exc:
        return f"original bytes are not an alert ({letter.reason}): {exc}"


async def _deliver(alerts: list[tuple[object, Alert]], settings: AlerterSettings, commit) -> RedeliveryReport:
    report = RedeliveryReport()
    async with aiohttp.ClientSession() as session:
        for record, alert in alerts:
            outcomes = [await post_alert(session, endpoint, alert, settings) for endpoint in settings.webhooks]
            if outcomes and all(o.result == "delivered" for o in outcomes):
                report.delivered += 1
                commit(record)
            else:
                report.failed += 1
                reasons = "; ".join(o.reason for o in outcomes if o.result != "delivered") or "no endpoint configured"
                print(f"still failing: {alert.alert_id}: {reasons}", file=sys.stderr)
    return report


def redeliver(settings: AlerterSettings, group_id: str = "claimwatch-redeliver", idle_s: float = 2.0) -> RedeliveryReport:
    if not settings.webhooks:
        raise SystemExit("no endpoints configured: set CLAIMWATCH_ALERTER_WEBHOOKS")
    topic = dead_letter(ALERTS)
    consumer = KafkaConsumer(
        topic, group_id=group_id, enable_auto_commit=False, auto_offset_reset="earliest",
        session_timeout_ms=int(settings.kafka.session_timeout_s * 1000),
        heartbeat_interval_ms=int(settings.kafka.heartbeat_interval_s * 1000),
        **settings.kafka.kafka_python_config())
    pending: list[tuple[object, Alert]] = []
    skipped: list[str] = []
    deadline = time.monotonic() + idle_s
    try:
        # drain what is there now: stop once nothing new has arrived for idle_s
        while time.monotonic() < deadline or not consumer.assignment():
            batches = consumer.poll(timeout_ms=300)
            for records in batches.values():
                for record in records:
                    alert = _alert_of(record.value)
                    if isinstance(alert, str):
                        skipped.append(f"offset {record.offset}: {alert}")
                    else:
                        pending.append((record, alert))
                deadline = time.monotonic() + idle_s

        def commit(record) -> None:
            consumer.commit({TopicPartition(record.topic, record.partition): OffsetAndMetadata(record.offset + 1,
                                                                                               "", -1)})

        report = asyncio.run(_deliver(pending, settings, commit))
        report.skipped = skipped
        return report
    finally:
        consumer.close()
