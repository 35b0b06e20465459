"""Resolve the time a figure holds for, against the article's publication date.

Candidate spans come from the vocabulary in data/dates_vocabulary.json: a month with a day, a weekday, "today",
"since March", a bare year. Only those spans go to `dateparser`, which resolves them against the publication day
(English only, dates from the past preferred): run over whole sentences it would read "may" as the month and
"second" as a time. The publication day is read in the article's own time zone (a naive time is UTC)."""
from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import dateparser

from services.extractor.extraction import lexicon as lx

DATA = Path(__file__).parent / "data" / "dates_vocabulary.json"
_LIST_FIELDS = ("weekdays", "parts_of_day", "day_modifiers", "tally_openers", "today", "yesterday", "earlier",
                "last_year", "recent_periods", "running_period_heads", "running_period_units", "period_prepositions",
                "deadline_prepositions", "since_modifiers", "year_prepositions", "counted_after_year", "span_words",
                "event_cues", "event_nouns", "statement_openers", "continuation_subjects", "continuation_verbs",
                "comparison_cues", "speech_verbs", "per_day_cues", "average_cues", "rate_cue_blockers", "initial_cues",
                "present_auxiliaries", "population_openers", "population_verbs", "polity_nouns",
                "rate_cue_followers", "level_comparisons", "day_offsets", "clause_conjunctions")


@dataclass(frozen=True)
class DateWords:
    months: dict[str, int]  # every name and abbreviation, lower case -> month number
    month_names: tuple[str, ...]  # the full name of each month, January first
    lists: dict[str, tuple[str, ...]]  # the other fields, by name


def load_date_words(path: Path = DATA) -> DateWords:
    """dates_vocabulary.json, validated: twelve months, seven weekdays, lists of lower-case phrases."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    unknown = set(raw) - {"_about", "months", *_LIST_FIELDS}
    if unknown:
        raise ValueError(f"{path}: unknown fields {sorted(unknown)}")
    months = raw.get("months")
    if not isinstance(months, list) or len(months) != 12:
        raise ValueError(f"{path}: 'months' must list the twelve months, January first")
    lists: dict[str, tuple[str, ...]] = {}
    for field in ("months", *_LIST_FIELDS):
        values = raw.get(field)
        flat = [v for names in values for v in names] if field == "months" and all(
            isinstance(names, list) and names for names in values) else values
        if not isinstance(flat, list) or not flat or not all(isinstance(v, str) and v and v == v.lower().strip()
                                                              for v in flat):
            raise ValueError(f"{path}: {field!r} must be a non-empty list of lower-case phrases")
        if field != "months":
            lists[field] = tuple(flat)
    if len(lists["weekdays"]) != 7:
        raise ValueError(f"{path}: 'weekdays' must list the seven days, Monday first")
    by_name = {name: number for number, names in enumerate(months, start=1) for name in names}
    if len(by_name) != sum(len(names) for names in months):
        raise ValueError(f"{path}: a month name is listed twice")
    return DateWords(by_name, tuple(names[0] for names in months), lists)


WORDS = load_date_words()
_W = WORDS.lists


def _alt(phrases) -> str:
    """A regex alternation of phrases, longest first; a space matches any run of spaces."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered) + ")"


# 'daily', 'a day': extract.py names a figure before one a rate; not 'a day earlier', a time
PER_DAY = _alt(_W["per_day_cues"]) + r"(?!\s+" + _alt(_W["rate_cue_followers"]) + r"\b)"


