"""Run the whole pipeline locally: a broker, extractor, alerter and sink as real processes.

`claimwatch run` and the integration tests both use this, so the tests exercise what users run. The broker
is the embedded one (Tansu) or Apache Kafka: `broker_kind`, else $CLAIMWATCH_BROKER (tansu, kafka or auto),
else tansu, the zero-dependency default of `make run`. tests/conftest.py sets auto (Kafka when Java is here)."""
from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from schemas.topics import changelog_topics
from claimwatch.broker import EmbeddedBroker, free_port, make_broker, resolve_broker_kind, stop_process
from services.common.kafka_settings import KafkaSettings
from services.common.metrics_http import scrape, total
from services.common.topics_admin import ensure_topics


class StackError(RuntimeError):
    pass


def configured_broker_kind(kind: str | None = None) -> str:
    """tansu or kafka: `kind`, else $CLAIMWATCH_BROKER (tansu, kafka or auto), else tansu."""
    return resolve_broker_kind(kind or os.environ.get("CLAIMWATCH_BROKER", "tansu"))[0]


def local_broker(workdir: Path | None = None, kind: str | None = None):
    """An unstarted broker of the configured kind (a test's own broker, without the services)."""
    return make_broker(configured_broker_kind(kind), log_path=workdir / "broker.log" if workdir else None,
                       data_dir=workdir / "kafka-data" if workdir else None)


def new_webhook_secret() -> str:
    return "whsec_" + base64.b64encode(os.urandom(24)).decode()


def new_api_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass
class ServiceProcess:
    name: str
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout_s: float = 15.0, hard: bool = False) -> None:
        stop_process(self.process, timeout_s, hard)

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@dataclass
class Progress:
    articles_extracted: float = 0
    articles_dead_lettered: float = 0
    claims_emitted: float = 0
    claims_decided: float = 0
    alerts_emitted: float = 0
    deliveries_final: float = 0
    sink_received: float = 0

    def line(self) -> str:
        return (f"extracted {self.articles_extracted:.0f} articles (+{self.articles_dead_lettered:.0f} dead-lettered), "
                f"{self.claims_emitted:.0f} claims, decided {self.claims_decided:.0f}, "
                f"{self.alerts_emitted:.0f} alerts, {self.deliveries_final:.0f} deliveries settled, "
                f"sink got {self.sink_received:.0f}")


