"""Scenario 3 proves: with two workers per service sharing the partitions, killing one of each mid-stream
loses nothing; the survivors take over the partitions (and the alerter's table partitions) and finish.

The stream goes out shuffled: a quantity's five daily reports arrive in any order, on any partition, at
either extractor. Late reports reach the alerter after later ones, and the alerter's amendments must leave
the sink holding exactly the alerts of an in-order replay, id for id (issue 19)."""
import random

import pytest

from tests.resilience.harness import Scenario, assert_nothing_lost, expect

pytestmark = pytest.mark.resilience


def test_one_of_two_workers_killed(tmp_path):
    with Scenario(tmp_path, "3-two-workers", "2 workers per service, kill -9 one of each, stream shuffled; "
                  "survivors take over", partitions=4) as run:
        run.stack.start_extractor("extractor-2")
        run.stack.start_alerter("alerter-2")
        run.stack.wait_healthy()
        shuffled = random.Random(19).sample(run.articles, len(run.articles))
        chunk = len(shuffled) // 5
        for part in range(5):
            batch = shuffled[part * chunk:(part + 1) * chunk]
            if part == 2:
                run.publish(batch[:chunk // 2])
                run.stack.services["extractor"].stop(hard=True)
                run.stack.services["alerter"].stop(hard=True)
                del run.stack.services["extractor"], run.stack.services["alerter"]
                run.fault_ended()
                run.publish(batch[chunk // 2:])
            else:
                run.publish(batch)
            # what must stand once this much of the stream is decided, in whatever order it arrived
            standing = set(expect(shuffled[:(part + 1) * chunk], run.claims_of).alert_ids)
            run.wait_for_alerts(len(standing), expected=standing)
        outcome = run.settle()
        outcome.save()
    assert_nothing_lost(outcome)
    assert outcome.new_alerts == 100
    assert outcome.amendments > 0, "a shuffled stream brings late reports, so amendments"
