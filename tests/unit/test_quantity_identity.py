"""Quantity identity (issue 18): events link across articles, unknown never equals unknown, and a mixed stream of
unrelated same-day events of one measure raises no alert across events. Articles written for these tests."""
from datetime import datetime, timezone

from schemas.models import Article
from services.alerter.decisions import DecisionPolicy, QuantityState, decide, events_link, same_quantity
from claimwatch.dry_run import decide_all
from services.extractor.extraction import extract_claims

LINKED = DecisionPolicy(link_events=True)


def _article(aid: str, text: str, day: int, hour: int = 12) -> Article:
    return Article(id=aid, text=text, published_at=datetime(2031, 3, day, hour, tzinfo=timezone.utc))


FLOOD_1 = _article("flood-1", "Floods in southern Brazil have killed 40 people, the civil defence agency said on "
                              "Monday. The flood waters cut roads across the state.", 3)
FLOOD_2 = _article("flood-2", "The death toll from the floods in Brazil rose to 52, the civil defence agency said on "
                              "Wednesday, as the flood receded.", 5)
FIRE = _article("fire-1", "Wildfires in central Chile have killed 131 people, the interior ministry said on Monday. "
                          "The fire spread through hillside neighbourhoods.", 3, 13)


def _deaths(article: Article):
    claims = [c for c in extract_claims(article) if c.measure == "killed"]
    assert claims, article.id
    return claims[0]


def test_articles_about_one_flood_link_and_an_unrelated_fire_does_not():
    first, second, fire = _deaths(FLOOD_1), _deaths(FLOOD_2), _deaths(FIRE)
    assert first.quantity.event.type == second.quantity.event.type == "flood"
    assert first.quantity.event.place.country_code == "BR"
    assert events_link(first.quantity.event, second.quantity.event, LINKED)
    assert fire.quantity.event.type == "fire" and fire.quantity.event.place.country_code == "CL"
    assert not events_link(first.quantity.event, fire.quantity.event, LINKED)


def test_events_far_apart_do_not_link():
    later = _article("flood-3", "Floods in southern Brazil have killed 12 people, the civil defence agency said.", 3)
    later = later.model_copy(update={"published_at": datetime(2033, 3, 3, 12, tzinfo=timezone.utc)})
    assert not events_link(_deaths(FLOOD_1).quantity.event, _deaths(later).quantity.event, LINKED)


def test_mixed_stream_raises_no_alert_across_events():
    alerts = decide_all([FLOOD_1, FIRE, FLOOD_2], LINKED)
    for alert in alerts:
        for related in alert.related:
            assert related.quantity.event.key == alert.claim.quantity.event.key or \
                events_link(related.quantity.event, alert.claim.quantity.event, LINKED), alert.summary
    assert not any(a.claim.article_id == "fire-1" and a.related for a in alerts)
    # the second flood report still updates the first: linking abstains across events, not within one
    assert [(a.kind.value, [r.article_id for r in a.related]) for a in alerts if a.claim.article_id == "flood-2"] \
        == [("update", ["flood-1"])]


def test_a_sentence_about_an_earlier_event_keeps_that_event():
    text = ("An earthquake struck eastern Turkey on Monday, killing 25 people, officials said. "
            "The 1999 earthquake in the same region killed more than 17,000 people.")
    claims = [c for c in extract_claims(_article("quake-1", text, 3)) if c.measure == "killed"]
    assert len(claims) == 2
    now, then = claims
    assert now.quantity.event.start.year == 2031 and then.quantity.event.start.year == 1999
    assert then.quantity.event.start_is_year and now.quantity.event.key != then.quantity.event.key


def test_unresolved_event_is_compared_only_within_its_article():
    one = _article("plain-1", "Officials said 40 people were killed.", 3)
    two = _article("plain-2", "Officials said 90 people were killed.", 3, 14)
    a, b = _deaths(one), _deaths(two)
    assert a.quantity_key == b.quantity_key  # the string alone would compare them
    assert not same_quantity(a, b, LINKED) and same_quantity(a, b, DecisionPolicy(link_events=False))
    state = decide(QuantityState(quantity_key=a.quantity_key), a, LINKED).state
    decision = decide(state, b, LINKED)
    assert decision.relation == "unresolved_event"
    assert [x.kind.value for x in decision.alerts] == ["new"]