_YEAR = r"(?P<year>(?:19|20)\d{2})"
_MONTH = r"(?P<month>" + _alt(WORDS.months) + r")\b\.?"
_WEEKDAY = r"(?P<weekday>" + _alt(_W["weekdays"]) + r")\b"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("since", re.compile(r"\bsince\s+(?:" + _alt(_W["since_modifiers"]) + r"[\s-]*)?" + _MONTH
                         + r"(?:\s+" + _YEAR + r")?", re.I)),
    ("by_month", re.compile(r"\b" + _alt(_W["deadline_prepositions"]) + r"\s+" + _MONTH + r"(?![\s.]*\d)", re.I)),
    ("month_day", re.compile(r"\b" + _MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+" + _YEAR + r")?",
                             re.I)),
    ("day_month", re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH
                             + r"(?:,?\s+" + _YEAR + r")?", re.I)),
    ("weekday", re.compile(r"\b(?P<since>since\s+)?(?:(?P<opener>" + _alt(_W["tally_openers"]) + r")\s+)?"
                           r"(?:(?P<modifier>" + _alt(_W["day_modifiers"]) + r")\s+)?" + _WEEKDAY
                           + r"(?:\s+" + _alt(_W["parts_of_day"]) + r"\b)?", re.I)),
    ("today", re.compile(r"\b" + _alt(_W["today"]) + r"\b", re.I)),
    ("yesterday", re.compile(r"\b" + _alt(_W["yesterday"]) + r"\b", re.I)),
    # a month, a recent week or a span of years alone is a period, not a date: the figure gets no single as_of
    ("month", re.compile(r"\b" + _alt(_W["period_prepositions"]) + r"\s+(?:" + _alt(_W["since_modifiers"])
                         + r"[\s-]*)?" + _MONTH + r"(?!\.?\s*[0-3]?\d\b)", re.I)),
    ("running", re.compile(r"\b" + _alt(_W["running_period_heads"]) + r"\s+(?:[\w-]+\s+)?"
                           + _alt(_W["running_period_units"]) + r"\b", re.I)),
    ("recent", re.compile(r"\b" + _alt(_W["recent_periods"]) + r"\b", re.I)),
    ("earlier", re.compile(r"\b" + _alt(_W["earlier"]) + r"\b", re.I)),
    ("last_year", re.compile(r"\b" + _alt(_W["last_year"]) + r"\b", re.I)),
    ("years", re.compile(r"\b" + _YEAR + r"\s*" + _alt(_W["span_words"]) + r"\s*(?:(?:19|20)?\d{2})\b", re.I)),
    ("year", re.compile(r"\b" + _alt(_W["year_prepositions"]) + r"\s+" + _YEAR + r"\b", re.I)),
]
PERIOD_KINDS = frozenset({"year", "years", "month", "recent", "earlier", "last_year"})
_TALLY_OPENERS = frozenset(" ".join(p.split()) for p in _W["tally_openers"])
_TALLY_BEFORE_RE = re.compile(r"\b" + _alt(_W["tally_openers"]) + r"\s+$", re.I)


@dataclass(frozen=True)
class TimeRef:
    kind: str
    text: str
    start: int
    end: int
    as_of: date | None
    cumulative: bool = False
    future: bool = False
    tally: bool = False  # "as of Sunday": says the date a count holds for
    period: tuple[date, date] | None = None  # the first and last day of a period ("in March", "last week")


def local_date(published_at: datetime | None) -> date | None:
    """The publication day in the article's own time zone; a naive time is read as UTC."""
    if published_at is None:
        return None
    return (published_at if published_at.tzinfo else published_at.replace(tzinfo=timezone.utc)).date()


@lru_cache(maxsize=4096)
def resolve(expression: str, published: date, prefer: str = "past") -> date | None:
    """The day `expression` names, read by dateparser against the end of the publication day."""
    base = datetime.combine(published, time(23, 59, 59))  # any time that day is not "in the future"
    found = dateparser.parse(expression, languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer, "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first"})
    return found.date() if found else None


_REFERENCE_MONDAY = date(2001, 1, 1)


@lru_cache(maxsize=256)
def _offset(expression: str, weekday: int, prefer: str) -> timedelta | None:
    days = resolve(expression, _REFERENCE_MONDAY + timedelta(days=weekday), prefer)
    return None if days is None else days - (_REFERENCE_MONDAY + timedelta(days=weekday))


def resolve_relative(expression: str, published: date, prefer: str = "past") -> date | None:
    """The day a relative expression ('Monday', 'last Friday', 'yesterday') names: it depends only on the
    publication day's weekday, so dateparser reads it once per weekday and the offset is reused."""
    shift = _offset(expression.lower(), published.weekday(), prefer)
    return None if shift is None else published + shift


_BARE_YEAR_RE = re.compile(r"(?<![\d,.$])\b((?:19|20)\d\d)\b(?![\d,])(?!\s*" + _alt(_W["counted_after_year"])
                           + r"\b)", re.I)


