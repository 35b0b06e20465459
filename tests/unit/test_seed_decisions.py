"""The seed articles in publication order: the decisions the brief names."""
import pytest

from services.dry_run import dry_run
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def alerts():
    return dry_run(SEEDS / "manifest.json")


def _find(alerts, figure):
    return [a for a in alerts if a.claim.figure_text == figure]


def test_russia_fake_news_is_a_denial_against_the_us_figure(alerts):
    denial = [a for a in alerts if a.kind.value == "denial"]
    assert len(denial) == 1
    assert denial[0].claim.source == "Russia"
    assert any(r.figure_text == "3,000" and r.source == "U.S." for r in denial[0].related)


def test_8000_after_3000_is_an_update_not_a_contradiction(alerts):
    found = _find(alerts, "approximately 8,000")
    assert [a.kind.value for a in found] == ["update"]


def test_over_7000_is_consistent_with_about_8000(alerts):
    assert _find(alerts, "over 7,000") == []


def test_kyiv_injuries_are_two_different_attacks(alerts):
    six, two = _find(alerts, "six"), _find(alerts, "two")
    assert [a.kind.value for a in six] == ["new"] and [a.kind.value for a in two] == ["new"]
    assert six[0].quantity_key != two[0].quantity_key


def test_projections_contradict_no_report(alerts):
    for figure in ("up to 12,000", "as many as 10,000"):
        assert all(a.kind.value not in ("contradiction", "update") for a in _find(alerts, figure))
    assert all(r.modality.value != "projection" for a in alerts if a.kind.value == "contradiction"
               for r in a.related)
