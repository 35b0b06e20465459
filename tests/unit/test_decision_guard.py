"""A claim whose decision raises goes to claims.dlq with the reason, the error and its original bytes, is
counted, and the alerter goes on deciding the next claims (the real agent, in Faust's test context)."""
from __future__ import annotations

import asyncio
import base64
import os
from types import SimpleNamespace

from schemas.models import DeadLetter
from tests.helpers import make_claim


class FakeTopic:
    def __init__(self):
        self.sent: list[dict] = []

    async def send(self, **record):
        """Like a Faust topic: the record is queued, and the returned future says when the broker has it."""
        self.sent.append(record)
        ack = asyncio.get_running_loop().create_future()
        ack.set_result(None)
        return ack


class FakeCounter:
    def __init__(self):
        self.counts: dict[tuple, int] = {}

    def labels(self, **labels):
        key = tuple(sorted(labels.items()))
        return SimpleNamespace(inc=lambda: self.counts.__setitem__(key, self.counts.get(key, 0) + 1))


def _event(value: bytes, key: bytes = b"k", partition: int = 1, offset: int = 41):
    return SimpleNamespace(key=key, value=value, message=SimpleNamespace(partition=partition, offset=offset))


def test_guarded_returns_the_result_or_dead_letters_the_record():
    from services.common.dead_letters import guarded

    topic, counter = FakeTopic(), FakeCounter()
    kwargs = dict(source_topic="claims", reason="decision_failed", service="alerter", counter=counter)
    assert asyncio.run(guarded(lambda: ("decided",), _event(b"{}"), topic, **kwargs)) == ("decided",)
    assert topic.sent == [] and counter.counts == {}

    def broken():
        raise ZeroDivisionError("a rule divided by zero")

    assert asyncio.run(guarded(broken, _event(b'{"original": true}'), topic, **kwargs)) is None
    [record] = topic.sent
    letter = DeadLetter.model_validate_json(record["value"])
    assert record["key"] == b"k"
    assert (letter.source_topic, letter.reason, letter.service) == ("claims", "decision_failed", "alerter")
    assert letter.error == "ZeroDivisionError('a rule divided by zero')"
    assert base64.b64decode(letter.value_b64) == b'{"original": true}'
    assert (letter.partition, letter.offset) == (1, 41)
    assert counter.counts == {(("reason", "decision_failed"), ("topic", "claims")): 1}


def test_the_alerter_dead_letters_a_failing_decision_and_keeps_deciding(monkeypatch, tmp_path):
    from services.alerter import app as module
    from services.alerter.settings import AlerterSettings

    # no endpoint, a throwaway token for the web views
    alerter = module.create_app(AlerterSettings(data_dir=str(tmp_path), api_token=os.urandom(16).hex(), webhooks=[]))
    dead_letters, alerts = FakeTopic(), FakeTopic()
    monkeypatch.setattr(alerter.claims_dead_letters, "send", dead_letters.send)
    monkeypatch.setattr(alerter.alerts_topic, "send", alerts.send)
    real_decide = module.decide
    poison = make_claim(77, key="guard.killed.poison", claim_id="poison-claim")

    def decide(state, claim, policy):
        if claim.claim_id == poison.claim_id:
            raise KeyError("a rule looked up a source it never stored")
        return real_decide(state, claim, policy)

    monkeypatch.setattr(module, "decide", decide)
    counter = module.metrics.DEAD_LETTERS.labels(topic="claims", reason="decision_failed")
    before = counter._value.get()
    healthy = [make_claim(12, key="guard.killed.first", claim_id="first-claim"),
               make_claim(30, key="guard.killed.second", claim_id="second-claim")]

    async def scenario():
        async with alerter.decide_claims.test_context() as agent:
            for claim in (healthy[0], poison, healthy[1]):
                await agent.put(key=claim.quantity_key.encode(), value=claim.model_dump_json().encode())
            for _ in range(1000):  # put() returns when the agent took the record, not when it handled it
                if len(alerts.sent) == 2:
                    break
                await asyncio.sleep(0.01)

    asyncio.run(scenario())
    [record] = dead_letters.sent
    letter = DeadLetter.model_validate_json(record["value"])
    assert (letter.source_topic, letter.reason) == ("claims", "decision_failed")
    assert "a rule looked up a source it never stored" in letter.error
    assert base64.b64decode(letter.value_b64) == poison.model_dump_json().encode()
    assert counter._value.get() == before + 1
    # the claims before and after the failing one were decided: one "new" alert each
    assert [a["key"] for a in alerts.sent] == [b"guard.killed.first", b"guard.killed.second"]
    assert alerter.quantities.get("guard.killed.poison") is None  # nothing half-written for the failed claim
