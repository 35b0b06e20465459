"""The broker choice and settings, without starting a broker: the pom pins the compose image's version,
the embedded broker's workarounds follow from one setting, and a missing java falls back visibly."""
import re

import pytest

from claimwatch import broker as broker_module
from claimwatch import kafka_broker
from claimwatch.broker import BrokerError, resolve_broker_kind
from services.common.kafka_settings import TANSU_DEFAULTS, KafkaSettings
from tests.conftest import ROOT


def test_the_pom_pins_the_kafka_version_of_the_compose_image():
    image = re.search(r"image:\s*apache/kafka:(\S+)", (ROOT / "docker-compose.yml").read_text()).group(1)
    assert kafka_broker.kafka_version() == image


def test_the_tansu_flavour_brings_every_workaround_and_kafka_none(monkeypatch):
    for name in ("FLAVOUR", "SESSION_TIMEOUT_S", "HEARTBEAT_INTERVAL_S", "PRODUCER_MAX_BATCH_SIZE",
                 "FETCH_MAX_WAIT_MS"):
        monkeypatch.delenv(f"CLAIMWATCH_KAFKA_{name}", raising=False)
    kafka, tansu = KafkaSettings(), KafkaSettings(flavour="tansu")
    assert kafka.flavour == "kafka" and kafka.session_timeout_s == 10.0 and kafka.producer_max_batch_size == 16384
    for name, value in TANSU_DEFAULTS.items():
        assert getattr(tansu, name) == value
        assert getattr(kafka, name) != value
    assert tansu.faust_config()["broker_session_timeout"] == 3.0
    assert kafka.faust_config()["producer_max_batch_size"] == 16384


def test_a_setting_given_explicitly_beats_the_flavour(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_KAFKA_FLAVOUR", "tansu")
    monkeypatch.setenv("CLAIMWATCH_KAFKA_SESSION_TIMEOUT_S", "5")
    settings = KafkaSettings()
    assert settings.flavour == "tansu" and settings.session_timeout_s == 5.0
    assert settings.producer_max_batch_size == 1


def test_auto_falls_back_to_the_embedded_broker_without_java_and_says_why(monkeypatch):
    monkeypatch.setattr(kafka_broker, "java_binary", lambda: None)
    assert resolve_broker_kind("auto") == ("tansu", "java is not installed")
    assert resolve_broker_kind("kafka") == ("kafka", None)  # asked for: its start names what is missing
    assert resolve_broker_kind("TANSU") == ("tansu", None)


def test_auto_needs_the_jars_or_mvn(monkeypatch):
    monkeypatch.setattr(kafka_broker, "java_binary", lambda: "/java")
    monkeypatch.setattr(kafka_broker, "jars_ready", lambda home=None: False)
    monkeypatch.setattr(broker_module.shutil, "which", lambda name: None)
    kind, why = resolve_broker_kind("auto")
    assert kind == "tansu" and "mvn" in why
    monkeypatch.setattr(kafka_broker, "jars_ready", lambda home=None: True)
    assert resolve_broker_kind("auto") == ("kafka", None)


def test_an_unknown_broker_is_a_one_line_error():
    with pytest.raises(BrokerError, match="choose one of tansu, kafka, auto"):
        resolve_broker_kind("redpanda")


def test_a_missing_java_is_named_before_anything_starts(monkeypatch, tmp_path):
    monkeypatch.setattr(kafka_broker, "java_binary", lambda: None)
    with pytest.raises(BrokerError, match="java is not installed"):
        kafka_broker.KafkaBroker(data_dir=tmp_path).start()
    assert not (tmp_path / "logs").exists()


def test_missing_jars_without_mvn_name_both_ways_out(monkeypatch, tmp_path):
    monkeypatch.setenv("CLAIMWATCH_KAFKA_HOME", str(tmp_path))
    monkeypatch.setattr(kafka_broker.shutil, "which", lambda name: None)
    with pytest.raises(BrokerError, match="mvn.*CLAIMWATCH_KAFKA_HOME"):
        kafka_broker.fetch_jars(quiet=True)


def test_the_broker_listens_on_loopback_and_keeps_its_data_in_its_directory(tmp_path):
    props = kafka_broker.server_properties("127.0.0.1", 1234, 1235, tmp_path)
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:1234,CONTROLLER://127.0.0.1:1235"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:1235"
    assert props["log.dirs"].startswith(str(tmp_path))
    assert props["auto.create.topics.enable"] == "false"  # as in compose


def test_cluster_ids_are_kraft_shaped_and_fresh():
    first, second = kafka_broker.cluster_id(), kafka_broker.cluster_id()
    assert first != second and len(first) == 22 and re.fullmatch(r"[A-Za-z0-9_-]+", first)
