"""extract_claims(article) -> list[Claim]: the pure function behind the extractor service and CLI."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_left
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import date, timedelta
from typing import TYPE_CHECKING

from schemas.models import Article, Claim, ClaimPlace, Modality, Qualifier
from services.extractor.extraction import lexicon as lx
from services.extractor.extraction.attribution import attribute, inside_quote
from services.extractor.extraction.dates import (PER_DAY, PERIOD_KINDS, WORDS, TimeRef, bare_years,
                                                 compared_level_date, compares_with, continues_statement,
                                                 dates_statement, find_time_refs, is_event_date, is_statement_date,
                                                 joins_another_clause, leading_date, local_date, nearest_ref,
                                                 no_single_date, speech_day, standing_population)
from services.extractor.extraction.numbers import Figure, Token, find_figures, may_hold_figure, tokenize
from services.extractor.extraction import events_identity as ev
from services.extractor.extraction import money, parse
from services.extractor.extraction.sentences import Sentence, in_other_brackets, split_sentences

if TYPE_CHECKING:
    from services.extractor.extraction.gazetteer import Gazetteer, Mention, Place

EXTRACTOR_VERSION = "rules-1"


def _gazetteer() -> Gazetteer:
    # imported on first use, so `python -m services.extractor.extraction.gazetteer` runs it only once
    from services.extractor.extraction.gazetteer import get_gazetteer
    return get_gazetteer()

_MAX_QUALIFIER_WORDS = 4
_CONTEXT_CHARS = 3000
_CLAUSE_SPLIT = re.compile(r"[;—–,()]")
_ENTITY_STOP = {
    "have", "has", "had", "were", "was", "are", "is", "be", "been", "will", "would", "could", "can", "may",
    "might", "should", "must", "who", "that", "which", "in", "on", "at", "to", "from", "for", "with", "by",
    "as", "into", "across", "near", "since", "during", "than", "after", "before", "or", "but", "so", "the",
    "a", "an", "this", "these", "those", "their", "his", "her", "its", "our", "were", "had", "said", "say",
    "says", "each", "per", "of", "over", "under", "up", "about", "around", "while", "when", "where", "if",
    "not", "also", "already", "still", "now", "just", "only", "more", "less", "there", "they", "it", "he",
    "she", "we", "you", "i", "them", "him", "me", "us", "what", "whom", "whose", "all", "both", "either",
    "neither", "then", "because", "although", "though", "unless", "until", "within", "without", "against",
    "among", "between", "through", "toward", "towards", "upon", "via", "ago", "later", "earlier", "yet",
} | lx.COMMON_VERBS
_ENTITY_SKIP = {"more", "additional", "extra", "further", "other", "total", "confirmed", "estimated", "reported",
                "known", "registered", "recorded", "documented", "so-called", "some", "new", "active", "regular",
                "official", "officially"}
_ADJECTIVE_SUFFIXES = ("ian", "ese", "ish", "ean", "ic", "al", "ive", "ous", "ful", "less", "ary")


def _alternation(phrases) -> re.Pattern[str]:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")\b", re.I)


_CUE_RE = _alternation(cue for cue, _ in lx.CUE_MEASURES)
_CUE_MEASURE = {cue: measure for cue, measure in reversed(lx.CUE_MEASURES)}
_DENIAL_RE = _alternation(lx.DENIAL_CUES)
# Without a figure, only an explicit denial counts: "labeled the reports fake news", "denied the reports".
_STRONG_DENIAL_RE = _alternation(("fake news", "denied", "denies", "deny", "denying", "dismissed", "dismisses",
                                  "hoax", "fabricated", "fabrication", "refuted", "refutes", "baseless", "untrue"))
_INCIDENT_RE = _alternation(lx.INCIDENT_NOUNS)
_EVENT_RE = _alternation(lx.EVENT_NOUNS)
_TALLY_RE = re.compile(r"\b(toll|since|so far|in total|total|overall|war|conflict|campaign)\b", re.I)


@dataclass
class _Context:
    article: Article
    published: date | None
    events: list[str]
    actors: dict[str, str]
    last: Claim | None = None
    event: str | None = None
    country: str | None = None
    dated: dict[str, date] = field(default_factory=dict)
    opening: TimeRef | None = None
    news_day: date | None = None  # the day the sentence before opened with, when it gave no figure
    countries: list[str] = field(default_factory=list)
    places: list[_PlaceHit] = field(default_factory=list)  # article offsets, in text order
    nouns: dict[str, str] = field(default_factory=dict)  # measure -> the counted noun the text last named for it
    dateline_end: int = 0  # where the dateline ('SEOUL, South Korea (AP) —') ends; 0 when there is none
    parts: set[str] = field(default_factory=set)  # claims that are a part of a figure before them


@dataclass(frozen=True, slots=True)
class _PlaceHit:
    """A place named in the text: where, as written, its country's name (None when the gazetteer does not
    know the place) and the gazetteer entry."""
    start: int
    text: str
    country: str | None
    place: Place | None
    demonym: bool = False  # 'Ruritanian territory'

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _slug(text: str | None) -> str:
    if not text:
        return "unknown"
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "unknown"


def _integral(value: float | None) -> int | float | None:
    if value is None:
        return None
    rounded = round(value)
    return int(rounded) if abs(value - rounded) < 1e-9 else round(value, 6)


def _next_word(tokens: list[Token], j: int) -> str:
    return tokens[j].low if j < len(tokens) else ""


def _number_word(word: str) -> bool:
    """Digits ('5', '1,000') or a number word ('four', 'ten'); not a year ('in 2019')."""
    return (bool(re.fullmatch(r"\d[\d,]*", word)) and not re.fullmatch(r"(1[5-9]|20)\d\d", word)) or \
        word in lx.UNITS or word in lx.TENS


def _is_count(tokens: list[Token], fig: Figure) -> bool:
    """False for dates, years, times, ages, ordinals, percentages, durations, labels and deltas."""
    first, last = tokens[fig.first], tokens[fig.last - 1]
    prev = tokens[fig.first - 1] if fig.first > 0 else None
    prev2 = tokens[fig.first - 2] if fig.first > 1 else None
    nxt = tokens[fig.last] if fig.last < len(tokens) else None
    nxt_low = nxt.low if nxt else ""
    after = _next_word(tokens, fig.last + 1)

    if fig.currency is not None:
        # money: its own span holds the currency, so the format tests for bare numbers do not apply
        return nxt_low != "%" and not _is_delta(tokens, fig.first)
    if first.low in ("one", "zero") and fig.last - fig.first == 1:
        return False  # "one" is a pronoun far more often than a count
    if fig.has_digits and fig.scale == 1 and not fig.vague and _not_a_figure(tokens, fig):
        return False  # a code, a clock time, a phone number, a version or a model name
    if not fig.has_digits and not fig.vague and (fig.value or 0) < 10 and prev and prev.low in (
            "the", "those", "these", "his", "her", "their", "its", "our", "previous", "last", "first", "next"):
        return False  # "the two countries", "the four most recent fatalities": a reference, not a claim
    if prev and prev2 and (prev.low == "the" and prev2.low in ("of", "among") and nxt_low in lx.RANKING_WORDS
                           or prev.low == "top" and prev2.low == "the"):
        return False  # "one of the 100 most influential people", "the top 20 clubs": the size of a ranking
    if prev and prev.low in ("surveyed", "interviewed", "polled", "sampled", "questioned"):
        return False  # a study's sample size
    if first.low in lx.VAGUE_PLURALS and fig.vague and prev and (prev.low in ("by", "in") or (
            prev.low in ("the", "their") and prev2 and prev2.low in ("by", "in"))):
        return False  # "by the thousands", "in their hundreds"
    if nxt_low in lx.NON_COUNT_UNITS:
        return False
    if nxt_low in ("-", "–") and (after in lx.NON_COUNT_UNITS or after in ("year", "old", "point")):
        return False
    if nxt_low in ("-", "–") and after in ("third", "thirds", "quarter", "quarters", "fifth", "half", "tenth"):
        return False
    if nxt and nxt.low in ("th", "st", "nd", "rd") and nxt.start == last.end:
        return False
    if nxt_low == "%":
        return False
    if nxt_low in ("a", "p") and after == ".":
        return False  # 11 a.m.
    if nxt_low == ":" and after[:1].isdigit():
        return False
    if nxt_low in lx.MONTHS or (prev and prev.low.rstrip(".") in lx.MONTHS and fig.has_digits and (fig.value or 0) <= 31):
        return False
    if prev and prev.low == "." and prev2 and prev2.low in lx.MONTHS and fig.has_digits:
        return False  # "Jan. 20"
    if fig.has_digits and fig.scale == 1 and fig.value is not None:
        digits = first.text
        if re.fullmatch(r"(1[5-9]|20)\d\d", digits) and not (nxt and not nxt.low.endswith("ed") and (
                nxt.low in lx.NOUN_MEASURES or nxt.low in lx.MEASURE_OF_PEOPLE)):
            return False  # a year
        if "." in digits:
            return False  # 7.8 on the Richter scale, 1.5 degrees: measurements, not counts
        if digits.startswith("0") and len(digits) > 1:
            return False
    if prev and prev.end == first.start and prev.text.isalpha():
        return False  # G20, Su25
    if prev and prev.text in "-–" and prev2 and prev2.end == prev.start and (
            prev2.text[:1].isupper() or prev2.text[:1].isdigit()):
        return False  # F-16, COVID-19, 555-1234
    if nxt and nxt.text in "-–/" and after[:1].isdigit() and nxt.start == last.end:
        return False  # phone numbers, scores, 2022-23
    if prev and prev.low in lx.LABEL_NOUNS and prev.text[:1].isupper():
        return False  # Article 5, Flight 17
    if prev and prev.low in ("aged", "age", "ages", "magnitude", "number", "no", "category", "level", "chapter"):
        return False
    if _an_age(tokens, fig):
        return False
    if _is_delta(tokens, fig.first):
        return False  # a delta, not a level
    if nxt_low == "and" and after in ("a", "half") :
        return True
    if nxt_low == "out" and after == "of":
        return False  # "two out of three"
    if (nxt_low == "in" and _number_word(after)) or (prev and prev.low == "in" and prev2 and _number_word(prev2.low)):
        return False  # "1 in 5 residents", "one in four": a proportion, not a count
    if nxt_low in ("of", "in") and after in ("the", "them", "those", "these", "us") and not fig.vague \
            and not fig.has_digits:
        return False  # "two of the...": a part, usually anecdotal
    return True


def _an_age(tokens: list[Token], fig: Figure) -> bool:
    """An age or an age limit: 'the voting age from 18 to 16', 'pupils under 12', and a number set off by commas
    after a name ('Ana Souza, 43, said')."""
    words = parse.VOCABULARY
    prev = tokens[fig.first - 1] if fig.first > 0 else None
    prev2 = tokens[fig.first - 2] if fig.first > 1 else None
    nxt = tokens[fig.last] if fig.last < len(tokens) else None
    if prev is None or prev2 is None or fig.vague:
        return False
    if prev.low in ("from", "to", "of", "at") and prev2.low in words.age_nouns:
        return True
    counts_a_noun = nxt is not None and nxt.text.isalpha() and nxt.low not in _ENTITY_STOP
    if prev.low in ("under", "over") and prev2.low in words.age_holders and not counts_a_noun:
        return True
    return prev.text == "," and nxt is not None and nxt.text == "," and prev2.text[:1].isupper() and \
        prev2.text.isalpha() and fig.has_digits and fig.last - fig.first == 1 and (fig.value or 0) <= 120 and \
        prev2.low not in lx.MONTHS and prev2.low not in lx.WEEKDAYS


def _not_a_figure(tokens: list[Token], fig: Figure) -> bool:
    """A bare number that names rather than counts: a code ('zip code 90049', 'route 66'), a clock time
    ('17:22', '2230 GMT'), a phone number ('0800 555 0199', 'dial 999'), a version ('2.4.1') or a model name
    (a proper name before it: 'iPhone 12', 'Boeing 737')."""
    first, last = tokens[fig.first], tokens[fig.last - 1]
    prev = tokens[fig.first - 1] if fig.first > 0 else None
    prev2 = tokens[fig.first - 2] if fig.first > 1 else None
    nxt = tokens[fig.last] if fig.last < len(tokens) else None
    after = tokens[fig.last + 1] if fig.last + 1 < len(tokens) else None
    bare = "," not in first.text and "." not in first.text and fig.last - fig.first == 1
    if prev is not None and prev.low in lx.CODE_NOUNS:
        return True
    if prev is not None and prev.low in lx.PHONE_WORDS and bare and len(first.text) >= 3:
        return True  # 'dial 999'; 'phone 40 relatives' is a count
    if prev is not None and prev2 is not None and prev.text in ":./" and prev2.end == prev.start and \
            prev.end == first.start and prev2.text[:1].isdigit():
        return True  # the minutes of '17:22', the last part of '2.4.1', '24/7'
    if prev is not None and prev2 is not None and prev.text in "+-−" and prev.end == first.start and \
            prev2.low in lx.CLOCK_WORDS:
        return True  # a time zone, 'GMT+1'
    if prev is not None and prev.low in lx.LABEL_NOUNS and prev.text.isalpha() and len(prev.text) > 2 and \
            prev.low != "us" and bare and (
            nxt is None or not nxt.text.isalpha() or nxt.low in ("of", "and", "or")):
        return True  # 'article 6 of the law', 'phase 2, ...': a label, whatever its case
    if nxt is not None and after is not None and nxt.text == "." and nxt.start == last.end == after.start - 1 \
            and after.text[:1].isdigit():
        return True  # '10.0.0.1', '2.4.1': a version or an address, not a decimal the tokenizer kept whole
    if bare and nxt is not None and nxt.low in lx.CLOCK_WORDS and len(first.text) <= 4:
        return True  # '2230 GMT', '9 pm'
    if bare and _score(tokens, fig.first):
        return True  # 'won 3 to 1': a score or a vote, not a range
    if bare and _digit_groups(tokens, fig.first) >= 3:
        return True  # '0800 555 0199', '(212) 555 0100'
    return bare and _model_name(tokens, fig)


def _digit_groups(tokens: list[Token], i: int) -> int:
    """How many groups of digits, joined by single spaces, hyphens, dots or brackets, hold token i."""
    def joined(a: Token, b: Token) -> bool:
        return b.start - a.end <= 1

    lo = hi = i
    while lo > 0 and joined(tokens[lo - 1], tokens[lo]) and (
            tokens[lo - 1].text.isdigit() or tokens[lo - 1].text in "()-.+"):
        lo -= 1
    while hi + 1 < len(tokens) and joined(tokens[hi], tokens[hi + 1]) and (
            tokens[hi + 1].text.isdigit() or tokens[hi + 1].text in "()-."):
        hi += 1
    return sum(t.text.isdigit() for t in tokens[lo:hi + 1])


_SCORE_JOINERS = frozenset({"to", "-", "–", ":"})


def _score(tokens: list[Token], i: int) -> bool:
    """Two bare numbers joined by 'to' or a dash with the larger first ('3 to 1', '7-2'), not after 'from' or
    'between': a score or a vote. A range runs upward."""
    def number(k: int) -> int | None:
        return int(tokens[k].text) if 0 <= k < len(tokens) and tokens[k].text.isdigit() else None

    for left in (i, i - 2):
        if not (0 <= left + 1 < len(tokens)) or tokens[left + 1].low not in _SCORE_JOINERS:
            continue
        high, low = number(left), number(left + 2)
        if high is None or low is None or high < low or left > 0 and tokens[left - 1].low in ("from", "between"):
            continue
        return True
    return False


_PLACE_BEFORE = frozenset({"in", "at", "from", "across", "near", "on", "to", "of", "since", "by", "until"})


def _model_name(tokens: list[Token], fig: Figure) -> bool:
    """'an iPhone 12', 'a Boeing 737', 'Windows 11': a proper name right before a bare number names a product, a
    place or a series, unless the number counts a noun after it ('Taliban 300 fighters'), the name is a month,
    a weekday, a nationality or the sentence's first word, or a preposition makes it a place or a time."""
    i = fig.first
    if i < 2:
        return False
    name, before = tokens[i - 1], tokens[i - 2]
    text = name.text
    if not text.isalpha() or not any(c.isupper() for c in text) or tokens[i].start - name.end != 1:
        return False
    if before.text in "“\"'‘(" or before.text in ".!?:;":
        return False  # the name starts the sentence or quote: capitalised as any first word is
    if name.low in lx.MONTHS or name.low in lx.WEEKDAYS or name.low in lx.DEMONYMS:
        return False
    if before.low in _PLACE_BEFORE and _gazetteer().resolve(text) is not None:
        return False  # 'in Lahore 120 people ...': a place, then the count
    if len(tokens[i].text) > 4:
        return False
    nxt = tokens[fig.last] if fig.last < len(tokens) else None
    if nxt is not None and nxt.text.isalpha() and nxt.text.islower() and (
            nxt.low in lx.PERSON_NOUNS or nxt.low in lx.MEASURE_OF_PEOPLE or nxt.low in lx.NOUN_MEASURES
            or (nxt.low.endswith("s") and not nxt.low.endswith("ss") and nxt.low not in lx.COMMON_VERBS
                and len(nxt.low) > 3)):
        return False  # the number counts the noun after it
    return True


