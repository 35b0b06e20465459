"""Scenario 7 (Apache Kafka only: the embedded broker has no transactions) proves: with Faust's
processing_guarantee="exactly_once", a kill -9 of the broker while the alerter is committing its table
updates and outbox (`alerts`) records together loses nothing and writes no alert twice to the outbox. The
broker restarts on its data; the open transactions are aborted, and read_committed readers (the alerter's
own delivery agent included) never see their records. Webhook re-sends are still possible (a POST is not
part of a Kafka transaction); they keep their alert id."""
import json
import time
from collections import Counter

import pytest
from kafka import KafkaConsumer, TopicPartition

from schemas.topics import ALERTS
from tests.resilience.harness import Scenario, assert_nothing_lost

pytestmark = pytest.mark.resilience
EOS = {"CLAIMWATCH_KAFKA_PROCESSING_GUARANTEE": "exactly_once"}


def committed_alert_ids(bootstrap: str, partitions: int, timeout_s: float = 30.0) -> Counter:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, isolation_level="read_committed",
                             consumer_timeout_ms=3000)
    consumer.assign([TopicPartition(ALERTS, p) for p in range(partitions)])
    consumer.seek_to_beginning()
    ids: Counter = Counter()
    deadline = time.monotonic() + timeout_s
    try:
        for record in consumer:
            try:
                ids[json.loads(record.value)["alert_id"]] += 1
            except (ValueError, TypeError, KeyError):
                continue
            if time.monotonic() > deadline:
                break
    finally:
        consumer.close()
    return ids


def test_broker_killed_mid_transaction(tmp_path, broker_kind):
    if broker_kind != "kafka":
        pytest.skip("the embedded broker has no transactions")
    with Scenario(tmp_path, "7-broker-kill-mid-transaction",
                  "kill -9 the broker while the alerter commits table + outbox (exactly_once)", env=EOS) as run:
        half = len(run.articles) // 2
        run.publish(run.articles[:half], per_second=None)  # flat out: transactions are open when it dies
        run.wait_for_alerts(20)
        run.stack.broker.kill()
        time.sleep(5)
        run.stack.broker.start()
        run.fault_ended()
        run.publisher.close()
        from services.ingestor.publisher import ArticlePublisher
        run.publisher = ArticlePublisher(run.stack.kafka)
        run.publish(run.articles[half:])
        outcome = run.settle()
        alive = {name: s.alive() for name, s in run.stack.services.items()}
        outbox = committed_alert_ids(run.stack.broker.bootstrap, run.stack.partitions)
        twice = sum(n - 1 for n in outbox.values() if n > 1)
        outcome.notes.append(f"alive after: {alive}; outbox (read_committed): {len(outbox)} alert ids, "
                             f"{twice} written more than once")
        outcome.save()
    assert all(alive.values()), alive
    assert_nothing_lost(outcome)
    assert set(run.expected.alert_ids) <= set(outbox), "an alert is missing from the committed outbox"
    assert twice == 0, f"{twice} alerts committed to the outbox twice"
