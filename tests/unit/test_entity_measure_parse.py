"""Entity and measure from the figure's own clause (issue 15): sentences of our own, two per pattern."""
import json

import pytest

from services.extractor.extraction import lexicon as lx
from services.extractor.extraction import parse
from tests.helpers import claims_of
from tests.unit.parse_helpers import claims_by_value as _by_value, needs_model, words as _words

# A pronoun or relative subject of a level verb stands for the figure named before.

@needs_model
@pytest.mark.parametrize("text, value, measure", [
    ("Medics said 31 people were killed on Monday. By Friday it had risen to 47.", 47, "killed"),
    ("The death toll reached 210 at noon. Officials feared it would pass 260.", 260, "killed"),
])
def test_it_rose_to_n_continues_the_figure_before(text, value, measure):
    assert _by_value(text)[value].measure == measure


@needs_model
@pytest.mark.parametrize("text, value", [
    ("The official death toll, which stood at 212 on Monday, is expected to grow.", 212),
    ("Rescuers revised the toll, which now totals 1,430, after the aftershock.", 1430),
])
def test_a_relative_pronoun_takes_its_frame_noun(text, value):
    assert _by_value(text)[value].measure == "killed"


@needs_model
@pytest.mark.parametrize("text, value", [
    ("The regional death toll surged overnight and is now at 12,004.", 12004),
    ("The flood toll climbed on Sunday and was put at 388 by the ministry.", 388),
])
def test_a_coordinated_verb_shares_its_frame_subject(text, value):
    assert _by_value(text)[value].measure == "killed"


@needs_model
@pytest.mark.parametrize("text, value", [
    ("Health officials put the toll at 64 in October. A leaked memo said the figure was closer to 900.", 900),
    ("The ministry gave a death toll of 1,210 on Monday.", 1210),
])
def test_the_figure_or_the_toll_of_n_is_a_death_count(text, value):
    assert _by_value(text)[value].measure == "killed"


# The measure comes from the figure's own clause, not from a neighbouring one.

@needs_model
@pytest.mark.parametrize("text, value, measure", [
    ("The block holds 220 flats, and firefighters found bodies on the roof.", 220, "count_flats"),
    ("About 300 pupils stayed indoors while two teachers died in the blast.", 300, "count_pupils"),
])
def test_a_cue_in_another_clause_does_not_give_the_measure(text, value, measure):
    assert _by_value(text)[value].measure == measure


# A bare figure that is itself the subject of a person predicate counts people.

@needs_model
@pytest.mark.parametrize("text, value", [
    ("In all, 4,310 died because of the floods.", 4310),
    ("A new study said at least 2,975 perished in the months after the storm.", 2975),
])
def test_a_bare_subject_of_dying_counts_people(text, value):
    claim = _by_value(text)[value]
    assert claim.measure == "killed" and _words(claim.entity) == {"people"}


# Coordination and contrast: each clause keeps its own predicate; a bare figure takes the other clause's noun.

@needs_model
@pytest.mark.parametrize("text, first, second, noun, measure", [
    ("About 9,000 migrants reached the island and a further 3,000 are stranded at sea.", 9000, 3000,
     "migrants", "stranded"),
    ("Some 6,100 pilgrims were sheltered in tents, while 1,200 were evacuated by bus.", 6100, 1200,
     "pilgrims", "evacuated"),
])
def test_a_bare_conjunct_keeps_its_own_predicate_and_the_shared_noun(text, first, second, noun, measure):
    found = _by_value(text)
    assert noun in _words(found[second].entity) and found[second].measure == measure


# The predicate of the figure's clause gives the measure, for any kind of story.

@needs_model
@pytest.mark.parametrize("text, measure", [
    ("Rescuers said 12 miners had drowned in the flooded shaft.", "drowned"),
    ("The coast guard said 40 swimmers drowned off the cape this summer.", "drowned"),
    ("Soldiers captured 30 gunmen near the dam.", "captured"),
    ("Rebels captured 45 soldiers at the outpost.", "captured"),
    ("The army evacuated thousands of villagers from the valley.", "evacuated"),
    ("Officials evacuated 8,000 residents ahead of the cyclone.", "evacuated"),
    ("About 2.4 million people live in the province.", "population"),
    ("Roughly 600,000 people reside in the delta.", "population"),
    ("The region is home to 900,000 people.", "population"),
    ("The storm claimed the lives of 18 fishermen.", "killed"),
    ("The mine collapse cost the lives of 27 workers.", "killed"),
    ("The deaths of 12 climbers shocked the valley.", "killed"),
    ("Police confirmed the arrest of 57 protesters.", "arrested"),
])
def test_the_clause_predicate_gives_the_measure(text, measure):
    (claim,) = claims_of(text)
    assert claim.measure == measure


