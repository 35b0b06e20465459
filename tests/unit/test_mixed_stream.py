"""A day of unrelated reports, written for this test: every figure is new, none updates or contradicts another
(floods and fires, two borders, two marches, two quakes, outbreaks, shipwrecks and strikes)."""
from datetime import datetime, timedelta, timezone

import pytest

from schemas.models import Article
from services.alerter.decisions import DecisionPolicy, QuantityState, decide
from services.extractor.extraction import extract_claims
from tests.helpers import claims_of

SAME_DAY = [
    "Floods in southern Brazil have killed 40 people, officials said on Monday.",
    "Wildfires in central Chile have killed 131 people, the government said.",
    "About 3,000 soldiers have been deployed to the border with Venezuela, the defence ministry said.",
    "About 10,000 troops have been sent to the Polish border with Belarus.",
    "A bus crash in southern Peru killed 24 people, police said.",
    "A landslide in western Nepal killed 24 people, officials said.",
    "Police said 40,000 people marched in Paris against the pension reform.",
    "In Berlin, 12,000 people marched against the war, organisers said.",
    "At least 12 people were killed in a fire at a garment factory in Dhaka.",
    "A fire at a hotel in Istanbul killed 29 people, the governor said.",
    "An outbreak of cholera has killed 300 people in Zambia, the health ministry said.",
    "Measles has killed 150 children in Chad this year, the WHO said.",
    "A ferry capsized off Indonesia, killing 17 passengers.",
    "A boat sank off Libya, and 61 migrants drowned, the IOM said.",
    "Some 5,000 nurses went on strike in New Zealand on Tuesday.",
    "The earthquake in Japan killed 64 people, officials said.",
    "An earthquake in Afghanistan killed 1,000 people, the Taliban said.",
]


def test_a_day_of_unrelated_reports_raises_only_new_figures():
    states: dict[str, QuantityState] = {}
    start = datetime(2024, 5, 6, 8, tzinfo=timezone.utc)
    kinds = []
    for i, text in enumerate(SAME_DAY):
        article = Article(id=f"day{i}", url=f"https://example.org/{i}", outlet="wire", text=text,
                          published_at=start + timedelta(minutes=10 * i))
        for claim in extract_claims(article):
            state = states.get(claim.quantity_key) or QuantityState(quantity_key=claim.quantity_key)
            decision = decide(state, claim, DecisionPolicy())
            states[claim.quantity_key] = decision.state
            kinds += [(text[:30], alert.kind.value) for alert in decision.alerts]
    assert len(kinds) == len(SAME_DAY)
    assert all(kind == "new" for _, kind in kinds), [k for k in kinds if k[1] != "new"]


@pytest.mark.parametrize("text, measure", [
    ("A ferry capsized off Indonesia, killing 17 passengers.", "killed"),
    ("Gunmen kidnapped 40 students from the school.", "hostages"),
    ("Bandits kidnapped 12 on the highway.", "hostages"),
])
def test_people_with_a_measure_of_their_own_still_die_and_are_kidnapped(text, measure):
    (claim,) = claims_of(text)
    assert claim.measure == measure


@pytest.mark.parametrize("text, event_type", [
    ("An outbreak of cholera has killed 300 people in Zambia, the health ministry said.", "outbreak"),
    ("Measles has killed 150 children in Chad this year, the WHO said.", "outbreak"),
    ("An outbreak of violence in the north has killed 30 people.", "conflict"),
])
def test_a_disease_is_an_outbreak_and_an_outbreak_of_violence_is_violence(text, event_type):
    (claim,) = claims_of(text)
    assert claim.quantity.event.type == event_type
