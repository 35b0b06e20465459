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


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(ARTICLES, key="Article.content_hash", value="Article"),
    TopicSpec(CLAIMS, key="Claim.quantity_key", value="Claim"),
    TopicSpec(ALERTS, key="Alert.quantity_key", value="Alert"),
    TopicSpec(ALERTS_RETRY, key="endpoint name", value="DeliveryRetry"),
    TopicSpec(ALERTER_ENDPOINTS, key="endpoint name", value="EndpointState", compacted=True),
    TopicSpec(dead_letter(ARTICLES), key="original key", value="DeadLetter"),
    TopicSpec(dead_letter(CLAIMS), key="original key", value="DeadLetter"),
    TopicSpec(dead_letter(ALERTS), key="original key", value="DeadLetter"),
)


# The alerter's Faust tables. Each is backed by a compacted changelog topic "<app id>-<table>-changelog".
ALERTER_TABLES = ("quantities", "alert_log")


def changelog_topics(app_id: str) -> list[str]:
    return [f"{app_id}-{table}-changelog" for table in ALERTER_TABLES]