def _is_delta(tokens: list[Token], first: int) -> bool:
    if first == 0 or tokens[first - 1].low != "by":
        return False
    window = " ".join(t.low for t in tokens[max(0, first - 4):first])
    return bool(re.search(r"\b(rose|risen|rising|increased|increase|surged|jumped|climbed|grew|fell|dropped|"
                          r"decreased|declined|up|down|higher|lower|swelled|expanded|outnumbered|trail|lead)\b",
                          window))


def _qualifier(tokens: list[Token], fig: Figure) -> tuple[str, int]:
    """The qualifier before the figure and the token index where the figure text starts."""
    anchor = fig.first - 1 if fig.first > 0 and tokens[fig.first - 1].text in lx.CURRENCIES else fig.first
    for width in range(_MAX_QUALIFIER_WORDS, 0, -1):
        start = anchor - width
        if start < 0:
            continue
        words = [t.low for t in tokens[start:anchor] if t.text not in "“”\"'’"]
        phrase = " ".join(words)
        if phrase in lx.QUALIFIERS_BEFORE:
            # "between" ranges keep their own qualifier
            return phrase, start
    return "", anchor


def _qualifier_after(tokens: list[Token], fig: Figure) -> tuple[str, int]:
    for width in (2, 1):
        words = " ".join(t.low for t in tokens[fig.last:fig.last + width])
        if words in lx.QUALIFIERS_AFTER:
            return words, fig.last + width
    if fig.last < len(tokens) and tokens[fig.last].text == "+" and tokens[fig.last].start == tokens[fig.last - 1].end:
        return "plus", fig.last + 1
    return "", fig.last


def _bounds(fig: Figure, phrase: str, after: str) -> tuple[Qualifier, float | None, float | None, float | None,
                                                            bool, bool]:
    """(qualifier, value, lower, upper, strict_lower, strict_upper) per the project's bounds convention."""
    if fig.lower is not None and fig.upper is not None and fig.value is None:
        return Qualifier.range, None, fig.lower, fig.upper, False, False
    if fig.vague:
        return Qualifier.vague, fig.value, fig.lower, fig.upper, False, False
    value = fig.value
    kind = lx.QUALIFIERS_BEFORE.get(phrase) or lx.QUALIFIERS_AFTER.get(after) or "exact"
    if kind == "approximate":
        return Qualifier.approximate, value, round(value * 0.9), round(value * 1.1), False, False
    if kind == "nearly":
        return Qualifier.approximate, value, round(value * 0.9), value, False, False
    if kind == "more_than":
        return Qualifier.more_than, value, value, None, phrase in lx.STRICT_QUALIFIER_WORDS, False
    if kind == "at_least":
        return Qualifier.at_least, value, value, None, False, False
    if kind == "at_most":
        return Qualifier.at_most, value, None, value, False, phrase in lx.STRICT_UPPER_WORDS
    return Qualifier.exact, value, value, value, False, False


def _entity_and_actor(tokens: list[Token], fig: Figure) -> tuple[str | None, str | None, int]:
    """The counted noun (from the parse first, else the words after the figure), the actor named by a demonym
    or proper noun, and where the words after the figure end."""
    entity, actor, j = _entity_and_actor_rules(tokens, fig)
    article = parse.current()
    found = article.at(tokens[fig.first].start, tokens[fig.last - 1].end) if article else None
    if found is not None and found.noun and _head(entity) != _head(found.noun):
        entity = found.noun
    return entity, actor, j


def _entity_and_actor_rules(tokens: list[Token], fig: Figure) -> tuple[str | None, str | None, int]:
    """The counted noun after the figure, the actor named by a demonym or proper noun, and where it ends."""
    j = fig.last
    n = len(tokens)
    actor = None
    words: list[str] = []
    if j < n and tokens[j].low == "of":
        j += 1
    if j < n and tokens[j].low in ("more", "additional", "extra", "further"):
        j += 1
    while j < n and len(words) < 5:
        tok = tokens[j]
        low = tok.low
        pair = f"{low} {_next_word(tokens, j + 1)}"
        if pair in lx.DEMONYMS and tok.text[:1].isupper():
            actor = lx.DEMONYMS[pair]
            if pair.endswith("s"):  # "North Koreans" is itself the counted noun
                words.append(f"{tok.text} {tokens[j + 1].text}")
            j += 2
            continue
        if low in lx.DEMONYMS and tok.text[:1].isupper():
            actor = lx.DEMONYMS[low]
            if low.endswith("s") and low not in ("us",):
                words.append(tok.text)
            j += 1
            continue
        if low in ("’s", "'s") or tok.text in "“”\"":
            j += 1
            continue
        if low == "and" and not words:
            break  # "rose to 40 and officials feared": the figure ends its phrase
        if low == "and" and words and j + 1 < n and tokens[j + 1].text.isalpha() and \
                tokens[j + 1].low not in _ENTITY_STOP and not tokens[j + 1].low.endswith("ed"):
            words.append("and")
            j += 1
            continue
        if not tok.text.isalpha() and "-" not in tok.text:
            break
        if low in _ENTITY_STOP:
            break
        if low == "non" and not words and j + 2 < n and tokens[j + 1].text in "-‑" and \
                tokens[j + 2].text[:1].isupper() and tok.end == tokens[j + 1].start and \
                tokens[j + 1].end == tokens[j + 2].start:
            # "non-Muslim homes": the negated name is a group of its own, apart from the one the name counts
            actor = actor or f"non-{tokens[j + 2].text}"
            j += 3
            continue
        if tok.text[:1].isupper() and not words:
            # a proper noun before the counted noun names the actor: "Wagner fighters"
            if j + 1 < n and tokens[j + 1].text.isalpha() and tokens[j + 1].text[:1].islower() and \
                    tokens[j + 1].low not in _ENTITY_STOP:
                actor = actor or tok.text
                j += 1
                continue
            break
        if low in _ENTITY_SKIP and not words:
            j += 1
            continue
        if words and (low.endswith("ed") or low.endswith("ing")) and low not in lx.NOUN_MEASURES:
            break
        words.append(tok.text)
        j += 1
    while words and words[-1] == "and":
        words.pop()
    entity = " ".join(words) or None
    if entity and (entity.lower().endswith("ing") or entity.lower().endswith("ed")) and \
            entity.lower() not in lx.NOUN_MEASURES:
        entity = None
    if actor is None and j + 1 < n and tokens[j].low in ("from", "of"):
        nxt = tokens[j + 1]
        k = j + 2 if nxt.low == "the" else j + 1
        if k < n and tokens[k].text[:1].isupper():
            name = tokens[k].text
            if k + 1 < n and tokens[k + 1].text[:1].isupper():
                name += " " + tokens[k + 1].text
            actor = lx.DEMONYMS.get(name.lower(), name)
    return entity, actor, j


def _head(entity: str | None) -> str:
    if not entity:
        return ""
    return entity.split()[-1].lower()


def _structure(sentence: str, fig_start: int, fig_end: int) -> parse.Structure | None:
    article = parse.current()
    return article.in_sentence(sentence, fig_start, fig_end) if article else None


def _counts_people(head: str) -> bool:
    """Whether a counted noun is people: a person or group noun of the lexicon, '-men', 'lives'."""
    return head in lx.PERSON_NOUNS or head in lx.MEASURE_OF_PEOPLE or head in lx.CASUALTY_GROUPS or \
        head.endswith("men") or head in ("lives", "life")


