"""Word lists the extraction rules read, loaded from data/lexicon_*.json and validated at import.

The vocabulary is general English news vocabulary, not tuned to any one story, and it lives in data, not here. A
file holds sections, each {"about": what it is for, "entries": the words}. SECTIONS says, for each name this
module exports, which file and section holds it, the Python type it has here, and the checks its entries pass:
types, no duplicates, lower case where matching ignores case, every measure a measure of the inventory, every
qualifier phrase a kind extract.py knows. A file that fails a check stops the import with a ConfigError of one
line: the file, the section and entry, and the problem."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pycountry

from services.common.errors import ConfigError

DATA_DIR = Path(__file__).parent / "data"

# The kinds extract._bounds turns into bounds: a contract with that code, not vocabulary.
QUALIFIER_KINDS = frozenset({"exact", "approximate", "nearly", "more_than", "at_least", "at_most"})

# A check returns the problem with a value, or None. `refs` holds the sections of the same file checked so far.
Check = Callable[[Any, dict[str, Any]], "str | None"]


def _word(value: Any, refs: dict[str, Any]) -> str | None:
    """A word or phrase matched case-insensitively, as a whole: lower case, no stray spaces."""
    if not isinstance(value, str) or not value.strip():
        return "must be a non-empty string"
    if value != value.lower():
        return "must be lower case (matching ignores case)"
    if value != value.strip() or "  " in value or "\n" in value or "\t" in value:
        return "has stray whitespace"
    return None


def _cue(value: Any, refs: dict[str, Any]) -> str | None:
    """A phrase found as a substring of lowered text: as a word, but one trailing space may keep it whole ('may ')."""
    return _word(value[:-1] if isinstance(value, str) and value.endswith(" ") else value, refs)


def _text(value: Any, refs: dict[str, Any]) -> str | None:
    """Display text, not matched: any case."""
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        return "must be a non-empty string without surrounding spaces"
    return None


def _int_in(low: int, high: int) -> Check:
    def check(value: Any, refs: dict[str, Any]) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return f"must be an integer from {low} to {high}"
        return None
    return check


def _positive(value: Any, refs: dict[str, Any]) -> str | None:
    return "must be a positive integer" if isinstance(value, bool) or not isinstance(value, int) or value < 1 else None


def _multipliers(value: Any, refs: dict[str, Any]) -> str | None:
    if not (isinstance(value, list) and len(value) == 3
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in value)):
        return "must be [value, lower, upper], three positive numbers"
    if not value[1] <= value[0] <= value[2]:
        return "must satisfy lower <= value <= upper"
    return None


def _currency_code(value: Any, refs: dict[str, Any]) -> str | None:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
        return "must be an ISO 4217 code"
    return None if pycountry.currencies.get(alpha_3=value) else "is not an ISO 4217 code pycountry knows"


def _known_code(value: Any, refs: dict[str, Any]) -> str | None:
    return _currency_code(value.upper() if isinstance(value, str) else value, refs)


def _measure_name(value: Any, refs: dict[str, Any]) -> str | None:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", value):
        return "must be a measure name: lower-case words joined by '_'"
    return None


def _measure(value: Any, refs: dict[str, Any]) -> str | None:
    return None if value in refs["measures"] else "is not a measure of the 'measures' section"


def _qualifier_kind(value: Any, refs: dict[str, Any]) -> str | None:
    if value not in QUALIFIER_KINDS:
        return f"is not a qualifier kind ({', '.join(sorted(QUALIFIER_KINDS))})"
    return None


def _qualifier_of(kind: str) -> Check:
    def check(value: Any, refs: dict[str, Any]) -> str | None:
        if refs["qualifiers_before"].get(value) != kind:
            return f"must be a phrase of qualifiers_before with kind {kind!r}"
        return None
    return check


def _all(*checks: Check) -> Check:
    def check(value: Any, refs: dict[str, Any]) -> str | None:
        return next((problem for c in checks if (problem := c(value, refs)) is not None), None)
    return check


@dataclass(frozen=True)
class Section:
    """Exported `name`: section `key` of `file` as `shape`; `entry` checks each word or key, `value` each value."""

    name: str
    file: str
    key: str
    shape: type  # set, list or tuple of words; dict of key -> value; or pairs: a list of (key, value) tuples
    entry: Check = _word
    value: Check | None = None
    convert: Callable[[Any], Any] | None = None  # applied to each value after its check

    @property
    def is_mapping(self) -> bool:
        return self.shape in (dict, Pairs)


class Pairs:
    """Marker shape: a JSON object whose entries are exported as a list of (key, value) tuples, in file order."""


_NUMBERS, _DATES, _QUALIFIERS = "lexicon_numbers.json", "lexicon_dates.json", "lexicon_qualifiers.json"
_MEASURES_FILE, _COUNTED, _EVENTS = "lexicon_measures.json", "lexicon_counted.json", "lexicon_events.json"
_ATTRIBUTION, _CUES = "lexicon_attribution.json", "lexicon_cues.json"
_PLACES_FILE, _SENTENCES = "lexicon_places.json", "lexicon_sentences.json"
_MONEY = "lexicon_money.json"

# In file order: a check that reads another section (refs) comes after it.
SECTIONS: tuple[Section, ...] = (
    Section("UNITS", _NUMBERS, "units", dict, value=_int_in(0, 19)),
    Section("TENS", _NUMBERS, "tens", dict, value=_int_in(20, 90)),
    Section("SCALES", _NUMBERS, "scales", dict, value=_positive),
    Section("SHORT_SCALES", _NUMBERS, "short_scales", dict, value=_positive),
    Section("VAGUE_PLURALS", _NUMBERS, "vague_plurals", dict, value=_positive),
    Section("VAGUE_MULTIPLIERS", _NUMBERS, "vague_multipliers", dict, value=_multipliers, convert=tuple),
    Section("CURRENCIES", _NUMBERS, "currencies", dict, value=_currency_code),
    Section("CHANGE_VERBS", _NUMBERS, "change_verbs", set),
    Section("RANKING_WORDS", _NUMBERS, "ranking_words", set),
    Section("CODE_NOUNS", _NUMBERS, "code_nouns", set),
    Section("CLOCK_WORDS", _NUMBERS, "clock_words", set),
    Section("PHONE_WORDS", _NUMBERS, "phone_words", set),
    Section("AGE_DETERMINERS", _NUMBERS, "age_determiners", set),
    Section("CURRENCY_PREFIXES", _MONEY, "currency_prefixes", dict, value=_currency_code),
    Section("CURRENCY_NAMES", _MONEY, "currency_names", dict, value=_currency_code),
    Section("NAMES_NEEDING_SCALE", _MONEY, "names_needing_scale", set),
    Section("WEIGHT_NAMES", _MONEY, "weight_names", set),
    Section("GLOBAL_CURRENCIES", _MONEY, "global_currencies", set, entry=_all(_word, _known_code)),
    Section("EXCLUDED_CODES", _MONEY, "excluded_codes", set, entry=_all(_word, _known_code)),
    Section("SUBUNITS", _MONEY, "subunits", dict, value=_currency_code),
    Section("MONEY_KINDS", _MONEY, "money_kinds", dict, value=_measure_name),
    Section("PRICED_ITEMS", _MONEY, "priced_items", dict, value=_measure_name),
    Section("ITEM_COST_VERBS", _MONEY, "item_cost_verbs", set),
    Section("MONEY_RATES", _MONEY, "money_rates", dict, value=_measure_name),
    Section("LOWEST_PRICE_CUES", _MONEY, "lowest_price_cues", tuple),
    Section("MONTHS", _DATES, "months", dict, value=_int_in(1, 12)),
    Section("WEEKDAYS", _DATES, "weekdays", dict, value=_int_in(0, 6)),
    Section("QUALIFIERS_BEFORE", _QUALIFIERS, "qualifiers_before", dict, value=_qualifier_kind),
    Section("QUALIFIERS_AFTER", _QUALIFIERS, "qualifiers_after", dict, value=_qualifier_kind),
    Section("STRICT_QUALIFIER_WORDS", _QUALIFIERS, "strict_qualifier_words", set,
            entry=_all(_word, _qualifier_of("more_than"))),
    Section("STRICT_UPPER_WORDS", _QUALIFIERS, "strict_upper_words", set, entry=_all(_word, _qualifier_of("at_most"))),
    Section("MEASURES", _MEASURES_FILE, "measures", dict, entry=_measure_name, value=_text),
    Section("NOUN_MEASURES", _MEASURES_FILE, "noun_measures", dict, value=_measure),
    Section("CUE_MEASURES", _MEASURES_FILE, "cue_measures", Pairs, value=_measure),
    Section("MEASURE_ENTITIES", _MEASURES_FILE, "measure_entities", dict, entry=_measure, value=_text),
    Section("PLACE_SCOPED_MEASURES", _MEASURES_FILE, "place_scoped_measures", set, entry=_measure),
    Section("MOMENT_MEASURES", _MEASURES_FILE, "moment_measures", set, entry=_measure),
    Section("PEOPLE_ONLY_CUES", _MEASURES_FILE, "people_only_cues", set),
    Section("PRESUMED_MARKERS", _MEASURES_FILE, "presumed_markers", tuple, entry=_cue),
    Section("NON_COUNT_UNITS", _COUNTED, "non_count_units", set),
    Section("AREA_UNITS", _COUNTED, "area_units", set),
    Section("OTHER_NOUNS", _COUNTED, "other_nouns", set),
    Section("LABEL_NOUNS", _COUNTED, "label_nouns", set),
    Section("PERSON_NOUNS", _COUNTED, "person_nouns", set),
    Section("BREAKDOWN_MARKERS", _COUNTED, "breakdown_markers", tuple),
    Section("MEASURE_OF_PEOPLE", _COUNTED, "measure_of_people", set),
    Section("CASUALTY_GROUPS", _COUNTED, "casualty_groups", dict, value=_word),
    Section("COMMON_VERBS", _COUNTED, "common_verbs", set),
    Section("INCIDENT_NOUNS", _EVENTS, "incident_nouns", set),
    Section("EVENT_NOUNS", _EVENTS, "event_nouns", list),
    Section("EVENT_KEY_WORDS", _EVENTS, "key_words", dict, value=_word),
    Section("EVENT_TYPES", _EVENTS, "event_types", dict, value=_word),
    Section("MEASURE_EVENT_TYPES", _EVENTS, "measure_event_types", dict, entry=_word, value=_word),
    Section("GATHERING_MEASURES", _EVENTS, "gathering_measures", dict, value=_measure_name),
    Section("GATHERING_PEOPLE_COUNTS", _EVENTS, "gathering_people_counts", set),
    Section("ONE_DAY_EVENT_TYPES", _EVENTS, "one_day_event_types", set),
    Section("LIGHT_NOUNS", _EVENTS, "light_nouns", set),
    Section("LIGHT_BEFORE_EVENTS", _EVENTS, "light_before_events", set),
    Section("SITE_STOPWORDS", _EVENTS, "site_stopwords", set),
    Section("ATTRIBUTION_VERBS", _ATTRIBUTION, "attribution_verbs", set),
    Section("SOURCE_NOUNS", _ATTRIBUTION, "source_nouns", set),
    Section("PERSON_TITLES", _ATTRIBUTION, "person_titles", set),
    Section("ADDITIVE_OPENERS", _ATTRIBUTION, "additive_openers", set),
    Section("PROJECTION_CUES", _CUES, "projection_cues", tuple, entry=_cue),
    Section("ESTIMATE_CUES", _CUES, "estimate_cues", tuple, entry=_cue),
    Section("DENIAL_CUES", _CUES, "denial_cues", tuple, entry=_cue),
    Section("RETRACTION_CUES", _CUES, "retraction_cues", tuple, entry=_cue),
    Section("RETRACTION_OBJECTS", _CUES, "retraction_objects", set),
    Section("REPORTED_CUES", _CUES, "reported_cues", tuple, entry=_cue),
    Section("SPEECH_FRAME_LEMMAS", _CUES, "speech_frame_lemmas", set),
    Section("CUMULATIVE_CUES", _CUES, "cumulative_cues", tuple, entry=_cue),
    Section("SUM_CUES", _CUES, "sum_cues", tuple, entry=_cue),
    Section("INCREMENT_AFTER", _CUES, "increment_after", tuple),
    Section("INCREMENT_BEFORE", _CUES, "increment_before", tuple),
    Section("CAPITAL_NOUNS", _PLACES_FILE, "capital_nouns", tuple),
    Section("NATIONAL_SCOPE_WORDS", _PLACES_FILE, "national_scope_words", tuple),
    Section("CAPITAL_COMPOUNDS", _PLACES_FILE, "capital_compounds", tuple),
    Section("DEMONYMS", _PLACES_FILE, "demonyms", dict, value=_text),
    Section("PERSON_ROLE_NOUNS", _PLACES_FILE, "person_role_nouns", tuple),
    Section("PERSON_ROLE_SUFFIXES", _PLACES_FILE, "person_role_suffixes", tuple),
    Section("ABBREVIATIONS", _SENTENCES, "abbreviations", set),
)


class _Object(dict):
    """A JSON object that remembers the keys it held twice (json keeps the last silently)."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    seen: set[str] = set()
    obj.duplicates = []
    for key, _ in pairs:
        if key in seen:
            obj.duplicates.append(key)
        seen.add(key)
    return obj


