"""Scenario 2 proves: a `kill -9` of the alerter mid-stream loses no alert. The restarted worker recovers
its tables from their changelogs, so known quantities are not announced as new again, and an alert it
sends again keeps its alert_id and webhook-id (receivers de-duplicate on them)."""
import pytest

from tests.resilience.harness import Scenario, assert_nothing_lost

pytestmark = pytest.mark.resilience


def test_alerter_killed_mid_stream(tmp_path):
    with Scenario(tmp_path, "2-alerter-crash", "kill -9 alerter mid-stream, restart; tables from changelogs") as run:
        outcome = run.interrupt_mid_stream(fault=lambda: run.stack.services["alerter"].stop(hard=True),
                                           recover=run.stack.start_alerter, alerts_before=120)
    assert_nothing_lost(outcome)
    assert outcome.new_alerts == 100  # no known quantity re-announced as new
