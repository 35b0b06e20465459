"""The extractor's Prometheus metrics, in one registry."""
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()

ARTICLES = Counter("claimwatch_extractor_articles", "Articles consumed, by outcome (extracted, dead_lettered).",
                   ["outcome"], registry=REGISTRY)
CLAIMS = Counter("claimwatch_extractor_claims", "Claims emitted, by measure.", ["measure"], registry=REGISTRY)
DEAD_LETTERS = Counter("claimwatch_dead_letters", "Records routed to a dead-letter topic, by topic and reason.",
                       ["topic", "reason"], registry=REGISTRY)
EXTRACTION_SECONDS = Histogram("claimwatch_extraction_seconds", "Time to extract the claims of one article.",
                               buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0), registry=REGISTRY)
CONSUMER_LAG = Gauge("claimwatch_consumer_lag_messages", "Records behind the end of the log, per topic partition.",
                     ["topic", "partition"], registry=REGISTRY)
