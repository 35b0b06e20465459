"""How running text names places, in sentences written for these tests: an abbreviated country before a
function word is a place, not an adjective; 'through' and 'into' are locatives like 'in'."""
import pytest

from services.extractor.extraction import gazetteer as gz


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
