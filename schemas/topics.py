"""Topic names and layout: the one place every service and the compose stack read them from."""
from __future__ import annotations

from dataclasses import dataclass

ARTICLES = "articles"
CLAIMS = "claims"
ALERTS = "alerts"
# Deliveries waiting for another attempt, keyed by endpoint name (the alerter's per-endpoint retry lanes).
ALERTS_RETRY = "alerts.retry"
# Endpoint state (disabled after HTTP 410), keyed by endpoint name; every alerter replica reads it whole.
ALERTER_ENDPOINTS = "alerter.endpoints"


def dead_letter(topic: str) -> str:
    return f"{topic}.dlq"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    key: str
    value: str
    compacted: bool = False
    # Who writes and who reads it (schemas/asyncapi.py turns these into the AsyncAPI operations).
    sent_by: tuple[str, ...] = ()
    received_by: tuple[str, ...] = ()


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(ARTICLES, key="Article.content_hash", value="Article", sent_by=("ingestor",),
              received_by=("extractor",)),
    TopicSpec(CLAIMS, key="Claim.quantity_key", value="Claim", sent_by=("extractor",), received_by=("alerter",)),
    # the alerter's outbox: decisions write it, the delivery agent reads it
    TopicSpec(ALERTS, key="Alert.quantity_key", value="Alert", sent_by=("alerter",), received_by=("alerter",)),
    TopicSpec(ALERTS_RETRY, key="endpoint name", value="DeliveryRetry", sent_by=("alerter",),
              received_by=("alerter",)),
    TopicSpec(ALERTER_ENDPOINTS, key="endpoint name", value="EndpointState", compacted=True,
              sent_by=("alerter", "redeliver"), received_by=("alerter", "redeliver")),
    TopicSpec(dead_letter(ARTICLES), key="original key", value="DeadLetter", sent_by=("extractor",)),
    TopicSpec(dead_letter(CLAIMS), key="original key", value="DeadLetter", sent_by=("alerter",)),
    TopicSpec(dead_letter(ALERTS), key="original key", value="DeadLetter", sent_by=("alerter",),
              received_by=("redeliver",)),
)


# The alerter's Faust tables. Each is backed by a compacted changelog topic "<app id>-<table>-changelog".
ALERTER_TABLES = ("quantities", "alert_log")


def changelog_topics(app_id: str) -> list[str]:
    return [f"{app_id}-{table}-changelog" for table in ALERTER_TABLES]
