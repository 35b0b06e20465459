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



# Several sentences each, two of a kind in one country (two US fires, a Kenyan flood and a Kenyan crash, a Paris
# march and a Marseille strike): a figure may contradict another source in its own article, never another event's.
LONGER_DAY = [
 ("fire-ca", "A wildfire in northern California has destroyed 1,200 homes and forced 30,000 residents to flee, the state fire agency said on Monday. At least six people have died. Firefighters said the blaze was 10 percent contained."),
 ("fire-or", "A separate wildfire in Oregon has burned 40,000 acres and destroyed 300 homes, officials said. Two firefighters were injured, and about 2,000 people were ordered to evacuate."),
 ("flood-ke", "Flash floods in western Kenya have killed 45 people and displaced more than 20,000, the Kenya Red Cross said. The county governor said rescuers were still searching for 12 missing people."),
 ("bus-ke", "A bus plunged off a bridge near Nakuru in Kenya on Monday, killing 18 passengers, police said. Another 30 people were taken to hospital."),
 ("march-fr", "Tens of thousands of farmers marched in Paris on Monday against cuts to subsidies. Police put the crowd at 25,000, while the farmers' union said 60,000 had joined the march."),
 ("strike-fr", "Teachers in Marseille walked out on Monday over pay. The union said 8,000 teachers joined the strike, while the education ministry counted 3,500."),
 ("quake-pe", "A magnitude 6.8 earthquake struck southern Peru on Monday, killing at least 14 people and injuring 200, the civil defence institute said. About 500 homes were damaged."),
 ("mine-cl", "An explosion at a copper mine in northern Chile killed nine workers on Monday, the company said. Rescuers pulled 40 miners to safety."),
 ("cholera-mw", "A cholera outbreak in Malawi has killed 120 people since January, the health ministry said on Monday. More than 4,000 cases have been recorded."),
 ("ferry-ph", "A ferry caught fire off the southern Philippines, killing 31 people, the coast guard said. Some 195 passengers and crew were rescued."),
 ("troops-ee", "About 2,000 NATO troops arrived in Estonia for exercises, the defence ministry said on Monday."),
 ("troops-gy", "Some 1,500 soldiers were deployed to the border with Guyana, the army said."),
 ("protest-ge", "In Tbilisi, about 10,000 people rallied outside parliament on Monday, police said. Organisers said 50,000 took part. Police detained 40 people."),
 ("protest-rs", "Students led a march of about 15,000 people through Belgrade, an independent monitor said. Police arrested 12 protesters."),
 ("heat-in", "A heatwave across northern India has killed 54 people in three days, officials said. Hospitals treated 3,000 people for heatstroke."),
 ("fire-us2", "A fire at an apartment building in the Bronx killed 17 people, including eight children, the fire commissioner said. About 60 people were injured."),
]


def test_a_day_of_longer_unrelated_reports_relates_no_figure_across_articles():
    states: dict[str, QuantityState] = {}
    start = datetime(2031, 6, 2, 6, tzinfo=timezone.utc)
    alerts = []
    for i, (aid, text) in enumerate(LONGER_DAY):
        article = Article(id=aid, url=f"https://example.org/{aid}", outlet=f"wire{i % 3}", text=text,
                          published_at=start + timedelta(minutes=20 * i))
        for claim in extract_claims(article):
            state = states.get(claim.quantity_key) or QuantityState(quantity_key=claim.quantity_key)
            decision = decide(state, claim, DecisionPolicy())
            states[claim.quantity_key] = decision.state
            alerts += [(aid, alert) for alert in decision.alerts]
    assert len({aid for aid, _ in alerts}) == len(LONGER_DAY)
    across = [(aid, a.claim.figure_text, [r.article_id for r in a.related]) for aid, a in alerts
              if any(r.article_id != aid for r in a.related)]
    assert not across


def test_troops_and_tourists_who_arrive_are_not_refugees():
    assert only_measure("About 2,000 NATO troops arrived in Estonia for exercises.") == "troops_deployed"
    assert only_measure("About 500 tourists arrived in Estonia on Monday.") == "count_tourists"
    assert only_measure("About 2,000 refugees arrived in Estonia on Monday.") == "refugees"


def only_measure(text: str) -> str:
    (claim,) = claims_of(text)
    return claim.measure
