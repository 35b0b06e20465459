"""The demo sink's Prometheus metrics, in one registry."""
from prometheus_client import CollectorRegistry, Counter

REGISTRY = CollectorRegistry()

RECEIVED = Counter("claimwatch_sink_deliveries", "Webhook deliveries received, by outcome "
                   "(accepted, duplicate, rejected).", ["outcome"], registry=REGISTRY)
