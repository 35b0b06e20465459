"""The Prometheus scrape config, alert rules and their unit tests, checked by the real promtool; and the
consumer-lag gauge the dashboard and the lag rule read."""
from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from faust.types import TP
from prometheus_client import CollectorRegistry, Gauge

from services.common.faust_app import ConsumerLag
from tests.conftest import ROOT

PROMETHEUS = ROOT / "deploy" / "prometheus"
RULES = PROMETHEUS / "rules" / "claimwatch.yml"
RULE_TESTS = PROMETHEUS / "tests" / "claimwatch.test.yml"
DASHBOARD = ROOT / "deploy" / "grafana" / "dashboards" / "claimwatch.json"

needs_promtool = pytest.mark.skipif(
    shutil.which("promtool") is None,
    reason="promtool is not installed: `apt-get install prometheus` (Debian's package; .ci/run installs it)")


def promtool(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(["promtool", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


@needs_promtool
def test_scrape_config_is_valid():
    result = promtool("check", "config", "--syntax-only", str(PROMETHEUS / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_rules_are_valid():
    result = promtool("check", "rules", str(RULES))
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_every_alert_rule_passes_its_unit_tests():
    result = promtool("test", "rules", str(RULE_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_rule_has_a_unit_test():
    rules = {rule["alert"] for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]}
    tested = {case["alertname"] for test in yaml.safe_load(RULE_TESTS.read_text())["tests"]
              for case in test.get("alert_rule_test", [])}
    assert rules and rules == tested, rules ^ tested


@needs_promtool
def test_the_rule_tests_catch_a_broken_rule(tmp_path):
    """A rule that can never fire makes promtool's tests fail: they check behaviour, not syntax."""
    broken = RULES.read_text().replace('reason="extraction_failed"}[10m])) > 0', 'reason="extraction_failed"}[10m])) > 1e9')
    assert broken != RULES.read_text()
    (tmp_path / "rules").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "rules" / "claimwatch.yml").write_text(broken)
    (tmp_path / "tests" / "claimwatch.test.yml").write_text(RULE_TESTS.read_text())
    result = promtool("test", "rules", "tests/claimwatch.test.yml", cwd=tmp_path)
    assert result.returncode != 0 and "ClaimwatchExtractionErrors" in result.stdout + result.stderr


def test_scrape_config_covers_every_service_and_loads_the_rules():
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    jobs = {job["job_name"] for job in config["scrape_configs"]}
    assert {"ingestor", "extractor", "alerter", "sink"} <= jobs
    assert config["rule_files"] == ["/etc/prometheus/rules/*.yml"]


def test_dashboard_has_a_fixed_uid_and_the_panels_ops_need():
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] == "claimwatch-pipeline"
    titles = " | ".join(panel["title"].lower() for panel in dashboard["panels"])
    for needed in ("throughput per stage", "end-to-end latency", "claims by measure", "alerts by kind",
                   "deliveries by outcome", "consumer lag", "dead letters"):
        assert needed in titles, needed
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    assert any("claimwatch_end_to_end_latency_seconds_bucket" in expr for expr in exprs)
    datasources = {panel["datasource"]["uid"] for panel in dashboard["panels"]}
    provisioned = yaml.safe_load((ROOT / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text())
    assert datasources == {source["uid"] for source in provisioned["datasources"]}


def metric_names_used() -> set[str]:
    """Every claimwatch_ series the dashboard and the alert rules query."""
    dashboard = DASHBOARD.read_text()
    return set(re.findall(r"\bclaimwatch_[a-z_]+", dashboard + RULES.read_text()))


class _Consumer:
    """The two questions ConsumerLag asks a Faust consumer: where each log ends, and what it owns."""

    def __init__(self) -> None:
        self.ends: dict[TP, int] = {}

    def highwater(self, tp: TP) -> int:
        return self.ends[tp]

    async def highwaters(self, *tps: TP) -> dict[TP, int]:
        return {tp: self.ends[tp] for tp in tps}

    def assignment(self) -> set[TP]:
        return set(self.ends)


class _App:
    rebalancing = False

    def __init__(self) -> None:
        self.consumer = _Consumer()
        self.sensors: set = set()

    def timer(self, interval_s: float):
        return lambda refresh: refresh


def test_consumer_lag_counts_the_records_still_to_read():
    registry = CollectorRegistry()
    app = _App()
    lag = ConsumerLag(app, Gauge("lag", "records behind", ["topic", "partition"], registry=registry))
    tp = TP("articles", 2)

    def behind() -> float | None:
        return registry.get_sample_value("lag", {"topic": "articles", "partition": "2"})

    app.consumer.ends[tp] = 10  # offsets 0-9 written
    lag.on_message_in(tp, 3, None)
    assert behind() == 6  # offsets 4 to 9
    app.consumer.ends[tp] = 25  # a stalled worker reads nothing while the log grows: the timer sees it
    asyncio.run(lag.refresh())
    assert behind() == 21
    lag.on_message_in(tp, 24, None)
    assert behind() == 0
    del app.consumer.ends[tp]  # handed to another worker, which reports it from now on
    asyncio.run(lag.refresh())
    assert behind() is None
