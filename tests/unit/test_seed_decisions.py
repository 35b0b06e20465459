"""The seed articles in publication order: the decisions the brief names."""
import pytest

from schemas.models import Article, Modality
from claimwatch.dry_run import dry_run
from services.extractor.extraction import extract_claims
from services.ingestor.sources import manifest_articles
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def alerts():
    return dry_run(SEEDS / "manifest.json")


@pytest.fixture(scope="module")
def claims():
    return [claim for _, article in manifest_articles(SEEDS / "manifest.json") if isinstance(article, Article)
            for claim in extract_claims(article)]


def _find(alerts, figure):
    return [a for a in alerts if a.claim.figure_text == figure]


def _claim(claims, figure):
    """The one claim with this figure: a test about its alert means nothing if it was never extracted."""
    found = [c for c in claims if c.figure_text == figure]
    assert len(found) == 1, f"{figure!r} extracted {len(found)} times"
    return found[0]


def test_russia_fake_news_is_a_denial_against_the_us_figure(alerts):
    denial = [a for a in alerts if a.kind.value == "denial"]
    assert len(denial) == 1
    assert denial[0].claim.source == "Russia"
    assert any(r.figure_text == "3,000" and r.source == "U.S." for r in denial[0].related)


def test_8000_after_3000_is_an_update_not_a_contradiction(alerts):
    found = _find(alerts, "approximately 8,000")
    assert [a.kind.value for a in found] == ["update"]


def test_over_7000_is_consistent_with_about_8000(alerts, claims):
    over, about = _claim(claims, "over 7,000"), _claim(claims, "approximately 8,000")
    assert over.quantity_key == about.quantity_key  # compared with it, not filed elsewhere
    assert _find(alerts, "over 7,000") == []


def test_kyiv_injuries_are_two_different_attacks(alerts):
    six, two = _find(alerts, "six"), _find(alerts, "two")
    assert [a.kind.value for a in six] == ["new"] and [a.kind.value for a in two] == ["new"]
    assert six[0].quantity_key != two[0].quantity_key


def test_projections_contradict_no_report(alerts, claims):
    for figure in ("up to 12,000", "as many as 10,000"):
        assert _claim(claims, figure).modality == Modality.projection
        assert all(a.kind.value not in ("contradiction", "update") for a in _find(alerts, figure))
    # the seeds' one conflict is Russia's denial; it is made against reports only
    conflicts = [a for a in alerts if a.kind.value in ("contradiction", "denial")]
    assert conflicts and all(a.related for a in conflicts)
    assert all(r.modality != Modality.projection for a in conflicts for r in a.related)
