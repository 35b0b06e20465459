"""The pipeline in-process, without Kafka: the same extraction and decisions over a manifest's articles."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from schemas.models import Alert, Article, Claim
from services.alerter.decisions import DecisionPolicy, QuantityState, decide
from services.extractor.extraction import extract_claims
from services.ingestor.sources import load_manifest


def decide_in_arrival_order(claims: Iterable[Claim], policy: DecisionPolicy = DecisionPolicy()) -> list[Alert]:
    """Every alert decide() sends, amendments included, deciding the claims in the order given (one state per
    quantity key)."""
    states: dict[str, QuantityState] = {}
    alerts: list[Alert] = []
    for claim in claims:
        state = states.get(claim.quantity_key) or QuantityState(quantity_key=claim.quantity_key)
        decision = decide(state, claim, policy)
        states[claim.quantity_key] = decision.state
        alerts.extend(decision.outbox)
    return alerts


def decide_all(articles: list[Article], policy: DecisionPolicy = DecisionPolicy()) -> list[Alert]:
    return decide_in_arrival_order((claim for article in articles for claim in extract_claims(article)), policy)


def dry_run(manifest: Path, policy: DecisionPolicy = DecisionPolicy()) -> list[Alert]:
    """Raises ManifestError (every problem, one line each) for a manifest that cannot be read whole."""
    return decide_all([article for _, article in load_manifest(manifest)], policy)
