"""The extractor service: articles -> claims. The agent only moves records around extract_claims_batch().

create_app(settings) is the composition root: it builds the Faust app, its topics and the agent, and
importing this module builds nothing (main() builds the app from the environment's settings)."""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

import faust

from schemas.models import Article
from schemas.topics import ARTICLES, CLAIMS, dead_letter
from services.common.faust_app import ConsumerLag, make_app, run_worker, serve_metrics
from services.common.typed_handler import DeadLetters, TypedHandler
from services.extractor import metrics
from services.extractor.extraction.extract import extract_claims, extract_claims_batch, load_resources
from services.extractor.settings import ExtractorSettings

log = logging.getLogger("claimwatch")


@dataclass(frozen=True)
class Extractor:
    settings: ExtractorSettings
    app: faust.App
    articles_topic: Any
    claims_topic: Any
    dead_letter_topic: Any
    articles: TypedHandler  # Article -> its claims, dead-lettering what fails
    extract_articles: Any  # the agent


async def _extract_batch(articles: list[Article]) -> list[list]:
    # in a thread: the event loop keeps heartbeating and sending while the batch parses
    return await asyncio.to_thread(extract_claims_batch, articles)


def create_app(settings: ExtractorSettings) -> Extractor:
    app = make_app(settings.app_id, settings.kafka, settings.web_host, settings.web_port, settings.data_dir)
    articles_topic = app.topic(ARTICLES)
    claims_topic = app.topic(CLAIMS)
    dead_letter_topic = app.topic(dead_letter(ARTICLES))
    serve_metrics(app, metrics.REGISTRY)
    ConsumerLag(app, metrics.CONSUMER_LAG)  # a sensor: sees every record this worker consumes
    # A rule bug in one article must not cost the others: when a batch fails, its articles are extracted
    # one by one and only the failing one goes to the DLQ (kept there with its error).
    articles = TypedHandler(
        Article, DeadLetters(dead_letter_topic, source_topic=ARTICLES, service="extractor",
                             counter=metrics.DEAD_LETTERS),
        invalid_reason="invalid_article", handle=lambda article: extract_claims(article),
        failed_reason="extraction_failed",
        on_dead_letter=lambda: metrics.ARTICLES.labels(outcome="dead_lettered").inc(),
        batch_failed="%s: a batch of %d failed (%r); extracting its articles one by one")

    # the name it had as a module-level function, so logs and Faust's agent registry read the same
    @app.agent(articles_topic, name="services.extractor.app.extract_articles")
    async def extract_articles(stream):
        try:  # the model and the gazetteer, once, before the first record
            await asyncio.to_thread(load_resources)
        except Exception as exc:  # each record then meets the error itself, and is dead-lettered with it
            log.error("extractor: loading the model or the gazetteer failed: %r", exc)
        # take_events acks a batch's records only after this loop's body has sent all their claims (at
        # least once)
        async for events in stream.take_events(settings.batch_size, within=settings.batch_wait_s):
            batch = await articles.parse_all(events)
            if not batch:
                continue
            started = time.perf_counter()
            results = await articles.run_batch(batch, _extract_batch)
            elapsed = time.perf_counter() - started
            metrics.BATCH_ARTICLES.observe(len(batch))
            metrics.BATCH_SECONDS.observe(elapsed)
            for _, claims in results:
                metrics.EXTRACTION_SECONDS.observe(elapsed / len(batch))
                for claim in claims:
                    await claims_topic.send(key=claim.quantity_key.encode(), value=claim.model_dump_json().encode())
                    metrics.CLAIMS.labels(measure=claim.measure).inc()
                metrics.ARTICLES.labels(outcome="extracted").inc()

    return Extractor(settings, app, articles_topic, claims_topic, dead_letter_topic, articles, extract_articles)


def main() -> None:
    settings = ExtractorSettings()
    run_worker(create_app(settings).app, settings.log_level)
