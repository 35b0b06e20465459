"""The event a figure belongs to, and the explicit quantity a claim measures (issue 18).

Pure: text, dates and gazetteer places in, `QuantityEvent`/`Quantity` out. An article's main event is its most
named event type (nouns grouped by type in data/lexicon_events.json), a named storm if it names one, placed in
the country the article names most, starting on the day the text gives for it or else the news day. A sentence
about another event keeps that event ('a quake in 1999', another named storm). Where no type or no country is
found the event is unresolved: its key holds the article hash, so it links to nothing outside the article."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from schemas.models import Claim, ClaimPlace, Modality, Quantity, QuantityEvent
from services.extractor.extraction import lexicon as lx

_TYPE_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(n) for n in lx.EVENT_TYPES), key=len, reverse=True))
                      + r")\b", re.I)
_NAMED_STORM_RE = re.compile(r"\b(?:[Hh]urricane|[Tt]yphoon|[Cc]yclone|[Ss]torm|[Tt]ropical [Ss]torm)\s+([A-Z][a-z]+)")
# a proper name right before an event noun ('the Grenfell Tower fire'); the noun itself is matched in any case
_SITE_RE = re.compile(r"\b((?:[A-Z][a-z’'-]+\s+){1,3})(?=(" + "|".join(
    sorted((re.escape(n) for n in lx.EVENT_TYPES), key=len, reverse=True)) + r")\b)")
_POSSESSIVE_RE = re.compile(r"(?:’s|'s|’|')$")
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MAX_COUNTRIES = 3
_LEAD_CHARS = 600


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A gazetteer place the article names (demonyms excluded)."""
    start: int
    place: ClaimPlace


def event_types(text: str) -> Counter:
    """Event types named in the text, counted by type, not by noun ('quake' and 'earthquake' are one)."""
    return Counter(lx.EVENT_TYPES[m.group(1).lower()] for m in _TYPE_RE.finditer(text) if not is_light_use(text, m))


_LIGHT_OBJECT_RE = re.compile(r"\s+of\s+(?:the\s+|a\s+|an\s+)?([a-z][a-z-]*)")


def is_light_use(text: str, match: re.Match) -> bool:
    """'a flood of refugees', 'an outbreak of violence': the event noun only says how much of what follows. A
    month or a name after 'of' is the event's own date or place ('the storm of March 2018', 'the flood of Lisbon')."""
    noun = match.group(0).lower()
    if noun not in lx.LIGHT_NOUNS and noun[:-1] not in lx.LIGHT_NOUNS:  # 'waves of', 'floods of'
        return False
    follows = _LIGHT_OBJECT_RE.match(text, match.end())
    if follows is None or follows.group(1) in lx.MONTHS:
        return False
    if noun in lx.LIGHT_BEFORE_EVENTS or noun[:-1] in lx.LIGHT_BEFORE_EVENTS:
        return follows.group(1) in lx.EVENT_TYPES  # 'an outbreak of cholera' is one; 'of violence' is violence
    return True


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _country(mention: ClaimPlace) -> ClaimPlace:
    return ClaimPlace(name=mention.country_name, kind="country", country_code=mention.country_code,
                      country_name=mention.country_name)


def event_key(type_: str | None, name: str | None, place: ClaimPlace | None, start: date | None,
              article_hash: str) -> str:
    if name:
        return _slug(name)
    if type_ is None:
        return f"unresolved_event.{article_hash[:12]}"
    if place is None:
        return f"{type_}.unresolved_place.{article_hash[:12]}"
    return f"{type_}.{place.country_code.lower()}.{start.isoformat() if start else 'undated'}"


def _event_year(text: str, type_: str, published: date | None) -> int | None:
    """An earlier year the first sentence gives its main event ('the 2017 fire', 'the fire of June 2017'); later
    sentences may compare with other occurrences."""
    if published is None:
        return None
    years = Counter()
    lead = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0][:_LEAD_CHARS]  # the first sentence
    for m in _TYPE_RE.finditer(lead):
        if lx.EVENT_TYPES[m.group(1).lower()] != type_ or is_light_use(lead, m):
            continue
        near = lead[max(0, m.start() - 40):m.end() + 25]
        years.update(int(y) for y in _YEAR_RE.findall(near) if int(y) < published.year)
    return years.most_common(1)[0][0] if years else None


def _site(text: str, type_: str | None) -> str | None:
    """The name the text gives its main event most often, without leading articles or calendar words."""
    names = Counter()
    for m in _SITE_RE.finditer(text):
        if type_ is None or lx.EVENT_TYPES.get(m.group(2).lower()) != type_:
            continue
        words = [w for w in (_POSSESSIVE_RE.sub("", w).lower() for w in m.group(1).split())
                 if w and w not in lx.SITE_STOPWORDS and w not in lx.MONTHS and w not in lx.WEEKDAYS]
        if words:
            names[" ".join(words)] += 1
    return names.most_common(1)[0][0] if names else None


