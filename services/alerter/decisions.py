"""decide(known figures, new claim) -> alerts: the pure function behind the alerter.

Figures are compared as intervals, never as raw values, and only within a class:
reports with reports, projections with projections, cumulative with cumulative."""
from __future__ import annotations

import bisect
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable
from datetime import date, datetime, timedelta, timezone

from pydantic import BaseModel, ConfigDict, Field

from schemas.models import Alert, AlertKind, Claim, Modality, Qualifier, QuantityEvent, Severity
from services.alerter import sources, wording
from services.common.errors import ConfigError

IDENTITY_WORDS_FILE = Path(__file__).parent / "data" / "identity_words.json"


_TOLL_MEASURES = frozenset({"killed", "injured", "missing", "casualties", "displaced"})
# event nouns an actor slot may hold ('the quake', 'the march'): not a subject of their own
_EVENT_WORDS = frozenset({"earthquake", "quake", "fire", "wildfire", "flood", "hurricane", "storm", "march",
                          "protest", "war", "inauguration", "outbreak", "unknown"})


@dataclass(frozen=True)
class DecisionPolicy:
    """Every threshold the decisions use; the alerter's settings fill it."""

    contradiction_window: timedelta = timedelta(hours=24)
    exact_tolerance: float = 0.02  # exact figures within 2% of each other are the same figure, rounded
    max_known_per_quantity: int = 64  # oldest figures beyond this are evicted from the state
    historical_years: int = 10  # a figure about a year this far before publication is context, not news
    # a figure about a one-day event (a march, an election) held this long before publication is a comparison
    past_occurrence_days: int = 30
    # a casualty toll this long after its first figure is a final count: a study that disagrees with the
    # standing official figure contradicts it whenever it comes; before that, only same-time figures conflict
    settle_after: timedelta = timedelta(days=30)
    # share prices and index levels are money but not claims about an event: recorded, never alerted, unless asked
    alert_market_figures: bool = False
    # compare figures across articles only when their events link (issue 18); False: one key, one quantity
    link_events: bool = True
    # two articles' events link when their starts are this close; long-running events have their own window
    event_window: timedelta = timedelta(days=45)
    event_windows: dict[str, timedelta] = field(default_factory=lambda: {
        "conflict": timedelta(days=730), "outbreak": timedelta(days=365), "famine": timedelta(days=365),
        "demonstration": timedelta(days=1), "inauguration": timedelta(days=1),
        "election": timedelta(days=1)})
    severity: dict[AlertKind, Severity] = field(default_factory=lambda: {
        AlertKind.new: Severity.info, AlertKind.update: Severity.warning,
        AlertKind.contradiction: Severity.critical, AlertKind.denial: Severity.critical,
        AlertKind.retraction: Severity.warning, AlertKind.withdrawn: Severity.info})


class QuantityState(BaseModel):
    """What is known about one quantity: its figures in arrival order, bounded."""

    model_config = ConfigDict(frozen=True)
    quantity_key: str
    claims: list[Claim] = Field(default_factory=list)
    revision: int = 0  # claims decided so far (not bounded like `claims`): the alerts' revision

    def known(self, claim_id: str) -> bool:
        return any(c.claim_id == claim_id for c in self.claims)


@dataclass(frozen=True)
class Decision:
    alerts: list[Alert]
    state: QuantityState
    relation: str  # new, update, contradiction, denial, consistent, duplicate, stale, syndicated, vague
    # alerts for claims after this one in event order whose decision it changed (a late arrival)
    amendments: list[Alert] = field(default_factory=list)

    @property
    def outbox(self) -> list[Alert]:
        """Everything to send: the claim's own alert, then the amendments."""
        return [*self.alerts, *self.amendments]


def _interval(claim: Claim, tolerance: float) -> tuple[float, float, bool, bool]:
    lower = claim.lower if claim.lower is not None else float("-inf")
    upper = claim.upper if claim.upper is not None else float("inf")
    if claim.qualifier == Qualifier.exact and claim.value is not None:
        # exact figures in news are rounded: "3,000" and "2,975" are not a contradiction
        lower, upper = claim.value * (1 - tolerance), claim.value * (1 + tolerance)
    return lower, upper, claim.strict_lower, claim.strict_upper


def compatible(a: Claim, b: Claim, tolerance: float = 0.02) -> bool:
    # rounding slack is for two exact figures ("3,000" and "2,975"); against a bound the figure is taken as
    # written, so "fewer than 25,000" disputes "25,000"
    if not (a.qualifier == b.qualifier == Qualifier.exact):
        tolerance = 0.0
    alo, ahi, asl, asu = _interval(a, tolerance)
    blo, bhi, bsl, bsu = _interval(b, tolerance)
    lo, hi = max(alo, blo), min(ahi, bhi)
    if lo < hi:
        return True
    if lo > hi:
        return False
    strict = (alo == lo and asl) or (blo == lo and bsl) or (ahi == hi and asu) or (bhi == hi and bsu)
    return not strict


