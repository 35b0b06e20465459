"""Money figures: the currency written around a number, and what kind of money the figure is.

The currency comes from pycountry's ISO 4217 table (codes, official names) and from data/lexicon_money.json (symbols,
everyday names); the kind comes from the words near the figure (lexicon_money.json money_kinds). Pure: no I/O
beyond the tables loaded at import."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

import pycountry

from services.extractor.extraction import lexicon as lx

if TYPE_CHECKING:
    from services.extractor.extraction.numbers import Token

# National currencies only: X codes are gold, silver, drawing rights and test codes, not money a story counts.
_NATIONAL = [c for c in pycountry.currencies if not c.alpha_3.startswith("X")]
CODES = frozenset(c.alpha_3 for c in _NATIONAL) - {code.upper() for code in lx.EXCLUDED_CODES}
_OFFICIAL_NAMES = {c.alpha_3: c.name for c in pycountry.currencies}


def home_countries(codes) -> list[str]:
    """ISO 3166 alpha-2 codes of the countries whose national currencies these are ('GBP' -> 'GB'), sorted; a
    currency written the world over (data: global_currencies) or shared by several countries ('EUR') gives none.
    ISO 4217 numbers a national currency with its country's ISO 3166 number."""
    found = set()
    for code in codes:
        currency = pycountry.currencies.get(alpha_3=code)
        if currency is None or code.lower() in lx.GLOBAL_CURRENCIES:
            continue
        country = pycountry.countries.get(numeric=currency.numeric)
        if country is not None:
            found.add(country.alpha_2)
    return sorted(found)


def _names() -> dict[str, str]:
    """Lower-case name (and its plural) -> code: pycountry's official names, then the data's everyday ones."""
    names: dict[str, str] = {}
    for currency in _NATIONAL:
        name = currency.name.lower().replace("’", "'")
        if not re.fullmatch(r"[a-z' ]+", name):
            continue  # "CFA Franc BCEAO", "Mvdol" style names with codes inside are not written in prose
        names.setdefault(name, currency.alpha_3)
        names.setdefault(name if name.endswith("s") else name + "s", currency.alpha_3)
    names.update(lx.CURRENCY_NAMES)
    return names


NAMES = _names()
_MAX_NAME_WORDS = max(len(name.split()) for name in NAMES)
_MAX_PREFIX_TOKENS = 3  # "US", "$" or "Rs", "." : a prefix is at most three glued tokens


@dataclass(frozen=True)
class Written:
    """A currency written around a number: the code and where the money phrase starts or ends (token index)."""

    code: str
    at: int
    divisor: int = 1  # 100 for a subunit: '19 cents' is 0.19 dollars


def _prefix_code(text: str) -> str | None:
    if len(text) == 3 and text.isupper() and text in CODES:
        return text  # an ISO code written as such: 'INR1 trillion', 'USD 5 million'
    return lx.CURRENCY_PREFIXES.get(text.lower())


def prefix_at(tokens: Sequence[Token], i: int) -> Written | None:
    """The currency written just before the number at token i ('$', 'US$', '$US', 'Rs.', 'INR'), glued to it
    or one space before; `at` is the prefix's first token."""
    if i == 0 or tokens[i].start - tokens[i - 1].end > 1:
        return None
    found, text, k = None, "", i - 1
    while k >= 0 and i - k <= _MAX_PREFIX_TOKENS:
        text = tokens[k].text + text
        if k < i - 1 and tokens[k].text[:1].isdigit():
            break
        code = _prefix_code(text)
        if code is not None:
            found = Written(code, k)
        if k == 0 or tokens[k - 1].end != tokens[k].start:
            break
        k -= 1
    return found


def number_after_prefix(tokens: Sequence[Token], i: int) -> int | None:
    """The index of the number a currency prefix starting at token i stands before ('to $10m'), or None."""
    for j in range(i + 1, min(len(tokens), i + _MAX_PREFIX_TOKENS + 1)):
        if tokens[j].text[:1].isdigit():
            written = prefix_at(tokens, j)
            return j if written is not None and written.at == i else None
    return None