def _crowd(cid: str, article: str, place, lower: int, upper: int | None, day: int = 7):
    from datetime import date
    from schemas.models import Claim, ClaimPlace, Qualifier, Quantity, QuantityEvent
    country = ClaimPlace(name="Ruritania", kind="country", country_code="RU", country_name="Ruritania")
    event = QuantityEvent(type="demonstration", place=country, countries=["RU"], types=["demonstration"],
                          start=date(2031, 3, day), key=f"demonstration.ru.2031-03-0{day}")
    scope = place or country
    chain = [str(scope.geonames_id), scope.region_code, "RU"] if scope.kind == "city" else ["RU"]
    return Claim(claim_id=cid, article_id=article, article_hash=article, figure_text=str(lower), char_start=0,
                 char_end=5, sentence="x", lower=lower, upper=upper, value=lower if upper == lower else None,
                 qualifier=Qualifier.exact if upper == lower else Qualifier.more_than, measure="crowd_size",
                 location=scope.name, place=scope, as_of=date(2031, 3, day), source=f"source {cid}",
                 published_at=datetime(2031, 3, day, 12 + len(cid), tzinfo=timezone.utc),
                 quantity_key="demonstration.crowd_size",
                 quantity=Quantity(event=event, measure="crowd_size", scope=scope, scope_chain=chain))


def _town():
    from schemas.models import ClaimPlace
    return ClaimPlace(name="Strelsau", kind="city", geonames_id=123, country_code="RU", country_name="Ruritania",
                      region_code="RU.01")


def test_a_part_smaller_than_the_whole_is_its_own_quantity_and_consistent():
    whole = _crowd("w", "art-1", None, 30_000, 30_000)
    part = _crowd("pp", "art-2", _town(), 12_000, 12_000)
    assert not same_quantity(whole, part, LINKED)
    state = decide(QuantityState(quantity_key=whole.quantity_key), whole, LINKED).state
    decision = decide(state, part, LINKED)
    assert decision.relation == "new" and [a.kind.value for a in decision.alerts] == ["new"]


def test_a_part_larger_than_the_whole_contradicts_it():
    whole = _crowd("w", "art-1", None, 30_000, 30_000)
    part = _crowd("pp", "art-2", _town(), 40_000, None)
    state = decide(QuantityState(quantity_key=whole.quantity_key), whole, LINKED).state
    decision = decide(state, part, LINKED)
    assert decision.relation == "part_exceeds_whole"
    assert [a.kind.value for a in decision.alerts] == ["contradiction"]
    assert [c.claim_id for c in decision.alerts[0].related] == ["w"]


def test_a_part_of_another_day_is_not_compared_with_the_whole():
    whole = _crowd("w", "art-1", None, 30_000, 30_000, day=7)
    part = _crowd("pp", "art-2", _town(), 40_000, None, day=9)
    state = decide(QuantityState(quantity_key=whole.quantity_key), whole, LINKED).state
    assert decide(state, part, LINKED).relation == "new"


def test_troops_sent_to_two_unrelated_borders_raise_no_contradiction():
    one = _article("border-1", "About 3,000 soldiers have been deployed to the border with Venezuela, the defence "
                               "ministry said.", 3)
    two = _article("border-2", "About 10,000 troops have been sent to the Polish border with Belarus, officials "
                               "said.", 3, 15)
    alerts = decide_all([one, two], LINKED)
    assert alerts and not any(a.kind.value in ("contradiction", "update") for a in alerts)


def test_an_event_noun_that_only_says_how_much_names_no_event():
    """'a flood of refugees' and 'a storm of criticism' are no flood and no storm; the figures' key and event
    come from what the article is about, not from the figure of speech."""
    refugees = _article("border-1", "A flood of refugees reached the mountain pass this week. Aid workers said 3,000 "
                                     "people arrived on Monday alone, fleeing the fighting.", 4)
    claim = next(c for c in extract_claims(refugees) if c.value == 3000)
    assert claim.quantity.event.type == "conflict"
    protest = _article("vote-1", "The new law drew a storm of criticism. Police said 40 people were arrested at a "
                                 "protest outside parliament.", 4)
    claim = next(c for c in extract_claims(protest) if c.value == 40)
    assert claim.quantity.event.type == "demonstration" and not claim.quantity_key.startswith("hurricane")


def test_an_event_named_with_its_date_or_place_after_of_is_still_that_event():
    storm = _article("storm-1", "The storm of March 2031 killed 12 people in the valley, the county said.", 20)
    (claim,) = [c for c in extract_claims(storm) if c.value == 12]
    assert claim.quantity.event.type == "storm"


def test_the_toll_of_one_group_of_victims_is_not_the_toll_of_everyone():
    """A group's toll next to the overall one would read as a revision (or a contradiction) of it."""
    for text, group, everyone in [
        ("Shelling killed at least 30 civilians in the city, the governor said. The overall toll rose to 52 "
         "people.", 30, 52),
        ("Twelve police officers were injured during the march. In all, 70 people were hurt, the hospital said.",
         12, 70),
    ]:
        found = {c.value: c for c in extract_claims(_article("toll", text, 6))}
        assert found[group].measure == found[everyone].measure
        assert found[group].quantity_key != found[everyone].quantity_key, text
    # synonyms for one group share its quantity
    officers = {c.value: c for c in extract_claims(_article("a", "Nine policemen were injured in the riot.", 6))}
    police = {c.value: c for c in extract_claims(_article("b", "Nine police officers were injured in the riot.", 6))}
    assert officers[9].quantity_key == police[9].quantity_key


