"""Is an article English? The extractor's rules are English-only, so the ingestor refuses other languages.

Two independent signals must agree before a text is refused, so English news full of names, numbers and
quotes is not: py3langid (a naive Bayes model over byte n-grams, bundled with the package) gives English a
low probability, and few words are common English function words. Thresholds: data/language.json."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_PATH = Path(__file__).with_name("data") / "language.json"
_WORD = re.compile(r"[^\W\d_]+")  # letters only: numbers and punctuation say nothing about the language
SUFFIX = "(claimwatch extracts English only)"


@dataclass(frozen=True)
class Rules:
    min_words: int
    sample_chars: int
    max_english_probability: float
    max_function_word_share: float
    min_named_probability: float
    english_codes: frozenset[str]
    undetermined_codes: frozenset[str]
    function_words: frozenset[str]


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    return Rules(int(data["min_words"]), int(data["sample_chars"]), float(data["max_english_probability"]),
                 float(data["max_function_word_share"]), float(data["min_named_probability"]),
                 frozenset(data["english_codes"]), frozenset(data["undetermined_codes"]),
                 frozenset(w.lower() for w in data["english_function_words"]))


@lru_cache(maxsize=1)
def _identifier():
    # loaded on first use (about 1 s: the model is xz-compressed); norm_probs gives probabilities in 0..1
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_name(code: str) -> str:
    """'French' for 'fr'; 'another language' for a code pycountry does not know."""
    import pycountry
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    found = None
    if len(primary) == 2:
        found = pycountry.languages.get(alpha_2=primary)
    elif len(primary) == 3:
        found = pycountry.languages.get(alpha_3=primary)
    if found is None:
        return "another language"
    return re.sub(r"\s*\(.*\)$", "", found.name)  # 'Modern Greek (1453-)' -> 'Modern Greek'


def _declared(language: str | None) -> str | None:
    """The declared language's primary subtag, or None when nothing usable is declared."""
    if language is None or not language.strip():
        return None
    primary = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    return None if primary in rules().undetermined_codes else primary


def function_word_share(words: list[str]) -> float:
    common = rules().function_words
    return sum(1 for w in words if w in common) / len(words) if words else 0.0


@dataclass(frozen=True)
class Verdict:
    english: bool
    reason: str = ""  # one line, for a refusal
    language: str = ""  # the code the text reads as ('' when not named)


def check_english(text: str, language: str | None = None) -> Verdict:
    """English, or a refusal with its one-line reason.

    A declared non-English `language` is refused as declared. A declared "en" is checked like an undeclared
    text: labels often come from a feed's default, and the check needs both signals, so English is safe."""
    r = rules()
    declared = _declared(language)
    if declared is not None and declared not in r.english_codes:
        return Verdict(False, f'not English: the article is marked language "{language.strip()}" '
                              f"({language_name(declared)}) {SUFFIX}", declared)
    sample = text[:r.sample_chars]
    words = _WORD.findall(sample.lower())
    if len(words) < r.min_words:
        return Verdict(True)  # too little to judge
    share = function_word_share(words)
    if share > r.max_function_word_share:
        return Verdict(True)  # cheap, and settles nearly all English before the model runs
    ranked = _identifier().rank(sample)
    probabilities = dict(ranked)
    if probabilities.get("en", 0.0) > r.max_english_probability:
        return Verdict(True)
    code, probability = ranked[0]
    named = language_name(code) if probability >= r.min_named_probability else "another language"
    return Verdict(False, f"not English: the text reads as {named} {SUFFIX}",
                   code if named != "another language" else "")
