"""Alert decisions: a pure function of (known figures, new claim)."""
from datetime import date, datetime, timezone

import pytest

from schemas.models import AlertKind, Modality, Qualifier
from services.alerter.decisions import DecisionPolicy, alert_id, compatible
from tests.helpers import alert_kinds, claims_of, make_claim, run_decisions
from tests.unit.parse_helpers import needs_model


run = run_decisions
kinds = alert_kinds


def test_first_figure_is_new():
    assert kinds(run(make_claim(40))) == ["new"]


def test_later_higher_figure_is_an_update():
    assert kinds(run(make_claim(40, as_of=date(2024, 10, 1)), make_claim(64, as_of=date(2024, 10, 5)))) == [
        "new", "update"]


def test_same_source_revising_itself_the_same_day_is_an_update():
    assert kinds(run(make_claim(40), make_claim(64))) == ["new", "update"]


def test_different_sources_same_day_disagreeing_is_a_contradiction():
    decisions = run(make_claim(64, source="Ministry"), make_claim(1052, source="Researchers"))
    assert kinds(decisions) == ["new", "contradiction"]
    assert decisions[1].alerts[0].related[0].value == 64


def test_overlapping_intervals_are_consistent_and_silent():
    decisions = run(make_claim(8000, 7200, 8800, qualifier=Qualifier.approximate, source="US"),
                    make_claim(7000, 7000, None, qualifier=Qualifier.more_than, source="GUR"))
    assert kinds(decisions) == ["new", None]
    assert decisions[1].relation == "consistent"


def test_rounded_exact_figures_within_tolerance_agree():
    assert kinds(run(make_claim(3000, source="A"), make_claim(2975, source="B"))) == ["new", None]


def test_restating_the_same_figure_is_silent():
    assert kinds(run(make_claim(64, source="A"), make_claim(64, source="B", article="a2"))) == ["new", None]


def test_stale_figure_is_silent():
    decisions = run(make_claim(64, as_of=date(2024, 10, 5)), make_claim(16, as_of=date(2024, 10, 1), source="B"))
    assert kinds(decisions) == ["new", None]
    assert decisions[1].relation == "stale"


def test_projection_is_compared_only_with_projections():
    decisions = run(make_claim(3000, source="US"),
                    make_claim(12000, None, 12000, qualifier=Qualifier.at_most, source="UA",
                               modality=Modality.projection))
    assert kinds(decisions) == ["new", "new"]


def test_cumulative_is_compared_only_with_cumulative():
    """Troops there now and troops sent in all are two figures."""
    decisions = run(make_claim(10000, source="UA", measure="troops_deployed", key="x.troops_deployed"),
                    make_claim(15000, source="Intel", cumulative=True, measure="troops_deployed",
                               key="x.troops_deployed"))
    assert kinds(decisions) == ["new", "new"]


def test_a_toll_is_to_date_whether_or_not_its_sentence_says_so():
    """'the toll so far is 99' then 'at least 115 people died': one running figure, revised."""
    decisions = run(make_claim(99, source="Governor", cumulative=True, as_of=date(2024, 10, 1)),
                    make_claim(115, source="County", as_of=date(2024, 10, 9)))
    assert kinds(decisions) == ["new", "update"]


def test_denial_targets_what_others_assert():
    decisions = run(make_claim(3000, source="U.S."),
                    make_claim(None, qualifier=Qualifier.vague, source="Russia", modality=Modality.denial))
    assert kinds(decisions) == ["new", "denial"]
    assert decisions[1].alerts[0].related[0].source == "U.S."


def test_vague_figure_after_a_precise_one_raises_nothing():
    decisions = run(make_claim(3000), make_claim(None, 2000, None, qualifier=Qualifier.vague, source="B"))
    assert kinds(decisions) == ["new", None]


def test_precise_figure_after_only_vague_ones_is_new():
    decisions = run(make_claim(None, 2000, None, qualifier=Qualifier.vague), make_claim(3000, source="B"))
    assert kinds(decisions) == ["new", "new"]


