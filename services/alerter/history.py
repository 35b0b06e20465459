"""Views of what the alerter knows, for the history API: pure functions over the table values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from schemas.models import Alert, AlertKind, Modality
from schemas.timeparse import as_utc_aware, parse_time
from services.alerter.decisions import QuantityState, event_order, independent_sources

MAX_ALERTS_PER_QUANTITY = 200
KINDS = tuple(kind.value for kind in AlertKind)


def append_alerts(log: list[dict], alerts: list[Alert]) -> list[dict]:
    """The quantity's alert log with these alerts added (oldest dropped past the bound), without duplicates."""
    known = {entry["alert_id"] for entry in log}
    added = [alert.model_dump(mode="json") for alert in alerts if alert.alert_id not in known]
    return [*log, *added][-MAX_ALERTS_PER_QUANTITY:]


def status(log: list[dict]) -> str:
    kinds = {entry["kind"] for entry in log}
    if AlertKind.denial.value in kinds:
        return "denied"
    if AlertKind.contradiction.value in kinds:
        return "contested"
    if AlertKind.update.value in kinds:
        return "updated"
    return "settled"


def quantity_summary(state: QuantityState, log: list[dict]) -> dict:
    figures = [c for c in state.claims if c.modality not in (Modality.denial, Modality.retracted)]
    latest = max(figures, key=event_order) if figures else None
    return {
        "quantity_key": state.quantity_key,
        "figures": len(state.claims),
        "independent_sources": independent_sources(state.claims),
        "status": status(log),
        "latest": None if latest is None else {
            "figure_text": latest.figure_text, "value": latest.value, "lower": latest.lower, "upper": latest.upper,
            "source": latest.source, "as_of": latest.as_of.isoformat() if latest.as_of else None},
        "alerts": len(log),
    }


def timeline(state: QuantityState, log: list[dict]) -> dict:
    raised: dict[str, list[dict]] = {}
    for entry in log:
        raised.setdefault(entry["claim"]["claim_id"], []).append(
            {"alert_id": entry["alert_id"], "kind": entry["kind"], "summary": entry["summary"]})
    figures = [{**claim.model_dump(mode="json"), "alerts": raised.get(claim.claim_id, [])}
               for claim in sorted(state.claims, key=event_order)]
    return {**quantity_summary(state, log), "timeline": figures}


@dataclass(frozen=True)
class AlertQuery:
    since: datetime | None = None
    kind: str | None = None
    quantity: str | None = None


def alert_query(params: Mapping[str, str]) -> AlertQuery:
    """The /alerts filters from its query parameters (others are ignored); ValueError with a message fit for
    the client when one is malformed. An empty parameter is no filter, as the console's "all" sends it."""
    kind = params.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    since = params.get("since") or None
    try:
        since_time = parse_time(since) if since else None
    except ValueError as exc:
        raise ValueError(f"since is {exc}") from None
    return AlertQuery(since=since_time, kind=kind, quantity=params.get("quantity") or None)


def _published(entry: dict) -> datetime | None:
    # stored as JSON text; claims written before naive times were read as UTC may lack an offset
    published = entry["claim"].get("published_at")
    return parse_time(published) if published else None


def select_alerts(logs: list[list[dict]], since: datetime | None = None, kind: str | None = None,
                  quantity: str | None = None) -> list[dict]:
    """Alerts across quantities, newest first by the triggering claim's publication time (undated last)."""
    since = as_utc_aware(since) if since else None
    selected = []
    for log in logs:
        for entry in log:
            if kind and entry["kind"] != kind:
                continue
            if quantity and entry["quantity_key"] != quantity:
                continue
            published = _published(entry)
            if since and published and published < since:
                continue
            selected.append((published, entry))
    selected.sort(key=lambda pair: pair[0].timestamp() if pair[0] else float("-inf"), reverse=True)
    return [entry for _, entry in selected]
