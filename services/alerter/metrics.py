"""The alerter's Prometheus metrics, in one registry."""
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()

CLAIMS = Counter("claimwatch_alerter_claims", "Claims decided, by relation to what was known.", ["relation"],
                 registry=REGISTRY)
ALERTS = Counter("claimwatch_alerts", "Alerts emitted, by kind.", ["kind"], registry=REGISTRY)
AMENDMENTS = Counter("claimwatch_alert_amendments", "Amendments emitted (also counted in claimwatch_alerts): a "
                     "figure arrived after later ones and changed their decisions, by the kind they now have.",
                     ["kind"], registry=REGISTRY)
DELIVERIES = Counter("claimwatch_webhook_deliveries", "Alert deliveries, by endpoint and final outcome "
                     "(delivered, dead_lettered, disabled).", ["endpoint", "outcome"], registry=REGISTRY)
RETRIES = Counter("claimwatch_webhook_retries", "Deliveries queued on alerts.retry for another attempt, by endpoint.",
                  ["endpoint"], registry=REGISTRY)
RETRIES_PENDING = Gauge("claimwatch_webhook_retries_pending", "Deliveries this worker's retry lanes hold, waiting "
                        "for their next attempt, by endpoint.", ["endpoint"], registry=REGISTRY)
ALREADY_DELIVERED = Counter("claimwatch_webhook_already_delivered", "Alerts this worker had already handed to "
                            "every endpoint, read again (a partition re-read or returned): not sent twice.",
                            registry=REGISTRY)
ATTEMPTS = Counter("claimwatch_webhook_attempts", "HTTP attempts, by endpoint and status class.",
                   ["endpoint", "status"], registry=REGISTRY)
ENDPOINTS_DISABLED = Gauge("claimwatch_webhook_endpoints_disabled", "Configured endpoints disabled after HTTP 410 "
                           "(alerter.endpoints, shared by the replicas).",
                           registry=REGISTRY)
# reasons: invalid_claim, decision_failed (claims); invalid_alert, delivery_failed (alerts); invalid_retry
DEAD_LETTERS = Counter("claimwatch_dead_letters", "Records routed to a dead-letter topic, by topic and reason.",
                       ["topic", "reason"], registry=REGISTRY)
END_TO_END_SECONDS = Histogram("claimwatch_end_to_end_latency_seconds",
                               "From article ingested to alert delivered.",
                               buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300), registry=REGISTRY)
DELIVERY_SECONDS = Histogram("claimwatch_webhook_delivery_seconds",
                             "From alert written to the outbox topic to a 2xx from the endpoint, retries included.",
                             ["endpoint"], buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
                             registry=REGISTRY)
CONSUMER_LAG = Gauge("claimwatch_consumer_lag_messages", "Records behind the end of the log, per topic partition.",
                     ["topic", "partition"], registry=REGISTRY)