def test_the_same_claim_twice_is_a_duplicate():
    claim = make_claim(40)
    decisions = run(claim, claim)
    assert kinds(decisions) == ["new", None]
    assert decisions[1].relation == "duplicate"


def test_a_syndicated_copy_is_not_an_independent_source():
    sentence = "The ministry said 64 people died."
    first = make_claim(64, sentence=sentence, article="wire").model_copy(
        update={"published_at": datetime(2024, 10, 1, 8, tzinfo=timezone.utc)})
    copy = make_claim(70, sentence=sentence, article="reprint", source="Ministry").model_copy(
        update={"published_at": datetime(2024, 10, 1, 9, tzinfo=timezone.utc)})
    decisions = run(first, copy)
    assert decisions[1].relation == "syndicated"
    assert decisions[1].alerts == []


def test_retraction_withdraws_the_source_figures_from_comparison():
    ministry = make_claim(400, source="Ministry")
    retraction = make_claim(400, source="Ministry", modality=Modality.retracted, claim_id="r")
    rival = make_claim(900, source="Agency", article="a2")
    assert kinds(run(ministry, rival)) == ["new", "contradiction"]
    assert kinds(run(ministry, retraction, rival)) == ["new", "retraction", "new"], "a withdrawn figure is no rival"


def test_contradiction_window_is_a_setting():
    early = make_claim(64, source="A", as_of=date(2024, 10, 1))
    late = make_claim(1052, source="B", as_of=date(2024, 10, 3))
    assert kinds(run(early, late)) == ["new", "update"]
    wide = DecisionPolicy(contradiction_window=DecisionPolicy().contradiction_window * 3)
    assert kinds(run(early, late, policy=wide)) == ["new", "contradiction"]


def test_alert_ids_are_deterministic():
    first = [d.alerts[0].alert_id for d in run(make_claim(40), make_claim(64, source="B")) if d.alerts]
    second = [d.alerts[0].alert_id for d in run(make_claim(40), make_claim(64, source="B")) if d.alerts]
    assert first == second and len(set(first)) == 2


def test_alert_id_depends_on_kind_and_related():
    claim = make_claim(40)
    assert alert_id(AlertKind.new, "k", claim, []) != alert_id(AlertKind.update, "k", claim, [])
    assert alert_id(AlertKind.update, "k", claim, []) != alert_id(AlertKind.update, "k", claim, [make_claim(3)])


def test_strict_bounds_touching_do_not_overlap():
    more_than_64 = make_claim(64, 64, None, qualifier=Qualifier.more_than, strict_lower=True)
    assert not compatible(more_than_64, make_claim(64, 60, 64, qualifier=Qualifier.range), tolerance=0)
    assert compatible(make_claim(64, 64, None, qualifier=Qualifier.at_least),
                      make_claim(64, 60, 64, qualifier=Qualifier.range), tolerance=0)


def test_summary_is_one_readable_line():
    decisions = run(make_claim(64, source="Ministry"), make_claim(1052, source="Researchers"))
    summary = decisions[1].alerts[0].summary
    assert "\n" not in summary
    assert summary.startswith("Contradiction: Researchers say 1052 killed")  # was "says": the bug of issue 21
    assert "Ministry said 64" in summary


def test_state_is_bounded():
    policy = DecisionPolicy(max_known_per_quantity=5)
    claims = [make_claim(v, source=f"s{v}", as_of=date(2024, 1, 1 + v)) for v in range(1, 12)]
    assert len(run(*claims, policy=policy)[-1].state.claims) == 5


def test_a_figure_about_a_decade_ago_is_context_not_news():
    from datetime import datetime, timezone
    old = make_claim(6000).model_copy(update={"reference_year": 1900,
                                              "published_at": datetime(2018, 5, 29, tzinfo=timezone.utc)})
    decisions = run(old)
    assert kinds(decisions) == [None] and decisions[0].relation == "historical"
    recent = old.model_copy(update={"reference_year": 2013, "claim_id": "recent"})
    assert kinds(run(recent)) == ["new"]


