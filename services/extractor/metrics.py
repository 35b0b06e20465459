"""The extractor's Prometheus metrics, in one registry."""
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()

ARTICLES = Counter("claimwatch_extractor_articles", "Articles consumed, by outcome (extracted, dead_lettered).",
                   ["outcome"], registry=REGISTRY)
CLAIMS = Counter("claimwatch_extractor_claims", "Claims emitted, by measure.", ["measure"], registry=REGISTRY)
DEAD_LETTERS = Counter("claimwatch_dead_letters", "Records routed to a dead-letter topic, by topic and reason.",
                       ["topic", "reason"], registry=REGISTRY)
EXTRACTION_SECONDS = Histogram("claimwatch_extraction_seconds",
                               "Time to extract the claims of one article (its share of its batch).",
                               buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0), registry=REGISTRY)
BATCH_SECONDS = Histogram("claimwatch_extraction_batch_seconds", "Time to extract the claims of one batch.",
                          buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0), registry=REGISTRY)
BATCH_ARTICLES = Histogram("claimwatch_extraction_batch_articles", "Valid articles per extraction batch.",
                           buckets=(1, 2, 4, 8, 16, 32, 64, 128), registry=REGISTRY)
CONSUMER_LAG = Gauge("claimwatch_consumer_lag_messages", "Records behind the end of the log, per topic partition.",
                     ["topic", "partition"], registry=REGISTRY)
