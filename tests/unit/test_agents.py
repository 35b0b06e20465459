"""The extractor's and the alerter's agents, built by their create_app() and run in Faust's agent test context
(in-memory tables, no broker): what each sends where, what it dead-letters and why, what it stores."""
from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from datetime import datetime, timezone

import pytest

from schemas.models import Article, Claim, DeadLetter
from tests.helpers import make_claim

_PUBLISHED = datetime(2024, 3, 4, 8, 0, tzinfo=timezone.utc)
# our own sentences, one figure each
_TEXTS = {"hikers": "Rescuers said 25 hikers were killed in the avalanche on Sunday. The weather was fine.",
          "harbour": "Harbour officials said 340 people were evacuated from the island on Friday."}


class FakeTopic:
    """Stands in for a Faust topic's send(): the test context runs agents, not producers."""

    def __init__(self, topic, monkeypatch, acknowledge: bool = True):
        self.sent: list[dict] = []
        self.acks: list[asyncio.Future] = []  # what send() returns: done when the broker has the record
        self.acknowledge = acknowledge
        monkeypatch.setattr(topic, "send", self.send)

    async def send(self, **record):
        self.sent.append(record)
        ack = asyncio.get_running_loop().create_future()
        if self.acknowledge:
            ack.set_result(None)
        self.acks.append(ack)
        return ack


def _count(counter, **labels) -> float:
    return counter.labels(**labels)._value.get()


async def _until(done, timeout_s: float = 60.0) -> None:
    """put() returns when the agent has taken a record, not when it has handled it (nor a batch of them)."""
    deadline = time.monotonic() + timeout_s
    while not done():
        assert time.monotonic() < deadline, "the agent did not get there in time"
        await asyncio.sleep(0.01)


def _article(name: str) -> Article:
    return Article(id=f"agent-{name}", text=_TEXTS[name], published_at=_PUBLISHED)


@pytest.fixture
def extractor(tmp_path, monkeypatch):
    from services.extractor import app as module
    from services.extractor.settings import ExtractorSettings

    monkeypatch.setattr(module, "load_resources", lambda: None)  # extraction loads what it needs itself
    return module.create_app(ExtractorSettings(data_dir=str(tmp_path), batch_size=8, batch_wait_s=0.05))


def test_importing_the_services_builds_no_app():
    import services.alerter.app as alerter
    import services.extractor.app as extractor

    for module in (alerter, extractor):
        assert not hasattr(module, "app") and not hasattr(module, "settings")


def test_the_extractor_sends_claims_and_dead_letters_an_invalid_article(extractor, monkeypatch):
    from services.extractor import metrics

    claims, dead_letters = FakeTopic(extractor.claims_topic, monkeypatch), FakeTopic(extractor.dead_letter_topic,
                                                                                     monkeypatch)
    before = (_count(metrics.ARTICLES, outcome="extracted"), _count(metrics.ARTICLES, outcome="dead_lettered"),
              _count(metrics.DEAD_LETTERS, topic="articles", reason="invalid_article"))

    async def scenario():
        async with extractor.extract_articles.test_context() as agent:
            await agent.put(key=b"a1", value=_article("hikers").model_dump_json().encode(), wait=False)
            await agent.put(key=b"bad", value=b'{"id": "no text, no date"}', wait=False)
            await agent.put(key=b"a2", value=_article("harbour").model_dump_json().encode(), wait=False)
            await _until(lambda: len(claims.sent) >= 2 and dead_letters.sent)

    asyncio.run(scenario())
    sent = [Claim.model_validate_json(record["value"]) for record in claims.sent]
    assert [(c.article_id, c.value, c.measure) for c in sent] == [("agent-hikers", 25, "killed"),
                                                                   ("agent-harbour", 340, "evacuated")]
    assert [record["key"] for record in claims.sent] == [c.quantity_key.encode() for c in sent]
    [record] = dead_letters.sent
    letter = DeadLetter.model_validate_json(record["value"])
    assert record["key"] == b"bad"
    assert (letter.source_topic, letter.reason, letter.service) == ("articles", "invalid_article", "extractor")
    assert base64.b64decode(letter.value_b64) == b'{"id": "no text, no date"}'
    assert (_count(metrics.ARTICLES, outcome="extracted"), _count(metrics.ARTICLES, outcome="dead_lettered"),
            _count(metrics.DEAD_LETTERS, topic="articles", reason="invalid_article")) == (
        before[0] + 2, before[1] + 1, before[2] + 1)