def _measure(entity: str | None, sentence: str, fig_start: int, fig_end: int) -> str:
    if (money_measure := money.measure(sentence, fig_start, fig_end)) is not None:
        return money_measure  # money is its own quantity, of its kind and currency: never a count
    head = _head(entity)
    low = sentence.lower()
    found = _structure(sentence, fig_start, fig_end)
    if found is not None and found.measure and not (found.predicate in lx.PEOPLE_ONLY_CUES and
                                                    not _counts_people(head)) and not (
            found.measure.startswith("buildings_") and _counts_people(head)):
        # the predicate of the figure's own clause: "41 were dead and 300 were injured"
        measure = found.measure
        if measure == parse.VOCABULARY.crossing_measure and head in lx.PERSON_NOUNS:
            # "2,000 troops arrived in X" is a deployment, "500 tourists arrived" a count of tourists: people
            # who cross with a role of their own are not refugees
            return _rate(lx.NOUN_MEASURES.get(head) or f"count_{_slug(head)}", low, fig_end)
        if measure in parse.VOCABULARY.person_measures and lx.NOUN_MEASURES.get(head) and \
                lx.NOUN_MEASURES[head] not in parse.VOCABULARY.person_measures and head not in lx.PERSON_NOUNS and \
                head not in lx.MEASURE_OF_PEOPLE:
            return _rate(lx.NOUN_MEASURES[head], low, fig_end)  # "joined 140 protests" counts protests, not people
        if measure.startswith("buildings_") and head.endswith("s") and head not in lx.MEASURE_OF_PEOPLE and \
                head not in lx.PERSON_NOUNS and head != "buildings":
            # what was destroyed names the quantity: "40 farms destroyed" is not a count of buildings
            noun = "homes" if head in parse.VOCABULARY.dwellings else _slug(head)
            measure = f"{noun}_{measure.split('_', 1)[1]}"
        return _rate(measure, low, fig_end)
    if found is not None and found.frame_measure and not lx.NOUN_MEASURES.get(head):
        return _rate(found.frame_measure, low, fig_end)  # "the death toll rose to N"
    # nearest measure cue to the figure, inside the figure's own clause when the parse knows it
    clause = found.clause if found is not None else None
    best: tuple[int, str] | None = None
    for match in _CUE_RE.finditer(low):
        if clause is not None and not any(a <= match.start() < b for a, b in clause):
            continue  # "41 were dead and 300 injured": 'dead' is the other clause's
        distance = match.start() - fig_end if match.start() >= fig_end else fig_start - match.end()
        if match.group().lower() in lx.PEOPLE_ONLY_CUES and head and not _counts_people(head):
            continue  # "lost 300 jobs": a loss, not deaths
        if best is None or distance < best[0]:
            best = (distance, _CUE_MEASURE[match.group().lower()])
    noun_measure = lx.NOUN_MEASURES.get(head)
    person_like = not head or head in lx.MEASURE_OF_PEOPLE or head in lx.PERSON_NOUNS
    if best and best[1] in _CASUALTY_MEASURES and best[0] <= 45 and person_like:
        return _rate(best[1], low, fig_end)
    structure = head in ("buildings", "homes", "houses", "apartments", "structures")
    if structure and best and best[0] <= 40 and best[1].startswith("buildings_"):
        # the verb says what happened to them; homes are counted apart from the buildings that hold them
        return best[1] if head == "buildings" else best[1].replace("buildings_", f"{_slug(head)}_" if head ==
                                                                   "structures" else "homes_")
    if noun_measure:
        return _rate(noun_measure, low, fig_end)  # "82 deaths daily" is a rate
    if best and (best[0] <= 120 or not head):
        return _rate(best[1], low, fig_end)
    if head:
        return f"count_{_slug(head)}"
    return "count"


# "the U.S. daily" is a paper: no rate after a blocker (one lookbehind each, as they must be of fixed width)
_RATE_RE = re.compile("".join(rf"(?<!{re.escape(w)}\s)" for w in WORDS.lists["rate_cue_blockers"])
                      + r"\b" + PER_DAY + r"\b")


def _rate(measure: str, sentence: str, fig_end: int) -> str:
    """'some 30 new cases a day on average': a rate is its own quantity, not a level."""
    if _RATE_RE.search(sentence[fig_end:fig_end + 40]):
        return f"daily_{measure}"
    return measure


_AFTER_BONUS = 20
_LOCATIVE_BEFORE_RE = re.compile(r"\b(?:in|across|from|throughout|near|at|inside|on|into|to|of|around|outside)\s+"
                                 r"(?:the\s+)?(?:(?:north|south|east|west)\w*\s+|central\s+|rural\s+)?$", re.I)


# one person, then 'in'/'from' right before the place: "an economist from Lima", "a nurse who works in Leeds"
_PERSONAL_PLACE_RE = re.compile(r"\b(?:a|an|one)\s+(?:[\w-]+\s+){0,3}?(?:" + "|".join(map(re.escape, lx.PERSON_ROLE_NOUNS))
                                + "|[a-z]{3,}(?:" + "|".join(map(re.escape, lx.PERSON_ROLE_SUFFIXES)) + r"))\s+(?:(?:who|that)\s+(?:lives|lived|works|worked|is|was)\s+)?(?:based\s+)?"
                                  r"(?:in|from)\s+$", re.I)
_BREAKDOWN_WORDS = _alternation(lx.BREAKDOWN_MARKERS).pattern  # "including", "of whom" ...
_CLAUSE_BREAK_RE = re.compile(r"(?<!\d),|,(?!\d)|[;:–—(]|" + _BREAKDOWN_WORDS, re.I)
_OWN_PLACE_RE = re.compile(r"\s+(?:[^\W\d]+\s+){0,2}?(?:in|at|across|from|near)\s+(?:the\s+)?", re.I)  # "400,000 (people) in X"
_PREPOSITION_BEFORE_RE = re.compile(r"\b(?:on|in|into|onto|inside|from|over|across|within)\s+$", re.I)


def _article_places(text: str) -> list[_PlaceHit]:
    """Every place the article names, from the gazetteer, in text order. A nationality adjective counts only
    before a territory noun ('on Ruritanian soil'); a capitalised name after 'in', 'near' ... that the gazetteer
    does not know is kept as written, unresolved."""
    gaz = _gazetteer()
    territory = gaz.stopwords.territory_nouns
    hits: list[_PlaceHit] = []
    # a pound or a rupee amount says which Kensington or Hyderabad the article means
    currencies = money.home_countries({f.currency for sentence in split_sentences(text)
                                       if may_hold_figure(sentence.text)
                                       for f in find_figures(_sentence_tokens(sentence)) if f.currency})
    mentions: list[Mention] = gaz.find_mentions(text, currencies, include_demonyms=True)
    for m in mentions:
        if _PERSONAL_PLACE_RE.search(text, max(0, m.start - 80), m.start):
            continue  # "a software developer in Oslo": where one person is, not where the event is
        written = text[m.start:m.end]
        if m.demonym:
            # 'on Ruritanian soil', 'into Freedonian territory'; not 'the Ruritanian territory of X'
            noun = re.match(r"\s+([a-z]+)\b", text[m.end:m.end + 20])
            if noun is None or noun.group(1) not in territory or not _PREPOSITION_BEFORE_RE.search(
                    text[max(0, m.start - 12):m.start]):
                continue
            written = text[m.start:m.end + noun.end()]
        hits.append(_PlaceHit(m.start, written, m.place.country_name, m.place, m.demonym))
    for start, end in gaz.unknown_names(text, [(m.start, m.end) for m in mentions]):
        hits.append(_PlaceHit(start, text[start:end], None, None))
    countries = _article_countries(hits)
    if countries:
        # "in the capital": the capital of the country the article is most about
        capital = gaz.capital(gaz.country_code(countries[0]) or "")
        for match in _CAPITAL_RE.finditer(text) if capital is not None else ():
            hits.append(_PlaceHit(match.start("noun"), match.group("noun"), capital.country_name, capital))
    return sorted(hits, key=lambda h: h.start)


_NATIONAL_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, lx.NATIONAL_SCOPE_WORDS), key=len, reverse=True))
                          + r")\b", re.I)
_CAPITAL_RE = re.compile(r"\b(?:in|across|from|to|into|near|around|outside|at|through|throughout)\s+the\s+(?P<noun>"
                         + "|".join(sorted(map(re.escape, lx.CAPITAL_NOUNS), key=len, reverse=True))
                         + r")\b(?!\s+of\b|\s+(?:" + "|".join(map(re.escape, lx.CAPITAL_COMPOUNDS)) + r")\b)",
                         re.I)  # "the capital of Uganda" names its country; "the capital markets" no city


def _sentence_places(sentence: Sentence, places: list[_PlaceHit]) -> list[_PlaceHit]:
    """The article's places inside the sentence, with offsets relative to it."""
    lo = bisect_left([h.start for h in places], sentence.start)
    out = []
    for hit in places[lo:]:
        if hit.start >= sentence.end:
            break
        if hit.end <= sentence.end:
            out.append(replace(hit, start=hit.start - sentence.start))
    return out


def _location(sentence: str, fig_start: int, places: list[_PlaceHit], next_figure: int | None = None,
              previous_figure_end: int | None = None) -> tuple[str | None, str | None, Place | None]:
    """(place as written, its country, the gazetteer entry) nearest the figure, preferring places after it.
    A place past the next figure, or right after the figure before, is that figure's ('400,000 in Lyon, and
    1.2 million nationwide, including 80,000 in Nice': neither town is the 1.2 million's). A place the gazetteer
    does not know counts only when the sentence names no known one."""
    if next_figure is not None:
        places = [h for h in places if h.start < next_figure]
    if previous_figure_end is not None:
        places = [h for h in places if not (previous_figure_end <= h.start < fig_start and _OWN_PLACE_RE.fullmatch(
            sentence, previous_figure_end, h.start))]
    hits = [h for h in places if h.place is not None] or places
    if not hits:
        return None, None, None
    # "X and (neighboring) Y" joined into one group
    groups: list[list[_PlaceHit]] = []
    for hit in hits:
        if groups:
            last = groups[-1][-1]
            between = sentence[last.end:hit.start]
            if re.fullmatch(r"\s+(?:and|&)\s+(?:[^\W\d]+\s+){0,2}", between):
                groups[-1].append(hit)
                continue
        groups.append([hit])
    if any(g[0].start < fig_start for g in groups):
        # a place after the figure says where it happened only after a preposition ("224 buildings in Syria");
        # "... 50,000 after Turkey declared" names a speaker
        groups = [g for g in groups if g[0].start < fig_start or _LOCATIVE_BEFORE_RE.search(sentence[:g[0].start])]
        # "in Pau, the organisers counted 22,000, and in Rodez ...": past a clause break, a place starts the next
        # clause, when one before the figure already says where this one is
        groups = [g for g in groups if g[0].start < fig_start or not _CLAUSE_BREAK_RE.search(
            sentence, fig_start, g[0].start)] or groups

    def distance(group: list[_PlaceHit]) -> int:
        start, end = group[0].start, group[-1].end
        # the place after a figure usually says where it happened ("224 buildings in Syria"), so it wins
        # unless the one before is much closer ("the toll in Peru of 1,204 ... figures from Bolivia")
        return start - fig_start - _AFTER_BONUS if start >= fig_start else fig_start - end
    chosen = min(groups, key=distance)
    countries = sorted({h.country for h in chosen if h.country})
    if len(countries) > 1:
        # "in Turkey and Syria": the figure covers both
        return " and ".join(h.text for h in chosen), "+".join(countries), None
    return chosen[0].text, chosen[0].country, chosen[0].place


def _claim_place(place: Place | None) -> ClaimPlace | None:
    if place is None:
        return None
    return ClaimPlace(name=place.name, kind=place.kind, geonames_id=place.geonames_id,
                      country_code=place.country_code, country_name=place.country_name,
                      region_code=place.region_code, region_name=place.region_name)


def _main_actor(ctx: _Context) -> str | None:
    """The actor the article has named most often so far."""
    if not ctx.actors:
        return None
    named = list(ctx.actors.values())
    return max(dict.fromkeys(named), key=named.count)  # a tie goes to the first named, whatever the hash seed


_LEADER_RE = re.compile(r"\b([A-Z][\w-]+)\s+(?:chief|leader|head|commander|founder|boss|chairman)\b")


def _led_organisation(sentence: str, fig_start: int) -> str | None:
    """'Wagner chief Dmitry Prigozhin had 25,000 men': the figure counts the organisation's people."""
    found = [m.group(1) for m in _LEADER_RE.finditer(sentence[:fig_start])]
    return found[-1] if found else None


