"""A naive time is UTC everywhere: manifests that mix naive, 'Z', offset and date-only times sort by the instant
they name, Claims read times as Articles do, and such a manifest gives the alerts its all-UTC copy gives."""
import json
from datetime import datetime, timezone

import pytest
from pydantic import ValidationError

from schemas.models import Claim
from claimwatch.dry_run import dry_run
from services.ingestor.sources import read_manifest

# Four short reports of our own about one landslide; the order they are decided in changes the alerts.
ARTICLES = {
    "first.txt": "Rescue teams in Nepal said at least 12 people died in a landslide near Pokhara on Saturday.",
    "second.txt": "The death toll from the landslide near Pokhara in Nepal rose to 27, police said on Saturday.",
    "third.txt": "The army said 450 soldiers were sent to Pokhara in Nepal to search for survivors of the landslide.",
    "fourth.txt": "Local officials in Nepal said 19 people died in the Pokhara landslide, contradicting the "
                  "police count.",
}
# (file, key, time as publishers write it, the same instant in UTC); listed out of chronological order
TIMES = [
    ("fourth.txt", "published_at", "2024-03-02T18:00", "2024-03-02T18:00:00Z"),
    ("first.txt", "published_at", "2024-03-02", "2024-03-02T00:00:00Z"),
    ("third.txt", "published", "2024-03-02T12:00:00Z", "2024-03-02T12:00:00Z"),
    ("second.txt", "published_inferred", "2024-03-02T09:30:00+05:00", "2024-03-02T04:30:00Z"),
]
CHRONOLOGICAL = ["first.txt", "second.txt", "third.txt", "fourth.txt"]


def write_manifests(folder):
    """The same four articles under two manifests: times as publishers write them, and all in UTC ('Z')."""
    for name, text in ARTICLES.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    for name, column in (("mixed.json", 2), ("utc.json", 3)):
        entries = [{"file": row[0], row[1]: row[column]} for row in TIMES]
        (folder / name).write_text(json.dumps({"articles": entries}), encoding="utf-8")
    return folder / "mixed.json", folder / "utc.json"


def alert_rows(alerts):
    return [(a["kind"], a["quantity_key"], a["claim"]["figure_text"], a["claim"]["as_of"]) for a in alerts]


def test_a_mixed_manifest_sorts_by_the_instant_each_time_names(tmp_path):
    mixed, utc = write_manifests(tmp_path)
    entries = read_manifest(mixed)
    assert [e.path.name for e in entries] == CHRONOLOGICAL
    assert all(e.published_at.utcoffset() is not None for e in entries)
    assert [e.published_at for e in entries] == [e.published_at for e in read_manifest(utc)]
    assert entries[0].published_at == datetime(2024, 3, 2, tzinfo=timezone.utc)


def test_a_mixed_manifest_gives_the_alerts_of_its_utc_copy_in_dry_run(tmp_path):
    mixed, utc = write_manifests(tmp_path)
    from_mixed = alert_rows(json.loads(a.model_dump_json()) for a in dry_run(mixed))
    from_utc = alert_rows(json.loads(a.model_dump_json()) for a in dry_run(utc))
    assert from_mixed == from_utc
    assert len(from_mixed) >= 3, from_mixed
    # decided in publication order: the first report is the "new" one, the larger toll an update
    kind, key, figure, _ = from_mixed[0]
    assert (kind, figure) == ("new", "at least 12")
    assert ("update", key, "27", "2024-03-02") in from_mixed


def _claim(**times):
    return Claim(claim_id="c1", article_id="a1", figure_text="27", char_start=0, char_end=2, sentence="27 died.",
                 value=27, qualifier="exact", measure="killed", quantity_key="landslide.killed.any", **times)


def test_a_claim_reads_naive_times_as_utc():
    claim = _claim(published_at="2024-03-02T18:00", ingested_at="2024-03-02T18:05:00")
    assert claim.published_at == datetime(2024, 3, 2, 18, 0, tzinfo=timezone.utc)
    assert claim.ingested_at == datetime(2024, 3, 2, 18, 5, tzinfo=timezone.utc)
    assert _claim(published_at=datetime(2024, 3, 2, 18, 0)).published_at.tzinfo == timezone.utc
    assert _claim(published_at="2024-03-02").published_at == datetime(2024, 3, 2, tzinfo=timezone.utc)
    # a naive and an aware claim compare, as the alerter's decisions need
    assert _claim(published_at="2024-03-02T18:00").published_at < _claim(
        published_at="2024-03-02T19:00:00+00:00").published_at


@pytest.mark.parametrize("field", ["published_at", "ingested_at"])
def test_a_claim_refuses_numbers_for_times(field):
    with pytest.raises(ValidationError, match="not a number"):
        _claim(**{field: 1709402400})
