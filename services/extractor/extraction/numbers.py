"""Find figures in a sentence: digits, decimals with scale words, number words and vague amounts.

Works on tokens with character offsets so that every figure maps back to the exact text."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from services.extractor.extraction import lexicon as lx
from services.extractor.extraction import money
from services.extractor.extraction.sentences import Span

# ASCII digits only: "²" or other scripts' digits are not figures float() can read.
TOKEN_RE = re.compile(r"[0-9]+(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|[^\W\d_]+(?:['’][^\W\d_]+)?|[^\w\s]")


class Token(Span):
    """A word, a number or a punctuation mark (tokenize)."""

    @property
    def low(self) -> str:
        return self.text.lower()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    return [Token(m.group(), m.start() + offset, m.end() + offset) for m in TOKEN_RE.finditer(text)]


@dataclass
class Figure:
    """A number phrase: tokens [first, last) and what it means before any qualifier."""

    first: int
    last: int
    value: float | None
    lower: float | None
    upper: float | None
    vague: bool = False
    has_digits: bool = False
    scale: int = 1
    currency: str | None = None  # ISO 4217 code when the figure is money; the span then holds the currency


def _digits(token: Token) -> float | None:
    if token.text[0] in "0123456789":
        return float(token.text.replace(",", ""))
    return None


def _scale_at(tokens: list[Token], j: int) -> tuple[int, int]:
    """A scale word at j (also after a hyphen, '41-thousand', or glued, '5bn'): (multiplier, next index)."""
    if j < len(tokens) and tokens[j].text == "-" and j + 1 < len(tokens) and tokens[j + 1].low in lx.SCALES:
        return lx.SCALES[tokens[j + 1].low], j + 2
    if j < len(tokens) and tokens[j].low in lx.SCALES and tokens[j].low != "hundred":
        return lx.SCALES[tokens[j].low], j + 1
    if (j < len(tokens) and tokens[j].low in lx.SHORT_SCALES and j > 0 and tokens[j - 1].end == tokens[j].start):
        return lx.SHORT_SCALES[tokens[j].low], j + 1
    return 1, j


def _word_number(tokens: list[Token], i: int) -> tuple[float, int] | None:
    """Parse 'forty-one thousand', 'two hundred and fifty', 'a dozen', 'half a million'."""
    n = len(tokens)
    low = tokens[i].low
    if low == "half" and i + 2 < n and tokens[i + 1].low == "a" and tokens[i + 2].low in lx.SCALES:
        return lx.SCALES[tokens[i + 2].low] / 2, i + 3
    if low == "a" and i + 1 < n:
        nxt = tokens[i + 1].low
        if nxt == "dozen":
            return 12.0, i + 2
        if nxt in ("hundred", "thousand", "million", "billion"):
            value, j = float(lx.SCALES[nxt]), i + 2
            scale, j = _scale_at(tokens, j)
            return value * scale, j
        return None
    if low not in lx.UNITS and low not in lx.TENS:
        return None
    total, current, j, seen = 0.0, 0.0, i, False
    while j < n:
        word = tokens[j].low
        if word in lx.UNITS and (not seen or current % 100 == 0 or current % 10 == 0 and current % 100 >= 20):
            if seen and current % 10 == 0 and current % 100 >= 20 and lx.UNITS[word] >= 10:
                break
            current += lx.UNITS[word]
        elif word in lx.TENS and (not seen or current % 100 == 0 and current > 0):
            current += lx.TENS[word]
        elif word == "-" and seen and j + 1 < n and tokens[j + 1].low in lx.UNITS and current % 100 >= 20:
            j += 1
            continue
        elif word == "-" and seen and j + 1 < n and tokens[j + 1].low in lx.SCALES:
            j += 1
            continue
        elif word == "hundred" and seen:
            current = (current or 1) * 100
        elif word in ("thousand", "million", "billion", "trillion") and seen:
            total += (current or 1) * lx.SCALES[word]
            current = 0
        elif word == "dozen" and seen:
            current *= 12
        elif word == "and" and seen and current % 100 == 0 and current > 0 and j + 1 < n and (
                tokens[j + 1].low in lx.UNITS or tokens[j + 1].low in lx.TENS):
            pass
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None
    return total + current, j


def _vague(tokens: list[Token], i: int) -> Figure | None:
    n = len(tokens)
    low = tokens[i].low
    # "tens of thousands", "hundreds of thousands"
    if low in ("tens", "hundreds") and i + 2 < n and tokens[i + 1].low == "of" and tokens[i + 2].low in (
            "thousands", "millions"):
        scale = 1_000 if tokens[i + 2].low == "thousands" else 1_000_000
        factor = 10 if low == "tens" else 100
        return Figure(i, i + 3, None, float(2 * factor * scale), None, vague=True)
    if low in lx.VAGUE_PLURALS:
        return Figure(i, i + 1, None, float(lx.VAGUE_PLURALS[low]), None, vague=True)
    # "a couple (of) thousand", "a few hundred", "several thousand"
    j = i + 1 if low == "a" else i
    if j < n and tokens[j].low in lx.VAGUE_MULTIPLIERS:
        k = j + 1
        if k < n and tokens[k].low == "of":
            k += 1
        if k < n and tokens[k].low in lx.SCALES:
            mid, lo, hi = lx.VAGUE_MULTIPLIERS[tokens[j].low]
            scale = lx.SCALES[tokens[k].low]
            return Figure(i, k + 1, float(mid * scale), float(lo * scale), float(hi * scale), vague=True)
    # "a small number of", "a handful of"
    if low == "a" and i + 2 < n:
        phrase = " ".join(t.low for t in tokens[i + 1:i + 4] if t.text.isalpha())
        if phrase.startswith("small number") or phrase.startswith("handful of") or phrase.startswith(
                "large number"):
            last = i + 2
            while last < n and tokens[last].low != "number" and tokens[last].low != "handful":
                last += 1
            last = min(last + 1, n)
            # include a closing quote after "number" so the figure reads as written
            if last < n and tokens[last].text in "”\"'’":
                last += 1
            lower = 200.0 if "large" in phrase else None
            return Figure(i, last, None, lower, None, vague=True)
    return None


# Verbs that make "from X to Y" two figures, the old and the new, not a range (data/lexicon_numbers.json).
_CHANGE_VERBS = lx.CHANGE_VERBS


def _bare_long(*tokens: Token) -> bool:
    return any(t.text.isdigit() and len(t.text) >= 4 for t in tokens)


def parse_figure(tokens: list[Token], i: int) -> Figure | None:
    """The number phrase starting at token i, or None."""
    token = tokens[i]
    value = _digits(token)
    if value is not None and i + 1 < len(tokens) and tokens[i + 1].low == "s" and tokens[i + 1].start == token.end:
        return _decade_form(tokens, i, value)
    if value is not None:
        scale, j = _scale_at(tokens, i + 1)
        if scale > 1:
            outer, j = _scale_at(tokens, j)
            scale *= outer  # "1 lakh crore", "5 thousand crore": stacked scale words multiply
        value *= scale  # "2 million" and "2.5 million": scale words multiply
        # "35-thousand-418": broadcast style spells the remainder after the scale word
        if scale > 1 and j + 1 < len(tokens) and tokens[j].text == "-" and tokens[j].start == tokens[j - 1].end:
            rest = _digits(tokens[j + 1])
            if rest is not None and rest < scale and tokens[j + 1].start == tokens[j].end:
                value, j = value + rest, j + 2
        return Figure(i, j, value, value, value, has_digits=True, scale=scale)
    vague = _vague(tokens, i)
    if vague is not None:
        return vague
    parsed = _word_number(tokens, i)
    if parsed is None:
        return None
    value, j = parsed
    scale, j = _scale_at(tokens, j) if tokens[j - 1].low not in lx.SCALES else (1, j)
    value *= scale
    return Figure(i, j, value, value, value)


def _decade_form(tokens: list[Token], i: int, value: float) -> Figure | None:
    """'in the 90s': somewhere from 90 to 99. Not a figure when it is a decade ('the 1990s', 'the ’80s') or an
    age ('in their 60s')."""
    before = tokens[i - 1] if i > 0 else None
    if value >= 1000 or not 10 <= value < 100 or value % 10 or before is not None and (
            before.text in ("'", "’") and before.end == tokens[i].start):
        return None
    k = i - 1
    while k >= 0 and (tokens[k].low in ("s", "and", "or", ",", "-", "to") or _digits(tokens[k]) is not None):
        k -= 1  # "in their 50s and 60s": the possessive before the first one
    if k >= 0 and tokens[k].low in lx.AGE_DETERMINERS:
        return None
    return Figure(i, i + 2, None, value, value + 9, has_digits=True)


# Every word a figure can start with or contain; a sentence with none of them and no digit holds no figure.
_FIGURE_WORDS = {*lx.UNITS, *lx.TENS, *lx.SCALES, *lx.VAGUE_PLURALS, *lx.VAGUE_MULTIPLIERS,
                 "tens", "dozen", "half", "number", "handful"}
_MAYBE_FIGURE = re.compile(r"[0-9]|\b(?:" + "|".join(sorted(map(re.escape, _FIGURE_WORDS), key=len, reverse=True))
                           + r")\b", re.IGNORECASE)


def may_hold_figure(text: str) -> bool:
    """A cheap test that lets extraction skip most sentences before tokenizing them (the profile's top cost)."""
    return _MAYBE_FIGURE.search(text) is not None


def find_figures(tokens: list[Token]) -> list[Figure]:
    """Every number phrase in the tokens, left to right, without overlaps; ranges joined."""
    figures: list[Figure] = []
    i = 0
    n = len(tokens)
    while i < n:
        figure = parse_figure(tokens, i)
        if figure is None:
            i += 1
            continue
        figure = _with_prefix(tokens, figure)
        # ranges: "6 to 18", "between 2 and 3 million", "250,000-300,000"
        j = figure.last
        # "rose from 12 to 85" and "rose by 20,000 to 230,000": the old figure or the change, then the new level
        changed = figure.first > 0 and tokens[figure.first - 1].low in ("from", "by") and any(
            t.low in _CHANGE_VERBS for t in tokens[max(0, figure.first - 14):figure.first - 1])
        if (not figure.vague and not changed and j + 1 < n and tokens[j].low in ("to", "-", "–", "and")
                and (tokens[j].low != "and" or (figure.first > 0 and tokens[figure.first - 1].low == "between"))):
            second = money.number_after_prefix(tokens, j + 1) or j + 1  # "$5m to $8m"
            other = parse_figure(tokens, second)
            other = _with_prefix(tokens, other) if other is not None else None
            if tokens[j].low in ("-", "–") and other is not None and _bare_long(tokens[figure.first], tokens[j + 1]):
                other = None  # 555-1234, 2022-2023: a phone number or a span of years, not a range
            if other is not None and not other.vague and other.value is not None and figure.value is not None:
                low_value = figure.value
                if other.scale > 1 and figure.scale == 1 and figure.value < 1000:
                    low_value = figure.value * other.scale
                if low_value < other.value:
                    figures.append(_with_currency(tokens, Figure(
                        figure.first, other.last, None, low_value, other.value,
                        has_digits=figure.has_digits or other.has_digits, scale=other.scale,
                        currency=figure.currency or other.currency)))
                    i = figures[-1].last
                    continue
        figures.append(_with_currency(tokens, figure))
        i = figures[-1].last
    return figures


def _with_prefix(tokens: list[Token], figure: Figure) -> Figure:
    """The figure with the currency written before it ('US$5m', 'INR1 trillion', 'Rs 500'), its span widened."""
    written = money.prefix_at(tokens, figure.first) if figure.has_digits else None
    return figure if written is None else replace(figure, first=written.at, currency=written.code)


def _with_currency(tokens: list[Token], figure: Figure) -> Figure:
    """The figure with the currency written after it ('1.2 trillion yen', 'millions of euros'), its span
    widened to hold it; a subunit ('19 cents') divides the value."""
    if figure.currency is not None:
        return figure
    j = figure.last
    if figure.vague and j + 1 < len(tokens) and tokens[j].low == "of":
        j += 1  # "millions of dollars"
    scaled = tokens[figure.last - 1].low in lx.SCALES or figure.scale > 1
    if not figure.has_digits and not figure.vague and not scaled:
        return figure  # "one pound", "ten cents": a spelled-out small sum is rarely a claim
    written = money.suffix_at(tokens, j, after_scale=scaled)
    if written is None:
        return figure
    divide = (lambda v: None if v is None else v / written.divisor)
    return replace(figure, last=written.at, currency=written.code, value=divide(figure.value),
                   lower=divide(figure.lower), upper=divide(figure.upper))
