"""`claimwatch run` on the tests' broker: a manifest that mixes naive, 'Z', offset and date-only times gives the
alerts its all-UTC copy gives, as the sink received them (signatures verified)."""
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.unit.test_timestamps import alert_rows, write_manifests

pytestmark = pytest.mark.integration


def _run(manifest, workdir):
    """One `claimwatch run` over the manifest, as a user starts it; the alerts its sink verified."""
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMWATCH_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-m", "claimwatch.cli", "run", str(manifest), "--rate", "20"], env=env,
                          cwd=workdir, capture_output=True, text=True, timeout=420)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "alerts received with valid signatures" in done.stdout
    [received] = list(workdir.glob(".run/*/alerts.jsonl"))  # the sink's file in the run's work folder
    return alert_rows(json.loads(line)["payload"]["data"] for line in received.read_text().splitlines()
                      if line.strip())


def test_claimwatch_run_gives_the_same_alerts_for_mixed_and_utc_times(tmp_path):
    mixed, utc = write_manifests(tmp_path)
    from_mixed = _run(mixed, tmp_path / "mixed-run")
    from_utc = _run(utc, tmp_path / "utc-run")
    # delivery order across quantities is not part of the contract; the decisions are
    assert sorted(from_mixed) == sorted(from_utc)
    assert len(from_mixed) >= 3, from_mixed
    kinds = {(kind, figure) for kind, _, figure, _ in from_mixed}
    assert {("new", "at least 12"), ("update", "27")} <= kinds