def contains(outer: Claim, inner: Claim, tolerance: float = 0.02) -> bool:
    """outer's interval holds inner's: outer says nothing new (a restatement or a looser bound)."""
    olo, ohi, _, _ = _interval(outer, tolerance)
    ilo, ihi, _, _ = _interval(inner, tolerance)
    return olo <= ilo and ohi >= ihi


def same_figure(a: Claim, b: Claim) -> bool:
    """The same bounds, as written: a restatement, whoever repeats it."""
    return (a.lower, a.upper, a.qualifier) == (b.lower, b.upper, b.qualifier)


def _has_figure(claim: Claim) -> bool:
    return claim.qualifier != Qualifier.vague and (claim.lower is not None or claim.upper is not None)


def _vague_amount(claim: Claim) -> bool:
    """'thousands', 'hundreds': an amount with a conventional minimum but no figure; a figure-less claim ('fake
    news') has no bounds at all."""
    return claim.qualifier == Qualifier.vague and (claim.lower is not None or claim.upper is not None)


def _figure_class(claim: Claim) -> tuple[bool, bool, bool]:
    # a toll counts everyone so far whether or not the sentence says "in total": "the toll rose to 99" and
    # "at least 115 people died" are one running figure
    to_date = claim.cumulative or (claim.measure in _TOLL_MEASURES and not claim.incremental)
    return (claim.modality == Modality.projection, to_date, claim.incremental)


def source_identity(claim: Claim) -> str:
    """A normalised source name (services.alerter.sources), so 'the U.S.' and 'U.S.' count as one source."""
    if not claim.source:
        return f"outlet:{claim.outlet or claim.article_id}"
    return sources.normalise(claim.source)


def _sentence_fingerprint(claim: Claim) -> str:
    return _fingerprint(claim.sentence)


@lru_cache(maxsize=8192)
def _fingerprint(sentence: str) -> str:
    return hashlib.sha256(re.sub(r"\W+", " ", sentence.lower()).strip().encode()).hexdigest()[:16]


def alert_id(kind: AlertKind, quantity_key: str, claim: Claim, related: list[Claim]) -> str:
    basis = "|".join([kind.value, quantity_key, claim.claim_id, *sorted(c.claim_id for c in related)])
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def _load_identity_words(sections: tuple[str, ...], path: Path = IDENTITY_WORDS_FILE) -> list[frozenset[str]]:
    """Each section's entries, the file read once and validated."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        lists = [data[section]["entries"] for section in sections]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path.name}: cannot read the identity words ({exc})") from None
    for section, entries in zip(sections, lists):
        if not isinstance(entries, list) or not all(isinstance(w, str) and w and w == w.strip().lower()
                                                    for w in entries):
            raise ConfigError(f"{path.name}: '{section}' must list lower-case names")
    return [frozenset(entries) for entries in lists]


UNRESOLVED_MEASURES, LOCAL_EVENT_TYPES = _load_identity_words(("unresolved_measures", "local_event_types"))


def unresolved(claim: Claim) -> str | None:
    """Why a claim is compared only within its own article: 'unresolved_event', 'unresolved_place',
    'unresolved_measure' (people counted, nothing said of what befell them), or None."""
    q = claim.quantity
    if q is None:
        return None
    if claim.measure in UNRESOLVED_MEASURES:
        return "unresolved_measure"
    if q.event.type is None and q.event.name is None:
        return "unresolved_event"
    if q.event.name is None and q.event.place is None and q.event.site is None:
        return "unresolved_place"
    if q.scope is None and claim.location is not None and not q.scope_chain:
        return "unresolved_place"
    return None


def _own_subject(claim: Claim) -> bool:
    """A stock measure (troops, members) whose subject the text names: an organisation, a country's forces."""
    q = claim.quantity
    return bool(q and q.subject and q.measure not in _TOLL_MEASURES and q.kind != "projection"
                and (q.event.type is None or q.subject.lower() not in (q.event.type, *q.event.types))
                and q.subject.lower() not in _EVENT_WORDS)


def _window(event_type: str | None, policy: "DecisionPolicy") -> timedelta:
    return policy.event_windows.get(event_type or "", policy.event_window)


def _one_day(event_type: str, policy: "DecisionPolicy") -> bool:
    """A march, an election, an inauguration: each occurrence is one day's (its linking window is a day)."""
    return _window(event_type, policy) <= timedelta(days=1)