def _section(path: Path, spec: Section, raw: Any, refs: dict[str, Any]) -> Any:
    where = f"{path}: {spec.key}"

    def fail(problem: str, entry: Any = None) -> ConfigError:
        return ConfigError(f"{where}[{entry!r}]: {problem}" if entry is not None else f"{where}: {problem}")

    if not isinstance(raw, dict) or set(raw) != {"about", "entries"}:
        raise fail('must be an object with exactly "about" and "entries"')
    if _text(raw["about"], refs):
        raise fail('"about" must say what the section is for')
    entries = raw["entries"]
    if spec.is_mapping:
        if not isinstance(entries, dict):
            raise fail("entries must be an object of key -> value")
        if entries.duplicates:
            raise fail("listed twice", entries.duplicates[0])
        items = list(entries.items())
    else:
        if not isinstance(entries, list):
            raise fail("entries must be a list")
        items = [(entry, None) for entry in entries]
    if not items:
        raise fail("entries must not be empty")
    seen: set[str] = set()
    for key, value in items:
        if (problem := spec.entry(key, refs)) is not None:
            raise fail(problem, key)
        if not spec.is_mapping and key in seen:
            raise fail("listed twice", key)
        seen.add(key)
        if spec.value is not None and (problem := spec.value(value, refs)) is not None:
            raise fail(f"value {value!r} {problem}", key)
    if spec.convert is not None:
        items = [(key, spec.convert(value)) for key, value in items]
    if spec.shape is dict:
        return dict(items)
    if spec.shape is Pairs:
        return list(items)
    return spec.shape(key for key, _ in items)


