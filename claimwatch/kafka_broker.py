"""A real Apache Kafka broker (one KRaft node, broker and controller in one JVM) for tests and local runs.

The jars come from deploy/kafka-broker/pom.xml, resolved once per machine by Maven into a cache directory.
Its data lives in a directory of its own, so a restart (even after kill -9) keeps every topic, unlike the
embedded broker. It has the same interface as EmbeddedBroker: start(), stop(), bootstrap."""
from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from claimwatch.broker import BrokerError, await_start, free_port, stop_process

POM = Path(__file__).resolve().parents[1] / "deploy" / "kafka-broker" / "pom.xml"


def kafka_version(pom: Path = POM) -> str:
    match = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom.read_text())
    if not match:
        raise BrokerError(f"{pom} has no <kafka.version> property")
    return match.group(1).strip()


def kafka_home() -> Path:
    """Where the jars are cached: $CLAIMWATCH_KAFKA_HOME, else ~/.cache/claimwatch/kafka-<version>."""
    configured = os.environ.get("CLAIMWATCH_KAFKA_HOME")
    if configured:
        return Path(configured).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "claimwatch" / f"kafka-{kafka_version()}"


def java_binary() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java")


def _has_jars(lib: Path) -> bool:
    return any(lib.glob("kafka_2.13-*.jar")) and any(lib.glob("kafka-server-*.jar"))


def jars_ready(home: Path | None = None) -> bool:
    return _has_jars((home or kafka_home()) / "lib")


def fetch_jars(home: Path | None = None, quiet: bool = False) -> Path:
    """Resolve the broker's jars with Maven into <home>/lib, once per machine (about 20 s, then cached)."""
    home = home or kafka_home()
    if jars_ready(home):
        return home / "lib"
    mvn = shutil.which("mvn")
    if mvn is None:
        raise BrokerError(f"Apache Kafka's jars are not in {home / 'lib'} and Maven (mvn) is not installed to "
                          f"fetch them: install maven, or set CLAIMWATCH_KAFKA_HOME to a folder with lib/*.jar")
    if not quiet:
        print(f"claimwatch: fetching Apache Kafka {kafka_version()} with Maven into {home / 'lib'} "
              f"(once per machine)", flush=True)
    partial = home / "lib.partial"
    shutil.rmtree(partial, ignore_errors=True)
    result = subprocess.run([mvn, "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
                             f"-DoutputDirectory={partial}"], capture_output=True, text=True)
    if result.returncode != 0 or not _has_jars(partial):
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-5:])
        raise BrokerError(f"mvn could not resolve Apache Kafka {kafka_version()} (exit {result.returncode}):\n{tail}")
    shutil.rmtree(home / "lib", ignore_errors=True)
    partial.rename(home / "lib")  # whole or not at all: an interrupted download is fetched again
    return home / "lib"


