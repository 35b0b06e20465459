"""claimwatch message contracts and topic names."""
from schemas.models import (
    Alert,
    AlertKind,
    Article,
    Claim,
    DeadLetter,
    Modality,
    Qualifier,
    Severity,
    content_hash,
)
from schemas.topics import ALERTS, ARTICLES, CLAIMS, TOPICS, dead_letter

__all__ = [
    "ALERTS", "ARTICLES", "CLAIMS", "TOPICS", "Alert", "AlertKind", "Article", "Claim",
    "DeadLetter", "Modality", "Qualifier", "Severity", "content_hash", "dead_letter",
]