def suffix_at(tokens: Sequence[Token], j: int, after_scale: bool) -> Written | None:
    """The currency written right after a figure ending before token j ('yen', 'euros', 'Swiss francs', 'INR',
    '19 cents'); `at` is one past its last token."""
    n = len(tokens)
    if j >= n or j == 0 or tokens[j].start - tokens[j - 1].end > 1:
        return None
    first = tokens[j]
    if first.text in CODES:
        return Written(first.text, j + 1)
    for width in range(min(_MAX_NAME_WORDS, n - j), 0, -1):
        words = tokens[j:j + width]
        if not all(w.text.replace("'", "").replace("’", "").isalpha() for w in words):
            continue
        phrase = " ".join(w.low.replace("’", "'") for w in words)
        code = NAMES.get(phrase)
        if code is None:
            continue
        if width == 1 and phrase in lx.NAMES_NEEDING_SCALE and not after_scale:
            continue  # "30 won" is a score; "5 billion won" is money
        if phrase in lx.WEIGHT_NAMES and j + width < n and tokens[j + width].low == "of":
            return None  # "2,000 pounds of rice": a weight
        return Written(code, j + width)
    if first.low in lx.SUBUNITS:
        return Written(lx.SUBUNITS[first.low], j + 1, divisor=100)
    return None


def entity(code: str) -> str:
    """What a money figure counts: 'USD (US Dollar)'."""
    name = _OFFICIAL_NAMES.get(code)
    return f"{code} ({name})" if name else code


# ------------------------------------------------------------------------------------------------- the kind

def _alternation(phrases) -> re.Pattern[str]:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)", re.I)


_KIND_RE = _alternation(lx.MONEY_KINDS)
# "$5m in aid", "$2bn of damage", "$3m worth of repairs": the noun right after names the money
_NAMED_AFTER_RE = re.compile(r"\s*(?:in|of|worth\s+of)\s+(?:[a-z-]+\s+){0,2}?(" + _KIND_RE.pattern[2:] + r")",
                             re.I)
_RATE_RE = re.compile(r"\s*(" + "|".join(re.escape(p) for p in sorted(lx.MONEY_RATES, key=len, reverse=True))
                      + r")\b", re.I)
_ITEM_RE = _alternation(lx.PRICED_ITEMS)
_ITEM_COST_RE = re.compile(_ITEM_RE.pattern + r"\s+(?:[a-z-]+\s+)?(?:" + "|".join(sorted(lx.ITEM_COST_VERBS))
                           + r")\b", re.I)
# the cue, then at most two words ('more than') right before the figure
_LOWEST_PRICE_RE = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in sorted(lx.LOWEST_PRICE_CUES, key=len, reverse=True))
                              + r")\s+(?:[a-z]+\s+){0,2}$", re.I)
_CLAUSE_SPLIT = re.compile(r"[;—–()]|,(?!\d)")


def _clause(sentence: str, start: int, end: int) -> tuple[int, int]:
    lo = max((m.end() for m in _CLAUSE_SPLIT.finditer(sentence, 0, start)), default=0)
    hi = next((m.start() for m in _CLAUSE_SPLIT.finditer(sentence, end)), len(sentence))
    return lo, hi


def kind(sentence: str, start: int, end: int) -> str:
    """What the money at sentence[start:end] is: damage, insured_loss, aid_pledged ... ('money' when nothing
    says). A price names its item when the clause does ('home_price')."""
    lo, hi = _clause(sentence, start, end)
    named = _NAMED_AFTER_RE.match(sentence, end, hi)
    if named:
        found = lx.MONEY_KINDS[named.group(1).lower()]
    else:
        best: tuple[int, str] | None = None
        for match in _KIND_RE.finditer(sentence, lo, hi):
            if start <= match.start() < end:
                continue
            distance = match.start() - end if match.start() >= end else start - match.end()
            if best is None or distance < best[0]:
                best = (distance, lx.MONEY_KINDS[match.group().lower()])
        found = best[1] if best else "money"
    item_cost = _ITEM_COST_RE.search(sentence, lo, start)
    if item_cost is not None:
        found = "price"  # "the flats cost $2m": the price of the flats, not a cost of the event
    if found == "price":
        items = list(_ITEM_RE.finditer(sentence, lo, hi))
        if items:
            nearest = min(items, key=lambda m: abs(m.start() - start))
            lowest = "_from" if _LOWEST_PRICE_RE.search(sentence, lo, start) else ""
            return f"{lx.PRICED_ITEMS[nearest.group().lower()]}_price{lowest}"
    return found


@lru_cache(maxsize=256)
def measure(sentence: str, start: int, end: int) -> str | None:
    """The measure of a money figure at sentence[start:end] ('damage_usd', 'spending_usd_per_month'); None when
    the figure there holds no currency."""
    from services.extractor.extraction.numbers import find_figures, tokenize  # numbers imports this module
    code = next((f.currency for f in find_figures(tokenize(sentence[start:end])) if f.currency), None)
    if code is None:
        return None
    rate = _RATE_RE.match(sentence, end)
    suffix = f"_{lx.MONEY_RATES[rate.group(1).lower()]}" if rate else ""
    return f"{kind(sentence, start, end)}_{code.lower()}{suffix}"
