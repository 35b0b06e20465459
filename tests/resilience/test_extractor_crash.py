"""Scenario 1 proves: a `kill -9` of the extractor mid-stream loses no claim and no alert. The restarted
worker resumes from the group's committed offsets; re-read articles give the same claim ids, which the
alerter recognises, so no alert is sent twice under a new id."""
import time

import pytest

from tests.resilience.harness import Scenario, assert_nothing_lost

pytestmark = pytest.mark.resilience


def test_extractor_killed_mid_stream(tmp_path):
    with Scenario(tmp_path, "1-extractor-crash", "kill -9 extractor mid-stream, restart") as run:
        half = len(run.articles) // 2
        run.publish(run.articles[:half])
        run.wait_for_alerts(50)
        run.stack.services["extractor"].stop(hard=True)
        run.publish(run.articles[half:])  # the stream goes on while the extractor is down
        time.sleep(1)
        run.stack.start_extractor()
        run.stack.wait_healthy()
        run.fault_ended()
        outcome = run.settle()
        outcome.save()
    assert_nothing_lost(outcome)
    assert outcome.new_alerts == 100
