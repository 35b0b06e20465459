"""Topic names and layout: the one place every service and the compose stack read them from."""
from __future__ import annotations

from dataclasses import dataclass

ARTICLES = "articles"
CLAIMS = "claims"
ALERTS = "alerts"


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
    TopicSpec(dead_letter(ARTICLES), key="original key", value="DeadLetter"),
    TopicSpec(dead_letter(CLAIMS), key="original key", value="DeadLetter"),
    TopicSpec(dead_letter(ALERTS), key="original key", value="DeadLetter"),
)


# The alerter's Faust tables. Each is backed by a compacted changelog topic "<app id>-<table>-changelog".
ALERTER_TABLES = ("quantities", "alert_log")


def changelog_topics(app_id: str) -> list[str]:
    return [f"{app_id}-{table}-changelog" for table in ALERTER_TABLES]
