"""The extractor service: articles -> claims. The agent only moves records around extract_claims()."""
from __future__ import annotations

import time

from schemas.models import Article
from schemas.topics import ARTICLES, CLAIMS, dead_letter
from services.common.dead_letters import guarded, validated
from services.common.faust_app import ConsumerLag, make_app, run_worker, serve_metrics
from services.extractor import metrics
from services.extractor.extraction import extract_claims
from services.extractor.settings import ExtractorSettings

settings = ExtractorSettings()
app = make_app(settings.app_id, settings.kafka, settings.web_host, settings.web_port, settings.data_dir)
articles_topic = app.topic(ARTICLES)
claims_topic = app.topic(CLAIMS)
dead_letter_topic = app.topic(dead_letter(ARTICLES))
serve_metrics(app, metrics.REGISTRY)
ConsumerLag(app, metrics.CONSUMER_LAG)  # a sensor: sees every record this worker consumes


@app.agent(articles_topic)
async def extract_articles(stream):
    async for event in stream.events():
        article = await validated(Article, event, dead_letter_topic, source_topic=ARTICLES, reason="invalid_article",
                                  service="extractor", counter=metrics.DEAD_LETTERS)
        if article is None:
            metrics.ARTICLES.labels(outcome="dead_lettered").inc()
            continue
        started = time.perf_counter()
        claims = await guarded(lambda: extract_claims(article), event, dead_letter_topic, source_topic=ARTICLES,
                               reason="extraction_failed", service="extractor", counter=metrics.DEAD_LETTERS)
        if claims is None:  # a rule bug must not stop the stream; the article is kept in the DLQ
            metrics.ARTICLES.labels(outcome="dead_lettered").inc()
            continue
        metrics.EXTRACTION_SECONDS.observe(time.perf_counter() - started)
        for claim in claims:
            await claims_topic.send(key=claim.quantity_key.encode(), value=claim.model_dump_json().encode())
            metrics.CLAIMS.labels(measure=claim.measure).inc()
        metrics.ARTICLES.labels(outcome="extracted").inc()


def main() -> None:
    run_worker(app, settings.log_level)