def article_event(text: str, places: list[PlaceMention], start: date | None, article_hash: str) -> QuantityEvent:
    """The article's main event. `start` is the news day; an earlier year the text gives the event wins."""
    types = event_types(text)
    ranked = sorted(types, key=lambda t: (-types[t], lx.EVENT_NOUNS.index(t) if t in lx.EVENT_NOUNS else 99))
    counts = Counter(p.place.country_code for p in places)
    first = {}
    for p in places:
        first.setdefault(p.place.country_code, p.place)
    countries = [code for code, _ in sorted(counts.items(), key=lambda kv: (-kv[1], list(first).index(kv[0])))]
    place = _country(first[countries[0]]) if countries else None
    regions = Counter(p.place.region_code for p in places if p.place.region_code)
    common = {"countries": countries[:_MAX_COUNTRIES], "types": ranked[:_MAX_COUNTRIES], "place": place,
              "regions": [code for code, _ in regions.most_common(_MAX_COUNTRIES)]}
    named = Counter(m.group(1).lower() for m in _NAMED_STORM_RE.finditer(text))
    if named and (not ranked or types["storm"] >= types[ranked[0]]):
        name = f"storm {named.most_common(1)[0][0]}"
        return QuantityEvent(type="storm", name=name, start=start, key=event_key("storm", name, place, start,
                                                                                article_hash), **common)
    type_ = ranked[0] if ranked else None
    year = _event_year(text, type_, start) if type_ else None
    if year is not None:
        start = date(year, 1, 1)
    return QuantityEvent(type=type_, start=start, start_is_year=year is not None, site=_site(text, type_),
                         key=event_key(type_, None, place, start, article_hash), **common)


def sentence_event(sentence: str, main: QuantityEvent, published: date | None, reference_year: int | None,
                   article_hash: str) -> QuantityEvent:
    """The event a sentence's figure belongs to: another named storm, or an event of an earlier year named in
    the sentence ('the 1999 quake', 'the flood of 2011'), else the article's main event."""
    types = event_types(sentence)
    storm = _NAMED_STORM_RE.search(sentence)
    if storm and main.type == "storm" and main.name and main.name.split()[-1] not in sentence.lower():
        name = f"storm {storm.group(1).lower()}"
        return main.model_copy(update={"name": name, "start": None, "key": _slug(name)})
    if published is None or main.name:
        return main  # a named event's sentences give its dates, not another event
    years = [int(y) for y in _YEAR_RE.findall(sentence) if int(y) < published.year]
    if reference_year is not None and reference_year < published.year:
        years.append(reference_year)
    type_ = types.most_common(1)[0][0] if types else (main.type if reference_year is not None else None)
    if years and type_:
        year = min(years)
        if type_ != main.type or main.start is None or main.start.year != year:
            # an event known by its year links by type, place and year, not by a name
            return main.model_copy(update={"type": type_, "start": date(year, 1, 1), "start_is_year": True,
                                           "key": _slug(f"{type_} {year}")})
    return main


def _kind(claim: Claim) -> str:
    if claim.modality == Modality.projection:
        return "projection"
    if claim.incremental:
        return "increment"
    return "cumulative" if claim.cumulative else "report"


def _chain(scope: ClaimPlace | None) -> list[str]:
    """Containment, innermost first: a city's GeoNames id, its region, its country; a region, its country."""
    if scope is None:
        return []
    own = {"city": [str(scope.geonames_id) if scope.geonames_id else None, scope.region_code],
           "region": [scope.region_code]}.get(scope.kind, [])
    return [x for x in own if x] + [scope.country_code]


def quantity(claim: Claim, event: QuantityEvent, scope_countries: list[str] | None = None) -> Quantity:
    """The claim's quantity. A figure with no named place holds for its event's place; a place named but not in
    the gazetteer stays unresolved (scope None, no chain); one that names several known countries ('in X and
    Y') has no single scope place but a chain of those countries."""
    scope = claim.place if claim.place is not None else (event.place if claim.location is None else None)
    if event.type is None and event.name is None and claim.measure in lx.MEASURE_EVENT_TYPES:
        # "10,000 people rallied in Tbilisi": no event word, but a crowd is a gathering's
        type_ = lx.MEASURE_EVENT_TYPES[claim.measure]
        event = event.model_copy(update={"type": type_, "key": event_key(type_, None, event.place, event.start,
                                                                         claim.article_hash)})
    if event.type in lx.ONE_DAY_EVENT_TYPES and claim.as_of is not None and event.name is None and event.place:
        # a march's figure dated another day is about that day's march
        event = event.model_copy(update={"start": claim.as_of, "key": event_key(
            event.type, None, event.place, claim.as_of, claim.article_hash)})
    chain = _chain(scope) or sorted(scope_countries or [])
    return Quantity(event=event, measure=claim.measure, scope=scope, scope_chain=chain, subject=claim.actor,
                    kind=_kind(claim))
