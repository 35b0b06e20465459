"""Scenario 1 proves: a `kill -9` of the extractor mid-stream loses no claim and no alert. The restarted
worker resumes from the group's committed offsets; re-read articles give the same claim ids, which the
alerter recognises, so no alert is sent twice under a new id."""
import pytest

from tests.resilience.harness import Scenario, assert_nothing_lost

pytestmark = pytest.mark.resilience


def test_extractor_killed_mid_stream(tmp_path):
    with Scenario(tmp_path, "1-extractor-crash", "kill -9 extractor mid-stream, restart") as run:
        outcome = run.interrupt_mid_stream(fault=lambda: run.stack.services["extractor"].stop(hard=True),
                                           recover=run.stack.start_extractor, alerts_before=50)
    assert_nothing_lost(outcome)
    assert outcome.new_alerts == 100
