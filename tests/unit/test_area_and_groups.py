"""Ground an event burned, and groups named by negation: sentences of our own, two per pattern."""
import pytest

from tests.helpers import claims_of
from tests.unit.parse_helpers import claims_by_value as _by_value, needs_model


@needs_model
@pytest.mark.parametrize("text, value, measure", [
    ("The bushfire has burned 82,000 hectares of forest since Friday.", 82000, "hectares_burned"),
    ("In the canyon, 60 cabins were lost and 9,400 acres burned, the fire service said.", 9400, "acres_burned"),
])
def test_ground_an_event_burned_is_a_figure_of_its_unit(text, value, measure):
    assert _by_value(text)[value].measure == measure


@needs_model
@pytest.mark.parametrize("text", [
    "The ranch covers 2,300 acres of pasture in the valley.",
    "The park, which spans 1,500 hectares, reopened on Monday.",
])
def test_a_size_alone_is_no_event_figure(text):
    assert claims_of(text) == []


@needs_model
@pytest.mark.parametrize("text, value, measure", [
    ("Rioters torched 35 cars overnight in the suburbs.", 35, "cars_burned"),
    ("Soldiers burned 140 homes in the village, witnesses said.", 140, "homes_burned"),
])
def test_what_was_burned_names_the_quantity(text, value, measure):
    assert _by_value(text)[value].measure == measure


@needs_model
@pytest.mark.parametrize("text, value", [
    ("Twenty-one passengers burned to death when the coach caught fire.", 21),
    ("Witnesses said 14 villagers were burned alive in their homes.", 14),
])
def test_people_burned_are_deaths_not_buildings(text, value):
    assert _by_value(text)[value].measure == "killed"


@needs_model
@pytest.mark.parametrize("text, first, second", [
    ("Officials said 700 Kurdish homes and 90 non-Kurdish homes were destroyed in the shelling.", 700, 90),
    ("The survey counted 5,200 Maori residents and 8,100 non-Maori residents in the town.", 5200, 8100),
])
def test_a_negated_name_is_a_group_of_its_own(text, first, second):
    claims = _by_value(text)
    assert claims[second].actor.startswith("non-")
    assert claims[first].quantity_key != claims[second].quantity_key