def events_link(a: QuantityEvent, b: QuantityEvent, policy: "DecisionPolicy") -> bool:
    """One event reported twice: the same name; or the same type, compatible places (each one's country among
    the other's) and starts within the type's window."""
    if a.name or b.name:
        return a.name == b.name
    if a.type is None or b.type is None or (a.place is None or b.place is None) and not (a.site and a.site == b.site):
        return False
    if a.type != b.type and a.type not in b.types and b.type not in a.types:
        return False
    same_site = a.site is not None and a.site == b.site
    if not same_site and a.place.country_code not in b.countries and b.place.country_code not in a.countries:
        return False
    if not same_site and a.type in LOCAL_EVENT_TYPES and a.regions and b.regions and \
            not set(a.regions) & set(b.regions):
        return False  # a fire in one state and a fire in another, on one day: two fires
    if a.start is None or b.start is None:
        return a.start is None and b.start is None
    if a.start_is_year or b.start_is_year:
        return abs(a.start.year - b.start.year) <= _window(a.type, policy).days // 365
    return abs(a.start - b.start) <= _window(a.type, policy)


def _several(claim: Claim) -> bool:
    """A figure for several countries at once ('in X and Y'): its chain lists them."""
    return claim.quantity is not None and claim.quantity.scope is None and len(claim.quantity.scope_chain) > 1


def _inside(a: Claim, b: Claim) -> bool:
    """a's place is strictly inside b's: a town in b's country, a country among b's several."""
    ca, cb = a.quantity.scope_chain, b.quantity.scope_chain
    if not ca or not cb or ca == cb:
        return False
    if _several(b):
        return not _several(a) and ca[-1] in cb
    return not _several(a) and len(ca) > len(cb) and ca[-len(cb):] == cb


def _local(claim: Claim) -> bool:
    scope = claim.quantity.scope if claim.quantity else None
    return scope is not None and scope.kind != "country" and claim.place is not None


def scope_relation(a: Claim, b: Claim) -> str:
    """'same', 'part' (a inside b), 'whole' (b inside a) or 'other' (two places neither holds)."""
    if a.quantity is None or b.quantity is None:
        return "same"
    ca, cb = a.quantity.scope_chain, b.quantity.scope_chain
    if not ca or not cb or ca == cb or (a.location is None and b.location is None) or (
            _several(a) and _several(b) and set(ca) == set(cb)):
        return "same"
    if a.location is None or b.location is None:
        # a figure that names no place holds for its event, whatever part of it the other names; but where the
        # article gives the measure town by town, the unplaced figure is their whole ("800,000" and "40,000 in
        # Lyon"), unless both count one force, which has one strength wherever it stands
        located, unplaced = (a, b) if b.location is None else (b, a)
        if unplaced.quantity.by_place and _local(located) and _inside(located, unplaced) and not (
                _own_subject(a) and _own_subject(b)):
            return "part" if located is a else "whole"
        return "same"
    if _inside(a, b):
        return "part"
    if _inside(b, a):
        return "whole"
    return "other"


def same_quantity(a: Claim, b: Claim, policy: "DecisionPolicy | None" = None) -> bool:
    """Whether the alerter compares the two claims' figures: one quantity key, and, across articles, linked
    events and resolved places. Unknown never equals unknown."""
    policy = policy or DecisionPolicy()
    if a.quantity_key != b.quantity_key:
        return False
    if not policy.link_events or a.quantity is None or b.quantity is None:
        return True
    relation = scope_relation(a, b)
    if relation in ("part", "whole") and a.measure not in _TOLL_MEASURES or relation == "other" and _local(a) and \
            _local(b):
        # two towns: two counts. A toll naming a town inside the country stays the country's (the place a national
        # count is announced from), and two countries of one event may be a flight's origin and destination
        return False
    if a.article_hash == b.article_hash:
        ea, eb = a.quantity.event, b.quantity.event
        # one article, one quantity, unless it tells two one-day events apart: "500,000 marched on the 11th,
        # 300,000 on the 16th" are two days' marches, not a revision
        return ea.key == eb.key or ea.type is None or eb.type is None or ea.start is None or eb.start is None or \
            not _one_day(ea.type, policy) or events_link(ea, eb, policy)
    if _own_subject(a) and _own_subject(b) and a.quantity.subject.lower() == b.quantity.subject.lower():
        return True  # a force's or an organisation's strength belongs to it, whatever the day's event
    if unresolved(a) or unresolved(b):
        return False
    return events_link(a.quantity.event, b.quantity.event, policy)


def _day(claim: Claim) -> date | None:
    return claim.as_of or (claim.published_at.date() if claim.published_at else None)


def independent_sources(claims: list[Claim]) -> int:
    """Distinct sources asserting a figure; syndicated copies of one sentence count once."""
    seen_sentences: set[str] = set()
    lineages: list[Claim] = []  # one claim per lineage: spelling variants and aliases count once
    for claim in claims:
        if claim.modality == Modality.denial:
            continue
        fingerprint = _sentence_fingerprint(claim)
        if fingerprint in seen_sentences:
            continue
        seen_sentences.add(fingerprint)
        if not any(_same_lineage(claim, other) for other in lineages):
            lineages.append(claim)
    return len(lineages)


