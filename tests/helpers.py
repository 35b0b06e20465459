"""Small builders shared by the tests."""
from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path
from datetime import date, datetime, timezone

from kafka import KafkaConsumer, TopicPartition

from schemas.models import Article, Claim, Modality, Qualifier
from services.extractor.extraction import extract_claims

PUBLISHED = datetime(2024, 11, 2, 18, 0, tzinfo=timezone.utc)


def claims_of(text: str, published: datetime = PUBLISHED) -> list[Claim]:
    return extract_claims(Article(id="t", text=text, published_at=published))


def only_claim(text: str, published: datetime = PUBLISHED) -> Claim:
    found = claims_of(text, published)
    assert len(found) == 1, [c.figure_text for c in found]
    return found[0]


def make_claim(value=None, lower=None, upper=None, *, qualifier=Qualifier.exact, source="Ministry",
               as_of=date(2024, 10, 1), key="x.killed.y", modality=Modality.reported, claim_id=None,
               sentence=None, article="a1", cumulative=False, strict_lower=False, measure="killed") -> Claim:
    if qualifier == Qualifier.exact and value is not None:
        lower = upper = value
    cid = claim_id or f"{article}-{source}-{value}-{lower}-{upper}-{as_of}-{modality.value}"
    return Claim(claim_id=cid, article_id=article, article_hash=article, figure_text=str(value or lower or ""),
                 char_start=0, char_end=1, sentence=sentence or f"{source} said {value} on {as_of}.",
                 value=value, lower=lower, upper=upper, qualifier=qualifier, measure=measure, as_of=as_of,
                 source=source, modality=modality, quantity_key=key, cumulative=cumulative,
                 strict_lower=strict_lower)


@lru_cache(maxsize=1)
def seed_article_claims() -> tuple[tuple[Claim, ...], ...]:
    """Each seed article's claims, the articles in publication order (as the replay sends them)."""
    from services.ingestor.sources import load_manifest

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    return tuple(tuple(extract_claims(article)) for _, article in load_manifest(seeds))


def run_decisions(*claims, policy=None) -> list:
    """decide() over the claims in order, threading the quantity's state through."""
    from services.alerter.decisions import DecisionPolicy, QuantityState, decide
    state = QuantityState(quantity_key="x.killed.y")
    decisions = []
    for claim in claims:
        decision = decide(state, claim, policy or DecisionPolicy())
        state = decision.state
        decisions.append(decision)
    return decisions


def outbox(claims, policy=None) -> list:
    """Every alert decide() sends, amendments included, deciding the claims in the order given."""
    from claimwatch.dry_run import decide_in_arrival_order
    from services.alerter.decisions import DecisionPolicy
    return decide_in_arrival_order(claims, policy or DecisionPolicy())


def alert_kinds(decisions) -> list:
    return [d.alerts[0].kind.value if d.alerts else None for d in decisions]


def consume(bootstrap: str, topic: str, count: int, timeout_s: float = 30.0, partitions: int = 2) -> list:
    """Read a topic from the beginning until `count` records arrive or the deadline passes.

    Offsets are not trusted on the embedded broker (its ListOffsets is wrong), so count instead."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=500)
    consumer.assign([TopicPartition(topic, p) for p in range(partitions)])
    consumer.seek_to_beginning()
    records = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(records) < count and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=300).values():
                records.extend(batch)
    finally:
        consumer.close()
    return records


def wait_until(predicate, timeout_s: float, what: str | None = None, poll_s: float = 0.25):
    """The first truthy value of predicate() before the deadline. At the deadline: an AssertionError naming
    `what` when given, else predicate()'s last value (for the caller to assert on)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll_s)
    if what is not None:
        raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")
    return predicate()


def replay_seeds(stack, seeds) -> None:
    """Publish the seed manifest into a running LocalStack and wait until its 5 articles are settled."""
    from services.ingestor.publisher import ArticlePublisher
    from services.ingestor.replay import replay

    publisher = ArticlePublisher(stack.kafka)
    replay(seeds, publisher, rate=50, progress=False)
    publisher.close()
    stack.wait_until_settled(5, timeout_s=90)
