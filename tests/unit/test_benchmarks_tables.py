"""The pure parts of `make bench`'s broker comparison: which brokers run, and the side-by-side tables."""
import pytest

from tools import bench_pipeline
from tools.bench_pipeline import (BrokerRun, StageTimes, baseline_table, batching_label, brokers_to_run,
                                     memory_table, throughput_table)


def _run(kind: str, label: str, batch: int, articles: int, delivered_s: float, produce: float) -> BrokerRun:
    stages = StageTimes(articles, 1.0, delivered_s - 2, delivered_s - 1, delivered_s)
    baseline = {"messages": 10_000, "bytes": 2_206, "produce_per_s": produce, "consume_per_s": 40_000.0,
                "consumed": 10_000}
    return BrokerRun(kind, label, batching_label(batch), stages, {"extractor": 190.0, "alerter": 80.0}, baseline)


TANSU = _run("tansu", "embedded Tansu", 1, 3_000, 60.0, 1_300.0)
KAFKA = _run("kafka", "Apache Kafka 3.9.1", 16_384, 2_000, 40.0, 20_000.0)


def test_the_baseline_puts_both_brokers_side_by_side_with_their_batching():
    lines = baseline_table([TANSU, KAFKA])
    header = next(line for line in lines if line.startswith("| path |"))
    assert header == "| path | embedded Tansu (one record per batch) | Apache Kafka 3.9.1 (batches of 16 kB) |"
    assert "| raw produce, messages/s | 1300 | 20000 |" in lines
    pipeline = next(line for line in lines if line.startswith("| claimwatch pipeline"))
    # 3,000 / 60 s = 50 articles/s; 2,000 / 40 s = 50 as well, each against its own broker's raw produce
    assert "50 (3.8% of raw produce; 3,000 articles)" in pipeline
    assert "50 (0.2% of raw produce; 2,000 articles)" in pipeline


def test_the_throughput_table_has_a_column_pair_per_broker_and_says_how_many_articles_each_had():
    lines = throughput_table([TANSU, KAFKA])
    assert "| delivered to the webhook sink | 60.0 | 50 | 40.0 | 50 |" in lines
    assert "Apache Kafka 3.9.1 (batches of 16 kB): 2,000 articles" in lines[2]
    assert all(line.count("|") == 6 for line in lines if line.startswith("|"))


def test_one_broker_gives_one_column_and_a_short_consume_is_named():
    run = _run("tansu", "embedded Tansu", 1, 3_000, 60.0, 1_300.0)
    run.baseline["consumed"] = 9_000
    lines = baseline_table([run])
    assert all(line.count("|") == 3 for line in lines if line.startswith("|"))
    assert any("read only 9,000 of 10,000" in line for line in lines)
    assert memory_table([run])[2] == "| extractor | 190 |"


def test_without_java_auto_runs_tansu_alone_and_says_why(monkeypatch):
    monkeypatch.setattr(bench_pipeline, "resolve_broker_kind", lambda requested: ("tansu", "java is not installed"))
    kinds, line = brokers_to_run("auto")
    assert kinds == ["tansu"]
    assert "Apache Kafka skipped (java is not installed)" in line
    with pytest.raises(ValueError, match="java is not installed"):
        brokers_to_run("both")


def test_with_java_auto_runs_both(monkeypatch):
    monkeypatch.setattr(bench_pipeline, "resolve_broker_kind", lambda requested: ("kafka", None))
    monkeypatch.setattr(bench_pipeline, "broker_label", lambda kind: "Apache Kafka 9" if kind == "kafka" else "T")
    assert brokers_to_run("auto")[0] == ["tansu", "kafka"]
    assert brokers_to_run("tansu")[0] == ["tansu"]
    with pytest.raises(ValueError):
        brokers_to_run("redpanda")


def _row(rate, p99=300.0, lag=0.5, alerts=None, offered_s=None, seconds=60.0):
    articles = int(rate * seconds)
    return {"rate": rate, "seconds": seconds, "offered_s": offered_s if offered_s is not None else seconds,
            "articles": articles, "alerts": articles if alerts is None else alerts, "p50": p99 / 2,
            "p95": p99 * 0.9, "p99": p99, "lag_s": lag}


def test_a_rate_holds_only_with_p99_within_a_second_all_alerts_and_bounded_lag():
    from tools.bench_pipeline import holds
    assert holds(_row(50))
    assert not holds(_row(50, p99=1500))
    assert not holds(_row(50, lag=12.0))  # still draining a backlog when the offer ended
    assert not holds(_row(50, alerts=2000))  # 3,000 offered
    assert not holds(_row(50, offered_s=90))  # the publisher could not keep the pace


def test_the_search_doubles_while_rates_hold_then_bisects():
    from tools.bench_pipeline import next_rate
    assert next_rate({10: True, 50: True}, ceiling=120) == 100
    assert next_rate({10: True, 50: True, 100: False}, ceiling=120) == 75
    assert next_rate({10: True, 50: True, 100: False, 75: True}, ceiling=120) == 88
    assert next_rate({10: True, 50: True, 100: False, 75: True, 88: False, 81: True}, ceiling=120) is None
    assert next_rate({10: True, 50: False}, ceiling=120) == 30
    assert next_rate({10: True, 50: True, 100: True}, ceiling=100) is None  # the drain rate caps it


def test_the_sustained_table_names_the_highest_rate_that_held():
    from tools.bench_pipeline import sustained_table
    lines = sustained_table([_row(10, 150), _row(50, 700), _row(75, 2400, lag=20)], 60, "embedded Tansu")
    assert lines[-1].startswith("Sustained: 50 articles/s (4.3 million a day), p99 700 ms")
    assert sum(line.endswith("| yes |") for line in lines) == 2
    assert sustained_table([_row(10, 5000)], 60, "x")[-1] == "Sustained: no offered rate held."