def load_file(path: Path, name: str | None = None) -> dict[str, Any]:
    """The sections of one lexicon file (spec chosen by `name`, default the file's name), keyed by exported name."""
    name = name or path.name
    specs = [spec for spec in SECTIONS if spec.file == name]
    if not specs:
        raise ConfigError(f"{path}: not a lexicon file (known: {', '.join(sorted({s.file for s in SECTIONS}))})")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_object)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: line {exc.lineno} column {exc.colno}: not valid JSON: {exc.msg}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: must be a JSON object of sections")
    if raw.duplicates:
        raise ConfigError(f"{path}: section {raw.duplicates[0]!r} listed twice")
    unknown = set(raw) - {"_about"} - {spec.key for spec in specs}
    if unknown:
        raise ConfigError(f"{path}: unknown section {sorted(unknown)[0]!r}")
    out: dict[str, Any] = {}
    refs: dict[str, Any] = {}
    for spec in specs:
        if spec.key not in raw:
            raise ConfigError(f"{path}: missing section {spec.key!r}")
        out[spec.name] = refs[spec.key] = _section(path, spec, raw[spec.key], refs)
        if spec.shape is Pairs:
            refs[spec.key] = dict(out[spec.name])
    return out


def load_all(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Every lexicon file under data_dir, validated, keyed by exported name."""
    out: dict[str, Any] = {}
    for name in dict.fromkeys(spec.file for spec in SECTIONS):
        out.update(load_file(data_dir / name, name))
    return out


_LEXICON = load_all()

# Numbers (numbers.py)
UNITS: dict[str, int] = _LEXICON["UNITS"]
TENS: dict[str, int] = _LEXICON["TENS"]
SCALES: dict[str, int] = _LEXICON["SCALES"]
SHORT_SCALES: dict[str, int] = _LEXICON["SHORT_SCALES"]
VAGUE_PLURALS: dict[str, int] = _LEXICON["VAGUE_PLURALS"]  # conventional lower bound, no upper bound
VAGUE_MULTIPLIERS: dict[str, tuple[float, float, float]] = _LEXICON["VAGUE_MULTIPLIERS"]  # (value, lower, upper)
CURRENCIES: dict[str, str] = _LEXICON["CURRENCIES"]
CHANGE_VERBS: set[str] = _LEXICON["CHANGE_VERBS"]
CODE_NOUNS: set[str] = _LEXICON["CODE_NOUNS"]  # a number after one is a label: 'route 66', 'zip code 90049'
RANKING_WORDS: set[str] = _LEXICON["RANKING_WORDS"]
CLOCK_WORDS: set[str] = _LEXICON["CLOCK_WORDS"]  # a number before one is a time: '2230 GMT'
PHONE_WORDS: set[str] = _LEXICON["PHONE_WORDS"]  # a number after one is a phone number: 'hotline 0800'
AGE_DETERMINERS: set[str] = _LEXICON["AGE_DETERMINERS"]  # 'in their 60s': an age
# Money (money.py)
CURRENCY_PREFIXES: dict[str, str] = _LEXICON["CURRENCY_PREFIXES"]
CURRENCY_NAMES: dict[str, str] = _LEXICON["CURRENCY_NAMES"]
NAMES_NEEDING_SCALE: set[str] = _LEXICON["NAMES_NEEDING_SCALE"]
WEIGHT_NAMES: set[str] = _LEXICON["WEIGHT_NAMES"]
EXCLUDED_CODES: set[str] = _LEXICON["EXCLUDED_CODES"]
GLOBAL_CURRENCIES: set[str] = _LEXICON["GLOBAL_CURRENCIES"]
SUBUNITS: dict[str, str] = _LEXICON["SUBUNITS"]
MONEY_KINDS: dict[str, str] = _LEXICON["MONEY_KINDS"]
PRICED_ITEMS: dict[str, str] = _LEXICON["PRICED_ITEMS"]
ITEM_COST_VERBS: set[str] = _LEXICON["ITEM_COST_VERBS"]
MONEY_RATES: dict[str, str] = _LEXICON["MONEY_RATES"]
LOWEST_PRICE_CUES: tuple[str, ...] = _LEXICON["LOWEST_PRICE_CUES"]
# Dates
MONTHS: dict[str, int] = _LEXICON["MONTHS"]
WEEKDAYS: dict[str, int] = _LEXICON["WEEKDAYS"]
# Qualifiers
QUALIFIERS_BEFORE: dict[str, str] = _LEXICON["QUALIFIERS_BEFORE"]
QUALIFIERS_AFTER: dict[str, str] = _LEXICON["QUALIFIERS_AFTER"]
STRICT_QUALIFIER_WORDS: set[str] = _LEXICON["STRICT_QUALIFIER_WORDS"]
STRICT_UPPER_WORDS: set[str] = _LEXICON["STRICT_UPPER_WORDS"]
# Measures
MEASURES: dict[str, str] = _LEXICON["MEASURES"]  # measure -> what it counts
NOUN_MEASURES: dict[str, str] = _LEXICON["NOUN_MEASURES"]
CUE_MEASURES: list[tuple[str, str]] = _LEXICON["CUE_MEASURES"]
MEASURE_ENTITIES: dict[str, str] = _LEXICON["MEASURE_ENTITIES"]
PLACE_SCOPED_MEASURES: set[str] = _LEXICON["PLACE_SCOPED_MEASURES"]
PEOPLE_ONLY_CUES: set[str] = _LEXICON["PEOPLE_ONLY_CUES"]
MOMENT_MEASURES: set[str] = _LEXICON["MOMENT_MEASURES"]
PRESUMED_MARKERS: tuple[str, ...] = _LEXICON["PRESUMED_MARKERS"]
# The counted noun
NON_COUNT_UNITS: set[str] = _LEXICON["NON_COUNT_UNITS"]
AREA_UNITS: set[str] = _LEXICON["AREA_UNITS"]
OTHER_NOUNS: set[str] = _LEXICON["OTHER_NOUNS"]
LABEL_NOUNS: set[str] = _LEXICON["LABEL_NOUNS"]
PERSON_NOUNS: set[str] = _LEXICON["PERSON_NOUNS"]
BREAKDOWN_MARKERS: tuple[str, ...] = _LEXICON["BREAKDOWN_MARKERS"]
MEASURE_OF_PEOPLE: set[str] = _LEXICON["MEASURE_OF_PEOPLE"]
CASUALTY_GROUPS: dict[str, str] = _LEXICON["CASUALTY_GROUPS"]
COMMON_VERBS: set[str] = _LEXICON["COMMON_VERBS"]
# Events
INCIDENT_NOUNS: set[str] = _LEXICON["INCIDENT_NOUNS"]
EVENT_NOUNS: list[str] = _LEXICON["EVENT_NOUNS"]
EVENT_KEY_WORDS: dict[str, str] = _LEXICON["EVENT_KEY_WORDS"]
EVENT_TYPES: dict[str, str] = _LEXICON["EVENT_TYPES"]
MEASURE_EVENT_TYPES: dict[str, str] = _LEXICON["MEASURE_EVENT_TYPES"]
GATHERING_MEASURES: dict[str, str] = _LEXICON["GATHERING_MEASURES"]  # event type -> what its people make
GATHERING_PEOPLE_COUNTS: set[str] = _LEXICON["GATHERING_PEOPLE_COUNTS"]
ONE_DAY_EVENT_TYPES: set[str] = _LEXICON["ONE_DAY_EVENT_TYPES"]
LIGHT_NOUNS: set[str] = _LEXICON["LIGHT_NOUNS"]
LIGHT_BEFORE_EVENTS: set[str] = _LEXICON["LIGHT_BEFORE_EVENTS"]
SITE_STOPWORDS: set[str] = _LEXICON["SITE_STOPWORDS"]
# Attribution
ATTRIBUTION_VERBS: set[str] = _LEXICON["ATTRIBUTION_VERBS"]
SOURCE_NOUNS: set[str] = _LEXICON["SOURCE_NOUNS"]
PERSON_TITLES: set[str] = _LEXICON["PERSON_TITLES"]
ADDITIVE_OPENERS: set[str] = _LEXICON["ADDITIVE_OPENERS"]
# Modality and tally cues
PROJECTION_CUES: tuple[str, ...] = _LEXICON["PROJECTION_CUES"]
ESTIMATE_CUES: tuple[str, ...] = _LEXICON["ESTIMATE_CUES"]
DENIAL_CUES: tuple[str, ...] = _LEXICON["DENIAL_CUES"]
RETRACTION_CUES: tuple[str, ...] = _LEXICON["RETRACTION_CUES"]
RETRACTION_OBJECTS: set[str] = _LEXICON["RETRACTION_OBJECTS"]
REPORTED_CUES: tuple[str, ...] = _LEXICON["REPORTED_CUES"]  # just before or after the figure: a count as given
SPEECH_FRAME_LEMMAS: set[str] = _LEXICON["SPEECH_FRAME_LEMMAS"]
CUMULATIVE_CUES: tuple[str, ...] = _LEXICON["CUMULATIVE_CUES"]
SUM_CUES: tuple[str, ...] = _LEXICON["SUM_CUES"]  # a whole, not a running tally
INCREMENT_AFTER: tuple[str, ...] = _LEXICON["INCREMENT_AFTER"]
INCREMENT_BEFORE: tuple[str, ...] = _LEXICON["INCREMENT_BEFORE"]
# Nationality adjectives -> the country they name (actors; places come from the gazetteer)
DEMONYMS: dict[str, str] = _LEXICON["DEMONYMS"]
PERSON_ROLE_NOUNS: tuple[str, ...] = _LEXICON["PERSON_ROLE_NOUNS"]
PERSON_ROLE_SUFFIXES: tuple[str, ...] = _LEXICON["PERSON_ROLE_SUFFIXES"]
CAPITAL_NOUNS: tuple[str, ...] = _LEXICON["CAPITAL_NOUNS"]
NATIONAL_SCOPE_WORDS: tuple[str, ...] = _LEXICON["NATIONAL_SCOPE_WORDS"]
CAPITAL_COMPOUNDS: tuple[str, ...] = _LEXICON["CAPITAL_COMPOUNDS"]
# Sentences (sentences.py)
ABBREVIATIONS: set[str] = _LEXICON["ABBREVIATIONS"]