def test_out_of_order_arrival_gives_the_in_order_decision():
    def at(claim, hour):
        return claim.model_copy(update={"published_at": datetime(2024, 10, 1, hour, tzinfo=timezone.utc)})
    us = at(make_claim(3000, source="US", article="a1", as_of=date(2024, 10, 1)), 1)
    ua = at(make_claim(3000, source="UA", article="a2", as_of=date(2024, 10, 3)), 2)
    biden = at(make_claim(8000, 7200, 8800, qualifier=Qualifier.approximate, source="Biden", article="a3",
                          as_of=date(2024, 10, 5)), 3)
    in_order = {c.claim_id: d.relation for c, d in zip((us, ua, biden), run(us, ua, biden))}
    assert in_order == {us.claim_id: "new", ua.claim_id: "restated", biden.claim_id: "update"}
    # the earlier articles arrive late: each is still judged only against what precedes it in event order
    late = {c.claim_id: d.relation for c, d in zip((ua, biden, us), run(ua, biden, us))}
    assert late[us.claim_id] == "new"
    assert late[biden.claim_id] == "update"  # judged against UA's 3,000, as in order
    # UA arrived first, before anything it follows: new, where in order it restates US
    assert late[ua.claim_id] == "new"


def test_an_independent_estimate_contradicts_the_official_figure_at_any_distance():
    official = make_claim(64, source="Ministry", as_of=date(2017, 12, 1))
    study = make_claim(4645, source="Harvard study", as_of=date(2018, 5, 29), modality=Modality.estimate)
    assert kinds(run(official, study)) == ["new", "contradiction"]


def test_a_later_report_from_another_tally_is_a_revision():
    first = make_claim(34, source="Governor", as_of=date(2017, 10, 3))
    later = make_claim(64, source="Authorities", as_of=date(2017, 12, 9))
    assert kinds(run(first, later)) == ["new", "update"]


def test_a_superseded_report_no_longer_contradicts():
    from datetime import timedelta
    wide = DecisionPolicy(contradiction_window=timedelta(hours=72))
    old = make_claim(16, source="A", as_of=date(2017, 10, 1))
    newer = make_claim(34, source="B", as_of=date(2017, 10, 2))
    agrees_with_newer = make_claim(35, source="D", as_of=date(2017, 10, 2))
    decisions = run(old, newer, agrees_with_newer, policy=wide)
    # 34 against 16 a day apart conflicts inside a 72 h window; 35 agrees with the standing 34 and is not
    # held against A's superseded 16
    assert kinds(decisions) == ["new", "contradiction", None]
    assert decisions[2].relation == "consistent"


# A vague amount contradicts no figure, denied or not: 'does not believe thousands died' says no figure is false.

def test_a_denied_vague_amount_raises_nothing():
    decisions = run(make_claim(1240, source="Health officials"),
                    make_claim(None, 2000, None, qualifier=Qualifier.vague, source="The governor",
                               modality=Modality.denial))
    assert kinds(decisions) == ["new", None]
    assert decisions[1].relation == "vague"


def test_a_denied_precise_figure_after_the_vague_one_still_denies():
    decisions = run(make_claim(900, source="The union"),
                    make_claim(None, 200, None, qualifier=Qualifier.vague, source="The company",
                               modality=Modality.denial),
                    make_claim(900, source="The company", modality=Modality.denial, claim_id="precise-denial"))
    assert kinds(decisions) == ["new", None, "denial"]


@needs_model
@pytest.mark.parametrize("text", [
    "Health officials said 1,240 people died in the floods in Oregon. The governor said he does not believe "
    "thousands died in the floods.",
    "Police said 4,500 people were evacuated from the valley in Utah on Sunday. The mayor said she does not believe "
    "thousands were evacuated.",
])
def test_an_article_denying_a_vague_amount_alerts_only_its_figure(text):
    claims = claims_of(text)
    assert [c.modality for c in claims] == [Modality.reported, Modality.denial]
    assert kinds(run(*claims)) == ["new", None]
