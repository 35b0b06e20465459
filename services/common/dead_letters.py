"""Build dead-letter records: the reason, the error and the original bytes, so nothing is lost."""
from __future__ import annotations

import base64
import logging
from datetime import datetime, timezone
from typing import Callable, TypeVar

from schemas.models import DeadLetter

log = logging.getLogger("claimwatch")
T = TypeVar("T")


def dead_letter_record(*, source_topic: str, reason: str, error: str, service: str, key: bytes | None,
                       value: bytes | None, partition: int | None = None, offset: int | None = None,
                       endpoint: str | None = None) -> bytes:
    fields = dict(
        source_topic=source_topic, reason=reason, error=error[:2000], service=service,
        key_b64=base64.b64encode(key).decode() if key else None,
        value_b64=base64.b64encode(value or b"").decode(), partition=partition, offset=offset,
        failed_at=datetime.now(timezone.utc),
    )
    if endpoint is not None:
        fields["endpoint"] = endpoint  # a contract without the field ignores it; `error` names it too
    return DeadLetter(**fields).model_dump_json().encode()


async def send_dead_letter(topic, event, *, source_topic: str, reason: str, error: str, service: str,
                           counter, endpoint: str | None = None) -> None:
    """Route a Faust event that could not be processed to `topic`, and count it by reason."""
    await topic.send(key=event.key, value=dead_letter_record(
        source_topic=source_topic, reason=reason, error=error, service=service, key=event.key, value=event.value,
        partition=event.message.partition, offset=event.message.offset, endpoint=endpoint))
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


async def guarded(call: Callable[[], T], event, topic, *, source_topic: str, reason: str, service: str,
                  counter) -> T | None:
    """call(), or None after routing the event to the dead-letter `topic` when it raises.

    A bug in domain code (extraction rules, decisions) must not stop the stream: the record is kept, with
    the error, and the agent goes on with the next one. `call` must not return None itself."""
    try:
        return call()
    except Exception as exc:
        # one line per record; the traceback only at debug level (the dead letter keeps the error)
        log.error("%s: %s for the record at %s partition %s offset %s: %r", service, reason, source_topic,
                  event.message.partition, event.message.offset, exc, exc_info=log.isEnabledFor(logging.DEBUG))
        await send_dead_letter(topic, event, source_topic=source_topic, reason=reason, error=repr(exc),
                               service=service, counter=counter)
        return None
