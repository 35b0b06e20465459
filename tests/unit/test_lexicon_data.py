"""The extraction vocabularies are data (services/extractor/extraction/data/lexicon_*.json), validated at import."""
from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from services.common.errors import ConfigError
from services.extractor.extraction import lexicon as lx

EXTRACTION = Path(lx.__file__).parent
LEXICON_FILES = sorted(dict.fromkeys(spec.file for spec in lx.SECTIONS))


def test_every_lexicon_file_on_disk_has_a_spec_and_every_spec_a_file():
    assert sorted(p.name for p in lx.DATA_DIR.glob("lexicon_*.json")) == LEXICON_FILES


@pytest.mark.parametrize("name", LEXICON_FILES)
def test_every_file_loads_and_validates(name):
    loaded = lx.load_file(lx.DATA_DIR / name)
    assert set(loaded) == {spec.name for spec in lx.SECTIONS if spec.file == name}
    assert all(loaded.values())


@pytest.mark.parametrize("spec", lx.SECTIONS, ids=lambda spec: spec.name)
def test_the_module_exports_each_section_with_its_python_type(spec):
    value = getattr(lx, spec.name)
    assert type(value) is (list if spec.shape is lx.Pairs else spec.shape)
    if spec.shape is lx.Pairs:
        assert all(type(pair) is tuple and len(pair) == 2 for pair in value)


def test_the_exports_keep_the_shapes_the_rules_read():
    assert lx.VAGUE_MULTIPLIERS["few"] == (3, 2, 5) and type(lx.VAGUE_MULTIPLIERS["few"]) is tuple
    assert lx.SCALES["trillion"] == 10**12 and type(lx.SCALES["trillion"]) is int
    assert ("death toll", "killed") in lx.CUE_MEASURES
    assert "may " in lx.PROJECTION_CUES  # the trailing space keeps "may" a whole word in a substring test
    # order is part of the data where the rules read it in order
    assert list(lx.QUALIFIERS_BEFORE)[:2] == ["approximately", "about"]
    assert lx.EVENT_NOUNS[0] == "earthquake"


def test_every_measure_the_lexicons_name_is_in_the_inventory():
    named = {*lx.NOUN_MEASURES.values(), *(m for _, m in lx.CUE_MEASURES), *lx.MEASURE_ENTITIES,
             *lx.PLACE_SCOPED_MEASURES}
    assert named <= set(lx.MEASURES)


def test_numbers_and_sentences_read_their_words_from_the_lexicon():
    from services.extractor.extraction import numbers, sentences
    assert numbers._CHANGE_VERBS is lx.CHANGE_VERBS
    assert sentences._ABBREVIATIONS is lx.ABBREVIATIONS


# ------------------------------------------------------------------------------------------- malformed files