def _subject_country(sentence: str, fig_start: int, countries: list[str]) -> str | None:
    """A country named as the subject of the figure's clause: 'North Korea has sent 3,000 soldiers'."""
    lo, _ = _clause(sentence, fig_start, fig_start)
    window = sentence[lo:fig_start]
    found = None
    for match in re.finditer(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b(?:’s|'s)?\s+(?:has|have|had|is|are|was|were|"
                             r"plans?|planned|sent|sends|deployed|deploys|will|could|may|might|intends?)\b", window):
        place = _gazetteer().resolve(match.group(1), countries)
        if place is not None and place.kind == "country":
            found = place.country_name
    return found


@lru_cache(maxsize=64)
def _clause_bounds(sentence: str) -> tuple[int, ...]:
    # several rules ask for the clause of the same figure: split each sentence once
    return (0, *(m.end() for m in _CLAUSE_SPLIT.finditer(sentence)), len(sentence))


def _clause(sentence: str, start: int, end: int) -> tuple[int, int]:
    bounds = _clause_bounds(sentence)
    lo = max(b for b in bounds if b <= start)
    hi = min(b for b in bounds if b >= end)
    return lo, hi


def _clause_text(sentence: str, start: int, end: int) -> str:
    lo, hi = _clause(sentence, start, end)
    return sentence[lo:hi]


_MONTH_MAY_RE = re.compile(r"(?<=.)\bMay\b")  # capitalised mid-sentence, "May" is the month, not "may reach"
_NEGATED_AFTER_RE = re.compile(r"^\s*(?:\w+\s+){0,3}(?:did\s+not|didn[’']t|never|have\s+not|haven[’']t|has\s+not|"
                               r"hasn[’']t|were\s+not|weren[’']t)\s+(?:die|died|perish|perished|attend|attended|"
                               r"come|came|gather|gathered|deploy|deployed)\b", re.I)


def _sentence_doc(sentence: str):
    article_parse = parse.current()
    return article_parse.doc_of(sentence) if article_parse is not None else None


def _token_at(doc, start: int, end: int):
    if doc is None or end > parse.doc_length(doc):
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _path_up(token) -> list:
    path = [token]
    while path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    return path


_CLAUSE_DEPS = frozenset({"ROOT", "relcl", "acl", "advcl", "ccomp", "xcomp", "csubj", "csubjpass", "conj"})


_SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj")


def _clause_head(token) -> bool:
    """A verb heading a clause, or a word the parse attaches as a clause ('while estimates varied'); 'according'
    heads a phrase, not a clause."""
    if token.dep_ == "prep":
        return False
    return token.pos_ in ("VERB", "AUX") or (token.dep_ in _CLAUSE_DEPS and token.dep_ != "conj")


def _cue_governs(doc, cue_start: int, cue_end: int, figure, kind: str) -> bool | None:
    """Whether the cue word at [cue_start, cue_end) bears on the figure's token in the parse; None when the parse
    does not cover it. A cue bears on the clause it sits in and the clauses below it, not on a relative clause
    ('set to move to a district where rents start at 900'). A projection or a denial does not cross a coordination
    ('denied the abuses and says 400 died'); an estimate does ('analysed the images and found that 300 burned'),
    and a noun ('the theories of skeptics who put the toll at 90') reaches all it dominates."""
    cue = _token_at(doc, cue_start, cue_end)
    if cue is None or figure is None:
        return None
    if cue.pos_ in ("AUX", "PART") or cue.dep_ in ("aux", "auxpass", "neg"):
        cue = cue.head  # "may rise", "will be": the verb the modal goes with
    elif cue.dep_ in ("amod", "compound") and cue.head.pos_ in ("NOUN", "PROPN"):
        cue = cue.head  # "an estimated toll of 300": the noun it describes
    path = _path_up(figure)
    if kind == "estimate":
        if cue.pos_ in ("NOUN", "PROPN") and cue in path:
            return True
        while not _clause_head(cue) and cue.head.i != cue.i:
            cue = cue.head  # "according to the study", "results of a study ... said": the clause it sits in
    heads = [cue] + ([c for c in cue.children if c.dep_ == "conj"] if kind == "estimate" else [])
    shared = cue
    while shared.dep_ in ("conj", "acomp", "xcomp", "pcomp", "prep", "advmod") and not any(c.dep_ in _SUBJECTS for c in shared.children):
        shared = shared.head  # "troops are close to arriving or expected soon": a predicate of the same subject
        heads.append(shared)
    for head in heads:
        if head not in path:
            continue
        crossed = path[:path.index(head)]
        if any(t.dep_ == "relcl" or (t.dep_ == "advcl" and t.lemma_.lower() not in _SPEECH_LEMMAS) or (
                kind != "estimate" and t.dep_ == "conj" and t.pos_ in ("VERB", "AUX")) for t in crossed):
            continue
        return True
    return False


_SPEECH_LEMMAS = lx.SPEECH_FRAME_LEMMAS  # "..., saying that 500 died": a frame, not a clause of its own


def _cue_hits(text: str, cues, window: tuple[int, int] = (0, 10**9)) -> list[tuple[int, int]]:
    """Where each cue (a lower-case substring) occurs in `text`, within the window."""
    hits = []
    for cue in cues:
        at = text.find(cue, window[0])
        while 0 <= at < window[1]:
            hits.append((at, at + len(cue.rstrip())))
            at = text.find(cue, at + 1)
    return hits


def _governed(doc, figure, hits: list[tuple[int, int]], kind: str) -> bool:
    """Whether any cue occurrence bears on the figure: by the parse when it covers the cue, else by presence."""
    return any(_cue_governs(doc, s, e, figure, kind) is not False for s, e in hits)


_PERFECT_AFTER_MODAL_RE = re.compile(r"\b(?:may|might|could)\s+(?:\w+\s+)?have\s+(?:been\s+)?\w+(?:ed|en)\b")


# "could not verify", "would not confirm": an inability or a refusal, not a forecast of the figure
_NEGATED_MODAL_RE = re.compile(r"\s*(?:not|n[’']t)\b")


def _retracts_a_figure(low: str) -> bool:
    """A retraction cue with a report noun within four words of it: 'the ministry withdrew its figure of 400', 'the
    toll was corrected'; not 'troops withdrew from the town'."""
    for start, end in _cue_hits(low, lx.RETRACTION_CUES):
        near = re.findall(r"[a-z]+", low[max(0, start - 40):start])[-4:] + re.findall(r"[a-z]+", low[end:end + 40])[:4]
        if any(word in lx.RETRACTION_OBJECTS for word in near):
            return True
    return False


def _modality(sentence: str, fig_start: int, fig_end: int, qualifier_phrase: str, time_ref: TimeRef | None) -> Modality:
    if _NEGATED_AFTER_RE.match(sentence[fig_end:]):
        return Modality.denial  # "40 workers were not hurt": the figure is asserted to be false
    low = _MONTH_MAY_RE.sub("month", sentence).lower()
    lo, hi = _clause(sentence, fig_start, fig_end)
    clause = low[lo:hi]
    doc = _sentence_doc(sentence)
    figure = _token_at(doc, fig_start, fig_end)
    if _retracts_a_figure(low):
        return Modality.retracted
    if any(m for m in _DENIAL_RE.finditer(low) if _cue_governs(doc, m.start(), m.end(), figure, "denial")
           is not False):
        return Modality.denial
    if _NEGATED_BELIEF_RE.search(low[max(0, fig_start - 80):fig_start]) and _governed(
            doc, figure, [(m.start(1), m.end(1)) for m in _NEGATED_BELIEF_RE.finditer(low)], "denial"):
        return Modality.denial  # "does not believe 3,000 died": the figure is asserted to be false
    if any(cue in low[max(0, fig_start - 30):fig_start] for cue in lx.REPORTED_CUES) or any(
            low[fig_end:fig_end + 30].lstrip(" ,").startswith(cue) for cue in lx.REPORTED_CUES):
        return Modality.reported  # "a reported 500", "the current total of 90", "1,200 as announced by ..."
    if _PERFECT_AFTER_MODAL_RE.search(clause):
        return Modality.estimate  # "may already have been killed": a guess about what happened, not a forecast
    if time_ref is not None and time_ref.future:
        return Modality.projection
    if _governed(doc, figure, [(s, e) for s, e in _cue_hits(low, lx.PROJECTION_CUES, (lo, hi))
                               if not _NEGATED_MODAL_RE.match(low, e)], "projection"):
        if not (qualifier_phrase in ("an estimated", "estimated") or _ESTIMATED_NOUN_RE.search(clause)) or \
                _FUTURE_RE.search(clause):
            return Modality.projection
        return Modality.estimate  # "the estimated cost is projected at $5m": a valuation, not a forecast
    if qualifier_phrase in ("an estimated", "estimated"):
        return Modality.estimate
    if _OFFICIAL_RE.search(low[max(0, fig_start - 60):fig_end]):
        return Modality.reported  # "the official death toll", "its official estimate": an official count
    before = low[:fig_end]  # what governs a figure comes before it, not in a trailing clause
    if _governed(doc, figure, _cue_hits(before, lx.ESTIMATE_CUES), "estimate") or _CONDITIONAL_RE.match(low):
        return Modality.estimate
    return Modality.reported


_NEGATED_BELIEF_RE = re.compile(r"\b(?:do|does|did)(?:\s+not|n[’']t)\s+(?:\w+\s+)?(believe|think|accept)\b")
_ESTIMATED_NOUN_RE = re.compile(r"\bestimated\s+(?:\w+\s+)?(?:cost|value|damage|losses|price|bill)\b")
_FUTURE_RE = re.compile(r"\b(?:will|expected|expects|could|might|may|likely\s+to)\b")


def _events(text: str) -> list[str]:
    counts: dict[str, int] = {}
    for match in _EVENT_RE.finditer(text):
        if ev.is_light_use(text, match):
            continue  # "an outbreak of violence" is no outbreak
        noun = match.group().lower()
        counts[noun] = counts.get(noun, 0) + 1
    return sorted(counts, key=lambda noun: (-counts[noun], lx.EVENT_NOUNS.index(noun)))


_NAMED_EVENT_RE = re.compile(r"\b(hurricane|typhoon|cyclone|storm|tropical storm)\s+([A-Z][a-z]+)")


def _article_event(text: str, events: list[str]) -> str | None:
    """The story's event: a named storm if the article names one, else its most mentioned event noun."""
    named = [m.group(2).lower() for m in _NAMED_EVENT_RE.finditer(text)]
    if named:
        return f"hurricane {max(dict.fromkeys(named), key=named.count)}"
    return lx.EVENT_KEY_WORDS.get(events[0], events[0]) if events else None


_NAMED_GATHERING_RE = re.compile(r"\b((?:[A-Z][\w’']+\s+){1,3}(?:March|Rally|Protest|Festival|Parade|Games))\b")


def _named_event(sentence: str) -> str | None:
    """A named gathering in the sentence ("the Women's March"): the figure belongs to it."""
    match = _NAMED_GATHERING_RE.search(sentence)
    return match.group(1) if match else None


def _article_countries(places: list[_PlaceHit]) -> list[str]:
    """Countries the article names, itself or by a place in it, most mentioned first."""
    counts: dict[str, int] = {}
    for hit in places:
        if hit.country and not hit.demonym:
            counts[hit.country] = counts.get(hit.country, 0) + 1
    return sorted(counts, key=lambda c: -counts[c])


def _sentence_event(sentence: str, ctx: _Context) -> str | None:
    """A casualty figure belongs to the article's story unless its sentence names another event."""
    named = _NAMED_EVENT_RE.search(sentence)
    if named:
        return f"hurricane {named.group(2).lower()}"
    if ctx.event:
        return ctx.event
    found = sorted({m.group().lower() for m in _EVENT_RE.finditer(sentence) if not ev.is_light_use(sentence, m)},
                   key=lx.EVENT_NOUNS.index)
    return lx.EVENT_KEY_WORDS.get(found[0], found[0]) if found else None


def _with_quantities(claims: list[Claim], ctx: _Context) -> list[Claim]:
    """Each claim with its explicit quantity: the article's event (or the other event its sentence names), the
    measure, the place scope, the subject and the kind."""
    article = ctx.article
    mentions = [ev.PlaceMention(h.start, _claim_place(h.place)) for h in ctx.places
                if h.place is not None and not h.demonym]
    main = ev.article_event(article.text, mentions, ctx.news_day, article.content_hash)
    # an article that names no event but counts a crowd is about a gathering ('10,000 rallied')
    implied = next((lx.MEASURE_EVENT_TYPES[c.measure] for c in claims if c.measure in lx.MEASURE_EVENT_TYPES
                    and lx.MEASURE_EVENT_TYPES[c.measure] in lx.GATHERING_MEASURES), None)
    out = []
    for claim in claims:
        event = ev.sentence_event(claim.sentence, main, ctx.published, claim.reference_year, article.content_hash)
        gathering = event.type or implied
        if claim.measure in lx.GATHERING_PEOPLE_COUNTS and gathering in lx.GATHERING_MEASURES:
            # "14,500 people in the pouring rain", in a report on a march: the march's crowd
            claim = _with_measure(claim, lx.GATHERING_MEASURES[gathering])
        several = None
        if claim.place is None and claim.location:
            # "in X and Y": resolved when every part is a place the gazetteer knows
            known = {h.text: h.place.country_code for h in ctx.places if h.place is not None}
            parts = re.split(r"\s+(?:and|&)\s+(?:\w+\s+){0,2}?", claim.location)
            if len(parts) > 1 and all(p in known for p in parts):
                several = [known[p] for p in parts]
        quantity = ev.quantity(claim, event, several)
        out.append(claim.model_copy(update={"quantity": quantity, "quantity_key": _typed_key(claim.quantity_key,
                                                                                            quantity)}))
    return _mark_breakdowns(out)


def _with_measure(claim: Claim, measure: str) -> Claim:
    """The claim counting another measure, its key naming it."""
    parts = claim.quantity_key.split(".")
    parts = [measure if part == claim.measure else part for part in parts]
    return claim.model_copy(update={"measure": measure, "quantity_key": ".".join(parts)})


def _typed_key(key: str, quantity) -> str:
    """A key named by an event word names the event's type instead ('march.crowd_size' and 'protest.crowd_size'
    are one demonstration's), and a key with no actor takes its event's type ('unknown.crowd_size'): one event's
    figures share a key whatever word an article uses, and the event decides what they are compared with."""
    head, _, rest = key.partition(".")
    if head in lx.EVENT_TYPES:
        return f"{lx.EVENT_TYPES[head]}.{rest}"
    if head == "unknown" and quantity.event.type:
        return f"{quantity.event.type}.{rest}"
    return key


def _mark_breakdowns(claims: list[Claim]) -> list[Claim]:
    """'800,000 marched; 40,000 in Lyon, 22,000 in Brest': a measure the article gives for two towns or more is
    broken down by place, and its figures that name no place are the whole (Quantity.by_place)."""
    towns: dict[str, set[str]] = {}
    for claim in claims:
        scope = claim.quantity.scope if claim.quantity else None
        if scope is not None and scope.kind != "country" and claim.place is not None:
            towns.setdefault(claim.measure, set()).add(scope.name)
    broken_down = {measure for measure, names in towns.items() if len(names) >= 2}
    return [c.model_copy(update={"quantity": c.quantity.model_copy(update={"by_place": True})})
            if c.quantity is not None and c.location is None and c.measure in broken_down else c for c in claims]


def _incident(sentence: str) -> bool:
    return any(not ev.is_light_use(sentence, m) for m in _INCIDENT_RE.finditer(sentence)) and \
        not _TALLY_RE.search(sentence)


_ADDITIVE_RE = re.compile(r"^\W*(?:" + "|".join(sorted(map(re.escape, lx.ADDITIVE_OPENERS), key=len, reverse=True))
                          + r")\b", re.I)
_OFFICIAL_RE = re.compile(r"\bofficial\s+(?:death\s+)?(?:toll|count|tally|estimate|figure|number)s?\b")
_CONDITIONAL_RE = re.compile(r"^\W*if\b")
_REFERS_BACK_RE = re.compile(r"^\W*(?:that|this|the|these|those)\s+(?:tally|figure|figures|number|numbers|count|"
                             r"estimate|toll|total|data|report)\b", re.I)


_WITH_PHRASE_RE = re.compile(r"\s*with\b", re.I)


def _years_near(sentence: str, start: int, end: int, others: tuple[tuple[int, int], ...] = ()) -> list[int]:
    """Bare years written close to the figure, inside its clause or its parentheses ('(29 million, 2001)'),
    with no other figure between."""
    lo, hi = _clause(sentence, start, end)
    if lo > 0 and sentence[lo - 1] == "," and _WITH_PHRASE_RE.match(sentence, lo, start):
        # "The 2019 flood was the worst, with 900 homes lost": the with-phrase belongs to the clause before it
        lo = max(b for b in _clause_bounds(sentence) if b < lo - 1) if lo > 1 else 0
    opened, closed = sentence.rfind("(", 0, start), sentence.find(")", end)
    if opened > sentence.rfind(")", 0, start) and closed != -1 and closed - end < 40:
        lo, hi = min(lo, opened), max(hi, closed)
    lo = max([lo, *(e for s, e in others if e <= start)])
    hi = min([hi, *(s for s, e in others if s >= end)])
    return bare_years(sentence[lo:hi])


def _reference_year(sentence: str, start: int, end: int, refs: list[TimeRef], published: date | None,
                    others: tuple[tuple[int, int], ...] = (), ref: TimeRef | None = None) -> int | None:
    """The year a figure is about, when it is not the publication year: 'in 2009', '(29 million, 2001)',
    "Obama's 2013 inaugural", or the past year that dates it ('... who had voted by noon in 2012')."""
    if published is None:
        return None
    lo, hi = _clause(sentence, start, end)
    dated = [r.as_of.year for r in refs if r.as_of and lo <= r.start < hi and r.kind in ("month_day", "day_month")]
    if ref is not None and ref.kind in ("year", "years") and ref.start >= 0:
        dated += bare_years(ref.text)[:1]
    own = _own_event_years(sentence, published) | _since_years(sentence)
    for year in dated + _years_near(sentence, start, end, others):
        if year < published.year and year not in own:
            return year
    return None


_SINCE_RE = re.compile(r"\bsince\b[^,;:.!?—–()]{0,60}", re.I)


@lru_cache(maxsize=256)
def _since_years(sentence: str) -> frozenset[int]:
    """Years a running tally starts from ('since the war began in April 2023', 'since 2019'): the tally's start,
    not another instance of the quantity. Each figure of a sentence asks; it is read once."""
    return frozenset(year for match in _SINCE_RE.finditer(sentence) for year in bare_years(match.group()))


def _own_event_years(sentence: str, published: date) -> set[int]:
    """Years of event dates a year old at most ('after the storm hit in September 2017'): the story's own event,
    not another instance of the quantity, as an older one is ('when the storm struck in 1995')."""
    texts = [sentence[ref.start:ref.end + 6] for ref in find_time_refs(sentence, published)
             if is_event_date(sentence, ref)]  # with the words after it: 'in September 2017'
    return {year for year in bare_years(" ".join(texts)) if year >= published.year - 1}


def _past_year_named(sentence: str, start: int, end: int, published: date | None,
                     others: tuple[tuple[int, int], ...] = ()) -> bool:
    """A bare earlier year near the figure ('Obama's 2009 inauguration'): only a period is known."""
    if published is None:
        return False
    own = _own_event_years(sentence, published) | _since_years(sentence)
    return any(year < published.year and year not in own for year in _years_near(sentence, start, end, others))


_CARRY_DAYS = timedelta(days=7)  # a tally is reported days old at most; a date further back is history


def _dating_refs(refs: list[TimeRef], sentence: str, start: int, end: int,
                 others: tuple[tuple[int, int], ...] = ()) -> list[TimeRef]:
    """Time expressions that can date this figure: not the date of the event it counts the toll of
    ('the quake struck on Monday'), not a date after another figure that follows this one ('40 today, up from
    25 on Monday'), and a bare year only inside the figure's own clause."""
    lo, hi = _clause(sentence, start, end)
    kept = []
    for ref in refs:
        if in_other_brackets(sentence, start, ref.start):
            continue  # "400 held (up from 250 on Friday)": an aside's date is its own figure's
        opener = ref.start == 0 and sentence[ref.end:ref.end + 1] == ","  # "In August, ..." dates the sentence
        # "Just hours earlier ... 16 dead", "after he visited last year, the toll was 18": the whole statement
        opener = opener or (ref.kind in ("earlier", "last_year") and ref.end <= start)
        if ref.kind in PERIOD_KINDS and ref.end <= start and dates_statement(sentence, ref):
            kept.append(ref)  # "said last week that ... 20 dogs": the period dates the whole statement
            continue
        if ref.kind in PERIOD_KINDS and not opener and not (
                lo <= ref.start < hi and ref.start - end < 80 and start - ref.end < 80):
            continue  # a period dates only a figure close to it in its own clause
        if is_event_date(sentence, ref):
            continue  # the date of the event whose toll is counted, not of the count
        nearest_end = max([end, *(e for _, e in others if e <= ref.start)])
        if ref.start >= end and not is_statement_date(sentence, ref) and not ref.tally and \
                compared_level_date(sentence[nearest_end:ref.start]):
            continue  # "3,000 marched, below the peaks seen on 31 January": the date is the peaks'
        if ref.start >= end and not is_statement_date(sentence, ref) and any(
                end <= s and e <= ref.start and (compares_with(sentence[end:s]) or joins_another_clause(
                    sentence[end:s])) for s, e in others):
            continue  # "40 today, up from 25 on Monday", "31, but not 90 until May 9": the other figure's date
        kept.append(ref)
    return kept


_PART_OF_DAY_RE = re.compile(r"\b(?:by|as of|until|before)\s+(\d{1,2})(?::(\d\d))?\s*(a\.?m\.?|p\.?m\.?)|"
                             r"\b(?:by|as of|until|before)\s+(noon|midday)", re.I)
_SUB_AREA_RE = re.compile(r"\bin\s+(?:the\s+)?([a-z]+-(?:held|controlled|occupied))\s+(?:areas?|parts?|regions?|"
                          r"territor(?:y|ies)|zones?)", re.I)


_STOCK_MEASURES = frozenset({"troops_deployed", "crowd_size", "troops_available"})
_THAN_AHEAD_RE = re.compile(r"^(?:\s+[\w’'-]+){0,4}?\s+than\b")  # "seven more patients than normal": an excess
_COMBINED_RE = re.compile(r"\b(?:combined|both\s+countries|(?:the\s+)?two\s+countries)\b", re.I)
_CASUALTY_MEASURES = frozenset({"killed", "injured", "missing", "casualties", "displaced", "arrested", "captured"})
_SAME_HOUR_RE = re.compile(r"\b(?:by|at|until)\s+the\s+same\s+(?:hour|time)\b", re.I)


_DIGIT_RE = re.compile(r"\d")


def _between(clause: str, clause_start: int, start: int, end: int, match: re.Match[str]) -> str:
    """The text of `clause` between the figure at [start, end) (sentence offsets) and `match`."""
    lo, hi = start - clause_start, end - clause_start
    return clause[hi:match.start()] if match.start() >= hi else clause[match.end():lo]


def _part_scope(sentence: str, start: int, end: int, place: str | None) -> str | None:
    """'some 90 of those were children', 'Of the 40 passengers, 25 were rescued': a part of the figure before
    is a quantity of its own."""
    opener = _PARTITIVE_OPENER_RE.match(sentence)
    if not _OF_THOSE_RE.match(sentence[end:]) and not (opener and start >= opener.end()):
        return None
    return f"part_{_slug(place)}" if place else "part"


_PARTITIVE_OPENER_RE = re.compile(r"\s*[“\"‘']?of\s+(?:the|those|these|its|their)\s+[^,;.]{1,60},", re.I)
_BREAKDOWN_RE = re.compile(r"(?:\s[–—]|\s-|:|,?\s*" + _BREAKDOWN_WORDS + r")\s*$",
                           re.I)  # right before the part: "... 25 people, including 14 tourists"
_LIST_JOIN_RE = re.compile(r"^\s*(?:[\w’'-]+\s+){0,3}?[\w’'-]*\s*(?:,|,?\s+and)\s*$")  # "12 Germans, nine ..."
_WHOLE_REACH_WORDS = 6  # "40 people had died in the crash – 12 ...": the whole's phrase, not another clause


def _breakdown_scope(sentence: Sentence, start: int, measure: str, entity: str | None, place: str | None,
                     claims: list[Claim], parts: set[str]) -> str | None:
    """'40 died in the crash – 12 Germans, nine Swiss and 19 Britons', '25 were hurt, including 14 children': a
    part of the figure before it is its own quantity, named by its group, else 'part'. A part named by another
    place than its whole is left to the place scope."""
    prev = None
    for claim in reversed(claims):  # the claims are in text order: this sentence's are the last ones
        if claim.sentence != sentence.text:
            break
        if claim.measure == measure and claim.char_end - sentence.start <= start:
            prev = claim
            break
    if prev is None or place and place != prev.location:
        return None
    between = sentence.text[prev.char_end - sentence.start:start]
    if prev.claim_id in parts:
        if not _LIST_JOIN_RE.match(between):
            return None
    else:
        marker = _BREAKDOWN_RE.search(between)
        if marker is None or len(between[:marker.start()].split()) > _WHOLE_REACH_WORDS or \
                _DIGIT_RE.search(between):
            return None
    known = _victim_group(measure, entity)
    if known:
        return known  # a group counted alone elsewhere ('12 children died') is the same part
    if entity and _head(entity) != _head(prev.entity):
        return f"part_{_slug(_head(entity))}"
    return "part"


_PRESUMED_RE = _alternation(lx.PRESUMED_MARKERS)
_OTHER_SUBJECT_RE = re.compile(r"\band\s+(?:many\s+|several\s+|dozens\s+)?(?:more|others)\b", re.I)


def _sub_scope(sentence: str, start: int, end: int, others: tuple[tuple[int, int], ...] = ()) -> str | None:
    """A part of the quantity the figure counts: a part of the day ('by 11 a.m.'), a controlled area ('in
    rebel-held areas'), or the presumed dead beside a confirmed toll. Each makes it another quantity."""
    lo, hi = _clause(sentence, start, end)
    clause_start = max(lo, start - 60)
    clause = sentence[clause_start:min(len(sentence), end + 80)]
    area = _SUB_AREA_RE.search(clause)
    if area and not _DIGIT_RE.search(_between(clause, clause_start, start, end, area)):
        return _slug(area.group(1))
    own = sentence[clause_start:min(hi, end + 80)]  # the figure's own clause: "9 drowned and others are feared dead"
    # "11 are missing, presumed dead": the marker may stand in an aside of its own
    presumed = _PRESUMED_RE.search(own) or _PRESUMED_RE.search(sentence[clause_start:min(len(sentence), hi + 30)],
                                                              hi - clause_start)
    if presumed and others and not _DIGIT_RE.search(_between(own, clause_start, start, end, presumed)) and \
            not _OTHER_SUBJECT_RE.search(_between(own, clause_start, start, end, presumed)):
        # "12 bodies found and 20 missing, presumed dead": not the confirmed toll. Alone in its sentence, the
        # presumed figure is the toll as it stands
        return "presumed"
    time_of_day = _PART_OF_DAY_RE.search(clause)
    if time_of_day is None and _SAME_HOUR_RE.search(clause):
        time_of_day = _PART_OF_DAY_RE.search(sentence[:start])  # "by that time in 2012": the hour named before
    if time_of_day:
        if time_of_day.group(4):
            return "by_noon"
        meridiem = "pm" if time_of_day.group(3).lower().startswith("p") else "am"
        return f"by_{time_of_day.group(1)}{meridiem}"
    return None


_PHRASE_ENDS = frozenset({"of", "in", "below", "under", "over", "from", "with", "at", "on", "who", "that", "aged"})


def _may_take(earlier: Claim, structure) -> bool:
    """Whether a bare figure may count what an earlier one counted. A sum of money only passes to a figure that
    refers back to it ('damage was put at $3bn; it could rise to 5bn'), not to a count with its own verb
    ('tickets cost $25, and 4,000 were sold')."""
    return earlier.currency is None or (structure is not None and structure.refers_back)


def _victim_group(measure: str, entity: str | None) -> str | None:
    """'15 police officers were injured': the toll of one group among the victims, another quantity than the
    toll of everyone (the entity's head noun, or the word before a trailing 'forces'/'personnel')."""
    if measure not in _CASUALTY_MEASURES or not entity:
        return None
    words = re.findall(r"[a-z]+", entity.lower())
    head = next((i for i, w in enumerate(words) if w in _PHRASE_ENDS), len(words))  # "children below the age of 5"
    for word in reversed(words[:head][-2:]):
        if word in lx.CASUALTY_GROUPS:
            return lx.CASUALTY_GROUPS[word]
    return None


_POSSESSIVE_END_RE = re.compile(r"\s*['’]s?$")
_ACRONYM_RE = re.compile(r"[A-Z]{2,6}")
_NAME_LINKS = ("of", "for", "the", "and", "on", "de", "du", "des", "in")  # lowercase words inside a name


def _strip_symbols(word: str) -> str:
    """A word without the symbols, dashes and bullets at its start (Unicode categories S, Pd and Po, but not
    a quotation mark: '"Red Cross" group' is quoted)."""
    start = 0
    while start < len(word) and word[start] not in "\"'" and (unicodedata.category(word[start])[0] == "S" or
                                                                unicodedata.category(word[start]) in ("Pd", "Po")):
        start += 1
    return word[start:]


def _full_source(source: str | None, text: str) -> str | None:
    """The source as the article names it in full: without a possessive ending ("the union’s" estimates), and an
    acronym the article spells out ('HRW' after 'Human Rights Watch'): the name whose capitalised words' initials
    give it, with 'of', 'for', 'the' and 'and' between them."""
    if not source:
        return source
    # a list bullet or a dash glued to the name ('◾Green', '•Police') is layout, not the name
    source = "".join(_strip_symbols(word) for word in re.split(r"(\s+)", source)).strip() or source
    source = _POSSESSIVE_END_RE.sub("", source) or source
    if not _ACRONYM_RE.fullmatch(source):
        return source
    words = [f"(?:{c}[a-z]+|" + "|".join([w for w in _NAME_LINKS if w[0] == c.lower()] or ["(?!)"]) + ")"
             for c in source]  # 'BOM': Bureau of Meteorology
    words[0] = f"{source[0]}[a-z]+"  # a name starts with a capitalised word
    links = "|".join(_NAME_LINKS)
    spelled = re.search(r"\b" + rf"\W+(?:(?:{links})\W+)*".join(words) + r"\b", text)
    return spelled.group(0) if spelled else source


def _named_part(structure) -> str | None:
    """'12 people, including 40 children': the children are a part of the toll, another quantity than it."""
    if structure is None or structure.part_of is None or structure.noun_lemma in (None, structure.part_of):
        return None
    return _slug(structure.noun_lemma)


def _quantity_key(actor: str | None, measure: str, country: str | None, incident: bool, as_of: date | None,
                  reference_year: int | None = None, sub_scope: str | None = None) -> str:
    parts = [_slug(actor), measure]
    if reference_year is not None:
        parts.append(str(reference_year))  # "1.8 million in 2009": another instance of the quantity
    if sub_scope:
        parts.append(sub_scope)
    if measure in lx.PLACE_SCOPED_MEASURES:
        parts.append(_slug(country) if country else "any")
        if incident:
            parts.append(as_of.isoformat() if as_of else "undated")
    return ".".join(parts)


def _quote_open(text: str, position: int) -> bool:
    """Whether `position` is inside a quotation that may have opened in an earlier sentence of the paragraph."""
    paragraph_start = max(text.rfind("\n", max(0, position - _CONTEXT_CHARS), position) + 1,
                          position - _CONTEXT_CHARS, 0)
    return inside_quote(text[paragraph_start:position], position - paragraph_start)


_POSSESSIVE_RE = re.compile(r"^(?:’s|'s)\s+\w")
_TITLED_NAME_RE = re.compile(r"((?:[A-Z][\w.’'-]*\s+){1,3})$")


def _country_at(text: str, organ_follows: bool = True) -> str | None:
    """The country a phrase opens with, as its possessive or its demonym before a word ('Turkey's agency',
    'Turkish officials'), or the whole phrase when it is the country ('the U.S.'): its ISO code."""
    head = re.sub(r"^(?:the|a)\s+", "", text.strip(), flags=re.I)
    mentions = [m for m in _gazetteer().find_mentions(head, (), include_demonyms=True)
                if m.start == 0 and m.place.kind == "country"]
    if not mentions:
        return None
    m = mentions[0]
    rest = head[m.end:]
    if not rest.strip(" .") and not m.demonym:
        return m.place.country_code  # the country itself speaks: its government
    if m.demonym and re.match(r"\s+[a-z]", rest) or not m.demonym and _POSSESSIVE_RE.match(rest) or (
            m.demonym and not organ_follows and re.match(r"\s+\w", rest)):
        return m.place.country_code
    return None


def _source_country(source: str | None, sentence: str) -> str | None:
    """The country whose state the source speaks for: named at the source's head ('Turkey's disaster agency',
    'Ukrainian officials', 'the U.S.'), or before the title that precedes the source's name in the sentence
    ('Norway's President Halvor Dahl', 'Turkish President Ilker Aslan')."""
    if not source:
        return None
    found = _country_at(source)
    if found:
        return found
    at = sentence.find(source)
    if at <= 0:
        return None
    before = sentence[max(0, at - 80):at]
    titled = _TITLED_NAME_RE.search(before)
    if titled is None:
        return None
    words = titled.group(1).split()
    for cut in range(1, len(words)):
        title = " ".join(words[cut:]).lower()
        if title in lx.PERSON_TITLES:
            return _country_at(" ".join(words[:cut + 1]), organ_follows=False)
    return None


_MEMBER_SUFFIXES = ("ians", "ites", "ists", "s")


def _group_of_members(actor: str | None, text: str) -> str | None:
    """A plural name of a group's members is the group, when the article names the group: "Brennerites" in
    an article about the Brenner Group, "Houthis" beside the Houthi movement. One group, one subject, however
    its figures name it."""
    if not actor or " " in actor or not actor[:1].isupper():
        return actor
    for suffix in _MEMBER_SUFFIXES:
        stem = actor[:-len(suffix)]
        if actor.endswith(suffix) and len(stem) >= 4 and re.search(rf"\b{re.escape(stem)}\b", text):
            return stem
    return actor


_FROM_TO_RE = re.compile(r"^\s*to\s+(?:about\s+|around\s+|nearly\s+)?\d")
_OF_THOSE_RE = re.compile(r"^\s*(?:\w+\s+)?of\s+(?:those|these|them)\b", re.I)


def _claim_id(article: Article, start: int, end: int) -> str:
    return hashlib.sha256(f"{article.content_hash}:{start}:{end}".encode()).hexdigest()[:24]


_STRONG_RE = re.compile(r"^[-–]\s*strong\s+", re.I)


def _after_place_in_brackets(sentence: str, start: int, places: list[_PlaceHit]) -> bool:
    """'... in towns such as Xtown (4,000 to 6,000)': a bare figure in brackets right after a place name gives that
    place's share of the quantity the article is counting, even in a later paragraph."""
    return any(re.fullmatch(r"\s*[(\[]\s*", sentence[hit.end:start]) for hit in places if hit.end <= start)


def _figure_claims(sentence: Sentence, ctx: _Context, prior_text: str) -> list[Claim]:
    article = ctx.article
    text = article.text
    tokens = _sentence_tokens(sentence)
    refs = find_time_refs(sentence.text, ctx.published)
    figures = [f for f in find_figures(tokens) if _is_count(tokens, f)]
    spans = tuple((tokens[f.first].start - sentence.start, tokens[f.last - 1].end - sentence.start) for f in figures)
    spoken_on = speech_day(sentence.text, ctx.published)
    places = _sentence_places(sentence, ctx.places)
    if sentence.start < ctx.dateline_end and any(h.start + sentence.start >= ctx.dateline_end for h in places):
        # the dateline says where the reporter files from; a place the sentence itself names says where it happened
        places = [h for h in places if h.start + sentence.start >= ctx.dateline_end]
    claims: list[Claim] = []
    for fig in figures:
        phrase, first = _qualifier(tokens, fig)
        if first != fig.first and _is_delta(tokens, first):
            continue  # "jumped by over 700": a change, not a level
        after_phrase, last = _qualifier_after(tokens, fig)
        if phrase == "between" or (phrase == "from" and fig.value is None):
            phrase = ""
        qualifier, value, lower, upper, strict_lower, strict_upper = _bounds(fig, phrase, after_phrase)
        start, end = tokens[first].start, tokens[last - 1].end
        rel_start, rel_end = start - sentence.start, end - sentence.start
        entity, actor, _ = _entity_and_actor(tokens, fig)
        if entity and _STRONG_RE.match(entity):
            entity = _STRONG_RE.sub("", entity) or None  # "a 2,000-strong force": the force is what is counted
        if entity and _head(entity) in lx.NON_COUNT_UNITS:
            entity = None  # "rose to 230,000 last week": a time after the figure is not what it counts
        currency = fig.currency  # numbers.py reads the currency around the number into the figure's span
        # the tree is read at the number itself, as for the entity: a qualifier ('much closer to') is no anchor
        num_start, num_end = tokens[fig.first].start - sentence.start, tokens[fig.last - 1].end - sentence.start
        measure = _measure(entity, sentence.text, num_start, num_end)
        if _head(entity) in lx.AREA_UNITS and measure.startswith("count"):
            continue  # "the farm covers 300 acres": a size, not what an event did to the ground
        if currency:
            entity = money.entity(currency)
        structure = _structure(sentence.text, num_start, num_end)
        named = entity is not None and not currency  # the text names what the figure counts
        bare = entity is None and measure == "count"
        before = claims[-1] if claims else ctx.last
        if bare and before is not None and not before.measure.startswith("count") and _may_take(before, structure) and (
                "\n\n" not in text[before.char_end:start] or (structure is not None and structure.refers_back and
                                                              start - before.char_end <= parse.VOCABULARY.frame_reach)
                or _after_place_in_brackets(sentence.text, rel_start, places)):
            # "it had risen to 40", "(9,000, according to the police)": the figure the paragraph is talking about;
            # a sum of money only when the figure refers back to it ("it could rise to 5 billion")
            entity, measure = before.entity, before.measure
            currency = currency or before.currency
        if entity is not None and entity.lower() in lx.OTHER_NOUNS and (
                measure in parse.VOCABULARY.person_measures or claims and claims[-1].sentence == sentence.text):
            # "12 soldiers died and 40 others were hurt": others of the same kind; others than the dead are people
            kind = claims[-1].entity if claims and claims[-1].sentence == sentence.text else None
            entity = kind if kind and _counts_people(_head(kind)) else "people"
        if entity is None and structure is not None and structure.implicit:
            entity = structure.implicit  # "4,000 died": people, not deaths
        if entity is None:
            # the noun this article last used for the quantity, else the measure's own
            entity = (ctx.nouns.get(measure) if not (structure and structure.frame) else None) or \
                lx.MEASURE_ENTITIES.get(measure)
        elif named and (lx.NOUN_MEASURES.get(_head(entity)) == measure or (
                structure is not None and structure.measure == measure)):
            ctx.nouns[measure] = entity  # the noun or its own predicate says it is this quantity
        after = tokens[fig.last] if fig.last < len(tokens) else None
        incremental = (after is not None and after.low in lx.INCREMENT_AFTER and not (
            after.low == "more" and _THAN_AHEAD_RE.match(sentence.text[after.end - sentence.start:]))) or any(
            sentence.text.lower()[:rel_start].rstrip().endswith(w) for w in lx.INCREMENT_BEFORE)
        dating = _dating_refs(refs, sentence.text, rel_start, rel_end, spans)
        ref = nearest_ref(dating, rel_start)
        if ref is None and not refs and ctx.opening is not None:
            # "As of Monday evening, the figures were grim. 118 had died ...": the statement it opened goes on
            ref = replace(ctx.opening, start=-1, end=-1)
        elif ref is None and not refs and ctx.last is not None and ctx.last.time_text and ctx.last.as_of and \
                continues_statement(sentence.text):
            # "They added that ...": the statement before goes on, as of the day it was made
            ref = TimeRef("continued", ctx.last.time_text, -1, -1, ctx.last.as_of)
        if ref is not None and spoken_on is not None and ref.kind in ("today", "yesterday") and \
                inside_quote(sentence.text, ref.start):
            # "'... yesterday,' Spicer claimed Saturday": relative to the day it was said
            ref = replace(ref, as_of=spoken_on - timedelta(days=1 if ref.kind == "yesterday" else 0))
        if ref is not None and ref.kind in PERIOD_KINDS and any(
                m.start() <= ref.start < m.end() for m in _SINCE_RE.finditer(sentence.text)):
            ref = None  # "since the war began in April 2023": a running tally's start, the tally holds as of now
        as_of = ref.as_of if ref and ref.as_of else (ctx.news_day if not (ref and ref.kind in PERIOD_KINDS) else None)
        if ref is None and _OF_THOSE_RE.match(sentence.text[rel_end:]) and ctx.last is not None:
            as_of = ctx.last.as_of  # "1,500 of those deaths": a part of the figure before, as of its date
        elif ref is None and measure in ctx.dated:
            as_of = ctx.dated[measure]  # an undated follow-up holds as of the date last given for this tally
        elif ref is not None and ref.as_of and ref.kind not in PERIOD_KINDS and ctx.published is not None and \
                ctx.published - ref.as_of <= _CARRY_DAYS:
            ctx.dated[measure] = ref.as_of  # an older date is a comparison with the past, not the running tally's
        if re.search(r"\bfrom\s*$", sentence.text[:rel_start]) and _FROM_TO_RE.match(sentence.text[rel_end:]):
            as_of = None  # "revised the count from 12 to 85 on Friday": the old figure's date is not given
        actor = _group_of_members(actor, text)
        # a figure dated by a period ("in March") holds for its days, not one: as_of stays None
        period = ref.period if as_of is None and ref is not None else None
        others = tuple((s, e) for s, e in spans if e <= rel_start or s >= rel_end)
        reference_year = _reference_year(sentence.text, rel_start, rel_end, dating, ctx.published, others, ref)
        key_year = reference_year  # "last year" says when a statement was made, not which quantity it is
        if reference_year is None and ref is not None and ref.kind == "last_year" and ctx.published is not None:
            reference_year = ctx.published.year - 1
        if as_of is not None and (ref is None or ref.kind == "today") and (
                _past_year_named(sentence.text, rel_start, rel_end, ctx.published, others)
                or no_single_date(sentence.text, rel_start, rel_end, _clause(sentence.text, rel_start, rel_end),
                                  others)):
            as_of = None  # a past year with no day, a rate or an initial figure: no single date it holds for
        if as_of is not None and standing_population(sentence.text, rel_start, rel_end, [
                (h.start, h.end) for h in places if h.place is not None and h.place.kind != "city"]):
            as_of = None  # "the province is home to 2 million": a stock, not a count on a day
        # a crowd is counted at one moment, never a running total; "25,000 men in total" is a whole, not a flow
        cumulative = measure not in lx.MOMENT_MEASURES and (bool(ref and ref.cumulative) or any(
            cue in sentence.text.lower() for cue in lx.CUMULATIVE_CUES
            if not (measure in _STOCK_MEASURES and cue in lx.SUM_CUES)))
        next_start = min((s for s, _ in spans if s >= rel_end), default=None)
        if next_start is not None and not _CLAUSE_BREAK_RE.search(sentence.text, rel_end, next_start):
            next_start = None  # "two million marched in 200 towns in Ruritania": one phrase, one place
        place, country, resolved = _location(sentence.text, rel_start, places, next_start,
                                             max((e for _, e in spans if e <= rel_start), default=None))
        if resolved is not None and resolved.kind != "country" and _NATIONAL_RE.search(
                _clause_text(sentence.text, rel_start, rel_end)):
            place, country, resolved = None, None, None  # "... and 90,000 nationwide": the country's figure
        combined = _COMBINED_RE.search(sentence.text[max(0, rel_start - 80):rel_start])
        if combined and len(ctx.countries) >= 2 and not any(
                max(0, rel_start - 80) + combined.end() <= h.start < rel_start for h in places):
            country = "+".join(sorted(ctx.countries[:2]))  # "the combined toll from the two countries"
        incident = measure in lx.PLACE_SCOPED_MEASURES and _incident(sentence.text)
        if entity is None and claims and claims[-1].sentence == sentence.text and _may_take(claims[-1], structure):
            # "that number ... up to 12,000": the figure counts what the previous one in the sentence counted
            entity, actor, measure = claims[-1].entity, actor or claims[-1].actor, claims[-1].measure
            currency = currency or claims[-1].currency
        if actor is None and measure not in lx.PLACE_SCOPED_MEASURES:
            actor = _subject_country(sentence.text, rel_start, ctx.countries) or \
                _led_organisation(sentence.text, rel_start)
        named_actor = actor  # only actors the text names are remembered for later figures
        if actor is None and measure not in lx.PLACE_SCOPED_MEASURES:
            actor = ctx.actors.get(measure) or _main_actor(ctx) or _named_event(sentence.text) or ctx.event
        if measure in lx.PLACE_SCOPED_MEASURES:
            event = _sentence_event(sentence.text, ctx)
            if incident:
                attacker = re.search(r"\b(" + "|".join(k for k in lx.DEMONYMS if " " not in k) + r")\s+(?:air|drone|"
                                     r"missile|artillery|rocket|strike|attack|shell|bomb|forces|troops)", sentence.text,
                                     re.I)
                actor = lx.DEMONYMS[attacker.group(1).lower()] if attacker else actor or event
            else:
                actor = event or actor
        elif named_actor:
            ctx.actors.setdefault(measure, named_actor)
        if not fig.has_digits and not fig.vague and (value or 0) < 20 and (
                (bare and not (structure and structure.refers_back)) or measure.startswith("count") or (measure not in _CASUALTY_MEASURES and (value or 0) < 10)):
            continue  # "two isolated regimes", "three buildings near his home": anecdotes, not tallies
        if structure is not None and (structure.non_claim in ("sample", "name", "per_unit") or (
                structure.non_claim == "scene" and (value or 0) < parse.VOCABULARY.scene_limit and not fig.vague
                and not _TALLY_RE.search(sentence.text) and not _RUNNING_RE.search(sentence.text)
                and not measure.startswith("daily_"))):
            continue  # a study's sample, a count per unit, or one scene's: not claims under the conventions
        modality = _modality(sentence.text, rel_start, rel_end, phrase, ref)
        source = _full_source(attribute(sentence.text, rel_start, prior_text, _quote_open(text, start)), text)
        previous = claims[-1] if claims else ctx.last
        if source is None and previous is not None and _REFERS_BACK_RE.match(sentence.text):
            source = previous.source  # "That tally ...": the figure it refers to carries the attribution
        elif source is None and previous is not None and previous.measure == measure and previous.source and (
                previous.sentence == sentence.text or "\n\n" not in text[previous.char_end:start]):
            source = previous.source  # the same tally, later in the same paragraph: the same attribution
        elif source is None and previous is not None and previous.source and _ADDITIVE_RE.match(sentence.text) and \
                text[previous.char_end:sentence.start].count("\n\n") <= 1:
            source = previous.source  # "Additionally, 300 were moved": more of what the same source reported
        breakdown = _breakdown_scope(sentence, rel_start, measure, entity, place, claims, ctx.parts)
        if breakdown:
            ctx.parts.add(_claim_id(article, start, end))
        claims.append(Claim(
            claim_id=_claim_id(article, start, end), article_id=article.id, article_hash=article.content_hash,
            article_url=article.url, outlet=article.outlet, headline=article.title, published_at=article.published_at,
            ingested_at=article.ingested_at, figure_text=text[start:end], char_start=start, char_end=end,
            sentence=sentence.text, value=_integral(value), lower=_integral(lower), upper=_integral(upper),
            qualifier=qualifier, strict_lower=strict_lower, strict_upper=strict_upper, entity=entity, actor=actor,
            currency=currency,
            measure=measure, cumulative=cumulative, incremental=incremental, location=place,
            place=_claim_place(resolved), as_of=as_of,
            period_start=period[0] if period else None, period_end=period[1] if period else None,
            time_text=ref.text if ref else None, source=source, modality=modality,
            source_country=_source_country(source, sentence.text),
            quantity_key=_quantity_key(actor, measure, country or ctx.country, incident, as_of, key_year,
                                       _part_scope(sentence.text, rel_start, rel_end, place)
                                       or _sub_scope(sentence.text, rel_start, rel_end, others)
                                       or breakdown
                                       or _victim_group(measure, entity) or _named_part(structure)),
            reference_year=reference_year,
        ))
    return claims


_DENIAL_OBJECT = re.compile(r"\b(reports?|claims?|figures?|numbers?|toll|allegations?|accounts?|estimates?|"
                            r"reporting|stories|story|data)\b", re.I)


def _denial_claim(sentence: Sentence, ctx: _Context, prior: list[Claim], prior_text: str) -> Claim | None:
    """A sentence that denies earlier figures without giving one ('labeled the reports fake news')."""
    low = sentence.text.lower()
    match = _STRONG_DENIAL_RE.search(low)
    if match is None or not _DENIAL_OBJECT.search(sentence.text) or not prior:
        return None
    counted = [c for c in prior if c.modality not in (Modality.denial, Modality.projection)
               and c.measure not in lx.PLACE_SCOPED_MEASURES]
    if not counted:
        return None
    frequency: dict[str, int] = {}
    for claim in counted:
        frequency[claim.quantity_key] = frequency.get(claim.quantity_key, 0) + 1
    key = max(frequency, key=lambda k: (frequency[k], -[c.quantity_key for c in counted].index(k)))
    target = next(c for c in counted if c.quantity_key == key)
    start, end = sentence.start + match.start(), sentence.start + match.end()
    source = attribute(sentence.text, match.start(), prior_text)
    if source is None:
        head = re.split(r"\s+(?:has|have|had|is|are|was|were|on|,)\b|,", sentence.text)[0]
        source = head.strip() or None
    refs = find_time_refs(sentence.text, ctx.published)
    ref = nearest_ref(refs, match.start())
    article = ctx.article
    return Claim(
        claim_id=_claim_id(article, start, end), article_id=article.id, article_hash=article.content_hash,
        article_url=article.url, outlet=article.outlet, headline=article.title, published_at=article.published_at,
        ingested_at=article.ingested_at, figure_text=article.text[start:end], char_start=start, char_end=end,
        sentence=sentence.text, value=None, lower=None, upper=None, qualifier=Qualifier.vague,
        entity=target.entity, actor=target.actor, measure=target.measure, location=target.location,
        as_of=(ref.as_of if ref and ref.as_of else ctx.published), time_text=ref.text if ref else None,
        source=source, source_country=_source_country(source, sentence.text), modality=Modality.denial,
        quantity_key=key,
    )


def _dates_compared_level(sentence: str, ref: TimeRef) -> bool:
    """'3,000 marched, below the peaks of Tuesday': the date after a figure and a comparison is the other level's."""
    digits = [m.end() for m in _DIGIT_RE.finditer(sentence, 0, ref.start)]
    return bool(digits) and compared_level_date(sentence[digits[-1]:ref.start])


# 'ADANA, Turkey (AP) —', 'SEOUL, SOUTH KOREA:', 'Cox’s Bazar (Bangladesh):': capitalised words, an optional
# agency or country in brackets, then a colon or a dash, at the very start of the text
_DATELINE_RE = re.compile(r"^\s*((?:[A-Z][\w’'.-]*(?:,?\s+|(?=\s*[(:—–-])))+)(?:\([^)\n]{1,40}\)\s*)?(?::|—|–|--|-\s)\s*")


def _dateline_end(text: str) -> int:
    """Where the article's dateline ends, or 0: the place a report is filed from, not where it happened."""
    match = _DATELINE_RE.match(text[:120])
    return match.end() if match and len(match.group(1)) <= 60 else 0


def _news_day(text: str, published: date | None) -> date | None:
    """The day the article reports on: the day its first sentence names ('... took to the streets Tuesday'),
    within a week before publication; else the publication day. An undated figure holds as of that day."""
    if published is None:
        return None
    lead = text[:text.find("\n\n")] if "\n\n" in text else text
    for sentence in split_sentences(lead[:2000]):
        for ref in find_time_refs(sentence.text, published):
            if ref.kind in ("weekday", "yesterday") and ref.as_of and not ref.cumulative and \
                    timedelta(0) <= published - ref.as_of <= _CARRY_DAYS and not is_event_date(sentence.text, ref) \
                    and not in_other_brackets(sentence.text, -1, ref.start) \
                    and not _dates_compared_level(sentence.text, ref):  # an aside's or a past peak's day
                return ref.as_of
        break  # the first sentence only: later ones may tell the story's background
    # else a tally date in the opening paragraphs ('According to the agency, as of 3 May, ...'): the report's day
    for sentence in split_sentences(text[:_LEAD_CHARS]):
        for ref in find_time_refs(sentence.text, published):
            if ref.tally and ref.as_of and timedelta(0) <= published - ref.as_of <= _CARRY_DAYS:
                return ref.as_of
        if text.count("\n\n", 0, sentence.end) >= _LEAD_PARAGRAPHS:
            break
    return published


_LEAD_CHARS = 1500
_LEAD_PARAGRAPHS = 2


def extract_claims(article: Article) -> list[Claim]:
    """Every quantitative claim in the article, in text order. No clock and no writes: the spaCy model loads
    once per process, and places are read from the read-only gazetteer index."""
    return extract_claims_batch([article])[0]


def extract_claims_batch(articles: list[Article]) -> list[list[Claim]]:
    """extract_claims of each article, with the candidate sentences of all of them parsed in one nlp.pipe
    (the network runs faster over one large matrix than over many small ones). The same claims as one by one."""
    with_model = parse.nlp() is not None
    read: list[dict[tuple[int, str], list[Token]]] = [{} for _ in articles]
    parses = parse.parse_articles([_parse_candidates(a.text, tokens) if with_model else []
                                   for a, tokens in zip(articles, read)])
    found = []
    for article, parsed, tokens in zip(articles, parses, read):
        with parse.using(parsed):
            cache = _TOKENS.set(tokens)
            try:
                found.append(_extract_claims(article))
            finally:
                _TOKENS.reset(cache)
    return found


def load_resources() -> None:
    """The spaCy model and the gazetteer, loaded (and the model run once) before the first article."""
    parse.warm_up()
    _gazetteer()


# the tokens of the sentences _parse_candidates read, by (start, text), for the article being extracted:
# _figure_claims reads the same sentences again
_TOKENS: ContextVar[dict[tuple[int, str], list[Token]] | None] = ContextVar("claimwatch_sentence_tokens",
                                                                             default=None)


def _sentence_tokens(sentence: Sentence) -> list[Token]:
    """The sentence's tokens, tokenized once per article."""
    cache = _TOKENS.get()
    found = cache.get((sentence.start, sentence.text)) if cache is not None else None
    if found is None:
        found = tokenize(sentence.text, sentence.start)
        if cache is not None:
            cache[(sentence.start, sentence.text)] = found
    return found


def _parse_candidates(text: str, tokens_read: dict[tuple[int, str], list[Token]] | None = None
                      ) -> list[tuple[int, str]]:
    """The sentences worth a parse: those holding a figure that counts something (the parse costs ~5 ms a
    sentence; the prefilter alone lets through a third more that hold none). The tokens it reads go into
    `tokens_read`, for extraction to read again."""
    found, size = [], 0
    for sentence in split_sentences(text):
        if size >= parse.MAX_ARTICLE_CHARS:
            break  # the rest is read by the rules alone
        if may_hold_figure(sentence.text):
            tokens = tokenize(sentence.text, sentence.start)
            if tokens_read is not None:
                tokens_read[(sentence.start, sentence.text)] = tokens
            if any(_is_count(tokens, f) for f in find_figures(tokens)):
                found.append((sentence.start, sentence.text))
                size += len(sentence.text)
    return found


def _extract_claims(article: Article) -> list[Claim]:
    text = article.text
    events = _events(text)
    places = _article_places(text)
    countries = _article_countries(places)
    ctx = _Context(article=article, published=local_date(article.published_at),
                   events=events, actors={}, event=_article_event(text, events),
                   country=countries[0] if countries else None, countries=countries, places=places)
    claims: list[Claim] = []
    by_bounds: dict[tuple, list[Claim]] = {}
    ctx.news_day = _news_day(text, ctx.published)
    ctx.dateline_end = _dateline_end(text)
    for sentence in split_sentences(text):
        # pronouns and quote speakers look back a bounded window: linear time on any input
        prior_text = text[max(0, sentence.start - _CONTEXT_CHARS):sentence.start]
        found = _figure_claims(sentence, ctx, prior_text) if may_hold_figure(sentence.text) else []
        ctx.opening = None
        if not found:
            denial = _denial_claim(sentence, ctx, claims, prior_text)
            if denial is not None:
                found = [denial]
        # a figure repeated for the same quantity is one claim, at its first mention
        kept = []
        for claim in found:  # earlier claims indexed by bounds: linear time on a long input
            same = by_bounds.setdefault((claim.lower, claim.upper, claim.value), [])
            if not any(_repeats(claim, earlier, text) for earlier in same):
                same.append(claim)
                kept.append(claim)
        found = kept
        claims.extend(found)
        if found:
            ctx.last = found[-1]
        else:
            ctx.opening = leading_date(sentence.text, find_time_refs(sentence.text, ctx.published))
    return _mark_rounded(_with_quantities(claims, ctx))


_RUNNING_RE = re.compile(r"\b(?:as of|to date|in all|up to now|thus far|so far)\b", re.I)  # a running tally, not one scene
_ADDED_RE = re.compile(r"\b(?:another|other|more|additional|further|extra)\b", re.I)
_DEFINITE_BEFORE_RE = re.compile(r"\b(?:the|that|this|those|these)\s*[“\"]?$", re.I)


def _generic(measure: str) -> bool:
    """A measure nothing in the figure's own words decided: 'count' or a bare 'count_<noun>'."""
    return measure == "count" or measure.startswith("count_")


def _repeats(claim: Claim, earlier: Claim, text: str) -> bool:
    """Whether `claim` is a later mention of the figure `earlier` gave: the same bounds at the same place, and
    the same quantity, or a mention that does not say which quantity it is ('there are 58 people who ...',
    a bare '17?'), or one that points back to it ('of the 58'). Compared by value, not by text: 'Twelve' and
    '12' are one figure; two equal counts in one sentence, or in two cities, are two."""
    if claim.modality == Modality.denial or earlier.modality == Modality.denial or claim.value is None and \
            claim.lower is None and claim.upper is None:
        return claim.quantity_key == earlier.quantity_key and claim.figure_text.lower() == earlier.figure_text.lower()
    before = text[max(0, claim.char_start - 12):claim.char_start]
    if (claim.lower, claim.upper) != (earlier.lower, earlier.upper) or claim.sentence == earlier.sentence or \
            _ADDED_RE.search(claim.figure_text) or \
            _ADDED_RE.search(before) or (
            claim.location and earlier.location and claim.location != earlier.location):
        return False  # 'another 25,000' is more of them; the same count in another city is another count
    if claim.quantity_key == earlier.quantity_key and claim.qualifier == earlier.qualifier:
        return True
    pointed = bool(_DEFINITE_BEFORE_RE.search(before))
    return claim.qualifier == earlier.qualifier and (_generic(claim.measure) or pointed)


_ROUNDING = 0.1  # a rounded form is within 10% of the precise figure
_CARRY_REACH = 600  # characters: a rounded figure and its precise form sit in neighbouring paragraphs


def _holds(outer: Claim, value: float) -> bool:
    above = outer.lower is None or (value > outer.lower if outer.strict_lower else value >= outer.lower)
    below = outer.upper is None or (value < outer.upper if outer.strict_upper else value <= outer.upper)
    return above and below


def _mark_rounded(claims: list[Claim]) -> list[Claim]:
    """'nearly 3,000' then '2,975' for the same quantity: the precise figure carries the alert and takes the
    rounded one's attribution where it has none; the rounded one points to it."""
    marked = list(claims)
    for i, rounded in enumerate(marked):
        if rounded.qualifier in (Qualifier.exact, Qualifier.vague) or rounded.modality == Modality.denial:
            continue
        for j in range(i + 1, len(marked)):
            precise = marked[j]
            if precise.char_start - rounded.char_end > _CARRY_REACH:
                break
            if precise.quantity_key != rounded.quantity_key or precise.qualifier != Qualifier.exact or \
                    precise.value is None or not _holds(rounded, precise.value) or rounded.value is None or \
                    abs(precise.value - rounded.value) > _ROUNDING * rounded.value:
                continue
            marked[i] = rounded.model_copy(update={"carried_by": precise.claim_id})
            if rounded.source is not None and precise.source in (None, rounded.source):
                marked[j] = precise.model_copy(update={"source": rounded.source, "modality": rounded.modality,
                                                       "source_country": rounded.source_country})
            break
    return marked
