"""How running text names places, in sentences written for these tests: an abbreviated country before a
function word is a place, not an adjective; 'through' and 'into' are locatives like 'in'."""
import pytest

from services.extractor.extraction import gazetteer as gz
from tests.helpers import claims_of


@pytest.fixture(scope="module")
def g() -> gz.Gazetteer:
    return gz.get_gazetteer()


def _mentions(g, text: str) -> list[tuple[str, bool]]:
    return [(text[m.start:m.end], m.demonym) for m in g.find_mentions(text, include_demonyms=True)]


@pytest.mark.parametrize("text, name", [
    ("It was the worst flood in the U.S. in four decades.", "U.S."),
    ("Talks between the UK and Norway broke down.", "UK"),
    ("Prices rose across the U.S. last month.", "U.S."),
])
def test_an_abbreviated_country_before_a_function_word_is_a_place(g, text, name):
    assert (name, False) in _mentions(g, text)


def test_an_abbreviated_country_before_a_noun_is_an_adjective(g):
    assert ("U.S.", True) in _mentions(g, "U.S. troops arrived at the base.")


@pytest.mark.parametrize("text, town", [
    ("The storm swept through Kinston within hours.", "Kinston"),
    ("Floodwater poured into Goldsboro overnight.", "Goldsboro"),
])
def test_through_and_into_name_a_town_as_in_does(g, text, town):
    assert town in [name for name, _ in _mentions(g, text)]




@pytest.mark.parametrize("text, country", [
    ("OSLO, Norway (AP) — At least 40 people died when floods swept through northern Chile, officials said.", "CL"),
    ("Lima (Peru): Around 300 families were evacuated in Bolivia after the river burst its banks.", "BO"),
])
def test_a_dateline_says_where_the_report_is_filed_not_where_it_happened(text, country):
    (claim,) = claims_of(text)
    assert claim.place is not None and claim.place.country_code == country


def test_a_dateline_alone_still_places_the_figure():
    (claim,) = claims_of("LIMA, Peru (AP) — At least 40 people died in the landslide, officials said.")
    assert claim.quantity.scope is not None and claim.quantity.scope.country_code == "PE"


@pytest.mark.parametrize("text, town", [
    ("Tens of thousands took to the streets of Nantes on Saturday.", "Nantes"),
    ("Floods swept the outskirts of Recife, killing 20 people.", "Recife"),
])
def test_a_town_after_a_part_of_a_place_and_of_is_where_the_figure_is(text, town):
    (claim,) = claims_of(text)
    assert claim.place is not None and claim.place.name == town