def _when(claim: Claim) -> str:
    day = _day(claim)
    return f" on {day:%d %b %Y}" if day else ""


def summarise(kind: AlertKind, claim: Claim, related: list[Claim]) -> str:
    """One readable line: "Police say 12,000 people gathered on 02 Mar 2025; organisers said 40,000"."""
    who = claim.source or "unattributed report"
    phrase = wording.figure_phrase(claim.figure_text, claim.entity, claim.measure)
    head = f"{who} {wording.verb(claim.source, 'says', 'say')} {phrase}{_when(claim)}"
    if kind == AlertKind.denial:
        denies = wording.verb(claim.source, "denies", "deny")
        head = f"{who} {denies} the figures ({claim.figure_text}){_when(claim)}"
    if kind == AlertKind.retraction:
        retracts = wording.verb(claim.source, "retracts", "retract")
        head = f"{who} {retracts} {'its' if retracts == 'retracts' else 'their'} figure ({claim.figure_text}){_when(claim)}"
    if not related:
        return f"{kind.value.capitalize()}: {head}"
    other = related[0]
    tail = f"{other.source or 'unattributed report'} said {other.figure_text}{_when(other)}"
    if len(related) > 1:
        tail += f" (+{len(related) - 1} more)"
    return f"{kind.value.capitalize()}: {head}; {tail}"


def _make_alert(kind: AlertKind, claim: Claim, related: list[Claim], state_claims: list[Claim],
                policy: DecisionPolicy, rule: str) -> Alert:
    return Alert(
        alert_id=alert_id(kind, claim.quantity_key, claim, related), kind=kind, severity=policy.severity[kind],
        quantity_key=claim.quantity_key, summary=summarise(kind, claim, related), claim=claim, related=related,
        independent_sources=independent_sources(state_claims), rule=rule,
    )


def _current(claims: list[Claim]) -> list[Claim]:
    """The figures still standing: the latest report (reports supersede each other, whoever tallies),
    and each estimating source's latest estimate."""
    reports = [c for c in claims if c.modality != Modality.estimate]
    estimates = [c for c in claims if c.modality == Modality.estimate]
    current = _latest_per_source(estimates)
    if reports:
        current.append(max(reports, key=lambda c: (_day(c) or date.min)))
    return current


def _latest_per_source(claims: list[Claim]) -> list[Claim]:
    latest: dict[str, Claim] = {}
    for claim in claims:
        key = source_identity(claim)
        if key not in latest or (_day(claim) or date.min) >= (_day(latest[key]) or date.min):
            latest[key] = claim
    return list(latest.values())


_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


def event_order(claim: Claim) -> tuple:
    """Publication time, then the article, then the position in it: the order decisions are made in,
    whatever order the claims arrive in."""
    return (claim.published_at or _EARLIEST, claim.article_hash, claim.char_start)


def decide(state: QuantityState, claim: Claim, policy: DecisionPolicy = DecisionPolicy()) -> Decision:
    """The alerts a new claim raises against what is known about its quantity, and the new state.

    The claim is judged only against known claims that precede it in event order, so a late-arriving
    article is decided as it would have been in order. Known claims after it in event order are judged
    again with it among their predecessors: where that changes an alert already sent, the decision carries
    an amendment (`Decision.amendments`)."""
    if state.known(claim.claim_id):
        return Decision([], state, "duplicate")
    before = sorted(state.claims, key=event_order)
    # ties (no publication time) fall back to arrival order: the new claim goes after its equals
    position = bisect.bisect_right([event_order(c) for c in before], event_order(claim))
    after = [*before[:position], claim, *before[position:]]
    revision = state.revision + 1
    rule, alert = standing_decision(after, position, policy)
    amendments = [amendment for index in range(position + 1, len(after))
                  if (amendment := _amendment(standing_decision(before, index - 1, policy),
                                              standing_decision(after, index, policy), after[index], policy))]
    new_state = QuantityState(quantity_key=state.quantity_key or claim.quantity_key,
                              claims=after[-policy.max_known_per_quantity:], revision=revision)
    outbox = [a.model_copy(update={"revision": revision}) for a in ([alert] if alert else []) + amendments]
    return Decision(outbox[:1] if alert else [], new_state, rule.relation or rule.name,
                    outbox[1:] if alert else outbox)


def standing_decision(ordered: list[Claim], index: int, policy: DecisionPolicy) -> tuple["Rule", Alert | None]:
    """How ordered[index] is decided with the claims before it in event order as what is known: the rule
    and the alert (None: the rule raises none). A retraction withdraws its source's earlier figures: from
    then on they count as neither known nor earlier."""
    claim = ordered[index]
    withdrawn = _withdrawn_by_retractions(ordered[:index])
    earlier = [c for c in ordered[:index] if c.claim_id not in withdrawn]
    known = [c for c in earlier if same_quantity(c, claim, policy)]
    rule, related = evaluate(Situation(claim, known, earlier, policy))
    alert = _make_alert(rule.kind, claim, related, [*earlier, claim], policy, rule.name) if rule.kind else None
    return rule, alert


