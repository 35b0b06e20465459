"""Decision rules for running tallies, studies, restatements and undated figures: small cases of our own."""
from datetime import date, datetime, timezone

from schemas.models import Modality, Qualifier
from services.alerter.decisions import DecisionPolicy, compatible
from tests.helpers import alert_kinds, make_claim, run_decisions


run = run_decisions
kinds = alert_kinds


def published(claim, day, hour=12):
    return claim.model_copy(update={"published_at": datetime(day.year, day.month, day.day, hour,
                                                             tzinfo=timezone.utc)})


def test_the_official_tally_moving_on_is_an_update_even_where_a_study_disagrees():
    official = make_claim(34, source="Governor's office", as_of=date(2017, 10, 3), article="a1")
    study = make_claim(1052, source="Times analysis", as_of=date(2017, 12, 10), article="a2",
                       modality=Modality.estimate)
    revised = make_claim(62, source="officials", as_of=date(2017, 12, 10), article="a2")
    decisions = run(official, study, revised)
    assert kinds(decisions) == ["new", "contradiction", "update"]
    assert decisions[2].alerts[0].related[0].claim_id == official.claim_id


def test_the_tally_adopting_a_study_figure_is_still_its_update():
    official = make_claim(64, source="Governor", as_of=date(2018, 5, 29), article="a1")
    study = make_claim(2975, source="University study", as_of=date(2018, 8, 28), article="a2",
                       modality=Modality.estimate)
    adopted = make_claim(2975, source="Governor", as_of=date(2018, 8, 28), article="a3")
    assert kinds(run(official, study, adopted))[2] == "update"


def test_a_study_contradicts_a_toll_only_once_it_has_settled():
    first = make_claim(2530, source="Ministry", as_of=date(2023, 2, 9))
    early_estimate = make_claim(5000, qualifier=Qualifier.approximate, lower=4500, upper=5500, source="WHO",
                                as_of=date(2023, 2, 14), modality=Modality.estimate)
    assert kinds(run(first, early_estimate)) == ["new", "update"]  # five days into a running toll
    late_estimate = early_estimate.model_copy(update={"as_of": date(2023, 4, 1), "claim_id": "late"})
    assert kinds(run(first, late_estimate)) == ["new", "contradiction"]


def test_settling_time_is_a_setting():
    first = make_claim(2530, source="Ministry", as_of=date(2023, 2, 9))
    estimate = make_claim(5000, source="WHO", as_of=date(2023, 2, 14), modality=Modality.estimate)
    from datetime import timedelta
    quick = DecisionPolicy(settle_after=timedelta(days=3))
    assert kinds(run(first, estimate, policy=quick)) == ["new", "contradiction"]


def test_a_later_named_report_above_an_unattributed_one_is_the_toll_rising():
    first = published(make_claim(2530, source=None, as_of=date(2023, 2, 9), article="a1"), date(2023, 2, 9), 8)
    rising = published(make_claim(2992, lower=2992, qualifier=Qualifier.at_least, source="Rescuers",
                                  as_of=date(2023, 2, 9), article="a2"), date(2023, 2, 9), 15)
    assert kinds(run(first, rising)) == ["new", "update"]


def test_a_later_report_of_another_named_lineage_above_an_earlier_one_is_a_rival():
    # the same in either order (tests/unit/test_decision_order.py): the later one is not the toll rising
    first = published(make_claim(2530, source="Ministry", as_of=date(2023, 2, 9), article="a1"), date(2023, 2, 9), 8)
    rising = published(make_claim(2992, lower=2992, qualifier=Qualifier.at_least, source="Rescuers",
                                  as_of=date(2023, 2, 9), article="a2"), date(2023, 2, 9), 15)
    assert kinds(run(first, rising)) == ["new", "contradiction"]


def test_a_same_day_report_below_another_is_a_contradiction():
    high = published(make_claim(41000, lower=41000, qualifier=Qualifier.more_than, source="Post tally",
                                as_of=date(2023, 2, 14), article="a1"), date(2023, 2, 14), 8)
    low = published(make_claim(40000, lower=36000, upper=40000, qualifier=Qualifier.approximate,
                               source="Wire services", as_of=date(2023, 2, 14), article="a1"), date(2023, 2, 14), 8)
    assert kinds(run(high, low)) == ["new", "contradiction"]