def _write(tmp_path: Path, name: str, edit) -> Path:
    raw = json.loads((lx.DATA_DIR / name).read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / name
    path.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _append(section, entry):
    return lambda raw: raw[section]["entries"].append(entry)


def _set(section, key, value):
    return lambda raw: raw[section]["entries"].__setitem__(key, value)


MALFORMED = [
    # (file, edit, the entry the message must name, words of the problem)
    ("lexicon_attribution.json", _append("attribution_verbs", "Declared"), "'Declared'", "lower case"),
    ("lexicon_attribution.json", _append("source_nouns", "officials"), "'officials'", "listed twice"),
    ("lexicon_counted.json", _append("label_nouns", "room "), "'room '", "whitespace"),
    ("lexicon_counted.json", _append("common_verbs", 7), "[7]", "string"),
    ("lexicon_measures.json", _set("noun_measures", "sailors", "sailors_deployed"), "'sailors'",
     "not a measure"),
    ("lexicon_measures.json", _set("cue_measures", "sank", "ships_sunk"), "'sank'", "not a measure"),
    ("lexicon_measures.json", lambda raw: raw["place_scoped_measures"]["entries"].append("floods"), "'floods'",
     "not a measure"),
    ("lexicon_numbers.json", _set("units", "twenty", 20), "'twenty'", "from 0 to 19"),
    ("lexicon_numbers.json", _set("scales", "lakh", "100000"), "'lakh'", "positive integer"),
    ("lexicon_numbers.json", _set("vague_multipliers", "many", [3, 5, 9]), "'many'", "lower <= value"),
    ("lexicon_numbers.json", _set("currencies", "₹", "rupee"), "'₹'", "ISO 4217"),
    ("lexicon_dates.json", _set("months", "smarch", 13), "'smarch'", "from 1 to 12"),
    ("lexicon_qualifiers.json", _set("qualifiers_before", "a bit over", "more"), "'a bit over'",
     "qualifier kind"),
    ("lexicon_qualifiers.json", _append("strict_upper_words", "about"), "'about'", "kind 'at_most'"),
    ("lexicon_qualifiers.json", _append("strict_qualifier_words", "roughly"), "'roughly'", "kind 'more_than'"),
    ("lexicon_cues.json", _append("denial_cues", " denied"), "' denied'", "whitespace"),
    ("lexicon_places.json", _set("demonyms", "chilean", ""), "'chilean'", "non-empty"),
    ("lexicon_events.json", lambda raw: raw["event_nouns"].pop("about"), "event_nouns", '"about"'),
    ("lexicon_events.json", lambda raw: raw.__setitem__("storm_nouns", raw["event_nouns"]), "'storm_nouns'",
     "unknown section"),
    ("lexicon_sentences.json", lambda raw: raw.pop("abbreviations"), "'abbreviations'", "missing section"),
]


@pytest.mark.parametrize("name, edit, entry, problem", MALFORMED, ids=[f"{m[0]}:{m[2]}" for m in MALFORMED])
def test_a_malformed_file_fails_with_one_line_naming_file_entry_and_problem(tmp_path, name, edit, entry, problem):
    path = _write(tmp_path, name, edit)
    with pytest.raises(ConfigError) as raised:
        lx.load_file(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert entry in message and problem in message


def test_a_key_given_twice_in_an_object_is_caught_though_json_keeps_the_last(tmp_path):
    path = tmp_path / "lexicon_dates.json"
    text = (lx.DATA_DIR / "lexicon_dates.json").read_text(encoding="utf-8")
    path.write_text(text.replace('"january": 1,', '"january": 1,\n      "january": 2,', 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"lexicon_dates\.json: months\['january'\]: listed twice$"):
        lx.load_file(path)


def test_invalid_json_names_the_file_and_the_line(tmp_path):
    path = tmp_path / "lexicon_cues.json"
    path.write_text('{\n  "_about": "x",\n  "denial_cues": {"about": "y", "entries": ["denied",]}\n}\n')
    with pytest.raises(ConfigError, match=r"lexicon_cues\.json: line 3 column \d+: not valid JSON"):
        lx.load_file(path)


def test_loading_the_whole_directory_stops_at_the_broken_file(tmp_path):
    """load_all is what the import runs: one broken file stops it with that file's line."""
    for name in LEXICON_FILES:
        shutil.copy(lx.DATA_DIR / name, tmp_path / name)
    assert lx.load_all(tmp_path).keys() == {spec.name for spec in lx.SECTIONS}
    _write(tmp_path, "lexicon_measures.json", _set("noun_measures", "ferries", "ferry"))
    with pytest.raises(ConfigError, match=r"lexicon_measures\.json: noun_measures\['ferries'\]: value 'ferry' is not"):
        lx.load_all(tmp_path)
    (tmp_path / "lexicon_places.json").unlink()
    _write(tmp_path, "lexicon_measures.json", lambda raw: None)
    with pytest.raises(ConfigError, match=r"lexicon_places\.json: cannot read"):
        lx.load_all(tmp_path)


# ------------------------------------------------------------------------------------------- no vocabulary in code

MAX_STRINGS = 12  # a literal with more string constants than this is a vocabulary: it belongs in data/

# Known debts: vocabularies still written as Python literals in files other helpers own on other branches
# (issue 15). Each goes to data when its owner moves it; then its line here goes too.
KNOWN_LITERAL_VOCABULARIES = {
    # extract.py (helpers rewriting extraction own it): words that end or are skipped in a counted-noun phrase,
    # and the denial cues strong enough to count without a figure.
    ("extract.py", "_ENTITY_STOP"): "stop words of the counted-noun phrase",
    ("extract.py", "_ENTITY_SKIP"): "adjectives skipped before the counted noun",
    ("extract.py", "_STRONG_DENIAL_RE"): "a subset of lexicon_cues.json denial_cues, inline",
    # attribution.py (helper on attribution owns it): extra speech-verb forms and capitalised non-names.
    ("attribution.py", "_VERB_FORMS"): "speech-verb forms added to attribution_verbs",
    ("attribution.py", "_NOT_NAMES"): "capitalised words that are not a person's name",
    # gazetteer.py (helper "places" owns it): a character transliteration table, not words.
    ("gazetteer.py", "_SPECIAL"): "ascii folding table of single characters",
    ("parse.py", "_NOMINAL_DEPS"): "spaCy dependency labels: the parser's grammar, not words of English",
    # dates.py: the section names of data/dates_vocabulary.json (its schema), and the date grammar built from
    # that file's words (the strings are the kinds of date, not vocabulary).
    ("dates.py", "_LIST_FIELDS"): "section names of dates_vocabulary.json",
    ("dates.py", "_PATTERNS"): "date patterns assembled from dates_vocabulary.json, labelled by kind",
}


def _string_count(node: ast.AST) -> int:
    """String entries of a collection literal: string constants, and tuples or lists that start with one."""
    if isinstance(node, ast.Dict):
        elements = [key for key in node.keys if key is not None]
    elif isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        elements = node.elts
    else:
        return 0
    def is_str(e):
        return isinstance(e, ast.Constant) and isinstance(e.value, str)
    return sum(is_str(e) or (isinstance(e, (ast.Tuple, ast.List)) and bool(e.elts) and is_str(e.elts[0]))
               for e in elements)


def _owner(statement: ast.stmt) -> str:
    if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id
    return getattr(statement, "name", f"line {statement.lineno}")


def _literal_vocabularies(path: Path) -> set[tuple[str, str]]:
    """(module, top-level name) of every collection literal with more than MAX_STRINGS strings, at any depth."""
    found = set()
    for statement in ast.parse(path.read_text(encoding="utf-8")).body:
        if any(_string_count(node) > MAX_STRINGS for node in ast.walk(statement)):
            found.add((path.name, _owner(statement)))
    return found


def test_the_detector_sees_a_vocabulary_wherever_it_stands(tmp_path):
    words = ", ".join(f'"w{i}"' for i in range(MAX_STRINGS + 1))
    few = ", ".join(f'"w{i}"' for i in range(MAX_STRINGS))
    path = tmp_path / "sample.py"
    path.write_text(f"A = {{{words}}}\nB = frozenset([{words}]) | {{'x'}}\nC = ({few})\n"
                    f"def f(x):\n    return x in ({words})\nD = [{', '.join(f'({w}, 1)' for w in words.split(', '))}]\n"
                    f"E = [{', '.join(f'({w}, {w})' for w in few.split(', '))}, ('a', 'b')]\n")
    assert _literal_vocabularies(path) == {("sample.py", "A"), ("sample.py", "B"), ("sample.py", "f"),
                                           ("sample.py", "D"), ("sample.py", "E")}


def test_no_extraction_module_holds_a_literal_vocabulary():
    found = set().union(*(_literal_vocabularies(p) for p in sorted(EXTRACTION.glob("*.py"))))
    new = sorted(found - set(KNOWN_LITERAL_VOCABULARIES))
    assert not new, f"vocabularies written as Python literals (move them to data/lexicon_*.json): {new}"