def bare_years(text: str) -> list[int]:
    """The years written in `text`, in order: '1999', 'in 2009'; not '2000 people'."""
    return [int(match.group(1)) for match in _BARE_YEAR_RE.finditer(text)]


def _month(name: str) -> int:
    return WORDS.months[name.lower().rstrip(".")]


def _resolve(kind: str, match: re.Match[str], published: date | None) -> TimeRef:
    text = match.group(0)
    as_of: date | None = None
    cumulative = future = tally = False
    groups = match.groupdict()
    if kind in ("month_day", "day_month"):
        month, day, year = _month(groups["month"]), int(groups["day"]), groups.get("year")
        if year and 1 <= day <= calendar.monthrange(int(year), month)[1]:
            as_of = date(int(year), month, day)
        elif published and not year and 1 <= day <= calendar.monthrange(2000, month)[1]:  # 2000: February 29
            # the canonical form: dateparser picks the year, the latest not after publication
            as_of = resolve(f"{day} {WORDS.month_names[month - 1]}", published)
    elif kind == "weekday":
        opener = " ".join((groups.get("opener") or "").lower().split())
        tally = opener in _TALLY_OPENERS
        if groups.get("since"):
            cumulative, as_of = True, published  # "since Friday": a running tally, as of now
        elif published:
            modifier = (groups.get("modifier") or "").lower()
            weekday = groups["weekday"]
            # a bare weekday is the latest one, the publication day included ("on Monday" in Monday's paper);
            # "last Monday" is the one before
            as_of = resolve_relative(f"last {weekday}", published) if modifier == "last" else resolve_relative(
                weekday, published, "current_period")
    elif kind == "today":
        as_of = published
    elif kind == "yesterday" and published:
        as_of = resolve_relative(" ".join(text.split()), published)
    elif kind in ("since", "running"):
        cumulative = True
        as_of = published
    elif kind == "by_month" and published:
        future = True
        month = _month(groups["month"])
        year = published.year if month >= published.month else published.year + 1
        as_of = date(year, month, calendar.monthrange(year, month)[1])
    period = _period(kind, text, groups, published) if kind in PERIOD_KINDS else None
    return TimeRef(kind, text, match.start(), match.end(), as_of, cumulative, future, tally, period)


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _period(kind: str, text: str, groups: dict, published: date | None) -> tuple[date, date] | None:
    """The days a period expression spans, up to the publication day: a month (the latest one not after
    publication), a year, a span of years, last year, last week or last month."""
    if kind in ("year", "years"):
        years = [int(groups["year"])]
        if kind == "years":
            tail = re.findall(r"\d+", text)[-1]
            years.append(int(tail) if len(tail) == 4 else years[0] // 100 * 100 + int(tail))
        first, last = date(min(years), 1, 1), date(max(years), 12, 31)
    elif published is None:
        return None
    elif kind == "month":
        month = _month(groups["month"])
        first, last = _month_span(published.year if month <= published.month else published.year - 1, month)
    elif kind == "last_year":
        first, last = date(published.year - 1, 1, 1), date(published.year - 1, 12, 31)
    elif kind == "recent" and "week" in text.lower():
        monday = published - timedelta(days=published.weekday() + 7)
        first, last = monday, monday + timedelta(days=6)
    elif kind == "recent" and "month" in text.lower():
        previous = published.replace(day=1) - timedelta(days=1)
        first, last = _month_span(previous.year, previous.month)
    else:
        return None
    return (first, min(last, published)) if published and first <= published else (first, last)


def _capitalised_month(match: re.Match[str]) -> bool:
    """English writes month names with a capital: 'may' and 'march' in lower case are a verb or a noun."""
    month = match.groupdict().get("month")
    return month is None or month[:1].isupper()


# a cheap test per family of patterns: most sentences name no month, weekday or year
_MONTH_WORD_RE = re.compile(r"\b" + _alt(WORDS.months) + r"\b", re.I)
_WEEKDAY_WORD_RE = re.compile(r"\b" + _alt(_W["weekdays"]) + r"\b", re.I)
_YEAR_DIGITS_RE = re.compile(r"(?:19|20)\d\d")
_NEEDS = {"since": _MONTH_WORD_RE, "by_month": _MONTH_WORD_RE, "month_day": _MONTH_WORD_RE,
          "day_month": _MONTH_WORD_RE, "month": _MONTH_WORD_RE, "weekday": _WEEKDAY_WORD_RE,
          "years": _YEAR_DIGITS_RE, "year": _YEAR_DIGITS_RE}


@lru_cache(maxsize=64)
def find_time_refs(sentence: str, published: date | None) -> tuple[TimeRef, ...]:
    """Every time expression in the sentence, earliest first, without overlaps (more specific wins). Several
    rules ask for the same sentence's: it is read once."""
    found: list[TimeRef] = []
    taken: list[tuple[int, int]] = []
    present = {needle: bool(needle.search(sentence)) for needle in set(_NEEDS.values())}
    for kind, pattern in _PATTERNS:
        if kind in _NEEDS and not present[_NEEDS[kind]]:
            continue
        for match in pattern.finditer(sentence):
            span = (match.start(), match.end())
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            if kind == "day_month" and match.group("day").startswith("0"):
                continue
            if not _capitalised_month(match):
                continue
            # "May" is a month only with a day or year beside it; "by May" may be the verb
            if kind == "by_month" and match.group("month").lower() == "may":
                continue
            taken.append(span)
            ref = _resolve(kind, match, published)
            ref = _offset_ref(ref, sentence)
            if not ref.tally and not ref.future and _TALLY_BEFORE_RE.search(sentence[max(0, span[0] - 12):span[0]]):
                ref = replace(ref, tally=True)  # "as of Aug. 3", "until 30 June": the date the count holds for
            found.append(ref)
    found.sort(key=lambda ref: ref.start)
    return tuple(found)


_OFFSET_DAYS = {unit: int(days) for unit, days in (entry.split(":") for entry in _W["day_offsets"])}
# 'a day after', 'the day after', 'two weeks before': the number words of lexicon_numbers.json, and one for an article
_COUNT_WORDS = {**{word: 1 for word in ("a", "an", "the")}, **{w: n for w, n in lx.UNITS.items() if 0 < n <= 12}}
_OFFSET_PHRASE = (r"\b(?P<count>\d{1,2}|" + "|".join(_COUNT_WORDS) + r")\s+(?P<unit>"
                  + "|".join(map(re.escape, sorted(_OFFSET_DAYS, key=len, reverse=True)))
                  + r")\s+(?P<way>after|before)\s+(?:the\s+)?")
_OFFSET_BEFORE_RE = re.compile(_OFFSET_PHRASE + "$", re.I)  # right before a date
_OFFSET_TEXT_RE = re.compile(_OFFSET_PHRASE, re.I)  # opening a ref that _offset_ref shifted


def _offset_ref(ref: TimeRef, sentence: str) -> TimeRef:
    """'a day after the April 30 blast', 'two weeks before Sunday's vote': the date shifted, the phrase its text."""
    if ref.as_of is None:
        return ref
    match = _OFFSET_BEFORE_RE.search(sentence, max(0, ref.start - 40), ref.start)
    if match is None:
        return ref
    count = match.group("count").lower()
    days = (int(count) if count.isdigit() else _COUNT_WORDS[count]) * _OFFSET_DAYS[match.group("unit").lower()]
    shift = timedelta(days=days if match.group("way").lower() == "after" else -days)
    return replace(ref, start=match.start(), text=sentence[match.start():ref.end], as_of=ref.as_of + shift)


def nearest_ref(refs: list[TimeRef], position: int) -> TimeRef | None:
    """The time expression that most likely dates a figure at `position`: a tally's own date ('as of Sunday')
    first, then the nearest dated one."""
    dated = [ref for ref in refs if ref.as_of is not None or ref.cumulative]
    pool = [ref for ref in dated if ref.tally] or dated or refs
    if not pool:
        return None
    return min(pool, key=lambda ref: abs(ref.start - position) if ref.start >= position else position - ref.end)


_EVENT_BEFORE_RE = re.compile(r"\b" + _alt(_W["event_cues"]) + r"\W+(?:\w+\W+){0,5}$", re.I)
_EVENT_NOUN = _alt(_W["event_nouns"]) + r"s?"
# the event noun, then up to five words with no figure and no punctuation: "a fire at the depot on 9 June"
_EVENT_NOUN_BEFORE_RE = re.compile(r"\b" + _EVENT_NOUN + r"(?:\s+(?!\d)[\w’'-]+){0,5}\s+$", re.I)
_EVENT_CLAUSE_RE = re.compile(r"\b" + _EVENT_NOUN + r"\s*,?\s+(?:which|that|when)\b[^,;:.!?—–\d]*$", re.I)
_EVENT_AFTER_RE = re.compile(r"^[’']s\s+(?:\w+\s+)?" + _EVENT_NOUN + r"\b", re.I)


def is_event_date(sentence: str, ref: TimeRef) -> bool:
    """The day of the event whose toll is counted ('the quake that struck on Monday', "Monday's quake"), not the
    day the count holds for. A tally's own date ('as of Monday') never is."""
    if ref.tally or ref.cumulative or ref.kind in ("earlier", "last_year") or _OFFSET_TEXT_RE.match(ref.text):
        return False  # "a day after the April 30 blast" is a day after the event
    before = sentence[max(0, ref.start - 120):ref.start]
    return bool(_EVENT_BEFORE_RE.search(before[-60:]) or _EVENT_NOUN_BEFORE_RE.search(before[-60:])
                or _EVENT_CLAUSE_RE.search(before) or _EVENT_AFTER_RE.match(sentence[ref.end:ref.end + 40]))


_STATEMENT_OPENER_RE = re.compile(r"^\W*(?:" + _alt(_W["statement_openers"]) + r"\s+)?$", re.I)


def leading_date(sentence: str, refs: list[TimeRef]) -> TimeRef | None:
    """A day the sentence opens with, set off by a comma ('As of Monday evening, ...', 'On Tuesday, ...'): it
    dates the statement the sentence opens, which may go on in the next sentence."""
    for ref in refs:
        if ref.as_of is None or ref.future or not _STATEMENT_OPENER_RE.match(sentence[:ref.start]):
            continue
        if sentence[ref.end:ref.end + 1] == ",":
            return ref
    return None


_CONTINUATION_RE = re.compile(r"^\W*" + _alt(_W["continuation_subjects"]) + r"\s+" + _alt(_W["continuation_verbs"])
                              + r"\b", re.I)


def continues_statement(sentence: str) -> bool:
    """'They added that ...', 'He went on': the sentence goes on with the statement before it."""
    return bool(_CONTINUATION_RE.match(sentence))


_SAID_BEFORE_RE = re.compile(r"\b" + _alt(_W["speech_verbs"]) + r"(?:\s+[\w.’'-]+){0,3}?\s+(?:on\s+)?$", re.I)


def is_statement_date(sentence: str, ref: TimeRef) -> bool:
    """The day of the reporting verb ('sources said on Thursday', 'told reporters Friday'): it dates every figure
    the statement gives."""
    return bool(_SAID_BEFORE_RE.search(sentence[max(0, ref.start - 50):ref.start]))


_SAID_AFTER_RE = re.compile(r"^\s+" + _alt(_W["speech_verbs"]) + r"\b", re.I)


def dates_statement(sentence: str, ref: TimeRef) -> bool:
    """A time expression on the reporting verb, before or after it ('said last week that ...', 'police last week
    said ...'): it says when the statement was made, for every figure the statement gives."""
    return is_statement_date(sentence, ref) or bool(_SAID_AFTER_RE.match(sentence[ref.end:ref.end + 30]))


_COMPARISON_RE = re.compile(r"\b" + _alt(_W["comparison_cues"]) + r"\W+(?:\w+\W+){0,2}$", re.I)


_LEVEL_COMPARISON_RE = re.compile(r"\b" + _alt(_W["level_comparisons"]) + r"\b", re.I)


def compared_level_date(text_between: str) -> bool:
    """'5,000, below the peaks seen on 31 January': between a figure and a later date (with no other figure
    between them: the caller's to check), a comparison with another level; the date is that level's."""
    return _LEVEL_COMPARISON_RE.search(text_between) is not None


_CLAUSE_CONJUNCTION_RE = re.compile(r"\b" + _alt(_W["clause_conjunctions"]) + r"\b", re.I)


def joins_another_clause(text_between: str) -> bool:
    """'... 31, but it did not pass 90': what follows is another clause, with a figure and a date of its own."""
    return bool(_CLAUSE_CONJUNCTION_RE.search(text_between))


def compares_with(text_before_figure: str) -> bool:
    """'up from 25', 'compared with 900 in March': the figure is the one compared with, with its own date."""
    return bool(_COMPARISON_RE.search(text_before_figure[-40:]))


_SPEECH_DAY_RE = re.compile(r"[”\"]\s*,?\s*(?:\w+\s+){1,4}?" + _alt(_W["speech_verbs"]) + r"(?:\s+\w+)?\s+(?:on\s+)?"
                            + _WEEKDAY, re.I)


def speech_day(sentence: str, published: date | None) -> date | None:
    """The day a quote was said, when the attribution after it names one ('..., the mayor said Saturday')."""
    match = _SPEECH_DAY_RE.search(sentence)
    if match is None or published is None:
        return None
    return resolve_relative(match.group("weekday"), published, "current_period")


_RATE_RE = re.compile(r"\b(?:" + PER_DAY + "|" + _alt(_W["average_cues"]) + r")\b", re.I)
_RATE_BLOCKER_RE = re.compile(r"\b" + _alt(_W["rate_cue_blockers"]) + r"\s+$", re.I)
_INITIAL_RE = re.compile(r"\b" + _alt(_W["initial_cues"]) + r"\b", re.I)
_PRESENT_BEFORE_RE = re.compile(r"(?:^|\s|\b)" + _alt(_W["present_auxiliaries"]) + r"\s+$", re.I)
_OPENING_WORDS = 3  # a cue this close to the sentence start opens it ('Initially, ...'): it bears on all of it


def no_single_date(sentence: str, start: int, end: int, clause: tuple[int, int],
                   others: tuple[tuple[int, int], ...] = ()) -> bool:
    """A rate ('12 a day', 'daily') or a first, superseded figure ('at first put at nine') in the figure's clause, or
    opening the sentence: the figure holds for no single day. A rate bears on the figure nearest it ('10 found
    daily would put the toll at 200': not the 200); 'is initially booking 300 beds' is a present plan."""
    lo, hi = clause

    def bears(match: re.Match[str]) -> bool:
        return lo <= match.start() < hi or len(sentence[:match.start()].split()) < _OPENING_WORDS

    def distance(span: tuple[int, int], match: re.Match[str]) -> int:
        return match.start() - span[1] if span[1] <= match.start() else max(0, span[0] - match.end())

    for match in _RATE_RE.finditer(sentence):
        if not bears(match) or _RATE_BLOCKER_RE.search(sentence[max(0, match.start() - 8):match.start()]):
            continue
        own = distance((start, end), match)
        if all(own <= distance(span, match) for span in others):
            return True
    return any(bears(match) and not _PRESENT_BEFORE_RE.search(sentence[max(0, match.start() - 6):match.start()])
               for match in _INITIAL_RE.finditer(sentence))


_POPULATION_BEFORE_RE = re.compile(r"\b" + _alt(_W["population_openers"]) + r"\s+$", re.I)
_POPULATION_AFTER_RE = re.compile(r"^(?:\s+[\w’'-]+){0,2}?\s+" + _alt(_W["population_verbs"]) + r"\b", re.I)
_POLITY_BEFORE_RE = re.compile(r"\b" + _alt(_W["polity_nouns"]) + r"\s+of\s+$", re.I)
_PLACE_REACH = 40  # characters between the population phrase and the country it is about


def standing_population(sentence: str, start: int, end: int, lands: list[tuple[int, int]]) -> bool:
    """A country's or region's standing population ('Ruritania is home to 2 million refugees', '300,000 Kurds
    live in the province', 'a nation of 8 million people'): a stock with no single date. `lands` are the spans
    of the countries and regions the sentence names; a building's residents are not a standing population."""
    if _POLITY_BEFORE_RE.search(sentence[max(0, start - 30):start]):
        return True
    before = _POPULATION_BEFORE_RE.search(sentence[max(0, start - 30):start])
    after = _POPULATION_AFTER_RE.match(sentence[end:end + 60])
    if before is None and after is None:
        return False
    lo = start - 30 + before.start() if before else end
    hi = end + after.end() if after else start
    return any(s < hi + _PLACE_REACH and e > lo - _PLACE_REACH for s, e in lands)
