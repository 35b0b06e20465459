"""The real services on the tests' broker, over the network: seeds in, verified alerts out."""
import json
from collections import Counter

import pytest
from kafka import KafkaProducer

from schemas.models import Alert, Claim, DeadLetter
from schemas.topics import ARTICLES, CLAIMS, dead_letter
from claimwatch.dry_run import dry_run
from services.alerter.history import standing
from services.ingestor.publisher import ArticlePublisher
from services.ingestor.replay import replay
from services.ingestor.sources import read_manifest
from tests.conftest import SEEDS
from tests.helpers import consume

pytestmark = pytest.mark.integration


def test_seed_replay_reaches_the_sink_with_valid_signatures(stack):
    publisher = ArticlePublisher(stack.kafka)
    report = replay(SEEDS, publisher, rate=50, progress=False)
    publisher.close()
    assert len(report.published) == 5 and not report.rejected

    progress = stack.wait_until_settled(5, timeout_s=90)
    received = stack.received_alerts()
    # the sink records only deliveries whose Standard Webhooks signature verified
    assert len(received) == progress.alerts_emitted > 0
    alerts = [Alert.model_validate(r["payload"]["data"]) for r in received]
    assert all(r["webhook_id"] == a.notice_id for r, a in zip(received, alerts))
    # Two article partitions are extracted concurrently, so the troop figures may arrive out of publication
    # order; with the amendments applied, the sink holds exactly the alerts of an in-order replay
    held = standing(alerts)
    assert set(held) == {a.alert_id for a in dry_run(SEEDS)}
    kinds = Counter(a.kind.value for a in held.values())
    assert kinds["new"] >= 4 and kinds["denial"] == 1
    assert {a.claim.figure_text for a in held.values()} >= {"four", "six", "two", "over 1.6 million"}

    # each seed article yields claims on the claims topic
    claims = [Claim.model_validate_json(r.value) for r in consume(stack.broker.bootstrap, CLAIMS,
                                                                   int(progress.claims_emitted))]
    per_article = Counter(c.article_id for c in claims)
    assert set(per_article) == {entry.path.stem for entry in read_manifest(SEEDS / "manifest.json")}
    assert all(record.key.decode() == Claim.model_validate_json(record.value).quantity_key
               for record in consume(stack.broker.bootstrap, CLAIMS, 3))

    # the history API (with the stack's token): one quantity's timeline, the quantities, and filtered alerts
    timeline = stack.api_get("/quantities/north_korea.troops_deployed")
    figures = {f["figure_text"]: f for f in timeline["timeline"]}
    assert {"3,000", "approximately 8,000", "over 7,000", "around 10,000"} <= set(figures)
    assert figures["approximately 8,000"]["source"] == "Biden administration"
    assert figures["approximately 8,000"]["as_of"] == "2024-10-31"
    # the 2024 denial is superseded by the later figures: the status is as of the latest ones (issue 21)
    assert timeline["status"] == "updated" and timeline["independent_sources"] >= 4
    assert any(q["quantity_key"] == "north_korea.troops_deployed" for q in stack.api_get("/quantities"))
    denials = [a for a in stack.api_get("/alerts?kind=denial") if not a["superseded"]]
    assert [a["claim"]["source"] for a in denials] == ["Russia"]
    assert len(stack.api_get("/alerts")) == len(alerts)
    assert stack.api_get("/alerts?since=2030-01-01T00:00:00Z") == []
    assert 0 < len(stack.api_get("/alerts?since=2025-01-01")) < len(alerts)  # a date alone, read as UTC


def test_the_same_article_twice_is_recognised(stack):
    publisher = ArticlePublisher(stack.kafka)
    from schemas.models import Article
    article = Article(id="dup", text="Officials said 40 people died in the earthquake on Monday.",
                      published_at="2024-01-03T00:00:00Z")
    publisher.publish(article, "test")
    publisher.publish(article.model_copy(update={"id": "dup-again"}), "test")
    publisher.flush()
    publisher.close()
    progress = stack.wait_until_settled(2, timeout_s=60)
    records = consume(stack.broker.bootstrap, ARTICLES, 2)
    assert len({r.key for r in records}) == 1  # keyed by content hash
    assert progress.alerts_emitted == 1  # the copy's claim is a duplicate, not a second "new"


def test_poison_articles_go_to_the_dead_letter_topic(stack):
    # batches as the services make them on this broker (one record each on the embedded one: KafkaSettings)
    producer = KafkaProducer(bootstrap_servers=stack.broker.bootstrap, max_request_size=8_000_000, batch_size=stack.kafka.producer_max_batch_size)
    poison = [b"{not json", json.dumps({"id": "x"}).encode(), b"\x00\xff\xfe binary",
              json.dumps({"id": "big", "text": "x" * 2_100_000}).encode()]
    for value in poison:
        producer.send(ARTICLES, key=b"k", value=value)
    producer.send(ARTICLES, key=b"ok", value=json.dumps(
        {"id": "fine", "text": "Officials said 12 people died in the flood.",
         "published_at": "2024-01-03T00:00:00Z"}).encode())
    producer.flush()
    producer.close()
    progress = stack.wait_until_settled(len(poison) + 1, timeout_s=60)
    assert progress.articles_dead_lettered == len(poison) and progress.articles_extracted == 1
    letters = [DeadLetter.model_validate_json(r.value)
               for r in consume(stack.broker.bootstrap, dead_letter(ARTICLES), len(poison))]
    assert len(letters) == len(poison)
    assert {letter.reason for letter in letters} == {"invalid_article"}
    assert all(letter.value_b64 for letter in letters)
    assert stack.services["extractor"].alive()
