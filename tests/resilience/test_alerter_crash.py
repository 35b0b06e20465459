"""Scenario 2 proves: a `kill -9` of the alerter mid-stream loses no alert. The restarted worker recovers
its tables from their changelogs, so known quantities are not announced as new again, and an alert it
sends again keeps its alert_id and webhook-id (receivers de-duplicate on them)."""
import time

import pytest

from tests.resilience.harness import Scenario, assert_nothing_lost

pytestmark = pytest.mark.resilience


def test_alerter_killed_mid_stream(tmp_path):
    with Scenario(tmp_path, "2-alerter-crash", "kill -9 alerter mid-stream, restart; tables from changelogs") as run:
        half = len(run.articles) // 2
        run.publish(run.articles[:half])
        run.wait_for_alerts(120)
        run.stack.services["alerter"].stop(hard=True)
        run.publish(run.articles[half:])
        time.sleep(1)
        run.stack.start_alerter()
        run.stack.wait_healthy()
        run.fault_ended()
        outcome = run.settle()
        outcome.save()
    assert_nothing_lost(outcome)
    assert outcome.new_alerts == 100  # no known quantity re-announced as new
