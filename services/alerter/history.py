"""Views of what the alerter knows, for the history API: pure functions over the table values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Mapping

from schemas.models import Alert, AlertKind, Modality, notice_id
from schemas.timeparse import as_utc_aware, parse_optional_time, parse_time
from services.alerter import axis
from services.alerter.decisions import QuantityState, event_order, independent_sources

MAX_ALERTS_PER_QUANTITY = 200
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
KINDS = tuple(kind.value for kind in AlertKind)


def standing(alerts: Iterable[Alert]) -> dict[str, Alert]:
    """The alerts a receiver holds once it applies amendments, by alert id. A claim has one standing alert:
    of the alerts about it, the one of the highest revision, unless that is a withdrawal. Whatever order the
    figures arrived in, and whatever order the alerts are delivered in, this is what an in-order replay
    sends."""
    latest: dict[str, Alert] = {}
    for alert in alerts:
        held = latest.get(alert.claim.claim_id)
        if held is None or alert.revision > held.revision:
            latest[alert.claim.claim_id] = alert
    return {a.alert_id: a for a in latest.values() if a.kind != AlertKind.withdrawn}


def retracted_claims(log: list[dict]) -> set[str]:
    """The claim ids of the figures the quantity's retraction alerts withdrew."""
    return {c["claim_id"] for entry in log if entry["kind"] == AlertKind.retraction.value
            for c in entry.get("related", ())}


def _held_entries(log: list[dict]) -> set[int]:
    """The positions in a stored alert log of the alerts standing after amendments (as standing() holds them)."""
    latest: dict[str, int] = {}
    for index, entry in enumerate(log):
        claim = entry["claim"]["claim_id"]
        if claim not in latest or entry.get("revision", 0) > log[latest[claim]].get("revision", 0):
            latest[claim] = index
    return {index for index in latest.values() if log[index]["kind"] != AlertKind.withdrawn.value}


def append_alerts(log: list[dict], alerts: list[Alert]) -> list[dict]:
    """The quantity's alert log with these alerts added (oldest dropped past the bound), without duplicates."""
    known = {notice_id(entry["alert_id"], entry.get("supersedes")) for entry in log}
    added = [alert.model_dump(mode="json") for alert in alerts if alert.notice_id not in known]
    return [*log, *added][-MAX_ALERTS_PER_QUANTITY:]


def _event_day(claim: dict) -> date | None:
    """The day a stored claim's figure holds: as_of, else its publication day."""
    if claim.get("as_of"):
        return date.fromisoformat(claim["as_of"][:10])
    published = claim.get("published_at")
    return parse_time(published).date() if published else None


_STANDING = {AlertKind.denial.value: "denied", AlertKind.contradiction.value: "contested",
             AlertKind.update.value: "updated"}


def status(log: list[dict], state: QuantityState | None = None) -> dict:
    """The quantity's status as of its latest figures, with the day it took that status:
    {"status": denied | contested | updated | settled, "since": ISO day or None}.

    The latest alert that changes the standing (by the day of its figure) decides, and a denial or a
    contradiction stops standing once any figure is dated after it: "denied" in 2024 is not the status of a
    quantity whose latest figure is from 2026."""
    held = _held_entries(log)
    events = sorted(((_event_day(entry["claim"]) or date.min, index, entry) for index, entry in enumerate(log)
                     if entry["kind"] in _STANDING and index in held), key=lambda item: item[:2])
    figures = [] if state is None else [c.as_of or (c.published_at.date() if c.published_at else None)
                                        for c in state.claims if c.modality not in (Modality.denial,
                                                                                    Modality.retracted)]
    latest_figure = max((d for d in figures if d), default=None)
    for day, _, entry in reversed(events):
        kind = entry["kind"]
        if kind in (AlertKind.denial.value, AlertKind.contradiction.value) and latest_figure and \
                day != date.min and latest_figure > day:
            continue  # superseded: a later figure stands after it
        return {"status": _STANDING[kind], "since": None if day == date.min else day.isoformat()}
    first = min((d for d in figures if d), default=None)
    return {"status": "settled", "since": first.isoformat() if first else None}


def _status_fields(standing: dict) -> dict:
    return {"status": standing["status"], "status_since": standing["since"]}


def quantity_summary(state: QuantityState, log: list[dict]) -> dict:
    figures = [c for c in state.claims if c.modality not in (Modality.denial, Modality.retracted)]
    latest = max(figures, key=event_order) if figures else None
    return {
        "quantity_key": state.quantity_key,
        "figures": len(state.claims),
        "independent_sources": independent_sources(state.claims),
        **_status_fields(status(log, state)),
        "latest": None if latest is None else {
            "figure_text": latest.figure_text, "value": latest.value, "lower": latest.lower, "upper": latest.upper,
            "source": latest.source, "as_of": latest.as_of.isoformat() if latest.as_of else None,
            "headline": latest.headline, "outlet": latest.outlet},
        "alerts": len(log),
    }


def timeline(state: QuantityState, log: list[dict]) -> dict:
    raised: dict[str, list[dict]] = {}
    for entry in log:
        raised.setdefault(entry["claim"]["claim_id"], []).append(
            {"alert_id": entry["alert_id"], "kind": entry["kind"], "summary": entry["summary"]})
    retracted = retracted_claims(log)
    figures = [{**claim.model_dump(mode="json"), "alerts": raised.get(claim.claim_id, []),
                "retracted": claim.claim_id in retracted} for claim in sorted(state.claims, key=event_order)]
    return {**quantity_summary(state, log), "timeline": figures, "axis": timeline_axis(state)}