def _withdrawn_by_retractions(ordered: list[Claim]) -> set[str]:
    withdrawn: set[str] = set()
    for index, claim in enumerate(ordered):
        if claim.modality == Modality.retracted:
            source = source_identity(claim)
            withdrawn |= {c.claim_id for c in ordered[:index] if source_identity(c) == source}
    return withdrawn


def _amendment(was: tuple["Rule", Alert | None], now: tuple["Rule", Alert | None], claim: Claim,
               policy: DecisionPolicy) -> Alert | None:
    """What a receiver needs to hold the in-order alerts once a late figure changed how `claim` is decided:
    the new alert, superseding the old one if there was one, or a withdrawal of the old one. None: no change."""
    (_, old), (rule, new) = was, now
    if (old and old.alert_id) == (new and new.alert_id):
        return None
    if new is not None:
        was_kind = f" (was {old.kind.value})" if old else ""
        return new.model_copy(update={"amended": True, "supersedes": [old.alert_id] if old else [],
                                      "summary": f"Amended{was_kind}: {new.summary}"})
    withdrawal_id = hashlib.sha256(f"{AlertKind.withdrawn.value}|{old.alert_id}".encode()).hexdigest()[:32]
    return Alert(alert_id=withdrawal_id,
                 kind=AlertKind.withdrawn, severity=policy.severity.get(AlertKind.withdrawn, Severity.info),
                 quantity_key=claim.quantity_key, claim=claim, related=old.related,
                 summary=f"Withdrawn ({old.kind.value}; now {rule.name}): {old.summary}",
                 independent_sources=old.independent_sources, rule=rule.name, amended=True,
                 supersedes=[old.alert_id])


_OWNER_RE = re.compile(r"^(?:the\s+)?([a-z][a-z .]*?)(?:’s|'s)\s", re.I)


def _same_lineage(a: Claim, b: Claim) -> bool:
    """One source or one institution, however named: aliases and spellings of one name (sources.same_source);
    "Turkey's President" and "Turkey's disaster agency" (one government's tally). A generic source ('officials')
    is not the lineage of a specific one ('Israeli officials')."""
    if source_identity(a) == source_identity(b):
        return True
    if not a.source or not b.source:
        return False
    if sources.same_source(a.source, b.source):
        return True
    owner_a, owner_b = _owner(a), _owner(b)
    return bool(owner_a and owner_b) and owner_a == owner_b


def _owner(claim: Claim) -> str | None:
    """Whose organ a source is: "Turkey's disaster agency", "Turkish officials" and "Turkey's President X" (as
    the sentence names X) are all Turkey's, one government's tally: the country the extractor resolved
    (`source_country`), else the possessive the source opens with ("the city's mayor")."""
    if claim.source_country:
        return claim.source_country.lower()
    return _owner_of(claim.source, claim.sentence or "") if claim.source else None


@lru_cache(maxsize=8192)
def _owner_of(source: str, sentence: str) -> str | None:
    own = _OWNER_RE.match(source)
    if own:
        return own.group(1).lower()
    titled = re.search(r"\b([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)(?:’s|'s)\s+((?:[\w.-]+\s+){1,3}?)"
                       + re.escape(source) + r"\b", sentence)
    if titled and " ".join(titled.group(2).lower().split()) in sources.TITLES:
        return titled.group(1).lower()  # "Norway's President Halvor Dahl"
    return None


def _past_occurrence(claim: Claim, policy: DecisionPolicy) -> bool:
    event = claim.quantity.event if claim.quantity is not None else None
    if event is None or event.type is None or event.start is None or claim.published_at is None or \
            not _one_day(event.type, policy) or policy.past_occurrence_days <= 0:
        return False
    # an event known only by its year ('the 2030 election') may have been held on its last day
    held = date(event.start.year, 12, 31) if event.start_is_year else event.start
    return (claim.published_at.date() - held).days >= policy.past_occurrence_days


def _is_historical(claim: Claim, policy: DecisionPolicy) -> bool:
    if not claim.published_at:
        return False
    year = claim.reference_year or (claim.as_of.year if claim.as_of else None)
    return year is not None and claim.published_at.year - year >= policy.historical_years


