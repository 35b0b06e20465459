"""Modality read from the clause a cue bears on (issue 15), with sentences written for these tests."""
import re
from datetime import date, datetime, timezone

import pytest

from schemas.models import Article
from services.extractor.extraction.extract import extract_claims
from tests.helpers import claims_of
from tests.unit.parse_helpers import needs_model

pytestmark = needs_model


def _modality(text: str, figure: str) -> str:
    article = Article(id="t", url="https://example.org/t", outlet="test", text=text,
                      published_at=datetime(2024, 3, 5, 12, tzinfo=timezone.utc),
                      ingested_at=datetime(2024, 3, 5, 13, tzinfo=timezone.utc))
    # a money figure's text carries its currency word ('900 dollars')
    found = [c for c in extract_claims(article) if re.search(rf"(?<![\d,.]){re.escape(figure)}(?![\d,.])", c.figure_text)]
    assert found, f"no claim for {figure!r}"
    return found[0].modality.value


@pytest.mark.parametrize("text, figure, expected", [
    # a cue inside an adverbial clause that does not hold the figure
    ("While the estimates differed widely, the union counted 12,000 marchers in Lille.", "12,000", "reported"),
    ("Although forecasts varied, the ministry said 300 homes were flooded.", "300", "reported"),
    # a belief verb governing the figure's clause
    ("Engineers believe 420 families lived in the block.", "420", "estimate"),
    ("Aid workers think 9,000 villagers fled the valley.", "9,000", "estimate"),
    # its negation is a denial
    ("The governor does not believe 2,000 people died in the floods.", "2,000", "denial"),
    # a modal with a perfect: a guess about the past, not a forecast
    ("As many as 700 miners may already have been trapped underground, the union said.", "700", "estimate"),
    ("Some 150 fishermen might have drowned off the coast, officials said.", "150", "estimate"),
    # a modal in a relative clause or in a conjunct with its own subject does not make the figure a projection
    ("Families will move to a suburb where rents start at 900 dollars.", "900", "reported"),
    ("Officials said 64 hikers were missing and that number could rise overnight.", "64", "reported"),
    # ... but one on a predicate the figure's subject shares does
    ("Around 3,000 more soldiers are close to leaving or expected within days.", "3,000", "projection"),
    # "a reported X" and "the current total of X" are counts as given
    ("Analysts believe the festival drew a reported 90,000 visitors.", "90,000", "reported"),
    ("The toll could double from the current total of 45, the mayor warned.", "45", "reported"),
    # an estimate noun the figure's clause is attributed to
    ("According to the navy's lowest estimate, there are 6,000 sailors aboard.", "6,000", "estimate"),
])
def test_modality_follows_the_clause(text, figure, expected):
    assert _modality(text, figure) == expected


# as_of: the day a figure holds for (issue 15), with sentences written for these tests

TUESDAY = datetime(2024, 3, 5, 12, tzinfo=timezone.utc)


def _as_of(text: str, figure: str, published: datetime = TUESDAY):
    found = [c for c in claims_of(text, published) if figure in c.figure_text]
    assert found, f"no claim for {figure!r}"
    return found[0].as_of


@pytest.mark.parametrize("text, figure", [
    # a period on the reporting verb says when the statement was made: no single day for its figures
    ("The mayor said last week that 40 shelters were open across the district.", "40"),
    ("The ban came after police last month said they had arrested 350 looters.", "350"),
])
def test_a_period_on_the_reporting_verb_leaves_the_statement_undated(text, figure):
    assert _as_of(text, figure) is None


@pytest.mark.parametrize("text, figure, expected", [
    # 'initially' in a present clause is a plan, not a superseded first figure
    ("The council is initially offering 500 beds to displaced families.", "500", date(2024, 3, 5)),
    ("The toll was initially 12 but it has been revised upwards.", "12", None),
    # a rate bears on the figure nearest it
    ("Crews clearing 15 homes a day have now inspected 900 homes in the valley.", "900", date(2024, 3, 5)),
    # 'in the aftermath' outside the figure's clause, and not opening the sentence, does not undate it
    ("Ministers criticised how the state acted in the aftermath of the floods, with officials confirming that "
     "23 people are missing.", "23", date(2024, 3, 5)),
    ("In the aftermath of the landslide, rescuers counted 31 dead.", "31", None),
])
def test_rates_and_first_figures_have_no_single_date_only_where_they_bear(text, figure, expected):
    assert _as_of(text, figure) == expected


@pytest.mark.parametrize("text, expected", [
    # a tally date in the opening paragraphs is the report's day: undated figures after it hold as of it
    ("The agency published new flood maps.\n\nAccording to the agency, as of March 3, 120 homes were damaged.\n\n"
     "Some 700 volunteers joined the clean-up.", date(2024, 3, 3)),
    ("Engineers released a survey of the dam.\n\nUntil 2 March, inspectors had checked 40 sluices.\n\n"
     "Some 700 volunteers joined the clean-up.", date(2024, 3, 2)),
    # one further down dates only its own figure
    ("The agency published new flood maps.\n\nIt asked residents to stay away.\n\nA fund was opened.\n\n"
     "As of March 3, 120 homes were damaged.\n\nSome 700 volunteers joined the clean-up.", date(2024, 3, 5)),
])
def test_a_tally_date_in_the_lead_is_the_day_of_the_report(text, expected):
    assert _as_of(text, "700") == expected


@pytest.mark.parametrize("text, figure, expected", [
    # a country's or region's standing population is a stock with no single date
    ("Jordan, for its part, is home to 650,000 refugees from the war.", "650,000", None),
    ("About 40,000 Kurds live in Armenia, according to the census office.", "40,000", None),
    ("The storm cut power across the island nation of 5 million people.", "5 million", None),
    # the residents of a building are counted for the day
    ("The tower block was home to 300 people, the council said.", "300", date(2024, 3, 5)),
])
def test_a_standing_population_has_no_single_date(text, figure, expected):
    assert _as_of(text, figure) == expected


@pytest.mark.parametrize("text, value", [
    ("The death toll climbed to 1,087 on Sunday, up from 980 a day earlier.", 980),
    ("Rescuers counted 75 bodies, against 60 a day before.", 60),
])
def test_a_day_earlier_is_a_time_not_a_rate(text, value):
    (claim,) = [c for c in claims_of(text) if c.value == value]
    assert not claim.measure.startswith("daily_")


def test_so_many_a_day_is_still_a_rate():
    (claim,) = [c for c in claims_of("Some 200 refugees crossed the border a day last month.") if c.value == 200]
    assert claim.measure.startswith("daily_")
