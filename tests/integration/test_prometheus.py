"""A real Prometheus scrapes the real services on the tests' broker while the seeds go through the
HTTP ingest API. The dashboard's key series must have samples, the alert rules must evaluate, and every
metric the dashboard and rules name must exist in some service's /metrics."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from claimwatch.broker import free_port
from services.ingestor.sources import manifest_articles
from claimwatch.local_stack import LocalStack
from tests.conftest import ROOT
from tests.unit.test_prometheus import RULES, metric_names_used

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("prometheus") is None,
                       reason="Prometheus is not installed: `apt-get install prometheus` (Debian's package; "
                              ".ci/run installs it)"),
]
TOKEN = "prometheus-test-" + os.urandom(8).hex()


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


class PrometheusServer:
    def __init__(self, workdir: Path, targets: dict[str, str]) -> None:
        self.port = free_port()
        config = {
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "rule_files": [str(RULES)],
            "scrape_configs": [{"job_name": job, "static_configs": [{"targets": [target]}]}
                               for job, target in targets.items()],
        }
        (workdir / "prometheus.yml").write_text(yaml.safe_dump(config))
        self.log = open(workdir / "prometheus.log", "wb")
        self.process = subprocess.Popen(
            ["prometheus", f"--config.file={workdir / 'prometheus.yml'}", f"--storage.tsdb.path={workdir / 'tsdb'}",
             f"--web.listen-address=127.0.0.1:{self.port}"], stdout=self.log, stderr=self.log)
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait_ready()

    def _wait_ready(self, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "prometheus exited; see prometheus.log"
            try:
                urllib.request.urlopen(self.url + "/-/ready", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("prometheus not ready in 30 s")

    def value(self, query: str) -> float | None:
        body = _get_json(self.url + "/api/v1/query?" + urllib.parse.urlencode({"query": query}))
        result = body["data"]["result"]
        return float(result[0]["value"][1]) if result else None

    def wait_for(self, query: str, predicate, timeout_s: float = 30) -> float | None:
        deadline = time.monotonic() + timeout_s
        value = None
        while time.monotonic() < deadline:
            value = self.value(query)
            if value is not None and predicate(value):
                return value
            time.sleep(0.5)
        return value

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _post_article(base: str, article) -> int:
    body = article.model_dump_json(exclude={"ingested_at"}).encode()
    request = urllib.request.Request(base + "/articles", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


@pytest.fixture(scope="module")
def observed(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("prometheus")
    with LocalStack(workdir / "stack") as stack:
        ingestor = stack.start_ingest_api(TOKEN)
        stack.wait_healthy()
        targets = {name: service.base_url.removeprefix("http://") for name, service in stack.services.items()}
        prometheus = PrometheusServer(workdir, targets)
        try:
            articles = [article for _, article in manifest_articles(ROOT / "seeds" / "manifest.json")]
            assert all(_post_article(ingestor.base_url, article) == 202 for article in articles)
            stack.wait_until_settled(len(articles))
            yield stack, prometheus, len(articles)
        finally:
            prometheus.stop()


@pytest.mark.parametrize("query", [
    "sum(claimwatch_ingest_articles_total)",
    'sum(claimwatch_extractor_articles_total{outcome="extracted"})',
])
def test_article_counts_reach_prometheus(observed, query):
    _, prometheus, articles = observed
    assert prometheus.wait_for(query, lambda v: v >= articles) == articles


@pytest.mark.parametrize("query", [
    "sum(claimwatch_extractor_claims_total)",
    "sum(claimwatch_alerter_claims_total)",
    "sum(claimwatch_alerts_total)",
    "sum(claimwatch_end_to_end_latency_seconds_count)",
    'sum(claimwatch_webhook_deliveries_total{outcome="delivered"})',
])
def test_the_dashboards_key_series_have_samples(observed, query):
    _, prometheus, _ = observed
    value = prometheus.wait_for(query, lambda v: v > 0)
    assert value is not None and value > 0, f"{query} = {value}"


def test_latency_and_lag_series_are_usable(observed):
    _, prometheus, _ = observed
    p99 = prometheus.wait_for(
        "histogram_quantile(0.99, sum by (le) (claimwatch_end_to_end_latency_seconds_bucket))", lambda v: v > 0)
    assert p99 is not None and 0 < p99 < 300
    # wait for the extractor to catch up (the gauge's arithmetic is tested in tests/unit/test_prometheus.py)
    lag = prometheus.wait_for('max(claimwatch_consumer_lag_messages{job="extractor", topic="articles"})',
                              lambda v: v == 0)
    assert lag == 0, f"extractor still {lag} records behind on articles"


def test_every_target_is_up_and_every_rule_evaluates(observed):
    _, prometheus, _ = observed
    assert prometheus.wait_for("min(up)", lambda v: v == 1) == 1
    deadline = time.monotonic() + 20
    rules = []
    while time.monotonic() < deadline:
        groups = _get_json(prometheus.url + "/api/v1/rules")["data"]["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        if rules and all(rule.get("lastEvaluation", "").startswith("20") for rule in rules):
            break
        time.sleep(0.5)
    assert len(rules) >= 9
    assert all(rule["health"] == "ok" for rule in rules), [(r["name"], r.get("lastError")) for r in rules]
    firing = [rule["name"] for rule in rules if rule["state"] == "firing"]
    assert not firing, f"a healthy run fired {firing}"


def _exposed_series(url: str) -> set[str]:
    """Series names a /metrics page can produce, from its TYPE lines (present even before any sample)."""
    names = set()
    with urllib.request.urlopen(url, timeout=5) as response:
        for line in response.read().decode().splitlines():
            if line.startswith("# TYPE "):
                _, _, name, kind = line.split(maxsplit=3)
                names.add(name)
                if kind in ("histogram", "summary"):
                    names |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
                if kind == "counter" and not name.endswith("_total"):
                    names.add(f"{name}_total")
    return names


def test_every_metric_in_the_dashboard_and_rules_is_exported(observed):
    stack, _, _ = observed
    exposed = set()
    for service in stack.services.values():
        exposed |= _exposed_series(f"{service.base_url}/metrics")
    used = metric_names_used()
    assert len(used) >= 10
    assert used <= exposed, sorted(used - exposed)


def test_no_secret_appears_in_any_log_of_the_run(observed):
    """The webhook signing secret and the ingest token are in every process's environment; no log holds them."""
    stack, _, _ = observed
    logs = sorted(stack.workdir.glob("*.log"))
    assert {"alerter.log", "sink.log", "ingestor.log"} <= {path.name for path in logs}
    secret_body = stack.secret.removeprefix("whsec_")
    for path in logs:
        text = path.read_text(errors="replace")
        assert TOKEN not in text and secret_body not in text, f"a secret leaked into {path.name}"