@dataclass
class Situation:
    """What the rules look at: the claim, the figures of its quantity known before it (`known`), every earlier
    figure under its key (`earlier`), and the facts derived from them, each computed once when a rule asks."""

    claim: Claim
    known: list[Claim]
    earlier: list[Claim]
    policy: DecisionPolicy
    already_known: bool = False

    @cached_property
    def asserted(self) -> list[Claim]:
        return [c for c in self.known if c.modality not in (Modality.retracted, Modality.denial) and not c.carried_by]

    @cached_property
    def denied(self) -> list[Claim]:
        """The standing figures a denial answers: each other source's latest report or estimate."""
        return [c for c in _latest_per_source(self.asserted) if c.modality != Modality.projection
                and source_identity(c) != source_identity(self.claim)]

    @cached_property
    def retracted(self) -> list[Claim]:
        """The figures a retraction withdraws: its own lineage's, still standing."""
        return [c for c in self.asserted if _has_figure(c) and _same_lineage(c, self.claim)]

    @cached_property
    def part_whole(self) -> list[Claim]:
        if self.claim.modality == Modality.denial:
            return []
        known = {c.claim_id for c in self.known}  # by id: comparing pydantic models field by field is slow
        return _part_whole_conflicts([c for c in self.earlier if c.claim_id not in known], self.claim, self.policy)

    @cached_property
    def same_class(self) -> list[Claim]:
        return [c for c in self.asserted if _figure_class(c) == _figure_class(self.claim)]

    @cached_property
    def with_figures(self) -> list[Claim]:
        return [c for c in self.same_class if _has_figure(c)]

    @cached_property
    def first_figure(self) -> bool:
        return not self.same_class or (not self.with_figures and _has_figure(self.claim))

    @cached_property
    def uncompared(self) -> str | None:
        """Why figures from other articles under the key were not compared, if some were not."""
        why = unresolved(self.claim)
        return why if why and len(self.known) < len(self.earlier) else None

    @cached_property
    def dated(self) -> list[Claim]:
        return [c for c in self.with_figures if c.as_of]

    @cached_property
    def latest_report(self) -> Claim | None:
        reports = [c for c in self.dated if c.modality != Modality.estimate]
        return max(reports, key=lambda c: c.as_of) if reports else None

    @cached_property
    def revises_tally(self) -> bool:
        """The next figure of a running official tally: a report for a later day than the latest report that
        does not merely hold it."""
        claim, latest = self.claim, self.latest_report
        return bool(claim.modality != Modality.estimate and claim.as_of and latest and claim.as_of > latest.as_of
                    and not contains(claim, latest, self.policy.exact_tolerance))

    @cached_property
    def restated(self) -> list[Claim]:
        claim = self.claim
        if self.revises_tally:
            return []
        return [c for c in self.with_figures if same_figure(c, claim) or (
            claim.modality == Modality.estimate == c.modality and c.article_hash != claim.article_hash
            and contains(claim, c, 0.0))]  # "at least N" repeats a known study's N

    @cached_property
    def conflicting(self) -> list[Claim]:
        return _conflicting(self.with_figures, self.claim, self.policy)

    @cached_property
    def latest(self) -> Claim:
        """The latest dated figure; undated figures (rates, "initially", a period) are compared but never the
        latest unless nothing is dated."""
        return max(self.dated, key=lambda c: c.as_of) if self.dated else self.with_figures[-1]

    @cached_property
    def older_than_latest(self) -> bool:
        """The claim is for an earlier time than the latest figure: an earlier day, or, undated, an earlier
        year that it names ('last year', 'in 2017')."""
        claim, latest = self.claim, self.latest.as_of
        if latest is None:
            return False
        if claim.as_of:
            return claim.as_of < latest
        return bool(claim.reference_year) and claim.reference_year < latest.year


@dataclass(frozen=True)
class Rule:
    """One line of the policy: when `applies`, the claim raises `kind` (None: no alert) against `related`."""

    name: str
    applies: Callable[[Situation], bool]
    kind: AlertKind | None
    related: Callable[[Situation], list[Claim]]
    reason: str
    relation: str = ""  # the relation counted in the metrics; the rule's name unless several rules share it

    @property
    def outcome(self) -> str:
        return self.kind.value if self.kind else "no alert"


def _none(s: Situation) -> list[Claim]:
    return []


def _latest(s: Situation) -> list[Claim]:
    return [s.latest]