def test_an_event_named_in_the_plural_keys_its_figures():
    floods = _article("floods-pl", "Floods in northern Brazil have killed 100 people, health officials said.", 5)
    (claim,) = [c for c in extract_claims(floods) if c.value == 100]
    assert claim.quantity_key.startswith("flood.")
    wildfires = _article("fires-pl", "Wildfires in central Chile have killed 64 people, the ministry said.", 5)
    (claim,) = [c for c in extract_claims(wildfires) if c.value == 64]
    assert claim.quantity_key.startswith("fire.")


def test_fires_lit_in_a_protest_do_not_make_it_a_fire():
    riot = _article("riot-1", "Police said 120 people were arrested at the pension protest in the capital. Protesters "
                              "set 300 fires overnight, and the fires spread to two cars.", 5)
    (claim,) = [c for c in extract_claims(riot) if c.value == 120]
    assert claim.quantity_key.startswith("demonstration.")  # the event type, not the word


def _by_value(article: Article) -> dict:
    return {c.value: c for c in extract_claims(article)}


def test_one_events_figures_share_a_key_whatever_word_the_article_uses():
    rally = _by_value(_article("rally-1", "Police said 30,000 people joined the rally in Santiago on Tuesday.", 5))
    march = _by_value(_article("march-1", "Organisers said 90,000 people joined the march in Santiago on Tuesday.",
                               5, 15))
    assert rally[30000].quantity_key == march[90000].quantity_key
    assert rally[30000].quantity_key.startswith("demonstration.")
    assert same_quantity(rally[30000], march[90000], LINKED)


def test_one_article_tells_two_days_marches_apart_and_keeps_one_days_figures_together():
    text = ("Unions said 400,000 people marched in Madrid on Thursday, while police counted 90,000. The unions had "
            "counted 250,000 in Madrid on March 2.")
    claims = _by_value(_article("marches-1", text, 17))
    assert same_quantity(claims[400000], claims[90000], LINKED)  # one day's march, two counts
    assert claims[250000].as_of.day == 2
    assert not same_quantity(claims[400000], claims[250000], LINKED)  # another day's march


def test_a_storms_figures_in_one_article_stay_one_quantity_whatever_their_days():
    text = ("The storm killed 12 people in Cuba on Monday, the government said. By Wednesday the toll in Cuba had "
            "reached 30, officials said.")
    claims = _by_value(_article("storm-1", text, 19))
    assert same_quantity(claims[12], claims[30], LINKED)  # a toll runs over days: not two events


def test_in_the_capital_is_the_capital_of_the_country_the_article_is_about():
    text = ("Teachers went on strike across Kenya on Monday. In the capital, police said 6,000 teachers marched, "
            "while 2,000 marched in Mombasa.")
    claims = _by_value(_article("capital-1", text, 10))
    assert claims[6000].place is not None and claims[6000].place.name == "Nairobi"
    assert claims[2000].place.name == "Mombasa"
    assert not same_quantity(claims[6000], claims[2000], LINKED)  # two towns, two counts


def test_the_capital_of_a_named_country_or_capital_as_money_is_no_place_of_the_article():
    text = "Teachers marched across Kenya on Monday. About 3,000 marched in the capital of Uganda, organisers said."
    claims = _by_value(_article("capital-2", text, 10))
    assert claims[3000].place is None or claims[3000].place.name != "Nairobi"


def test_a_crowd_is_counted_at_one_moment_whatever_since_says():
    claims = _by_value(_article("crowd-1", "Police counted 12,000 marchers in Lisbon, the most since the protests "
                                           "began in May.", 10))
    assert not claims[12000].cumulative
    tally = _by_value(_article("toll-1", "At least 80 people have died since the floods began in May.", 10))
    assert tally[80].cumulative  # a toll since a day is a running total


def _decisions(claims, policy: DecisionPolicy = LINKED) -> list:
    states: dict[str, QuantityState] = {}
    out = []
    for claim in claims:
        decision = decide(states.get(claim.quantity_key) or QuantityState(quantity_key=claim.quantity_key), claim,
                          policy)
        states[claim.quantity_key] = decision.state
        out.append(decision)
    return out


