"""An aside in brackets speaks of its own words only: its credit and its date belong to the figures inside it,
and a list of places may carry a bracketed figure on each name. Sentences written for these tests."""
import pytest

from services.extractor.extraction import gazetteer as gz
from services.extractor.extraction.sentences import bracket_spans, in_other_brackets, without_other_brackets
from tests.helpers import claims_of
from tests.unit.parse_helpers import claims_by_value as _by_value, words as _words


def test_bracket_spans_are_the_outermost_balanced_pairs():
    text = "A (b (c) d) e [f] g (unclosed"
    assert [text[s:e] for s, e in bracket_spans(text)] == ["(b (c) d)", "[f]"]


def test_a_position_sees_its_own_aside_but_not_anothers():
    text = "Ash (12) and Elm (40, say wardens)."
    assert in_other_brackets(text, text.index("12"), text.index("wardens"))
    assert not in_other_brackets(text, text.index("40"), text.index("wardens"))
    assert not in_other_brackets(text, text.index("12"), text.index("Elm"))  # outside every aside
    seen = without_other_brackets(text, text.index("12"))
    assert len(seen) == len(text) and "wardens" not in seen and "(12)" in seen


@pytest.mark.parametrize("text, inside, outside, source", [
    ("Sales of new homes rose in Ohio (3,000 homes) and Iowa (2,000 homes, according to the state board).",
     2000, 3000, "board"),
    ("The league counted 52,000 fans on Saturday (31,000, according to the stadium operator), as last year.",
     31000, 52000, "operator"),
])
def test_a_credit_in_brackets_credits_only_the_figures_inside_them(text, inside, outside, source):
    claims = _by_value(text)
    assert source in _words(claims[inside].source)
    assert source not in _words(claims[outside].source)


def test_a_date_in_brackets_dates_only_the_figure_inside_them():
    claims = {c.value: c for c in claims_of("Wardens said 400 people were evacuated (up from 250 on Friday).",
                                            published="2024-05-06T09:00:00Z")}
    assert str(claims[250].as_of) == "2024-05-03"
    assert str(claims[400].as_of) != "2024-05-03"


@pytest.fixture(scope="module")
def g() -> gz.Gazetteer:
    return gz.get_gazetteer()


def _names(g, text: str) -> list[str]:
    return [text[m.start:m.end] for m in g.find_mentions(text)]


@pytest.mark.parametrize("text, names", [
    ("Crowds grew in smaller towns such as Rodez, Albi and Tarbes.", ["Rodez", "Albi", "Tarbes"]),
    ("Flooding hit provinces including Cuenca and Teruel.", ["Cuenca", "Teruel"]),
])
def test_a_place_noun_and_such_as_open_a_list_of_towns(g, text, names):
    assert _names(g, text) == names


def test_a_list_of_towns_may_carry_a_bracketed_figure_on_each_name(g):
    text = "Turnout rose in towns such as Rodez (2,000 to 3,000), Albi (4,100) or Tarbes (1,900, say police)."
    assert _names(g, text) == ["Rodez", "Albi", "Tarbes"]
    scopes = [c.quantity.scope.name for c in claims_of(text) if c.quantity and c.quantity.scope]
    assert scopes == ["Rodez", "Albi", "Tarbes"]  # three towns, three quantities


def test_surnames_with_ages_in_brackets_are_not_a_list_of_towns(g):
    # no place noun opens the list and none of the names is a place by itself
    assert _names(g, "The jury heard from Albi (45) and Tarbes (38), both nurses.") == []


@pytest.mark.parametrize("text", [
    "Some 3,000 people marched in the city, below the peaks recorded on Tuesday.",
    "Attendance was 45,000, well above the level seen on Thursday.",
])
def test_a_date_after_a_comparison_with_another_level_is_that_levels(text):
    # published on Monday 6 May 2024: neither weekday is the figure's day
    (claim,) = claims_of(text, published="2024-05-06T09:00:00Z")
    assert str(claim.as_of) == "2024-05-06"


def test_a_date_after_the_figure_without_a_comparison_still_dates_it():
    (claim,) = claims_of("Some 3,000 people marched in the city on Tuesday.", published="2024-05-06T09:00:00Z")
    assert str(claim.as_of) == "2024-04-30"


def test_a_bare_figure_in_brackets_after_a_town_counts_what_the_article_counts():
    text = ("About 90,000 people marched on Saturday against the new housing law.\n\n"
            "The same was seen in smaller towns such as Rodez (2,000 to 3,000) and Albi (4,100).")
    claims = claims_of(text)
    assert [c.measure for c in claims] == ["crowd_size"] * 3
    assert [c.quantity.scope.name for c in claims[1:]] == ["Rodez", "Albi"]


def test_a_bare_figure_in_a_later_paragraph_without_a_town_stays_bare():
    text = "About 90,000 people marched on Saturday against the new housing law.\n\nThe vote was 210 to 150."
    assert all(c.measure != "crowd_size" for c in claims_of(text) if c.value in (210, 150) or c.lower == 210)