# The policy, in order: the first rule that applies decides. README.md shows this table (rules_markdown()).
RULES: tuple[Rule, ...] = (
    Rule("duplicate", lambda s: s.already_known, None, _none,
         "The same claim was already decided (a redelivery)."),
    Rule("part_exceeds_whole", lambda s: bool(s.part_whole), AlertKind.contradiction, lambda s: s.part_whole,
         "A figure for a place is above the figure for a place holding it, for about the same time."),
    Rule("market", lambda s: s.claim.measure.startswith("market") and not s.policy.alert_market_figures, None,
         _none, "A share price or market figure: money, but no claim about an event (`alert_market_figures`)."),
    Rule("syndicated", lambda s: any(_sentence_fingerprint(c) == _sentence_fingerprint(s.claim)
                                     and c.article_hash != s.claim.article_hash for c in s.known), None, _none,
         "Another article already carried the same sentence: a syndicated copy."),
    Rule("historical", lambda s: _is_historical(s.claim, s.policy), None, _none,
         "The figure is about a year at least `historical_years` before publication: context, not news."),
    Rule("past_occurrence", lambda s: _past_occurrence(s.claim, s.policy), None, _none,
         "The figure is about an earlier occurrence of a one-day event (last year's march, a past inauguration), "
         "held at least `past_occurrence_days` before publication: a comparison, not news."),
    Rule("rounded", lambda s: bool(s.claim.carried_by), None, _none,
         "A rounded figure whose precise form later in the article carries the alert."),
    Rule("vague_denial", lambda s: s.claim.modality == Modality.denial and _vague_amount(s.claim), None, _none,
         "A denial of a vague amount ('does not believe thousands died'): a vague amount contradicts no figure; "
         "a denial with no figure at all ('fake news') still denies.", relation="vague"),
    Rule("denial", lambda s: s.claim.modality == Modality.denial and bool(s.denied), AlertKind.denial,
         lambda s: s.denied, "A source denies the figures another source stands by."),
    Rule("denial_unanswered", lambda s: s.claim.modality == Modality.denial, None, _none,
         "A denial with no other source's figure standing to deny.", relation="denial"),
    Rule("retraction", lambda s: s.claim.modality == Modality.retracted and bool(s.retracted), AlertKind.retraction,
         lambda s: s.retracted, "A source withdraws its own standing figures: from then on they are compared with "
         "nothing."),
    Rule("retraction_unanswered", lambda s: s.claim.modality == Modality.retracted, None, _none,
         "A retraction with no figure of its source standing to withdraw.", relation="retraction"),
    Rule("unresolved_event", lambda s: s.first_figure and s.uncompared == "unresolved_event", AlertKind.new, _none,
         "A first figure whose event is unknown: compared only within its own article."),
    Rule("unresolved_place", lambda s: s.first_figure and s.uncompared == "unresolved_place", AlertKind.new, _none,
         "A first figure whose place is unknown: compared only within its own article."),
    Rule("unresolved_measure", lambda s: s.first_figure and s.uncompared == "unresolved_measure", AlertKind.new,
         _none, "A first figure that says only that people were counted, not what befell them: compared only "
         "within its own article."),
    Rule("new", lambda s: s.first_figure, AlertKind.new, _none,
         "The first figure of its quantity and class (report, projection, cumulative, increment)."),
    Rule("vague", lambda s: not _has_figure(s.claim), None, _none,
         "No bounds to compare ('thousands', 'a small number') once a figure is known."),
    Rule("restated", lambda s: bool(s.restated), None, lambda s: [s.restated[-1]],
         "The same bounds as a known figure, or a looser bound around a known estimate: not news."),
    Rule("tally_update", lambda s: s.revises_tally and all(c.modality == Modality.estimate for c in s.conflicting),
         AlertKind.update, lambda s: [s.latest_report],
         "A report for a later day than the latest report that it does not merely hold: the tally moved on.",
         relation="update"),
    Rule("stale", lambda s: s.older_than_latest, None, _latest,
         "A figure for an earlier time than the latest known one: an earlier day, or an earlier year it names."),
    Rule("contained", lambda s: contains(s.claim, s.latest, s.policy.exact_tolerance), None, _latest,
         "The figure holds the latest one (a restatement or a looser bound).", relation="consistent"),
    Rule("alternative", lambda s: s.claim.modality == Modality.estimate and bool(_alternatives(s)), None,
         lambda s: [_alternatives(s)[-1]], "A second reading of an estimate by its lineage in the same article."),
    Rule("contradiction", lambda s: bool(s.conflicting), AlertKind.contradiction, lambda s: s.conflicting,
         "Another lineage's standing figure cannot share the claim's interval, for about the same time."),
    Rule("undated", lambda s: s.claim.as_of is None, None, _latest,
         "No date: an update is a figure for a later date."),
    Rule("update", lambda s: not compatible(s.latest, s.claim, s.policy.exact_tolerance) or contains(
        s.latest, s.claim, s.policy.exact_tolerance), AlertKind.update, _latest,
         "A dated figure that moves off the latest one, or narrows it."),
    Rule("consistent", lambda s: True, None, _latest,
         "Anything else: the figure overlaps the latest one."),
)


def _alternatives(s: Situation) -> list[Claim]:
    return [c for c in s.with_figures if c.article_hash == s.claim.article_hash
            and c.modality == Modality.estimate and (_same_lineage(c, s.claim) or _refers_back(c, s.claim))]


def _refers_back(a: Claim, b: Claim) -> bool:
    """In one article, a generic source whose words the other's hold refers back to it: 'researchers' after
    'researchers at the university'. Across articles the generic one could be anyone."""
    if a.article_hash != b.article_hash or not a.source or not b.source:
        return False
    words_a, words_b = (set(re.findall(r"\w+", c.source.casefold())) for c in (a, b))
    return (sources.is_generic(a.source) and words_a <= words_b) or (sources.is_generic(b.source) and words_b <= words_a)