def test_a_past_occurrence_of_a_one_day_event_is_a_comparison_not_news():
    text = ("Unions said 400,000 people marched in Madrid on Thursday. The last big march, on 5 March 2029, drew "
            "650,000 according to the same unions.")
    claims = _by_value(_article("past-march", text, 17))
    decisions = _decisions([claims[400000], claims[650000]])
    assert [d.relation for d in decisions] == ["new", "past_occurrence"]
    assert decisions[1].alerts == []
    off = DecisionPolicy(link_events=True, past_occurrence_days=0)
    assert _decisions([claims[650000]], off)[0].relation == "new"


def test_a_storm_that_began_weeks_ago_is_no_past_occurrence():
    text = "The storm that struck on 1 February 2031 has killed 80 people, officials said."
    (claim,) = extract_claims(_article("storm-2", text, 20))
    assert _decisions([claim])[0].relation == "new"  # a toll runs on: not a one-day event


def test_the_alerter_setting_reaches_the_policy(monkeypatch):
    from services.alerter.settings import AlerterSettings
    monkeypatch.setenv("CLAIMWATCH_ALERTER_PAST_OCCURRENCE_DAYS", "0")
    assert AlerterSettings().policy().past_occurrence_days == 0


def test_incidents_named_by_their_own_nouns_are_events_of_a_type():
    derailment = _by_value(_article("rail-1", "A train derailment in India killed 31 people, officials said.", 4))[31]
    blast = _by_value(_article("blast-1", "An explosion at a chemical plant in Ohio killed 9 workers, police said.",
                               4, 13))[9]
    crash = _by_value(_article("bus-1", "A bus crash in Bolivia killed 31 people, police said.", 4, 14))[31]
    assert derailment.quantity.event.type == crash.quantity.event.type == "crash"
    assert blast.quantity.event.type == "explosion"
    assert not same_quantity(derailment, crash, LINKED)  # one type, two countries: two events


def test_an_earlier_inaugural_named_by_its_year_is_another_event():
    text = ("Metro counted 610,000 trips on inauguration day, the agency said. For the 2029 inaugural, it had "
            "counted 880,000 trips.")
    claims = _by_value(_article("inaugural-1", text, 21))
    assert not same_quantity(claims[610000], claims[880000], LINKED)


def test_capital_as_a_modifier_is_no_city():
    text = "Banks across Kenya raised 400 million dollars in the capital markets last year, the regulator said."
    (claim,) = extract_claims(_article("capital-3", text, 10))
    assert claim.place is None or claim.place.name != "Nairobi"


def test_a_crowd_with_no_event_word_is_a_gatherings_and_links_by_day_and_country():
    first = _by_value(_article("rally-2", "About 10,000 people rallied in Tbilisi on Sunday, organisers said.", 4))[10000]
    second = _by_value(_article("rally-3", "Police said 4,000 people gathered in Tbilisi on Sunday.", 4, 15))[4000]
    elsewhere = _by_value(_article("rally-4", "About 6,000 people rallied in Yerevan on Sunday.", 4, 16))[6000]
    assert first.quantity.event.type == second.quantity.event.type == "demonstration"
    assert same_quantity(first, second, LINKED)
    assert not same_quantity(first, elsewhere, LINKED)  # another country's gathering


def test_an_event_known_by_its_year_is_no_past_occurrence_days_after_that_year():
    text = "Turnout in the 2030 election reached 4.1 million, the electoral commission said."
    article = Article(id="election-1", text=text, published_at=datetime(2031, 1, 5, 12, tzinfo=timezone.utc))
    (claim,) = extract_claims(article)
    assert claim.quantity.event.start_is_year
    assert _decisions([claim])[0].relation != "past_occurrence"



def test_people_counted_with_nothing_said_of_them_are_compared_only_within_their_article():
    shelter = _article("camp-1", "Floods in southern Brazil forced families from their homes. About 400 people are "
                                 "in a school gym in Porto Alegre, the mayor said.", 3)
    stadium = _article("camp-2", "Floods in southern Brazil forced families from their homes. The civil defence "
                                 "agency said 2,500 people were in the stadium in Porto Alegre.", 3, 15)
    a = next(c for c in extract_claims(shelter) if c.value == 400)
    b = next(c for c in extract_claims(stadium) if c.value == 2500)
    assert a.measure == b.measure == "count_people" and a.quantity_key == b.quantity_key
    assert not same_quantity(a, b, LINKED)
    decided = decide(decide(QuantityState(quantity_key=a.quantity_key), a, LINKED).state, b, LINKED)
    assert [x.kind.value for x in decided.alerts] == ["new"] and decided.relation == "unresolved_measure"
    # a count whose verb says what befell the people still links across the articles of its event
    assert same_quantity(_deaths(FLOOD_1), _deaths(FLOOD_2), LINKED)
