"""Which figures become claims (issue 15): repeats, ages, labels, study samples and one-scene counts are not
claims under the corpus conventions. Sentences of our own, two per pattern."""
import pytest

from tests.helpers import claims_of
from tests.unit.parse_helpers import needs_model

def _texts(text: str) -> list[str]:
    return [c.figure_text for c in claims_of(text)]


def _values(text: str) -> list:
    return [c.value for c in claims_of(text)]


# A repeated figure is one claim, at its first mention, whether written in words or digits.

@pytest.mark.parametrize("text", [
    "Nine miners have died in the flooded pit, officials said. The mayor said: \"We know of 9 miners who have died.\"",
    "Fourteen people were killed by the landslide on Sunday. \"There are 14 people who died,\" a medic said.",
])
def test_a_figure_in_words_then_in_digits_is_one_claim(text):
    assert len(claims_of(text)) == 1


@pytest.mark.parametrize("text, value", [
    ("Rescuers said 212 people were killed in the storm. Of the 212, most were fishermen.", 212),
    ("The ferry disaster killed 61 people. Divers say the 61 include four crew members.", 61),
])
def test_a_definite_re_mention_points_back(text, value):
    assert _values(text).count(value) == 1


@pytest.mark.parametrize("text, value", [
    ("In Ghent the police counted 9,000 marchers and in Liège the organisers counted 9,000 marchers.", 9000),
    ("Police counted 3,500 protesters in Porto, and 3,500 protesters also marched in Braga.", 3500),
])
def test_equal_counts_in_two_cities_are_two_claims(text, value):
    assert _values(text).count(value) == 2


@pytest.mark.parametrize("text", [
    "\"All 8,000 are ready, and then another 8,000,\" the commander said of his troops.",
    "About 300 soldiers crossed on Monday and another 300 soldiers crossed on Tuesday.",
])
def test_another_of_the_same_figure_is_a_new_claim(text):
    assert len(claims_of(text)) == 2


# Ages, age limits, labels, time zones and dates written with a slash are not counts.

@pytest.mark.parametrize("text", [
    "Maria Okafor, 64, said she lost everything when 300 homes burned.",
    "Farmer Tomas Berg, 58, told reporters that 40 cattle had drowned.",
])
def test_a_number_between_commas_after_a_name_is_an_age(text):
    assert len(claims_of(text)) == 1


@pytest.mark.parametrize("text", [
    "The law would lift the retirement age from 60 to 62, and 50,000 people marched against it.",
    "Officials want a voting age of 16; 2,000 students rallied for it.",
])
def test_the_value_of_an_age_is_not_a_count(text):
    assert len(claims_of(text)) == 1


@pytest.mark.parametrize("text, value", [
    ("For pupils under 12, the clinic saw 400 cases of flu.", 400),
    ("Among children under five, 900 were treated for malnutrition.", 900),
])
def test_under_n_after_a_person_noun_is_an_age(text, value):
    assert _values(text) == [value]


@pytest.mark.parametrize("text", [
    "The senate debated article 7 of the bill while 12,000 people protested outside.",
    "All times are local time [UTC+2]. Police said 3,000 people gathered.",
    "Firefighters who served after 9/11 joined the search, with 40 volunteers.",
])
def test_labels_time_zones_and_slashed_dates_are_not_counts(text):
    assert len(claims_of(text)) == 1


# A study's sample size is not a claim.

@needs_model
@pytest.mark.parametrize("text", [
    "Researchers interviewed 1,400 families and found that 9,000 people had fled.",
    "The group monitored and analysed 210 villages and said 30,000 homes were burned.",
    "The figures come from a survey of 3,100 households in the camps.",
])
def test_a_study_sample_is_not_a_claim(text):
    assert all(c.value not in (1400, 210, 3100) for c in claims_of(text))


# A small count of one scene (bodies recovered, people pulled out) is an anecdote, not a tally.

@needs_model
@pytest.mark.parametrize("text", [
    "Coast guards on Friday recovered the bodies of 14 migrants whose dinghy sank off the island.",
    "The bodies of three fishermen and two boys washed up on the beach on Monday.",
    "Neighbours pulled four children from the collapsed house.",
])
def test_a_small_one_scene_count_is_an_anecdote(text):
    assert claims_of(text) == []


@needs_model
@pytest.mark.parametrize("text", [
    "Rescuers have recovered 37 bodies so far, bringing the toll to 37.",
    "Crews have recovered 420 bodies from the rubble.",
])
def test_a_tally_of_recoveries_is_still_a_claim(text):
    assert claims_of(text)