def evaluate(situation: Situation, rules: tuple[Rule, ...] = RULES) -> tuple[Rule, list[Claim]]:
    """The first rule that applies, and the claims it relates the claim to."""
    for rule in rules:
        if rule.applies(situation):
            return rule, rule.related(situation)
    raise AssertionError("the rule table must end with a rule that always applies")


def rules_markdown(rules: tuple[Rule, ...] = RULES) -> str:
    """The README's table of decision rules, generated from RULES."""
    lines = ["| # | rule | outcome | when |", "|---|---|---|---|"]
    lines += [f"| {i} | `{r.name}` | {r.outcome} | {r.reason} |" for i, r in enumerate(rules, 1)]
    return "\n".join(lines) + "\n"


def judge(known: list[Claim], claim: Claim, policy: DecisionPolicy,
          earlier: list[Claim] | None = None) -> tuple[AlertKind | None, list[Claim], str]:
    """The decision for `claim` given the claims known before it: (alert kind or None, related, relation)."""
    rule, related = evaluate(Situation(claim, known, known if earlier is None else earlier, policy))
    return rule.kind, related, rule.relation or rule.name


def _part_whole_conflicts(others: list[Claim], claim: Claim, policy: DecisionPolicy) -> list[Claim]:
    """Figures for a place holding the claim's (or held by it), of a linked event and about the same time, that
    the claim cannot be a part (or the whole) of: a town's count above its country's, a country's below a town's.
    A part smaller than the whole is consistent: no alert of its own."""
    if not policy.link_events or claim.quantity is None or not _has_figure(claim):
        return []
    window = policy.contradiction_window.total_seconds()
    found = []
    for other in others:
        if other.quantity is None or not _has_figure(other) or other.quantity_key != claim.quantity_key or \
                _figure_class(other) != _figure_class(claim) or other.modality in (Modality.denial, Modality.retracted):
            continue
        if not (other.article_hash == claim.article_hash or events_link(other.quantity.event, claim.quantity.event,
                                                                         policy)):
            continue
        day, other_day = _day(claim), _day(other)
        if not (day and other_day) or abs((day - other_day).total_seconds()) >= window:
            continue
        relation = scope_relation(claim, other)
        part, whole = (claim, other) if relation == "part" else (other, claim) if relation == "whole" else (None, None)
        if part is None or part.lower is None or whole.upper is None:
            continue
        if part.lower > whole.upper or (part.lower == whole.upper and (part.strict_lower or whole.strict_upper)):
            found.append(other)
    return found


def time_span(claim: Claim) -> tuple[date, date] | None:
    """The days a figure holds for: its as_of day, or the period the text dates it by ('in March'). A running
    total (a toll, a cumulative count) dated only by a period held at some unknown day of it, so it has no
    span to compare: a higher total later in the same month is the tally going on, not a rival."""
    if claim.as_of:
        return claim.as_of, claim.as_of
    if claim.period_start and claim.period_end and not _figure_class(claim)[1]:
        return claim.period_start, claim.period_end
    return None


def about_the_same_time(a: Claim, b: Claim, window: timedelta) -> bool:
    """The two figures' spans overlap, or come closer than the window: a month's figure and a day's inside
    it, two figures of one day. Undated figures are concurrent with nothing."""
    span_a, span_b = time_span(a), time_span(b)
    if span_a is None or span_b is None:
        return False
    gap = max(span_a[0], span_b[0]) - min(span_a[1], span_b[1])
    return gap.total_seconds() < window.total_seconds()


def _conflicting(with_figures: list[Claim], claim: Claim, policy: DecisionPolicy) -> list[Claim]:
    """Standing figures from other sources that the claim's interval cannot share, for about the same time."""
    day = claim.as_of
    window = policy.contradiction_window.total_seconds()
    claim_day = day or (claim.published_at.date() if claim.published_at else None)
    first_day = min((c.as_of for c in with_figures if c.as_of), default=None)
    settled = bool(claim_day and first_day) and claim_day - first_day >= policy.settle_after

    def concurrent(other: Claim) -> bool:
        if other.modality != claim.modality and Modality.estimate in (other.modality, claim.modality) and \
                claim.measure in _TOLL_MEASURES and settled:
            return True  # a study re-estimating a final toll conflicts with the standing official figure
        return about_the_same_time(claim, other, policy.contradiction_window)

    def relayed(other: Claim) -> bool:
        """An outlet's unattributed toll relays a count; it is no rival lineage to a named one, in either order."""
        return (claim.measure in _TOLL_MEASURES and Modality.estimate not in (claim.modality, other.modality)
                and claim.article_hash != other.article_hash and (claim.source is None or other.source is None))

    return [c for c in _current(with_figures)
            if not compatible(c, claim, policy.exact_tolerance) and not _same_lineage(c, claim) and concurrent(c)
            and not relayed(c)]
