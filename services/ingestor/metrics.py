"""The ingestor's Prometheus metrics, in one registry."""
from prometheus_client import CollectorRegistry, Counter

REGISTRY = CollectorRegistry()

ARTICLES = Counter("claimwatch_ingest_articles", "Articles published to Kafka, by input (file, stdin, http, replay).",
                   ["input"], registry=REGISTRY)
REJECTED = Counter("claimwatch_ingest_rejected", "Inputs rejected before publishing, by input and reason class.",
                   ["input", "reason"], registry=REGISTRY)
