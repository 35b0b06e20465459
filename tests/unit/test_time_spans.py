"""Time as an interval: a figure dated by a period ('in March', 'last week', 'in 2017') holds for its days,
and is about the same time as a day figure inside them."""
from datetime import date, datetime, timezone

import pytest

from services.alerter.decisions import DecisionPolicy, about_the_same_time
from services.extractor.extraction.dates import find_time_refs
from tests.helpers import claims_of, make_claim, outbox

PUBLISHED = date(2024, 5, 15)  # a Wednesday


@pytest.mark.parametrize("sentence, span", [
    ("Customs seized 300 parcels in March.", (date(2024, 3, 1), date(2024, 3, 31))),
    ("Inspectors closed 41 mines in 2019.", (date(2019, 1, 1), date(2019, 12, 31))),
    ("The clinic treated 900 patients between 2015-17.", (date(2015, 1, 1), date(2017, 12, 31))),
    ("Some 12 ferries sank last year.", (date(2023, 1, 1), date(2023, 12, 31))),
    ("Last week 80 flights were cancelled.", (date(2024, 5, 6), date(2024, 5, 12))),
    ("Last month 80 flights were cancelled.", (date(2024, 4, 1), date(2024, 4, 30))),
    ("In May 70 shops closed.", (date(2024, 5, 1), date(2024, 5, 15))),  # up to the publication day
])
def test_a_period_expression_spans_its_days(sentence, span):
    periods = [ref.period for ref in find_time_refs(sentence, PUBLISHED) if ref.period]
    assert periods == [span]


def test_a_figure_dated_by_a_period_carries_it_and_no_single_day():
    claim = claims_of("Customs officers said they seized 300 parcels in March.",
                      datetime(2024, 5, 15, 9, tzinfo=timezone.utc))[0]
    assert claim.as_of is None and (claim.period_start, claim.period_end) == (date(2024, 3, 1), date(2024, 3, 31))


def _in_march(value, source, article):
    return make_claim(value, source=source, as_of=None, article=article, measure="arrested").model_copy(
        update={"period_start": date(2024, 3, 1), "period_end": date(2024, 3, 31)})


def test_a_month_figure_is_about_the_same_time_as_a_day_inside_it_and_not_one_outside():
    month = _in_march(300, "Police", "p1")
    window = DecisionPolicy().contradiction_window
    assert about_the_same_time(month, make_claim(900, as_of=date(2024, 3, 12), measure="arrested"), window)
    assert not about_the_same_time(month, make_claim(900, as_of=date(2024, 4, 12), measure="arrested"), window)
    assert not about_the_same_time(month, make_claim(900, as_of=None, measure="arrested"), window), "undated"


def test_a_rival_day_figure_inside_the_month_contradicts_it():
    month = _in_march(300, "Police", "p1")
    inside = make_claim(900, source="A rights group", as_of=date(2024, 3, 12), article="r1", measure="arrested")
    outside = make_claim(900, source="A rights group", as_of=date(2024, 4, 12), article="r1", measure="arrested")
    assert [a.kind.value for a in outbox([month, inside])] == ["new", "contradiction"]
    assert "contradiction" not in [a.kind.value for a in outbox([month, outside])]


def test_a_toll_dated_by_a_month_is_no_rival_to_a_higher_toll_later_that_month():
    month = make_claim(1400, source="The health department", as_of=None, article="h1").model_copy(
        update={"period_start": date(2024, 3, 1), "period_end": date(2024, 3, 31)})
    later = make_claim(2900, source="The governor", as_of=date(2024, 3, 28), article="g1")
    assert "contradiction" not in [a.kind.value for a in outbox([month, later])]