def test_one_government_is_one_lineage():
    president = make_claim(8754, source="Turkey's President", as_of=date(2023, 2, 9), article="a1")
    agency = make_claim(12391, source="Turkey's disaster agency", as_of=date(2023, 2, 9), article="a2")
    assert kinds(run(president, agency)) == ["new", "update"]


def test_a_study_restated_as_a_looser_bound_is_not_news():
    study = make_claim(4645, source="Harvard researchers", as_of=date(2018, 5, 29), article="a1",
                       modality=Modality.estimate)
    later = make_claim(4645, lower=4645, qualifier=Qualifier.at_least, source="Results of the study",
                       as_of=None, article="a2", modality=Modality.estimate)
    decisions = run(study, later)
    assert kinds(decisions) == ["new", None] and decisions[1].relation == "restated"


def test_a_study_alternative_reading_beside_its_headline_is_not_news():
    official = make_claim(64, source="Authorities", as_of=date(2017, 12, 1), article="a0")
    headline = make_claim(4645, source="Researchers at the university", as_of=date(2018, 5, 29), article="a1",
                          modality=Modality.estimate)
    alternative = make_claim(5000, lower=5000, qualifier=Qualifier.more_than, source="researchers",
                             as_of=date(2018, 5, 29), article="a1", modality=Modality.estimate)
    decisions = run(official, headline, alternative)
    assert kinds(decisions) == ["new", "contradiction", None] and decisions[2].relation == "alternative"


def test_a_rounded_figure_lets_its_precise_form_carry_the_alert():
    official = make_claim(64, source="Authorities", as_of=date(2017, 12, 1), article="a0")
    rounded = make_claim(3000, lower=2700, upper=3000, qualifier=Qualifier.approximate, source="Study",
                         as_of=date(2018, 8, 28), article="a1", modality=Modality.estimate)
    precise = make_claim(2975, source="Study", as_of=date(2018, 8, 28), article="a1", modality=Modality.estimate)
    rounded = rounded.model_copy(update={"carried_by": precise.claim_id})
    decisions = run(official, rounded, precise)
    assert kinds(decisions) == ["new", None, "contradiction"]
    assert decisions[1].relation == "rounded"


def test_an_undated_figure_never_updates():
    dated = make_claim(64, source="A", as_of=date(2018, 5, 29))
    undated = make_claim(70, source="A", as_of=None, article="a2")
    decisions = run(dated, undated)
    assert kinds(decisions) == ["new", None] and decisions[1].relation == "undated"


def test_a_figure_from_last_year_without_a_date_is_stale():
    dated = published(make_claim(2975, source="Governor", as_of=date(2018, 8, 28)), date(2018, 9, 13))
    recalled = published(make_claim(18, lower=None, upper=18, qualifier=Qualifier.at_most, source="President",
                                    as_of=None, article="a2"), date(2018, 9, 13))
    recalled = recalled.model_copy(update={"reference_year": 2017})
    decisions = run(dated, recalled)
    assert kinds(decisions) == ["new", None] and decisions[1].relation == "stale"


def test_a_figure_dated_long_ago_is_historical():
    old = published(make_claim(1800, source="Archive", as_of=date(2005, 8, 29)), date(2018, 5, 29))
    assert run(old)[0].relation == "historical"


def test_increments_are_compared_only_with_increments():
    force = make_claim(25000, source="Commander", as_of=date(2023, 6, 24))
    more = make_claim(25000, source="Commander", as_of=date(2023, 6, 24), article="a2",
                      sentence="The commander said another 25,000 would follow.")
    more = more.model_copy(update={"incremental": True, "claim_id": "inc"})
    assert kinds(run(force, more)) == ["new", "new"]


def test_rounding_slack_is_only_between_exact_figures():
    exact = make_claim(25000)
    below = make_claim(25000, lower=None, upper=25000, qualifier=Qualifier.at_most)
    below = below.model_copy(update={"strict_upper": True})
    assert not compatible(exact, below)
    assert compatible(make_claim(3000), make_claim(2975))
