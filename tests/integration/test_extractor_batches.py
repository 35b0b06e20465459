"""The extractor takes a backlog in batches: every valid article extracted once, poison records dead-lettered one
by one, and the claims the same as extract_claims gives article by article."""
import json
from datetime import datetime, timezone

import pytest
from kafka import KafkaProducer

from schemas.models import Article, DeadLetter
from schemas.topics import ARTICLES, dead_letter
from services.common.metrics_http import scrape, total
from services.extractor.extraction import extract_claims
from tests.helpers import consume

pytestmark = pytest.mark.integration

_TOWNS = ["Arlen", "Brisa", "Corvel", "Dunmore", "Estara", "Fenwick"]


def _articles(count: int) -> list[Article]:
    published = datetime(2024, 3, 4, 12, 0, tzinfo=timezone.utc)
    return [Article(id=f"backlog-{i}", published_at=published,
                    text=f"Rescue teams in {_TOWNS[i % len(_TOWNS)]} said {10 + i} people were injured in the "
                         f"storm on Sunday. A further {3 + i} homes were destroyed, the mayor said.")
            for i in range(count)]


def test_a_backlog_is_extracted_in_batches_with_poison_dead_lettered_per_record(stack):
    stack.services["extractor"].stop()  # a backlog builds up while it is away
    articles = _articles(30)
    poison = [b"{not json", json.dumps({"id": "no-text"}).encode()]
    # one record per batch, as every producer on the embedded broker (see KafkaSettings.producer_max_batch_size)
    producer = KafkaProducer(bootstrap_servers=stack.broker.bootstrap, batch_size=stack.kafka.producer_max_batch_size)
    for i, article in enumerate(articles):
        producer.send(ARTICLES, key=article.id.encode(), value=article.model_dump_json().encode())
        if i in (7, 19):
            producer.send(ARTICLES, key=b"poison", value=poison[i // 10])
    producer.flush()
    producer.close()
    stack.start_extractor()
    stack.wait_healthy()
    progress = stack.wait_until_settled(len(articles) + len(poison), timeout_s=120)
    assert progress.articles_extracted == len(articles) and progress.articles_dead_lettered == len(poison)
    assert progress.claims_emitted == sum(len(extract_claims(a)) for a in articles) > len(articles)
    letters = [DeadLetter.model_validate_json(r.value)
               for r in consume(stack.broker.bootstrap, dead_letter(ARTICLES), len(poison))]
    assert sorted(letter.reason for letter in letters) == ["invalid_article"] * len(poison)
    metrics = scrape(f"{stack.services['extractor'].base_url}/metrics")
    batches = total(metrics, "claimwatch_extraction_batch_articles_count")
    assert total(metrics, "claimwatch_extraction_batch_articles_sum") == len(articles)
    assert 1 <= batches < len(articles)  # a backlog is taken several articles at a time
