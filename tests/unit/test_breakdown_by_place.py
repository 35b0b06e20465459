"""A measure given town by town: the figure that names no place is the whole, the towns' figures are its parts,
and neither is compared with the other. Articles written for these tests."""
from services.alerter.decisions import same_quantity
from tests.helpers import claims_of

NATIONWIDE = ("About 90,000 people marched on Saturday against the new housing law. "
              "In Porto, 12,000 people marched, and in Braga, 8,000 people marched, organisers said.")
ONE_TOWN = ("About 90,000 people marched on Saturday against the new housing law. "
            "In Porto, 12,000 people marched, organisers said.")


def _by_value(text: str) -> dict:
    return {c.value: c for c in claims_of(text)}


def test_an_article_that_gives_two_towns_figures_marks_its_unplaced_figure_as_their_whole():
    claims = _by_value(NATIONWIDE)
    assert claims[90000].quantity.by_place
    assert not claims[12000].quantity.by_place  # a town's own figure is a part, not the whole
    assert {claims[12000].quantity.scope.name, claims[8000].quantity.scope.name} == {"Porto", "Braga"}


def test_the_whole_and_a_part_are_not_compared():
    claims = _by_value(NATIONWIDE)
    assert claims[90000].quantity_key == claims[12000].quantity_key  # one key: the scope tells them apart
    assert not same_quantity(claims[90000], claims[12000])
    assert not same_quantity(claims[8000], claims[90000])


def test_with_one_town_only_the_unplaced_figure_stays_the_events():
    # one town named: the unplaced figure may well be that town's event; it is compared, as before
    claims = _by_value(ONE_TOWN)
    assert not claims[90000].quantity.by_place
    assert same_quantity(claims[90000], claims[12000])


def test_a_town_named_for_a_part_is_not_the_place_of_the_whole():
    claims = _by_value("Police said 1.2 million people marched, including 80,000 in Porto.")
    assert claims[1200000].location is None and claims[80000].location == "Porto"
    rivals = _by_value("Unions said 400,000 people marched in Porto, while police said 1.2 million people "
                       "marched across Portugal.")
    assert rivals[400000].location == "Porto" and rivals[1200000].location == "Portugal"
    one_phrase = _by_value("Two million people marched in more than 200 towns across Portugal.")
    assert one_phrase[2000000].location == "Portugal"


def test_two_countries_each_with_its_figure_are_not_one_place():
    claims = _by_value("The storm killed 300 people in Portugal and 120 in Spain.")
    assert claims[300].location == "Portugal" and claims[120].location == "Spain"
    joint = _by_value("The storm killed 400 people in Portugal and neighbouring Spain.")
    assert joint[400].location == "Portugal and Spain"


def test_a_place_past_a_clause_break_starts_the_next_clause():
    claims = _by_value("In Porto, police counted 15,000 marchers and the unions 22,000, and in Braga there were "
                       "9,000 people in the rain.")
    assert claims[22000].location == "Porto" and claims[9000].location == "Braga"


def test_people_counted_in_a_report_on_a_march_are_its_crowd():
    claims = _by_value("Thousands marched against the housing law on Saturday. In Braga, 14,500 people braved "
                       "the rain, police said.")
    assert claims[14500].measure == "crowd_size"
    fire = _by_value("A fire broke out at the warehouse on Saturday. About 300 people were inside, officials said.")
    assert fire[300].measure == "count_people"
