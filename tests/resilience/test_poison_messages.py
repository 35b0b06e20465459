"""Scenario 6 proves: malformed JSON, a wrong schema and an oversized value on `articles` and `claims` go
to the `.dlq` topics with the reason and the original bytes, are counted in a metric, and the pipeline
keeps going: every good article still yields its claim and alert."""
import base64
import json

import pytest
from kafka import KafkaProducer

from schemas.models import MAX_ARTICLE_CHARS
from schemas.topics import ARTICLES, CLAIMS, dead_letter
from services.common.metrics_http import scrape, total
from tests.helpers import consume
from tests.resilience.harness import Scenario, assert_nothing_lost

pytestmark = pytest.mark.resilience

POISON_ARTICLES = [
    b"{not json",
    json.dumps({"id": "no-text"}).encode(),  # wrong schema: no text
    b"\xff\xfe\x00binary junk",
    json.dumps({"id": "huge", "text": "x" * (MAX_ARTICLE_CHARS + 10)}).encode(),  # over the article limit
]
POISON_CLAIMS = [b"[1, 2, 3]", json.dumps({"claim_id": "half a claim"}).encode(), b"\x00\x01"]


def test_poison_records_are_dead_lettered_and_the_stream_goes_on(tmp_path):
    with Scenario(tmp_path, "6-poison-messages", "malformed, wrong-schema and oversized records mid-stream") as run:
        producer = KafkaProducer(**run.stack.kafka.kafka_python_config(), max_request_size=16 * 1024 * 1024,
                                 batch_size=run.stack.kafka.producer_max_batch_size)
        half = len(run.articles) // 2
        run.publish(run.articles[:half])
        for value in POISON_ARTICLES:
            producer.send(ARTICLES, key=b"poison", value=value)
        for value in POISON_CLAIMS:
            producer.send(CLAIMS, key=b"poison", value=value)
        producer.flush()
        producer.close()
        run.publish(run.articles[half:])
        outcome = run.settle()
        bootstrap = run.stack.broker.bootstrap
        articles_dlq = consume(bootstrap, dead_letter(ARTICLES), len(POISON_ARTICLES), partitions=2)
        claims_dlq = consume(bootstrap, dead_letter(CLAIMS), len(POISON_CLAIMS), partitions=2)
        extractor = scrape(f"{run.stack.services['extractor'].base_url}/metrics")
        alerter = scrape(f"{run.stack.services['alerter'].base_url}/metrics")
        outcome.notes.append(f"{len(articles_dlq)} records in articles.dlq, {len(claims_dlq)} in claims.dlq")
        outcome.save()
    assert_nothing_lost(outcome)
    letters = [json.loads(record.value) for record in articles_dlq]
    assert sorted(base64.b64decode(letter["value_b64"]) for letter in letters) == sorted(POISON_ARTICLES)
    assert all(letter["reason"] and letter["error"] for letter in letters)
    claim_letters = [json.loads(record.value) for record in claims_dlq]
    assert sorted(base64.b64decode(letter["value_b64"]) for letter in claim_letters) == sorted(POISON_CLAIMS)
    assert total(extractor, "claimwatch_dead_letters_total") == len(POISON_ARTICLES)
    assert total(alerter, "claimwatch_dead_letters_total") == len(POISON_CLAIMS)
