"""Late figures: whatever order a quantity's figures arrive in, a receiver that applies amendments ends with
the alerts an in-order replay sends, id for id."""
from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.models import AlertKind, Modality, Qualifier
from services.alerter.history import append_alerts, page_alerts, standing, status, AlertQuery
from tests.helpers import make_claim, outbox, seed_article_claims

DAY = date(2024, 5, 2)


def _published(claim, hour, day=DAY):
    return claim.model_copy(update={"published_at": datetime(day.year, day.month, day.day, hour,
                                                             tzinfo=timezone.utc)})


def _standing_ids(claims):
    return set(standing(outbox(claims)))


def test_a_late_rival_figure_amends_the_alert_sent_before_it_arrived():
    police = _published(make_claim(12000, source="Police", as_of=DAY, article="a1", measure="crowd_size"), 8)
    union = _published(make_claim(90000, source="The union", as_of=DAY, article="a2", measure="crowd_size"), 15)
    in_order = outbox([police, union])
    assert [a.kind.value for a in in_order] == ["new", "contradiction"] and not any(a.amended for a in in_order)
    late = outbox([union, police])
    assert [(a.kind.value, a.amended) for a in late] == [("new", False), ("new", False), ("contradiction", True)]
    first_union_alert, amendment = late[0], late[2]
    assert amendment.supersedes == [first_union_alert.alert_id] and amendment.summary.startswith("Amended (was new)")
    assert set(standing(late)) == {a.alert_id for a in in_order}


def test_the_standing_alerts_do_not_depend_on_the_order_they_are_delivered_in():
    police = _published(make_claim(12000, source="Police", as_of=DAY, article="a1", measure="crowd_size"), 8)
    union = _published(make_claim(90000, source="The union", as_of=DAY, article="a2", measure="crowd_size"), 15)
    sent = outbox([union, police])
    assert [a.revision for a in sent] == [1, 2, 2]
    assert set(standing(reversed(sent))) == set(standing(sent)), "a retried alert landing after its amendment"


def test_a_figure_that_becomes_a_restatement_has_its_alert_withdrawn():
    morning = _published(make_claim(400, source="Ministry", as_of=DAY, article="a1", claim_id="m"), 8)
    evening = _published(make_claim(400, source="Ministry", as_of=DAY, article="a2", claim_id="e",
                                    sentence="The ministry repeated that 400 had died."), 18)
    late = outbox([evening, morning])
    withdrawal = late[-1]
    assert withdrawal.kind == AlertKind.withdrawn and withdrawal.supersedes == [late[0].alert_id]
    assert withdrawal.rule == "restated" and withdrawal.claim.claim_id == "e"
    assert set(standing(late)) == _standing_ids([morning, evening]) and len(standing(late)) == 1


def test_an_amendment_that_brings_back_an_alert_id_has_its_own_notice_id():
    new = outbox([make_claim(10)])[0]
    assert new.notice_id == new.alert_id
    back = new.model_copy(update={"amended": True, "supersedes": ["x"]})
    again = new.model_copy(update={"amended": True, "supersedes": ["y"]})
    assert len({new.notice_id, back.notice_id, again.notice_id}) == 3
    log = append_alerts(append_alerts([], [new]), [back])
    assert [entry["alert_id"] for entry in log] == [new.alert_id, new.alert_id], "not taken for a duplicate"


def test_history_reads_the_standing_alerts_and_marks_the_superseded_ones():
    police = _published(make_claim(12000, source="Police", as_of=DAY, article="a1", measure="crowd_size"), 8)
    union = _published(make_claim(90000, source="The union", as_of=DAY, article="a2", measure="crowd_size"), 15)
    log = append_alerts([], outbox([union, police]))
    assert status(log)["status"] == "contested"
    page, total = page_alerts([log], AlertQuery())
    assert total == 3 and sorted(e["superseded"] for e in page) == [False, False, True]
    superseded = next(e for e in page if e["superseded"])
    assert superseded["kind"] == "new" and superseded["claim"]["source"] == "The union"


