"""A quantity's status as of its latest figures: a denial or a contradiction stands only until a later
figure; the status says since when."""
from datetime import date

from schemas.models import Alert, AlertKind, Modality, Severity
from services.alerter import history
from services.alerter.decisions import QuantityState
from tests.helpers import make_claim


def _entry(kind: AlertKind, claim) -> dict:
    return Alert(alert_id=f"{kind.value}-{claim.claim_id}", kind=kind, severity=Severity.info,
                 quantity_key=claim.quantity_key, summary="s", claim=claim).model_dump(mode="json")


FIRST = make_claim(3000, as_of=date(2024, 10, 24), source="Agency")
DENIAL = make_claim(None, as_of=date(2024, 10, 25), source="Ministry", modality=Modality.denial)
LATER = make_claim(10000, as_of=date(2026, 2, 18), source="President")


def _status(claims, entries):
    return history.status(entries, QuantityState(quantity_key="x.killed.y", claims=claims))


def test_a_denial_stands_until_a_later_figure():
    entries = [_entry(AlertKind.new, FIRST), _entry(AlertKind.denial, DENIAL)]
    assert _status([FIRST, DENIAL], entries) == {"status": "denied", "since": "2024-10-25"}
    # a later figure that raised an update: the quantity is updated, not denied
    entries.append(_entry(AlertKind.update, LATER))
    assert _status([FIRST, DENIAL, LATER], entries) == {"status": "updated", "since": "2026-02-18"}


def test_a_later_figure_without_an_alert_also_supersedes_a_denial():
    consistent = make_claim(3000, as_of=date(2024, 11, 3), source="Observers")
    entries = [_entry(AlertKind.new, FIRST), _entry(AlertKind.denial, DENIAL)]
    assert _status([FIRST, DENIAL, consistent], entries) == {"status": "settled", "since": "2024-10-24"}


def test_a_contradiction_on_the_latest_day_stands():
    rival = make_claim(9000, as_of=date(2024, 10, 24), source="Observers")
    entries = [_entry(AlertKind.new, FIRST), _entry(AlertKind.contradiction, rival)]
    assert _status([FIRST, rival], entries) == {"status": "contested", "since": "2024-10-24"}
    # an update of a week later moves it on
    entries.append(_entry(AlertKind.update, make_claim(9500, as_of=date(2024, 10, 31))))
    assert _status([FIRST, rival], entries)["status"] == "updated"


def test_the_alert_order_is_the_figures_order_not_the_logs():
    # a 2024 denial logged after a 2026 update (a late-arriving article) does not make it denied
    entries = [_entry(AlertKind.update, LATER), _entry(AlertKind.denial, DENIAL)]
    assert _status([FIRST, LATER, DENIAL], entries)["status"] == "updated"


def test_a_quantity_with_only_new_figures_is_settled():
    assert _status([FIRST], [_entry(AlertKind.new, FIRST)]) == {"status": "settled", "since": "2024-10-24"}
    assert history.status([]) == {"status": "settled", "since": None}


def test_the_timeline_carries_its_axis_and_status_since():
    state = QuantityState(quantity_key="x.killed.y", claims=[FIRST, DENIAL, LATER])
    view = history.timeline(state, [_entry(AlertKind.update, LATER)])
    assert view["status"] == "updated" and view["status_since"] == "2026-02-18"
    assert [lane["name"] for lane in view["axis"]["lanes"]] == ["reports"]  # no projection: no lane
    assert view["axis"]["lanes"][0]["value"]["ticks"] == [0, 2000, 4000, 6000, 8000, 10000]
    assert len(view["axis"]["time"]) == 2
