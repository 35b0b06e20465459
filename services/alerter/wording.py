"""How alert summaries read: a verb that agrees with its source ("Police say", "the ministry says") and a
figure phrase that names what was counted ("12 people killed", not "12 count"). Pure; the words are data
(data/summary_words.json), validated when loaded."""
from __future__ import annotations

import json
import re
from pathlib import Path

from services.common.errors import ConfigError

WORDS_FILE = Path(__file__).parent / "data" / "summary_words.json"


def _load(path: Path = WORDS_FILE) -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        plural, singular, measures = (data[name]["entries"] for name in
                                      ("plural_heads", "singular_s_heads", "measure_words"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path.name}: cannot read the summary words ({exc})") from None
    words = [*plural, *singular, *measures]
    bad = [w for w in words if not isinstance(w, str) or w != w.strip().lower() or not w]
    if bad or not all(isinstance(v, str) for v in measures.values()):
        raise ConfigError(f"{path.name}: every word must be a non-empty lower-case string, not {bad[:3]}")
    return frozenset(plural), frozenset(singular), dict(measures)


PLURAL_HEADS, SINGULAR_S_HEADS, MEASURE_WORDS = _load()
# the head noun is the last word before a qualifier: "researchers at the university", "the mayor, Ann Lee"
_HEAD_END = re.compile(r",|\s+(?:at|of|in|from|for|with|on|who|that|and)\s", re.I)


def head_noun(source: str) -> str:
    """The word a source's verb agrees with: 'researchers' in 'Researchers at the institute', 'mayor' in
    "the city's mayor, Ann Lee"."""
    words = re.findall(r"[\w.’'-]+", _HEAD_END.split(source.strip(), maxsplit=1)[0])
    return words[-1] if words else ""


def is_plural(source: str) -> bool:
    """Plural or collective: a listed head noun (any case), or a lower-case common noun in -s that is not
    a listed singular; a capitalised word in -s that is not listed stays singular (a name: 'Jones')."""
    head = head_noun(source)
    low = head.lower().strip(".")
    if low in PLURAL_HEADS:
        return True
    if low in SINGULAR_S_HEADS or not low.endswith("s") or low.endswith(("ss", "us", "is")) or len(low) < 3:
        return False
    return head == low  # a lower-case common noun


def verb(source: str | None, singular: str, plural: str) -> str:
    """The verb form for the source; an unattributed report is singular."""
    return plural if source and is_plural(source) else singular


def figure_phrase(figure_text: str, entity: str | None, measure: str) -> str:
    """The figure, its counted noun and the measure's word: '12 people killed', 'at least 12' (a bare count),
    '3,000 soldiers deployed'. A measure without a listed word is written as its name in words."""
    word = MEASURE_WORDS.get(measure)
    if word is None:
        word = "" if measure.startswith("count") else measure.replace("_", " ")
    counted = (entity or "").lower().split()
    word = " ".join(w for w in word.split() if w not in counted)  # "people" + people_without_power
    return " ".join(p for p in (figure_text, entity or "", word) if p)
