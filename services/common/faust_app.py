"""Build a Faust app with claimwatch's conventions, and serve a metrics registry from it."""
from __future__ import annotations

import sys

import faust
from faust.web import View
from prometheus_client import CollectorRegistry

from services.common.kafka_settings import KafkaSettings
from services.common.metrics_http import render


def make_app(app_id: str, kafka: KafkaSettings, web_host: str, web_port: int) -> faust.App:
    return faust.App(
        app_id,
        **kafka.faust_config(),
        store="memory://",
        web_host=web_host,
        web_bind=web_host,
        web_port=web_port,
        topic_partitions=kafka.partitions,
        producer_acks=-1,
        consumer_auto_offset_reset="earliest",
        # The services validate records themselves, so a poison record reaches a dead-letter topic.
        value_serializer="raw",
        key_serializer="raw",
    )


def serve_metrics(app: faust.App, registry: CollectorRegistry) -> None:
    class MetricsView(View):
        async def get(self, request):
            body, content_type = render(registry)
            return self.bytes(body, headers={"Content-Type": content_type})

    class HealthView(View):
        async def get(self, request):
            return self.json({"status": "ok", "app": app.conf.id})

    app.page("/metrics")(MetricsView)
    app.page("/healthz")(HealthView)


def run_worker(app: faust.App, log_level: str) -> None:
    """Start the app as a worker, as `faust -A ... worker` would."""
    sys.argv = [sys.argv[0], "worker", "--loglevel", log_level]
    app.main()
