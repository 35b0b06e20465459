"""Split article text into sentences with offsets, without a model."""
from __future__ import annotations

import re
from dataclasses import dataclass

from services.extractor.extraction import lexicon as lx

# Abbreviations after which a period does not end a sentence (data/lexicon_sentences.json).
_ABBREVIATIONS = lx.ABBREVIATIONS
_BOUNDARY = re.compile(r"[.!?…]+[”\"’')\]]*\s+|\n\s*")


@dataclass(frozen=True)
class Span:
    """A piece of article text and where it stands: text == article[start:end]."""

    text: str
    start: int
    end: int


class Sentence(Span):
    """One sentence of an article (split_sentences)."""


def _ends_with_abbreviation(chunk: str) -> bool:
    match = re.search(r"(?:^|[\s(“\"])((?:[A-Za-z]\.)*[A-Za-z]+)\.$", chunk.rstrip("”\"’')]"))
    if not match:
        return False
    word = match.group(1).lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word and len(word) <= 5


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        piece = text[start:match.start() + len(match.group().rstrip())]
        is_newline = "\n" in match.group()
        nxt = text[end:end + 1]
        if not is_newline:
            if _ends_with_abbreviation(piece):
                continue
            # a sentence starts with a capital, a digit or a quote; otherwise the period was internal
            if nxt and not (nxt.isupper() or nxt.isdigit() or nxt in "“\"‘'(["):
                continue
        _append(sentences, text, start, match.start() + len(match.group().rstrip()))
        start = end
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(text[start:end], start, end))


_OPENERS, _CLOSERS = "([", ")]"


def bracket_spans(text: str) -> list[tuple[int, int]]:
    """Offsets (start, end) of each outermost '(...)' or '[...]' of a sentence, brackets included; an unclosed
    bracket opens nothing."""
    spans, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in _OPENERS:
            if depth == 0:
                start = i
            depth += 1
        elif char in _CLOSERS and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def in_other_brackets(text: str, position: int, other: int) -> bool:
    """Whether `other` stands inside brackets that do not hold `position`: an aside in brackets speaks of its
    own words only ('Leeds (900) and Hull (400, say police)': the police gave the 400 alone)."""
    return any(start <= other < end and not start <= position < end for start, end in bracket_spans(text))


def without_other_brackets(text: str, position: int) -> str:
    """The sentence as seen from `position`: every bracketed aside that does not hold it blanked out, offsets
    kept."""
    for start, end in bracket_spans(text):
        if not start <= position < end:
            text = text[:start] + " " * (end - start) + text[end:]
    return text