LANES = (("reports", (Modality.reported, Modality.estimate, Modality.retracted)),
         ("projections", (Modality.projection,)))


def timeline_axis(state: QuantityState) -> dict:
    """The scales the console draws the timeline on (services.alerter.axis): the time axis broken over long
    gaps, and one lane per kind of figure (reports and estimates; projections), each with its own value
    ticks. Denials are marks on the time axis, in no lane."""
    days = [c.as_of or c.published_at.date() for c in state.claims if c.as_of or c.published_at]
    lanes = []
    for name, modalities in LANES:
        members = [c for c in state.claims if c.modality in modalities]
        if members:
            values = [v for c in members for v in (c.lower, c.value, c.upper) if v is not None]
            lanes.append({"name": name, "modalities": [m.value for m in modalities],
                          "value": axis.value_scale(values)})
    return {"time": axis.time_segments(days), "lanes": lanes}


@dataclass(frozen=True)
class AlertQuery:
    since: datetime | None = None
    kind: str | None = None
    quantity: str | None = None
    contains: str | None = None  # part of the quantity key, any case
    source: str | None = None  # part of a source's name in the alert, any case
    limit: int = MAX_PAGE_SIZE
    offset: int = 0


def _count(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    given = params.get(name) or None
    if given is None:
        return default
    if not (given.isascii() and given.isdigit()) or not low <= int(given) <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, not {given[:40]!r}")
    return int(given)


def alert_query(params: Mapping[str, str]) -> AlertQuery:
    """The /alerts filters and page from its query parameters (others are ignored); ValueError with a message
    fit for the client when one is malformed. An empty parameter is no filter, as the console's "all" sends
    it. quantity is a whole key; q a part of one; source a part of any source's name in the alert."""
    kind = params.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    since = params.get("since") or None
    try:
        since_time = parse_optional_time(since)
    except ValueError as exc:
        raise ValueError(f"since is {exc}") from None
    return AlertQuery(since=since_time, kind=kind, quantity=params.get("quantity") or None,
                      contains=(params.get("q") or "").strip().lower() or None,
                      source=(params.get("source") or "").strip().lower() or None,
                      limit=_count(params, "limit", MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE),
                      offset=_count(params, "offset", 0, 0, 10**9))


def _published(entry: dict) -> datetime | None:
    # stored as JSON text; claims written before naive times were read as UTC may lack an offset
    return parse_optional_time(entry["claim"].get("published_at"))


def _matches(entry: dict, query: AlertQuery) -> bool:
    if query.kind and entry["kind"] != query.kind:
        return False
    if query.quantity and entry["quantity_key"] != query.quantity:
        return False
    if query.contains and query.contains not in entry["quantity_key"].lower():
        return False
    if query.source:
        sources = [(claim.get("source") or "").lower() for claim in (entry["claim"], *entry.get("related", ()))]
        if not any(query.source in source for source in sources):
            return False
    return True


def select_alerts(logs: list[list[dict]], since: datetime | None = None, kind: str | None = None,
                  quantity: str | None = None) -> list[dict]:
    """Alerts across quantities, newest first by the triggering claim's publication time (undated last)."""
    return page_alerts(logs, AlertQuery(since=since, kind=kind, quantity=quantity, limit=10**9))[0]


def page_alerts(logs: list[list[dict]], query: AlertQuery) -> tuple[list[dict], int]:
    """One page of the alerts that match, newest first (undated last; ties by alert id, so pages are stable),
    and how many match in all."""
    since = as_utc_aware(query.since) if query.since else None
    selected = []
    for log in logs:
        held = _held_entries(log)
        retracted = retracted_claims(log)
        for index, entry in enumerate(log):
            if not _matches(entry, query):
                continue
            published = _published(entry)
            if since and published and published < since:
                continue
            # an amendment replaced it (or it is a withdrawal): kept in the log, marked for the reader; and an
            # alert that cites a figure its source later retracted says which
            cited = [c["claim_id"] for c in (entry["claim"], *entry.get("related", ())) if c["claim_id"] in retracted]
            selected.append((published, {**entry, "superseded": index not in held,
                                         "cites_retracted": cited if entry["kind"] != "retraction" else []}))
    ordered = _newest_first([entry for _, entry in selected])
    return ordered[query.offset:query.offset + query.limit], len(ordered)


def _newest_first(entries: list[dict]) -> list[dict]:
    entries = sorted(entries, key=_notice)
    times = {id(entry): _published(entry) for entry in entries}
    return sorted(entries, key=lambda e: times[id(e)].timestamp() if times[id(e)] else float("-inf"), reverse=True)


def _notice(entry: dict) -> str:
    return notice_id(entry["alert_id"], entry.get("supersedes"))


def merge_alert_pages(pages: list[list[dict]], offset: int, limit: int) -> list[dict]:
    """One page over several workers' answers, each the first offset+limit alerts of its partitions in the
    same order: merged, each alert once, in that order."""
    unique = {_notice(entry): entry for page in pages for entry in page}
    return _newest_first(list(unique.values()))[offset:offset + limit]


def merge_quantities(lists: list[list[dict]]) -> list[dict]:
    """Every worker's quantities, each key once (during a rebalance two workers may both hold one: the
    summary with more figures is the later one), sorted by key."""
    merged: dict[str, dict] = {}
    for summaries in lists:
        for summary in summaries:
            known = merged.get(summary["quantity_key"])
            if known is None or (summary["figures"], summary["alerts"]) > (known["figures"], known["alerts"]):
                merged[summary["quantity_key"]] = summary
    return [merged[key] for key in sorted(merged)]