def test_in_order_figures_raise_no_amendment():
    claims = [_published(make_claim(v, source=s, as_of=DAY + timedelta(days=d), article=f"a{i}"), 9, DAY + timedelta(days=d))
              for i, (v, s, d) in enumerate([(10, "A", 0), (14, "B", 0), (30, "A", 1), (29, "B", 2)])]
    assert not any(a.amended for a in outbox(claims))


SOURCES = ("Ministry", "The army", "Red Cross", None)


@st.composite
def stories(draw):
    """A quantity's figures from a few sources over a few days, with estimates, denials and a retraction."""
    size = draw(st.integers(2, 9))
    claims = []
    for index in range(size):
        day = DAY + timedelta(days=draw(st.integers(0, 3)))
        modality = draw(st.sampled_from([Modality.reported] * 4 + [Modality.estimate, Modality.denial,
                                                                    Modality.retracted]))
        value = draw(st.sampled_from([40, 41, 90, 300, 310, 1000]))
        qualifier = draw(st.sampled_from([Qualifier.exact, Qualifier.exact, Qualifier.at_least]))
        lower, upper = (value, None) if qualifier == Qualifier.at_least else (None, None)
        claim = make_claim(value if qualifier == Qualifier.exact else None, lower, upper, qualifier=qualifier,
                           source=draw(st.sampled_from(SOURCES)), as_of=day, modality=modality,
                           article=f"a{index}", claim_id=f"c{index}")
        claims.append(_published(claim, draw(st.integers(0, 23)), day))
    return claims


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_arrival_order_ends_with_the_in_order_alerts(data):
    claims = data.draw(stories())
    in_order = sorted(claims, key=lambda c: (c.published_at, c.article_hash))
    arrival = data.draw(st.permutations(claims))
    assert _standing_ids(arrival) == _standing_ids(in_order)
    delivered = data.draw(st.permutations(outbox(arrival)))  # retries and two workers reorder deliveries
    assert set(standing(delivered)) == _standing_ids(in_order)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(range(5)))
def test_any_order_of_the_seed_articles_ends_with_the_in_order_alerts(order):
    articles = seed_article_claims()
    assert len(articles) == 5
    in_order = [claim for claims in articles for claim in claims]
    shuffled = [claim for index in order for claim in articles[index]]
    assert _standing_ids(shuffled) == _standing_ids(in_order)



def test_a_retraction_raises_an_alert_and_the_alerts_that_cited_the_figure_say_so():
    ministry = _published(make_claim(400, source="Ministry", as_of=DAY, article="a1", claim_id="m"), 8)
    rival = _published(make_claim(900, source="Red Cross", as_of=DAY, article="a2", claim_id="rc"), 10)
    retraction = _published(make_claim(400, source="Ministry", as_of=DAY, article="a3", claim_id="r",
                                       modality=Modality.retracted,
                                       sentence="The ministry withdrew its toll of 400, citing a counting error."), 12)
    sent = outbox([ministry, rival, retraction])
    assert [a.kind.value for a in sent] == ["new", "contradiction", "retraction"]
    assert [c.claim_id for c in sent[2].related] == ["m"] and sent[2].summary.startswith("Retraction: Ministry retracts")
    log = append_alerts([], sent)
    page, _ = page_alerts([log], AlertQuery())
    cited = {e["kind"]: e["cites_retracted"] for e in page}
    assert cited == {"new": ["m"], "contradiction": ["m"], "retraction": []}
    later = _published(make_claim(950, source="Red Cross", as_of=DAY, article="a4", claim_id="rc2",
                                  sentence="The Red Cross now counts 950 dead."), 14)
    assert outbox([ministry, rival, retraction, later])[-1].kind == AlertKind.update, "compared with nothing retracted"


def test_every_alert_kind_has_a_severity_and_a_webhook_type():
    from schemas.models import WEBHOOK_EVENT_TYPES
    from services.alerter.decisions import DecisionPolicy

    assert set(WEBHOOK_EVENT_TYPES) == set(AlertKind) == set(DecisionPolicy().severity)
