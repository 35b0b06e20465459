"""Source identity: which sources are one lineage. Pure; the vocabularies are data (data/source_aliases.json).

A name is case-folded and stripped of titles; an organisation's abbreviations and translations map to one name
(the alias data); spellings of one personal name ('Zelensky', 'Zelenskyy') match by edit distance. A generic
source ('officials') is one lineage only with the same generic source, never with a specific one."""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from services.common.errors import ConfigError

ALIASES_FILE = Path(__file__).parent / "data" / "source_aliases.json"


def _load(path: Path = ALIASES_FILE) -> tuple[frozenset[str], tuple[str, ...], dict[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        generic, titles = data["generic"]["entries"], data["titles"]["entries"]
        aliases = {name: canonical for canonical, names in data["aliases"]["entries"].items()
                   for name in [canonical, *names]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{path.name}: cannot read the source aliases ({exc})") from None
    bad = [w for w in [*generic, *titles, *aliases, *aliases.values()]
           if not isinstance(w, str) or not w or w != w.strip().lower()]
    if bad:
        raise ConfigError(f"{path.name}: every name must be a non-empty lower-case string, not {bad[:3]}")
    # longest title first, so 'prime minister' goes before 'minister'
    return frozenset(generic), tuple(sorted(titles, key=len, reverse=True)), aliases


GENERIC, TITLES, ALIASES = _load()
_WORD = re.compile(r"[\w.&-]+")


def _words(name: str) -> list[str]:
    text = unicodedata.normalize("NFC", name).casefold().replace("’", "'")
    text = re.sub(r"'s\b", " ", text)
    return [w.strip(".") if len(w.strip(".")) > 2 and "." not in w.strip(".") else w for w in _WORD.findall(text)]


@lru_cache(maxsize=4096)
def normalise(name: str) -> str:
    """One source's name in a canonical form: an alias's canonical name, or the words without titles."""
    words = _words(name)
    text = " ".join(words)
    for alias, canonical in ALIASES.items():
        # an abbreviation as an upper-case word of the name ('who' is not 'WHO'), a long name as a run of words
        if (" " not in alias and alias in words and alias.upper() in name) or (
                " " in alias and re.search(rf"(?:^| ){re.escape(alias)}(?: |$)", text)):
            return canonical
    stripped = True
    while stripped and words:
        stripped = False
        for title in TITLES:
            parts = title.split()
            if words[:len(parts)] == parts and len(words) > len(parts):
                words, stripped = words[len(parts):], True
                break
    return " ".join(words)


def is_generic(name: str) -> bool:
    words = _words(name)
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words) in GENERIC


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def spelling_variants(a: str, b: str) -> bool:
    """Two transliterations of one name: same word count, each word pair sharing its first two letters and
    within one edit per four letters ('zelensky', 'zelenskyy', 'zelenskiy'). Words of five letters or fewer
    must match exactly: short names differ by a letter and are other people."""
    wa, wb = a.split(), b.split()
    if not wa or len(wa) != len(wb) or len(wa) > 3:
        return False
    for x, y in zip(wa, wb):
        if x == y:
            continue
        if min(len(x), len(y)) <= 5 or x[:2] != y[:2] or _distance(x, y) > max(len(x), len(y)) // 4:
            return False
    return True


def _capitalised_name(name: str) -> bool:
    """Every word but a title starts with a capital: a person's name as written ('Anna Berg'), not a
    description ('the health ministry')."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", unicodedata.normalize("NFC", name))
             if w.casefold().strip(".") not in TITLES]
    return bool(words) and all(w[:1].isupper() for w in words)


def surname_of(short: str, full: str) -> bool:
    """The one-word name is the surname of the two- or three-word personal name, or a spelling of it:
    'Berg' and 'Anna Berg', 'Zelensky' and 'Volodymyr Zelenskyy'. An article names a person in full once and
    by surname after; other outlets may do either."""
    ns, nf = normalise(short).split(), normalise(full).split()
    if len(ns) != 1 or not 2 <= len(nf) <= 3 or len(ns[0]) < 4:
        return False
    if not (_capitalised_name(short) and _capitalised_name(full)):
        return False
    return ns[0] == nf[-1] or spelling_variants(ns[0], nf[-1])


@lru_cache(maxsize=16384)
def same_source(a: str, b: str) -> bool:
    """Whether two source names are one source."""
    if is_generic(a) or is_generic(b):
        return is_generic(a) and is_generic(b) and normalise(a) == normalise(b)
    na, nb = normalise(a), normalise(b)
    return na == nb or spelling_variants(na, nb) or surname_of(a, b) or surname_of(b, a)
