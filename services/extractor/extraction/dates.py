"""Resolve the time a figure holds for, against the article's publication date."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from services.extractor.extraction import lexicon as lx

_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("since", re.compile(r"\bsince\s+(?:the\s+start\s+of\s+|early\s+|late\s+|mid-?)?" + _MONTH
                         + r"(?:\s+(?P<year>(?:19|20)\d{2}))?", re.I)),
    ("by_month", re.compile(r"\b(?:by|before|until)\s+(?:the\s+end\s+of\s+)?" + _MONTH + r"(?![\s.]*\d)", re.I)),
    ("month_day", re.compile(r"\b" + _MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d{2}))?",
                             re.I)),
    ("day_month", re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH
                             + r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?", re.I)),
    ("weekday", re.compile(r"\b(?:(?:early|late|on|last|this|since)\s+)?" + _WEEKDAY
                           + r"(?:\s+(?:morning|afternoon|evening|night))?", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening|week)|now|currently|"
                         r"so\s+far|as\s+of\s+now|at\s+present|presently)\b", re.I)),
    ("yesterday", re.compile(r"\b(?:yesterday|last\s+night)\b", re.I)),
    # a month or a span of years alone is a period, not a date: the figure gets no single as_of
    ("month", re.compile(r"\b(?:in|during|dated|from|through|throughout)\s+(?:early\s+|late\s+|mid-?)?" + _MONTH
                         + r"\b(?!\.?\s*[0-3]?\d\b)", re.I)),
    ("earlier", re.compile(r"\b(?:(?:hours|days|weeks|just|shortly|moments)\s+earlier|previously|formerly)\b", re.I)),
    ("last_year", re.compile(r"\blast\s+year\b", re.I)),
    ("years", re.compile(r"\b(?P<year>(?:19|20)\d{2})\s*(?:-|–|to|through)\s*(?:(?:19|20)?\d{2})\b", re.I)),
    ("year", re.compile(r"\b(?:in|of|since|during|for)\s+(?P<year>(?:19|20)\d{2})\b", re.I)),
]
PERIOD_KINDS = frozenset({"year", "years", "month", "earlier", "last_year"})


@dataclass(frozen=True)
class TimeRef:
    kind: str
    text: str
    start: int
    end: int
    as_of: date | None
    cumulative: bool = False
    future: bool = False


def _month(name: str) -> int:
    return lx.MONTHS[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower().rstrip(".")[:3]]


def _past_year(month: int, day: int, published: date) -> int:
    """Year for a month/day given without one: the latest that is not far after publication."""
    year = published.year
    try:
        candidate = date(year, month, day)
    except ValueError:
        return year
    if candidate > published + timedelta(days=31):
        return year - 1
    return year


def _resolve(kind: str, match: re.Match[str], published: date | None) -> TimeRef:
    text = match.group(0)
    as_of: date | None = None
    cumulative = future = False
    groups = match.groupdict()
    if kind in ("month_day", "day_month"):
        month, day = _month(groups["month"]), int(groups["day"])
        year = int(groups["year"]) if groups.get("year") else (_past_year(month, day, published) if published else None)
        if year and 1 <= day <= calendar.monthrange(year, month)[1]:
            as_of = date(year, month, day)
    elif kind == "weekday" and published:
        target = lx.WEEKDAYS[groups["weekday"].lower()]
        back = (published.weekday() - target) % 7
        if text.lower().startswith("last") and back == 0:
            back = 7
        as_of = published - timedelta(days=back)
    elif kind == "today" and published:
        as_of = published
    elif kind == "yesterday" and published:
        as_of = published - timedelta(days=1)
    elif kind == "since":
        cumulative = True
        as_of = published
    elif kind == "by_month" and published:
        future = True
        month = _month(groups["month"])
        year = published.year if month >= published.month else published.year + 1
        as_of = date(year, month, calendar.monthrange(year, month)[1])
    elif kind == "year":
        year = int(groups["year"])
        if published and year == published.year:
            as_of = None  # the year alone does not pin a date; the caller falls back to publication
    return TimeRef(kind, text, match.start(), match.end(), as_of, cumulative, future)


def find_time_refs(sentence: str, published: date | None) -> list[TimeRef]:
    """Every time expression in the sentence, earliest first, without overlaps (more specific wins)."""
    found: list[TimeRef] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            span = (match.start(), match.end())
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            if kind == "day_month" and match.group("day").startswith("0"):
                continue
            # "may" is a month only with a day or year beside it; as a verb it must not date anything
            if kind == "by_month" and groups_month(match) == "may":
                continue
            taken.append(span)
            found.append(_resolve(kind, match, published))
    found.sort(key=lambda ref: ref.start)
    return found


def groups_month(match: re.Match[str]) -> str:
    return (match.groupdict().get("month") or "").lower().rstrip(".")


def nearest_ref(refs: list[TimeRef], position: int) -> TimeRef | None:
    """The time expression that most likely dates a figure at `position`: nearest, preferring dated ones."""
    dated = [ref for ref in refs if ref.as_of is not None or ref.cumulative]
    pool = dated or refs
    if not pool:
        return None
    return min(pool, key=lambda ref: abs(ref.start - position) if ref.start >= position else position - ref.end)


_SPEECH_DAY_RE = re.compile(r"[”\"]\s*,?\s*(?:\w+\s+){1,4}?(?:said|says|claimed|told\s+\w+|added|wrote|tweeted|"
                            r"stated|insisted|argued)\s+(?:on\s+)?" + _WEEKDAY + r"\b", re.I)


def speech_day(sentence: str, published: date | None) -> date | None:
    """The day a quote was said, when the attribution after it names one ('..., Spicer claimed Saturday')."""
    match = _SPEECH_DAY_RE.search(sentence)
    if match is None or published is None:
        return None
    back = (published.weekday() - lx.WEEKDAYS[match.group("weekday").lower()]) % 7
    return published - timedelta(days=back)
