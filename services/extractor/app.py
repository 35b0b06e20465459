"""The extractor service: articles -> claims. The agent only moves records around extract_claims_batch()."""
from __future__ import annotations

import asyncio
import logging
import time

from schemas.models import Article
from schemas.topics import ARTICLES, CLAIMS, dead_letter
from services.common.dead_letters import guarded, validated
from services.common.faust_app import ConsumerLag, make_app, run_worker, serve_metrics
from services.extractor import metrics
from services.extractor.extraction.extract import extract_claims, extract_claims_batch, load_resources
from services.extractor.settings import ExtractorSettings

log = logging.getLogger("claimwatch")
settings = ExtractorSettings()
app = make_app(settings.app_id, settings.kafka, settings.web_host, settings.web_port, settings.data_dir)
articles_topic = app.topic(ARTICLES)
claims_topic = app.topic(CLAIMS)
dead_letter_topic = app.topic(dead_letter(ARTICLES))
serve_metrics(app, metrics.REGISTRY)
ConsumerLag(app, metrics.CONSUMER_LAG)  # a sensor: sees every record this worker consumes


async def _extract(batch: list[tuple[object, Article]]) -> list[list | None]:
    """The claims of each article (None: dead-lettered). A rule bug in one article must not cost the others:
    when the batch fails, its articles are extracted one by one and only the failing one goes to the DLQ."""
    try:
        # in a thread: the event loop keeps heartbeating and sending while the batch parses
        return await asyncio.to_thread(extract_claims_batch, [article for _, article in batch])
    except Exception as exc:
        log.warning("extractor: a batch of %d failed (%r); extracting its articles one by one", len(batch), exc)
    return [await guarded(lambda a=article: extract_claims(a), event, dead_letter_topic, source_topic=ARTICLES,
                          reason="extraction_failed", service="extractor", counter=metrics.DEAD_LETTERS)
            for event, article in batch]


@app.agent(articles_topic)
async def extract_articles(stream):
    try:  # the model and the gazetteer, once, before the first record
        await asyncio.to_thread(load_resources)
    except Exception as exc:  # each record then meets the error itself, and is dead-lettered with it
        log.error("extractor: loading the model or the gazetteer failed: %r", exc)
    # take_events acks a batch's records only after this loop's body has sent all their claims (at least once)
    async for events in stream.take_events(settings.batch_size, within=settings.batch_wait_s):
        batch = []
        for event in events:
            article = await validated(Article, event, dead_letter_topic, source_topic=ARTICLES,
                                      reason="invalid_article", service="extractor", counter=metrics.DEAD_LETTERS)
            if article is None:
                metrics.ARTICLES.labels(outcome="dead_lettered").inc()
            else:
                batch.append((event, article))
        if not batch:
            continue
        started = time.perf_counter()
        results = await _extract(batch)
        elapsed = time.perf_counter() - started
        metrics.BATCH_ARTICLES.observe(len(batch))
        metrics.BATCH_SECONDS.observe(elapsed)
        for claims in results:
            if claims is None:  # kept in the DLQ with its error
                metrics.ARTICLES.labels(outcome="dead_lettered").inc()
                continue
            metrics.EXTRACTION_SECONDS.observe(elapsed / len(batch))
            for claim in claims:
                await claims_topic.send(key=claim.quantity_key.encode(), value=claim.model_dump_json().encode())
                metrics.CLAIMS.labels(measure=claim.measure).inc()
            metrics.ARTICLES.labels(outcome="extracted").inc()


def main() -> None:
    run_worker(app, settings.log_level)
