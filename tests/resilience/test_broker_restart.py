"""Scenario 5 proves: when the broker goes away for 15 s and comes back, the services neither wedge nor spin.
During the outage they stay up with little CPU and collapsed error logs, and the ingestor fails with a clear
error instead of dropping articles silently.

On Apache Kafka the broker is killed (kill -9) and restarted on its data: it keeps every topic, no worker
exits, and the whole stream yields every claim and alert, with no loss (re-sends keep their alert id).
The embedded broker comes back empty (it keeps everything in memory): each worker sees its log end before
what it already read, says so, and exits with status 75, and the supervisor (here the test, in compose the
restart policy) starts it again. After that, every article published after the restart yields its alert."""
import os
import time

import pytest

from services.common.faust_app import EXIT_LOG_WENT_BACK
from services.common.topics_admin import ensure_topics
from services.ingestor.publisher import ArticlePublisher, PublishError
from tests.resilience.harness import Scenario, assert_nothing_lost, epoch

pytestmark = pytest.mark.resilience
OUTAGE_S = 15


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_services_survive_a_broker_restart(tmp_path, broker_kind):
    if broker_kind == "kafka":
        return _kafka_keeps_its_data(tmp_path)
    with Scenario(tmp_path, "5-broker-restart", f"broker down {OUTAGE_S} s and back (in-memory: survival)") as run:
        half = len(run.articles) // 2
        run.publish(run.articles[:half])
        assert run.wait_for_alerts(half) >= half
        workers = {name: s for name, s in run.stack.services.items() if name != "sink"}
        lines = {name: len(s.log_path.read_bytes().splitlines()) for name, s in workers.items()}
        cpu = {name: cpu_seconds(s.process.pid) for name, s in workers.items()}

        run.stack.broker.stop()
        with pytest.raises(PublishError) as refused:  # clear, not silent
            publisher = ArticlePublisher(run.stack.kafka, timeout_s=3)
            publisher.publish(run.articles[half], "resilience")
            publisher.flush()
        time.sleep(OUTAGE_S)
        alive = {name: s.alive() for name, s in workers.items()}
        cpu_share = {name: (cpu_seconds(s.process.pid) - cpu[name]) / OUTAGE_S for name, s in workers.items()}
        log_lines = {name: len(s.log_path.read_bytes().splitlines()) - lines[name] for name, s in workers.items()}

        run.stack.broker.start()
        ensure_topics(run.stack.kafka)  # the new broker is empty: the topics job's work again
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(s.alive() for s in workers.values()):
            time.sleep(0.5)
        exits = {name: s.process.returncode for name, s in workers.items()}
        reasons = {name: "the broker lost its data" in s.log_path.read_text(errors="replace")
                   for name, s in workers.items()}
        run.stack.start_extractor()  # the supervisor's part
        run.stack.start_alerter()
        run.stack.wait_healthy()
        run.fault_ended()
        run.publisher.close()
        run.publisher = ArticlePublisher(run.stack.kafka)
        second = run.articles[half:]
        run.publish(second)
        second_ids = {article.id for article in second}
        deadline = time.monotonic() + 120
        delivered = set()
        while time.monotonic() < deadline and len(delivered) < len(second):
            delivered = {r["payload"]["data"]["claim"]["article_id"] for r in run.received()} & second_ids
            time.sleep(0.5)
        outcome = run.outcome
        outcome.articles_sent = len(run.articles)
        outcome.claims_expected = outcome.alerts_expected = len(second)
        outcome.alerts_delivered = len(delivered)
        outcome.lost = len(second) - len(delivered)
        claim_ids, outcome.claim_records = run.claim_ids_on_topic(timeout_s=20)
        outcome.claims_emitted = len(claim_ids)
        after = [r for r in run.received() if r["payload"]["data"]["claim"]["article_id"] in second_ids]
        outcome.recovery_s = round(min(epoch(r["received_at"]) for r in after) - run.fault_ended_at, 2) if after else None
        outcome.notes.append(f"during the outage: alive {alive}, CPU share {cpu_share}, log lines {log_lines}; "
                             f"publishing refused with: {refused.value}; after it: exit statuses {exits}")
        outcome.notes.append("counts are for the articles published after the restart; the in-memory broker "
                             "lost the first half with itself")
        outcome.save()
    assert all(alive.values()), alive
    assert exits == {name: EXIT_LOG_WENT_BACK for name in exits} and all(reasons.values()), (exits, reasons)
    assert all(share < 0.5 for share in cpu_share.values()), cpu_share
    assert all(count < 200 for count in log_lines.values()), log_lines
    assert "Kafka" in str(refused.value)
    assert outcome.lost == 0 and outcome.claims_emitted >= len(second), outcome


def _outage(run, kill):
    """Stop the broker (kill -9 when `kill`), show that publishing fails loudly, wait OUTAGE_S; return what
    the workers did meanwhile."""
    workers = {name: s for name, s in run.stack.services.items() if name != "sink"}
    lines = {name: len(s.log_path.read_bytes().splitlines()) for name, s in workers.items()}
    cpu = {name: cpu_seconds(s.process.pid) for name, s in workers.items()}
    if kill:
        run.stack.broker.kill()
    else:
        run.stack.broker.stop()
    with pytest.raises(PublishError) as refused:  # clear, not silent
        publisher = ArticlePublisher(run.stack.kafka, timeout_s=3)
        publisher.publish(run.articles[len(run.articles) // 2], "resilience")
        publisher.flush()
    time.sleep(OUTAGE_S)
    alive = {name: s.alive() for name, s in workers.items()}
    cpu_share = {name: (cpu_seconds(s.process.pid) - cpu[name]) / OUTAGE_S for name, s in workers.items()}
    log_lines = {name: len(s.log_path.read_bytes().splitlines()) - lines[name] for name, s in workers.items()}
    return workers, alive, cpu_share, log_lines, refused


def _kafka_keeps_its_data(tmp_path):
    with Scenario(tmp_path, "5-broker-restart",
                  f"kill -9 the broker, {OUTAGE_S} s down, restart on its data (Kafka: durability)") as run:
        half = len(run.articles) // 2
        run.publish(run.articles[:half])
        assert run.wait_for_alerts(half) >= half
        workers, alive, cpu_share, log_lines, refused = _outage(run, kill=True)
        run.stack.broker.start()
        recreated = ensure_topics(run.stack.kafka)  # nothing to do: the topics survived
        run.fault_ended()
        run.publisher.close()
        run.publisher = ArticlePublisher(run.stack.kafka)
        run.publish(run.articles[half:])
        outcome = run.settle()
        still_alive = {name: s.alive() for name, s in workers.items()}
        outcome.notes.append(f"during the outage: alive {alive}, CPU share {cpu_share}, log lines {log_lines}; "
                             f"publishing refused with: {refused.value}; after it: alive {still_alive}, "
                             f"topics re-created {recreated}")
        outcome.save()
    assert all(alive.values()) and all(still_alive.values()), (alive, still_alive)
    assert recreated == [], recreated
    assert all(share < 0.5 for share in cpu_share.values()), cpu_share
    assert all(count < 200 for count in log_lines.values()), log_lines
    assert "Kafka" in str(refused.value)
    assert_nothing_lost(outcome)
    assert outcome.new_alerts == 100  # the alerter's tables kept their state: nothing re-announced as new