@needs_model
@pytest.mark.parametrize("text, measure", [
    ("Unions said members joined 140 protests across the country.", "demonstrations_held"),
    ("Farmers staged more than 90 rallies in the north.", "demonstrations_held"),
    ("Organisers said 14,000 participants registered for the march.", "crowd_size"),
    ("The appeal gathered 310,000 signatures in a week.", "petition_signatures"),
])
def test_counted_nouns_of_protest_stories(text, measure):
    (claim,) = claims_of(text)
    assert claim.measure == measure


@needs_model
def test_structures_name_their_own_quantity():
    found = _by_value("About 1,900 structures were damaged and 640 structures were destroyed.")
    assert (found[1900].measure, found[640].measure) == ("structures_damaged", "structures_destroyed")


# A bare figure continues the quantity its paragraph is about; the implied noun is the one the article used.

@needs_model
@pytest.mark.parametrize("text, value, noun", [
    ("Unions counted 60,000 marchers in Nantes. Police counted 21,000 (9,000, according to the city hall).", 9000,
     "marchers"),
    ("Police said 14,000 protesters gathered in Lille. Organisers counted 35,000 there.", 35000, "protesters"),
])
def test_a_bare_figure_continues_the_paragraphs_quantity(text, value, noun):
    claim = _by_value(text)[value]
    assert claim.measure == "crowd_size" and noun in _words(claim.entity)


@needs_model
def test_the_implied_noun_is_the_articles_own():
    text = ("Police counted 12,000 demonstrators in Rennes on Thursday.\n\n"
            "The crowd in Tours was smaller (8,000).")
    claim = _by_value(text)[8000]
    assert claim.measure == "crowd_size" and _words(claim.entity) == {"demonstrators"}


def test_a_bare_anecdote_does_not_inherit_a_tally():
    # "two" after a tally is an anecdote, not a continuation of the tally
    claims = claims_of("Medics said 40 people were killed. Two were seen near the bridge.")
    assert [c.value for c in claims] == [40]


def test_rules_entity_stops_at_and():
    claims = claims_of("The toll rose to 40 and officials feared more.")
    assert all("and" not in _words(c.entity) for c in claims)


# The vocabularies are data, validated.

def test_every_predicate_measure_is_declared():
    vocabulary = parse.VOCABULARY
    names = set(vocabulary.lemmas.values()) | set(vocabulary.phrases.values()) | vocabulary.person_measures | {
        vocabulary.crossing_measure, vocabulary.presence_measure} | {m for m in vocabulary.frame_nouns.values() if m}
    assert names <= set(lx.MEASURES), names - set(lx.MEASURES)


def test_a_frames_file_without_the_new_keys_is_one_line_naming_it(tmp_path):
    bad = tmp_path / "parse_frames.json"
    bad.write_text(json.dumps({"frame_nouns": {}, "copulas": [], "partitive_pronouns": [], "frame_reach": 10}))
    with pytest.raises(parse.DataError) as caught:
        parse.load_vocabulary(frames=bad)
    assert "parse_frames.json" in str(caught.value) and "frame_preps" in str(caught.value)
    assert "\n" not in str(caught.value)


# 'There were N people' at an open ground or venue counts a crowd, a range as much as a single figure; people in a
# building or a region are occupants or a population.

@needs_model
@pytest.mark.parametrize("text, low", [
    ("If the organisers are right, the fair drew half of last year's crowd, so there were anywhere from 20,000 to "
     "40,000 people in the park on Saturday.", 20000),
    ("By noon there were about 5,000 people at the stadium, the club said.", 4500),
    ("Organisers said there were between 30,000 and 50,000 people in the main square during the vigil.", 30000),
])
def test_people_present_at_a_gathering_place_are_a_crowd(text, low):
    assert {c.lower: c for c in claims_of(text)}[low].measure == "crowd_size"


@needs_model
@pytest.mark.parametrize("text", [
    "There were 300 people in the building when the alarm sounded.",
    "There are 3 million people in the region, the census found.",
    "More than 300 people in the square were injured.",
])
def test_people_in_a_building_a_region_or_with_their_own_predicate_are_no_crowd(text):
    assert all(c.measure != "crowd_size" for c in claims_of(text))


def test_a_presence_section_of_the_wrong_shape_is_one_line_naming_the_file(tmp_path):
    good = json.loads((parse.DATA_DIR / "measure_predicates.json").read_text(encoding="utf-8"))
    bad = tmp_path / "measure_predicates.json"
    bad.write_text(json.dumps({**good, "presence": {"nouns": ["people"], "preps": "in"}}))
    with pytest.raises(parse.DataError) as caught:
        parse.load_vocabulary(measures=bad)
    assert "measure_predicates.json" in str(caught.value) and "presence" in str(caught.value)
    assert "\n" not in str(caught.value)
