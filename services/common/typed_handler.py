"""Typed handlers: the agents' "validate -> dead-letter -> call" loop, written once, around pure functions.

A TypedHandler turns a Faust event into its pydantic model and runs a plain function on it; what fails on
the way (a record that is not the model, a function that raises) goes to the service's dead-letter topic
with its reason, is counted there, and `on_dead_letter` is called so the agent's own outcome metric counts
it too. The agent is left with the results and what it does with them (table writes, sends)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Generic, Sequence, TypeVar

from pydantic import BaseModel

from services.common.dead_letters import guarded, validated

log = logging.getLogger("claimwatch")
M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


@dataclass(frozen=True)
class DeadLetters:
    """Where a service's failed records of one source topic go, and the counter that counts them by reason."""
    topic: Any  # a Faust topic (or anything with an async send(key=, value=))
    source_topic: str
    service: str
    counter: Any


@dataclass(frozen=True)
class TypedHandler(Generic[M, R]):
    model: type[M]
    dead_letters: DeadLetters
    invalid_reason: str  # the dead-letter reason of a record that is not a `model`
    handle: Callable[[M], R] | None = None  # pure: no sends, no table writes; must not return None
    failed_reason: str | None = None  # the dead-letter reason of a record whose `handle` raised
    on_dead_letter: Callable[[], None] = lambda: None  # the agent's own count of records it gave up
    batch_failed: str = "%s: a batch of %d failed (%r); handling its records one by one"  # service, n, error

    def _route(self) -> dict:
        d = self.dead_letters
        return dict(source_topic=d.source_topic, service=d.service, counter=d.counter)

    async def parse(self, event) -> M | None:
        """The event's value as the model, or None after dead-lettering it with `invalid_reason`."""
        value = await validated(self.model, event, self.dead_letters.topic, reason=self.invalid_reason,
                                **self._route())
        if value is None:
            self.on_dead_letter()
        return value

    async def run(self, event, call: Callable[[], R]) -> R | None:
        """call(), or None after dead-lettering the event with `failed_reason`."""
        result = await guarded(call, event, self.dead_letters.topic, reason=self.failed_reason, **self._route())
        if result is None:
            self.on_dead_letter()
        return result

    async def __call__(self, event) -> R | None:
        """handle(the event's model), or None when the event was dead-lettered."""
        value = await self.parse(event)
        if value is None:
            return None
        return await self.run(event, lambda: self.handle(value))

    async def parse_all(self, events: Sequence) -> list[tuple[Any, M]]:
        """The events that are models, each with its model, in order; the others are dead-lettered."""
        parsed = []
        for event in events:
            value = await self.parse(event)
            if value is not None:
                parsed.append((event, value))
        return parsed

    async def run_batch(self, parsed: list[tuple[Any, M]], handle_all: Callable[[list[M]], Awaitable[list[R]]]
                        ) -> list[tuple[Any, R]]:
        """The events whose records were handled, each with its result, in order: handle_all() over all of
        them at once; when it raises, handle() one by one, so only a failing record goes to the dead letters."""
        try:
            results = await handle_all([value for _, value in parsed])
            return [(event, result) for (event, _), result in zip(parsed, results, strict=True)]
        except Exception as exc:
            log.warning(self.batch_failed, self.dead_letters.service, len(parsed), exc)
        done = []
        for event, value in parsed:
            result = await self.run(event, lambda v=value: self.handle(v))
            if result is not None:
                done.append((event, result))
        return done
