"""Scenario 4 proves: while the webhook receiver is down for 30 s, alerts wait in the endpoint's retry lane
(backoff with jitter) and every one arrives after it recovers, in decision order per quantity."""
import pytest

from tests.resilience.harness import Scenario, assert_nothing_lost

pytestmark = pytest.mark.resilience
# a retry budget longer than the outage even with the shortest jitter (each delay at half its backoff):
# 0.25 + 0.5 + 1 + 2 + 2.5 x 15 s > 30 s. Every alert retries on its own, so the unluckiest one counts.
RETRIES = {"CLAIMWATCH_ALERTER_DELIVERY_ATTEMPTS": "20", "CLAIMWATCH_ALERTER_DELIVERY_BACKOFF_MAX_S": "5"}


def test_receiver_down_for_30_seconds(tmp_path):
    with Scenario(tmp_path, "4-receiver-outage", "webhook receiver down 30 s mid-stream", env=RETRIES) as run:
        sink = run.stack.services["sink"]
        outcome = run.interrupt_mid_stream(fault=sink.stop, recover=lambda: run.stack.start_sink(port=sink.port),
                                           alerts_before=100, down_s=30)
    assert_nothing_lost(outcome)
    assert outcome.out_of_order_quantities == 0
