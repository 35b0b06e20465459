"""Scenario 3 proves: with two workers per service sharing the partitions, killing one of each mid-stream
loses nothing; the survivors take over the partitions (and the alerter's table partitions) and finish.

The stream goes out one day of reports at a time. Two extractors can otherwise emit one quantity's claims
out of publication order (articles are keyed by content, so one story's reports land on different
partitions), and decide() does not yet give identical alert ids for out-of-order arrivals (issue 5). That
is a decision-quality gap, kept out of this scenario, which is about takeover."""
import pytest

from tests.resilience.harness import Scenario, assert_nothing_lost

pytestmark = pytest.mark.resilience


def test_one_of_two_workers_killed(tmp_path):
    with Scenario(tmp_path, "3-two-workers", "2 workers per service, kill -9 one of each; survivors take over",
                  partitions=4) as run:
        run.stack.start_extractor("extractor-2")
        run.stack.start_alerter("alerter-2")
        run.stack.wait_healthy()
        per_day = len(run.articles) // 5
        for day in range(5):
            batch = run.articles[day * per_day:(day + 1) * per_day]
            if day == 2:
                run.publish(batch[:per_day // 2])
                run.stack.services["extractor"].stop(hard=True)
                run.stack.services["alerter"].stop(hard=True)
                del run.stack.services["extractor"], run.stack.services["alerter"]
                run.fault_ended()
                run.publish(batch[per_day // 2:])
            else:
                run.publish(batch)
            run.wait_for_alerts((day + 1) * per_day)
        outcome = run.settle()
        outcome.save()
    assert_nothing_lost(outcome)
    assert outcome.new_alerts == 100
