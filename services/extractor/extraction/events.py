"""Dates of named events a figure is tied to: "Obama's 2009 inauguration", "Katrina ... in 2005".

The text gives only a year or a name; the day is world knowledge. This module holds that knowledge as
rules (a U.S. inauguration falls on a fixed day of years that follow a presidential election) and as a
calendar of notable disasters, so a figure about one of them holds as of its day instead of the
publication date. Only unambiguous references resolve: a disaster needs its name, its kind and its year
in the sentence; an inauguration needs a year after an election year or a president with one inauguration
that fits the ordinal ("first", "last").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

INAUGURATION_RE = re.compile(r"\binaugura(?:tion|l)s?\b", re.I)
_YEAR_RE = re.compile(r"(?<![\d,.$])\b(19\d\d|20\d\d)\b(?![\d,])")
_NAME_REACH = 80  # how far before "inauguration" a president's name still owns it
_ORDINAL_RE = re.compile(r"\b(first|second|last|latest|most\s+recent|previous)\s+(?:\w+\s+)?$", re.I)

# Presidents and the years of their inaugurations (from 1933, when the 20th Amendment set January 20).
_PRESIDENTS: tuple[tuple[re.Pattern[str], tuple[int, ...]], ...] = tuple(
    (re.compile(pattern, re.I), years) for pattern, years in (
        (r"\b(?:franklin\s+(?:d\.\s+)?roosevelt|fdr)\b", (1933, 1937, 1941, 1945)),
        (r"\btruman\b", (1949,)),
        (r"\beisenhower\b", (1953, 1957)),
        (r"\bkennedy\b", (1961,)),
        (r"\b(?:lyndon\s+(?:b\.\s+)?johnson|lbj)\b", (1965,)),
        (r"\bnixon\b", (1969, 1973)),
        (r"\bcarter\b", (1977,)),
        (r"\breagan\b", (1981, 1985)),
        (r"\bgeorge\s+h\.\s*w\.\s+bush\b", (1989,)),
        (r"\bclinton\b", (1993, 1997)),
        (r"\bgeorge\s+w\.\s+bush\b", (2001, 2005)),
        (r"\bobama\b", (2009, 2013)),
        (r"\btrump\b", (2017, 2025)),
        (r"\bbiden\b", (2021,)),
    ))


def inauguration_day(year: int) -> date | None:
    """The public ceremony of a U.S. presidential inauguration in `year`, if one took place that year."""
    if year % 4 != 1 or year < 1793:
        return None
    if year < 1937:
        return date(year, 3, 4)
    day = date(year, 1, 20)
    return day + timedelta(days=1) if day.weekday() == 6 else day  # a Sunday oath is repeated in public on Monday


@dataclass(frozen=True)
class Disaster:
    names: tuple[str, ...]  # lower-case words that name it: the storm's name or the place struck
    kinds: tuple[str, ...]  # words the sentence must also use, so that "Haiti in 2010" alone is not the quake
    day: date


_STORM = ("hurricane", "storm", "cyclone", "typhoon")
_QUAKE = ("earthquake", "quake", "tsunami", "temblor")
DISASTERS: tuple[Disaster, ...] = (
    Disaster(("galveston",), _STORM, date(1900, 9, 8)),
    Disaster(("okeechobee",), _STORM, date(1928, 9, 16)),
    Disaster(("camille",), _STORM, date(1969, 8, 17)),
    Disaster(("bhola",), _STORM, date(1970, 11, 12)),
    Disaster(("andrew",), _STORM, date(1992, 8, 24)),
    Disaster(("mitch",), _STORM, date(1998, 10, 29)),
    Disaster(("katrina",), _STORM, date(2005, 8, 29)),
    Disaster(("rita",), _STORM, date(2005, 9, 24)),
    Disaster(("wilma",), _STORM, date(2005, 10, 24)),
    Disaster(("nargis",), _STORM, date(2008, 5, 2)),
    Disaster(("ike",), _STORM, date(2008, 9, 13)),
    Disaster(("sandy",), _STORM, date(2012, 10, 29)),
    Disaster(("haiyan", "yolanda"), _STORM, date(2013, 11, 8)),
    Disaster(("harvey",), _STORM, date(2017, 8, 25)),
    Disaster(("irma",), _STORM, date(2017, 9, 10)),
    Disaster(("maria",), _STORM, date(2017, 9, 20)),
    Disaster(("michael",), _STORM, date(2018, 10, 10)),
    Disaster(("idai",), _STORM, date(2019, 3, 14)),
    Disaster(("dorian",), _STORM, date(2019, 9, 1)),
    Disaster(("ian",), _STORM, date(2022, 9, 28)),
    Disaster(("helene",), _STORM, date(2024, 9, 26)),
    Disaster(("san francisco",), _QUAKE, date(1906, 4, 18)),
    Disaster(("kanto", "tokyo", "yokohama"), _QUAKE, date(1923, 9, 1)),
    Disaster(("erzincan",), _QUAKE, date(1939, 12, 27)),
    Disaster(("valdivia", "chile"), _QUAKE, date(1960, 5, 22)),
    Disaster(("alaska", "anchorage"), _QUAKE, date(1964, 3, 27)),
    Disaster(("tangshan",), _QUAKE, date(1976, 7, 28)),
    Disaster(("mexico city",), _QUAKE, date(1985, 9, 19)),
    Disaster(("spitak", "armenia"), _QUAKE, date(1988, 12, 7)),
    Disaster(("loma prieta",), _QUAKE, date(1989, 10, 17)),
    Disaster(("northridge",), _QUAKE, date(1994, 1, 17)),
    Disaster(("kobe",), _QUAKE, date(1995, 1, 17)),
    Disaster(("izmit", "kocaeli", "marmara"), _QUAKE, date(1999, 8, 17)),
    Disaster(("gujarat", "bhuj"), _QUAKE, date(2001, 1, 26)),
    Disaster(("bam",), _QUAKE, date(2003, 12, 26)),
    Disaster(("indian ocean", "sumatra", "aceh"), _QUAKE, date(2004, 12, 26)),
    Disaster(("kashmir", "muzaffarabad"), _QUAKE, date(2005, 10, 8)),
    Disaster(("sichuan", "wenchuan"), _QUAKE, date(2008, 5, 12)),
    Disaster(("haiti", "port-au-prince"), _QUAKE, date(2010, 1, 12)),
    Disaster(("tohoku", "fukushima", "japan"), _QUAKE, date(2011, 3, 11)),
    Disaster(("nepal", "gorkha", "kathmandu"), _QUAKE, date(2015, 4, 25)),
    Disaster(("kahramanmaras", "kahramanmaraş"), _QUAKE, date(2023, 2, 6)),
    Disaster(("morocco", "al haouz", "marrakech"), _QUAKE, date(2023, 9, 8)),
)


@dataclass(frozen=True)
class EventAnchor:
    """A named event in a sentence and the day it happened: it dates the figures nearest to it."""
    start: int
    end: int
    day: date


def _word_re(words: tuple[str, ...], flags: int = 0) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", flags)


# names are matched capitalised ("Andrew" the storm, not "andrew" in a URL); kinds in any case
_DISASTER_RES = tuple((_word_re(tuple(n.title() for n in d.names)), _word_re(d.kinds, re.I), d) for d in DISASTERS)
_HISTORY = timedelta(days=730)  # the story's own disaster is counted as of each tally, not of its first day


def _disaster_anchors(sentence: str, years: set[int], published: date) -> list[EventAnchor]:
    anchors = []
    for names, kinds, disaster in _DISASTER_RES:
        if disaster.day.year not in years or disaster.day > published - _HISTORY or not kinds.search(sentence):
            continue
        anchors += [EventAnchor(m.start(), m.end(), disaster.day) for m in names.finditer(sentence)]
    return anchors


def _president_inauguration(before: str, ordinal: str | None, published: date) -> tuple[int, date] | None:
    """The inauguration of the president named last in `before` (and where the name starts), when the
    ordinal or the publication date leaves only one."""
    named = [(m.end(), m.start(), years) for pattern, years in _PRESIDENTS for m in pattern.finditer(before)
             if len(before) - m.end() <= _NAME_REACH]
    if not named:
        return None
    _, name_start, years = max(named)
    held = [year for year in years if (inauguration_day(year) or published) <= published]
    if not held:
        return None
    if ordinal == "first":
        year = held[0]
    elif ordinal == "second":
        year = held[1] if len(held) > 1 else None
    elif ordinal is not None or len(held) == 1:
        year = held[-1]  # "last", "latest", "previous" inauguration before publication
    else:
        return None  # "Obama's inauguration": which one is not said
    day = inauguration_day(year) if year else None
    return (name_start, day) if day else None


def event_anchors(sentence: str, published: date | None, inauguration_story: bool = False) -> list[EventAnchor]:
    """Named events in the sentence with a known day. `inauguration_story` says the article is about an
    inauguration, so a bare inauguration year ("by the same hour in 2009") names one."""
    if published is None:
        return []
    years = {int(m.group(1)) for m in _YEAR_RE.finditer(sentence)}
    anchors = _disaster_anchors(sentence, years, published)
    mentions = list(INAUGURATION_RE.finditer(sentence))
    if mentions or inauguration_story:
        for match in _YEAR_RE.finditer(sentence):
            day = inauguration_day(int(match.group(1)))
            if day and day <= published:
                anchors.append(EventAnchor(match.start(), match.end(), day))
    for mention in mentions:
        before = sentence[:mention.start()]
        ordinal = _ORDINAL_RE.search(before[-40:])
        word = re.sub(r"\s+", " ", ordinal.group(1).lower()) if ordinal else None
        president = _president_inauguration(before, word, published)
        if president:
            anchors.append(EventAnchor(president[0], mention.end(), president[1]))
        elif not years and not anchors:
            # a bare "inauguration" in the days after one took place is that one
            latest = inauguration_day(published.year)
            if latest and latest <= published <= latest + timedelta(days=7):
                anchors.append(EventAnchor(mention.start(), mention.end(), latest))
    return anchors


def nearest_anchor(anchors: list[EventAnchor], start: int, end: int) -> tuple[EventAnchor, int] | None:
    """The anchor closest to the figure at [start, end) and its distance in characters."""
    if not anchors:
        return None
    scored = [(a.start - end if a.start >= end else max(0, start - a.end), a) for a in anchors]
    distance, anchor = min(scored, key=lambda pair: pair[0])
    return anchor, distance


def former_president(sentence: str, published: date | None) -> int | None:
    """The last inauguration year of a president the sentence names whose inaugurations all lie in earlier
    years ('President George W. Bush attracted about 300,000'): the figure is about one of them."""
    if published is None:
        return None
    years = [years for pattern, years in _PRESIDENTS if pattern.search(sentence)]
    if len(years) != 1 or years[0][-1] >= published.year:
        return None
    return years[0][-1]
