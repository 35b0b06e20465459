"""Build dead-letter records: the reason, the error and the original bytes, so nothing is lost."""
from __future__ import annotations

import base64
from datetime import datetime, timezone

from schemas.models import DeadLetter


def dead_letter_record(*, source_topic: str, reason: str, error: str, service: str, key: bytes | None,
                       value: bytes | None, partition: int | None = None, offset: int | None = None) -> bytes:
    record = DeadLetter(
        source_topic=source_topic, reason=reason, error=error[:2000], service=service,
        key_b64=base64.b64encode(key).decode() if key else None,
        value_b64=base64.b64encode(value or b"").decode(), partition=partition, offset=offset,
        failed_at=datetime.now(timezone.utc),
    )
    return record.model_dump_json().encode()


async def send_dead_letter(topic, event, *, source_topic: str, reason: str, error: str, service: str,
                           counter) -> None:
    """Route a Faust event that could not be processed to `topic`, and count it by reason."""
    await topic.send(key=event.key, value=dead_letter_record(
        source_topic=source_topic, reason=reason, error=error, service=service, key=event.key, value=event.value,
        partition=event.message.partition, offset=event.message.offset))
    counter.labels(topic=source_topic, reason=reason).inc()


async def validated(model, event, topic, *, source_topic: str, reason: str, service: str, counter):
    """The event's value as `model`, or None after routing it to the dead-letter `topic` with the reason."""
    from pydantic import ValidationError

    try:
        return model.model_validate_json(event.value)
    except ValidationError as exc:
        await send_dead_letter(topic, event, source_topic=source_topic, reason=reason, error=str(exc),
                               service=service, counter=counter)
        return None
