"""Number forms of news copy, in sentences written for these tests: 'N-strong', dozens as a scale, and
proportions that are no counts."""
import pytest

from tests.helpers import claims_of


@pytest.mark.parametrize("text, value, entity, measure", [
    ("The 2,000-strong force crossed the river at dawn.", 2000, "force", "troops_deployed"),
    ("A 5,000-strong crowd gathered outside the palace.", 5000, "crowd", "crowd_size"),
])
def test_n_strong_counts_the_noun_after_it(text, value, entity, measure):
    (claim,) = claims_of(text)
    assert (claim.value, claim.entity, claim.measure) == (value, entity, measure)


@pytest.mark.parametrize("text, value", [
    ("Some 3 dozen people were hurt in the crush.", 36),
    ("Two dozen people were hurt in the crush.", 24),
    ("A dozen people were hurt in the crush.", 12),
])
def test_dozen_is_a_scale(text, value):
    assert [c.value for c in claims_of(text)] == [value]


@pytest.mark.parametrize("text", [
    "Roughly 1 in 5 residents lost power after the storm.",
    "Nine in ten voters backed the plan.",
])
def test_a_proportion_is_not_a_count(text):
    assert not claims_of(text)


def test_a_year_after_in_leaves_the_count_standing():
    assert [c.value for c in claims_of("About 300 in 2019 and 400 in 2020 were evacuated.")] == [300, 400]


@pytest.mark.parametrize("text, level", [
    ("Jobless claims rose by 20,000 to 230,000 last week.", 230000),
    ("The death toll climbed by 40 to 1,240, officials said.", 1240),
])
def test_a_change_by_n_to_a_level_keeps_the_level_and_drops_the_change(text, level):
    claims = claims_of(text)
    assert [c.value for c in claims] == [level]
    assert claims[0].entity is None or "week" not in claims[0].entity


# Qualifiers are read from every inflection of the verbs of exceeding, their threshold phrases and their negation.

@pytest.mark.parametrize("text, qualifier, lower, upper", [
    ("Registrations crossed the threshold of 90,000 on Monday, organisers said.", "more_than", 90000, None),
    ("Officials said the toll would probably surpass 40 by the weekend.", "more_than", 40, None),
    ("Analysts expect damage claims to exceed 3,000 this year.", "more_than", 3000, None),
    ("Police said crowds had never exceeded 300,000 in Lyon.", "at_most", None, 300000),
    ("The minister said the figure did not exceed 1,200 arrests.", "at_most", None, 1200),
    ("She expected the number of missing to fall below 50 by Friday.", "at_most", None, 50),
    ("Activists put the toll as high as 210, the agency said.", "at_most", None, 210),
    ("A nurse said the number of dead was much closer to 500.", "approximate", 450, 550),
])
def test_qualifiers_of_exceeding_thresholds_and_their_negation(text, qualifier, lower, upper):
    (claim,) = claims_of(text)
    assert (claim.qualifier.value, claim.lower, claim.upper) == (qualifier, lower, upper)


def test_an_adjective_top_is_no_qualifier():
    claims = [c for c in claims_of("The top 10 clubs spent 2 billion euros on transfers.") if c.value == 10]
    assert all(c.qualifier.value == "exact" for c in claims)


def test_a_bare_number_the_model_tags_as_a_product_is_still_a_figure():
    # the small model tags the lone '210' PRODUCT here; a name needs a word of its own ('Terminal 5')
    (claim,) = claims_of("Activists put the toll as high as 210, the agency said.")
    assert claim.upper == 210


def test_upward_of_is_more_than():
    (claim,) = claims_of("Over the weekend, upward of 20,000 demonstrators filled the main square.")
    assert (claim.qualifier.value, claim.lower, claim.upper) == ("more_than", 20000, None)
