"""Scenario 4 proves: while the webhook receiver is down for 30 s, alerts wait in the delivery retries
(backoff with jitter) and every one arrives after it recovers, in decision order per quantity."""
import time

import pytest

from tests.resilience.harness import Scenario, assert_nothing_lost

pytestmark = pytest.mark.resilience
# a retry budget longer than the outage: 0.5 + 1 + 2 + 4 + 5 x 8 s (plus jitter) > 30 s
RETRIES = {"CLAIMWATCH_ALERTER_DELIVERY_ATTEMPTS": "13", "CLAIMWATCH_ALERTER_DELIVERY_BACKOFF_MAX_S": "5"}


def test_receiver_down_for_30_seconds(tmp_path):
    with Scenario(tmp_path, "4-receiver-outage", "webhook receiver down 30 s mid-stream", env=RETRIES) as run:
        half = len(run.articles) // 2
        run.publish(run.articles[:half])
        run.wait_for_alerts(100)
        sink = run.stack.services["sink"]
        sink.stop()
        run.publish(run.articles[half:])
        time.sleep(30)
        run.stack.start_sink(port=sink.port)
        run.stack.wait_healthy()
        run.fault_ended()
        outcome = run.settle()
        outcome.save()
    assert_nothing_lost(outcome)
    assert outcome.out_of_order_quantities == 0