@dataclass
class LocalStack:
    workdir: Path
    partitions: int = 2
    run_id: str = field(default_factory=lambda: f"{int(time.time())}-{os.getpid()}")
    extra_webhooks: list[dict] = field(default_factory=list)
    with_sink: bool = True
    env_overrides: dict[str, str] = field(default_factory=dict)
    broker_kind: str | None = None
    broker: EmbeddedBroker | None = None  # or a KafkaBroker: the same interface
    services: dict[str, ServiceProcess] = field(default_factory=dict)
    secret: str = field(default_factory=new_webhook_secret)
    # the alerters' history API and console token (one for all, so a routed request passes on the owner too)
    api_token: str = field(default_factory=new_api_token)

    @property
    def sink_out(self) -> Path:
        return self.workdir / "alerts.jsonl"

    @property
    def kafka(self) -> KafkaSettings:
        assert self.broker is not None
        return KafkaSettings(bootstrap_servers=self.broker.bootstrap, partitions=self.partitions,
                             flavour=self.broker.flavour)

    def webhooks(self) -> list[dict]:
        hooks = list(self.extra_webhooks)
        if self.with_sink and "sink" in self.services:
            hooks.insert(0, {"name": "sink", "url": f"{self.services['sink'].base_url}/alerts",
                             "secrets": [self.secret]})
        return hooks

    def child_env(self) -> dict[str, str]:
        assert self.broker is not None
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMWATCH_")}
        env.update({
            "CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS": self.broker.bootstrap,
            "CLAIMWATCH_KAFKA_PARTITIONS": str(self.partitions),
            # the broker's workarounds (batching, sessions, fetch wait) follow from this one setting
            "CLAIMWATCH_KAFKA_FLAVOUR": self.broker.flavour,
            "CLAIMWATCH_EXTRACTOR_APP_ID": f"claimwatch-extractor-{self.run_id}",
            "CLAIMWATCH_ALERTER_APP_ID": f"claimwatch-alerter-{self.run_id}",
            "CLAIMWATCH_EXTRACTOR_DATA_DIR": str(self.workdir),
            "CLAIMWATCH_ALERTER_DATA_DIR": str(self.workdir),
            "CLAIMWATCH_EXTRACTOR_LOG_LEVEL": "warn",
            "CLAIMWATCH_ALERTER_LOG_LEVEL": "warn",
            "CLAIMWATCH_ALERTER_API_TOKEN": self.api_token,
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.env_overrides)
        return env

    def _spawn(self, name: str, args: list[str], port: int, env: dict[str, str]) -> ServiceProcess:
        log_path = self.workdir / f"{name}.log"
        log = open(log_path, "ab")
        process = subprocess.Popen([sys.executable, "-m", "claimwatch.cli", *args], stdout=log, stderr=log, env=env,
                                   cwd=Path(__file__).resolve().parent.parent, start_new_session=True)
        log.close()
        service = ServiceProcess(name, process, port, log_path)
        self.services[name] = service
        return service

    def start_sink(self, port: int | None = None) -> ServiceProcess:
        """The demo receiver; pass the old port to bring it back where the alerter posts."""
        port = port or free_port()
        env = {**self.child_env(), "CLAIMWATCH_SINK_SECRETS": self.secret, "CLAIMWATCH_SINK_PORT": str(port),
               "CLAIMWATCH_SINK_OUT": str(self.sink_out), "CLAIMWATCH_SINK_QUIET": "true"}
        return self._spawn("sink", ["sink"], port, env)

    def start_extractor(self, name: str = "extractor") -> ServiceProcess:
        port = free_port()
        env = {**self.child_env(), "CLAIMWATCH_EXTRACTOR_WEB_PORT": str(port)}
        return self._spawn(name, ["extractor"], port, env)

    def start_alerter(self, name: str = "alerter") -> ServiceProcess:
        port = free_port()
        env = {**self.child_env(), "CLAIMWATCH_ALERTER_WEB_PORT": str(port),
               "CLAIMWATCH_ALERTER_WEBHOOKS": json.dumps(self.webhooks())}
        return self._spawn(name, ["alerter"], port, env)

    def start_ingest_api(self, token: str, name: str = "ingestor") -> ServiceProcess:
        """The HTTP ingest API (POST /articles with a bearer token), publishing to the stack's broker."""
        port = free_port()
        env = {**self.child_env(), "CLAIMWATCH_INGESTOR_HTTP_PORT": str(port), "CLAIMWATCH_INGESTOR_API_TOKEN": token}
        return self._spawn(name, ["ingest-api"], port, env)

    def start(self, timeout_s: float = 60.0) -> "LocalStack":
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.broker_kind = configured_broker_kind(self.broker_kind)
        self.broker = local_broker(self.workdir, self.broker_kind).start()
        # the alerters' table changelogs too, before any worker starts, as the compose `topics` job does
        ensure_topics(self.kafka, compacted=changelog_topics(self.child_env()["CLAIMWATCH_ALERTER_APP_ID"]))
        if self.with_sink:
            self.start_sink()
        self.start_extractor()
        self.start_alerter()
        self.wait_healthy(timeout_s)
        return self

    def wait_healthy(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        pending = dict(self.services)
        while pending and time.monotonic() < deadline:
            for name, service in list(pending.items()):
                if not service.alive():
                    raise StackError(f"{name} exited with code {service.process.returncode}:\n{service.log_tail()}")
                try:
                    urllib.request.urlopen(f"{service.base_url}/healthz", timeout=1).read()
                    del pending[name]
                except (urllib.error.URLError, OSError):
                    pass
            time.sleep(0.1)
        if pending:
            raise StackError(f"not healthy after {timeout_s:.0f} s: {', '.join(pending)}")

    def progress(self) -> Progress:
        def metrics(name: str) -> dict[str, float]:
            service = self.services.get(name)
            if service is None or not service.alive():
                return {}
            try:
                return scrape(f"{service.base_url}/metrics")
            except (urllib.error.URLError, OSError):
                return {}
        ext, alr = metrics("extractor"), metrics("alerter")
        sink = metrics("sink")
        return Progress(
            articles_extracted=total(ext, "claimwatch_extractor_articles_total", outcome="extracted"),
            articles_dead_lettered=total(ext, "claimwatch_extractor_articles_total", outcome="dead_lettered"),
            claims_emitted=total(ext, "claimwatch_extractor_claims_total"),
            claims_decided=total(alr, "claimwatch_alerter_claims_total"),
            alerts_emitted=total(alr, "claimwatch_alerts_total"),
            deliveries_final=total(alr, "claimwatch_webhook_deliveries_total"),
            sink_received=total(sink, "claimwatch_sink_deliveries_total", outcome="accepted")
            + total(sink, "claimwatch_sink_deliveries_total", outcome="duplicate"),
        )

    def wait_until_settled(self, articles: int, timeout_s: float = 120.0, poll_s: float = 0.25) -> Progress:
        """Wait until every article is extracted, every claim decided and every alert delivered."""
        endpoints = len(self.webhooks())
        deadline = time.monotonic() + timeout_s
        progress = Progress()
        while time.monotonic() < deadline:
            for name, service in self.services.items():
                if not service.alive():
                    raise StackError(f"{name} died (code {service.process.returncode}):\n{service.log_tail()}")
            progress = self.progress()
            if (progress.articles_extracted + progress.articles_dead_lettered >= articles
                    and progress.claims_decided >= progress.claims_emitted
                    and progress.deliveries_final >= progress.alerts_emitted * endpoints
                    and (not self.with_sink or progress.sink_received >= progress.alerts_emitted)):
                return progress
            time.sleep(poll_s)
        raise StackError(f"the pipeline did not settle within {timeout_s:.0f} s: {progress.line()}; "
                         f"logs in {self.workdir}")

    def api_get(self, path: str, name: str = "alerter", timeout_s: float = 10.0):
        """GET a history API path (e.g. "/alerts?kind=denial") from an alerter, with the stack's token."""
        request = urllib.request.Request(f"{self.services[name].base_url}{path}",
                                         headers={"Authorization": f"Bearer {self.api_token}"})
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return json.loads(response.read())

    def received_alerts(self) -> list[dict]:
        if not self.sink_out.exists():
            return []
        # the sink may be writing its last line: only whole lines, which end in a newline
        complete = self.sink_out.read_text().split("\n")[:-1]
        return [json.loads(line) for line in complete if line.strip()]

    def stop(self) -> None:
        for service in reversed(list(self.services.values())):
            service.stop()
        if self.broker:
            self.broker.stop()

    def __enter__(self) -> "LocalStack":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