def cluster_id() -> str:
    """A KRaft cluster id, as `kafka-storage random-uuid` makes it: 16 random bytes, URL-safe base64."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


# log4j 1 (reload4j) configuration: warnings and errors only, to the log file the broker's stderr goes to
LOG4J = """log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.KafkaRaftServer=INFO
"""


def server_properties(host: str, port: int, controller_port: int, data_dir: Path) -> dict[str, str]:
    """The compose broker's settings (docker-compose.yml), on loopback ports, with fewer threads and
    internal partitions so that a test broker stays light on a small machine."""
    return {
        "node.id": "1",
        "process.roles": "broker,controller",
        "controller.quorum.voters": f"1@{host}:{controller_port}",
        "listeners": f"PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://{host}:{port}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": "PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "log.dirs": str(data_dir / "logs"),
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "4",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "4",
        "share.coordinator.state.topic.replication.factor": "1",
        "default.replication.factor": "1",
        "group.initial.rebalance.delay.ms": "0",
        # as in compose: topics come from ensure_topics() and Faust, with explicit partitions
        "auto.create.topics.enable": "false",
        "message.max.bytes": str(16 * 1024 * 1024),
        # light: a test machine runs several of these beside the services
        "num.network.threads": "2",
        "num.io.threads": "2",
        "background.threads": "2",
        "num.recovery.threads.per.data.dir": "1",
        "num.replica.fetchers": "1",
        "log.cleaner.threads": "1",
        "log.cleaner.dedupe.buffer.size": str(8 * 1024 * 1024),
        # the cleaner checks often, so that a test can watch a compacted topic lose its old values
        "log.cleaner.backoff.ms": "1000",
        "log.segment.bytes": str(16 * 1024 * 1024),
        # after kill -9 the controller refuses the restarted broker until the old registration's session
        # ends (9 s by default, then back-off): a short one brings it back in seconds
        "broker.session.timeout.ms": "3000",
        "broker.heartbeat.interval.ms": "500",
    }


class KafkaBroker:
    """Format a KRaft storage directory (first start only), start `kafka.Kafka` with java on a free loopback
    port, wait until it answers a metadata request; stop() sends SIGTERM, then kills."""

    flavour = "kafka"

    def __init__(self, port: int | None = None, host: str = "127.0.0.1", log_path: Path | None = None,
                 data_dir: Path | None = None, heap_mb: int | None = None):
        self.host = host
        self.port = port or free_port()
        self.controller_port = free_port()
        self.log_path = log_path
        self._own_dir = data_dir is None
        self.data_dir = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="claimwatch-kafka-"))
        self.heap_mb = heap_mb or int(os.environ.get("CLAIMWATCH_KAFKA_HEAP_MB", "384"))
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def _java(self) -> list[str]:
        java = java_binary()
        if java is None:
            raise BrokerError("java is not installed (or not on PATH, or JAVA_HOME is wrong): Apache Kafka needs "
                              "Java 17; without it use the embedded broker")
        lib = fetch_jars()
        return [java, f"-Xmx{self.heap_mb}m", f"-Xms{min(self.heap_mb, 128)}m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss512k", "-Djava.awt.headless=true",
                f"-Dlog4j.configuration=file:{self.data_dir / 'log4j.properties'}",
                "-cp", f"{lib}/*"]

    def _configure(self, java: list[str]) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "log4j.properties").write_text(LOG4J)
        config = self.data_dir / "server.properties"
        props = server_properties(self.host, self.port, self.controller_port, self.data_dir)
        config.write_text("".join(f"{key}={value}\n" for key, value in props.items()))
        logs = self.data_dir / "logs"
        if not (logs / "meta.properties").exists():  # a restart keeps its data
            # a formatted empty storage folder is the same for every single-node broker (nothing in it names
            # a path or port): format once per machine, copy it after that, and save a JVM start per broker
            template = kafka_home() / "formatted-storage"
            if not (template / "meta.properties").exists():
                self._format(java, config, template)
            shutil.rmtree(logs, ignore_errors=True)
            shutil.copytree(template, logs)
        return config

    def _format(self, java: list[str], config: Path, template: Path) -> None:
        partial = Path(tempfile.mkdtemp(prefix="formatting-", dir=template.parent))
        props = config.read_text().replace(f"log.dirs={self.data_dir / 'logs'}", f"log.dirs={partial}")
        (partial.parent / f"{partial.name}.properties").write_text(props)
        try:
            result = subprocess.run([*java, "kafka.tools.StorageTool", "format", "--ignore-formatted", "-t",
                                     cluster_id(), "-c", str(partial.parent / f"{partial.name}.properties")],
                                    capture_output=True, text=True)
            if result.returncode != 0:
                raise BrokerError(f"kafka-storage format failed (exit {result.returncode}): "
                                  f"{(result.stderr or result.stdout).strip()[-500:]}")
            try:
                partial.rename(template)  # whole or not at all; a concurrent formatter may have won
            except OSError:
                pass
        finally:
            (partial.parent / f"{partial.name}.properties").unlink(missing_ok=True)
            shutil.rmtree(partial, ignore_errors=True)

    def start(self, timeout_s: float = 90.0) -> "KafkaBroker":
        java = self._java()
        config = self._configure(java)
        self._log = open(self.log_path, "ab") if self.log_path else open(self.data_dir / "broker.log", "ab")
        self.process = subprocess.Popen([*java, "kafka.Kafka", str(config)], stdout=self._log, stderr=self._log,
                                        start_new_session=True)
        await_start(self, "Apache Kafka", timeout_s, 0.2, self._log.name)
        return self

    def stop(self, timeout_s: float = 20.0, hard: bool = False) -> None:
        """SIGTERM (a clean shutdown: logs flushed) and wait; SIGKILL after timeout_s, or at once if hard."""
        if self.process:
            stop_process(self.process, timeout_s, hard)
        if self._log is not None:
            self._log.close()
            self._log = None
        self.process = None

    def kill(self) -> None:
        """kill -9: no shutdown at all, as a crash or a power cut."""
        self.stop(hard=True)

    def remove(self) -> None:
        """Stop and delete the data directory (only one this object made)."""
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> "KafkaBroker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.remove()