def test_a_failing_batch_is_extracted_one_by_one_and_only_the_failing_article_is_dead_lettered(extractor,
                                                                                                monkeypatch):
    from services.extractor import app as module

    claims, dead_letters = FakeTopic(extractor.claims_topic, monkeypatch), FakeTopic(extractor.dead_letter_topic,
                                                                                     monkeypatch)
    real_extract = module.extract_claims

    def broken_batch(articles):
        raise RuntimeError("a rule broke on the batch")

    def extract(article):
        if article.id == "agent-poison":
            raise ZeroDivisionError("a rule divided by zero")
        return real_extract(article)

    monkeypatch.setattr(module, "extract_claims_batch", broken_batch)
    monkeypatch.setattr(module, "extract_claims", extract)
    poison = Article(id="agent-poison", text=_TEXTS["hikers"], published_at=_PUBLISHED)

    async def scenario():
        async with extractor.extract_articles.test_context() as agent:
            for key, article in ((b"a1", _article("hikers")), (b"p", poison), (b"a2", _article("harbour"))):
                await agent.put(key=key, value=article.model_dump_json().encode(), wait=False)
            await _until(lambda: len(claims.sent) >= 2 and dead_letters.sent)

    asyncio.run(scenario())
    assert [Claim.model_validate_json(r["value"]).article_id for r in claims.sent] == ["agent-hikers",
                                                                                        "agent-harbour"]
    [record] = dead_letters.sent
    letter = DeadLetter.model_validate_json(record["value"])
    assert (letter.reason, letter.error) == ("extraction_failed", "ZeroDivisionError('a rule divided by zero')")
    assert Article.model_validate_json(base64.b64decode(letter.value_b64)).id == "agent-poison"


@pytest.fixture
def alerter(tmp_path):
    from services.alerter.app import create_app
    from services.alerter.settings import AlerterSettings

    return create_app(AlerterSettings(data_dir=str(tmp_path), api_token=os.urandom(16).hex(), webhooks=[]))


def test_the_alerter_stores_a_decision_and_sends_its_alert(alerter, monkeypatch):
    from services.alerter import metrics

    alerts, dead_letters = FakeTopic(alerter.alerts_topic, monkeypatch), FakeTopic(alerter.claims_dead_letters,
                                                                                   monkeypatch)
    claim = make_claim(40, key="agents.killed.valley", claim_id="valley-claim")
    new = _count(metrics.CLAIMS, relation="new")

    async def scenario():
        async with alerter.decide_claims.test_context() as agent:
            await agent.put(key=claim.quantity_key.encode(), value=claim.model_dump_json().encode())
            await _until(lambda: alerts.sent)

    asyncio.run(scenario())
    [record] = alerts.sent
    assert record["key"] == b"agents.killed.valley"
    assert json.loads(record["value"])["kind"] == "new"
    assert dead_letters.sent == []
    stored = json.loads(alerter.quantities.get("agents.killed.valley"))
    assert stored["quantity_key"] == "agents.killed.valley"
    assert len(json.loads(alerter.alert_log.get("agents.killed.valley"))) == 1
    assert _count(metrics.CLAIMS, relation="new") == new + 1


def test_the_alerter_writes_its_state_only_once_the_broker_has_the_alert(alerter, monkeypatch):
    """Killed between the two, the restarted worker must not find the claim known and send nothing."""
    alerts = FakeTopic(alerter.alerts_topic, monkeypatch, acknowledge=False)
    claim = make_claim(41, key="agents.killed.ridge", claim_id="ridge-claim")
    seen_before_ack = []

    async def scenario():
        async with alerter.decide_claims.test_context() as agent:
            await agent.put(key=claim.quantity_key.encode(), value=claim.model_dump_json().encode())
            await _until(lambda: alerts.acks)
            await asyncio.sleep(0.2)
            seen_before_ack.append(alerter.quantities.get("agents.killed.ridge"))
            alerts.acks[0].set_result(None)
            await _until(lambda: alerter.quantities.get("agents.killed.ridge") is not None)

    asyncio.run(scenario())
    assert seen_before_ack == [None]
    assert json.loads(alerter.quantities.get("agents.killed.ridge"))["quantity_key"] == "agents.killed.ridge"


def test_the_alerter_dead_letters_a_malformed_claim(alerter, monkeypatch):
    from services.alerter import metrics

    alerts, dead_letters = FakeTopic(alerter.alerts_topic, monkeypatch), FakeTopic(alerter.claims_dead_letters,
                                                                                   monkeypatch)
    settled = _count(metrics.CLAIMS, relation="dead_lettered")
    invalid = _count(metrics.DEAD_LETTERS, topic="claims", reason="invalid_claim")

    async def scenario():
        async with alerter.decide_claims.test_context() as agent:
            await agent.put(key=b"agents.killed.broken", value=b'{"claim_id": "half a claim"}')
            await _until(lambda: dead_letters.sent)

    asyncio.run(scenario())
    [record] = dead_letters.sent
    letter = DeadLetter.model_validate_json(record["value"])
    assert record["key"] == b"agents.killed.broken"
    assert (letter.source_topic, letter.reason, letter.service) == ("claims", "invalid_claim", "alerter")
    assert base64.b64decode(letter.value_b64) == b'{"claim_id": "half a claim"}'
    assert alerts.sent == [] and alerter.quantities.get("agents.killed.broken") is None
    assert _count(metrics.CLAIMS, relation="dead_lettered") == settled + 1
    assert _count(metrics.DEAD_LETTERS, topic="claims", reason="invalid_claim") == invalid + 1
