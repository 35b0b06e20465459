"""TLS and SASL settings for a managed Kafka reach every client: kafka-python producers and admin, and
Faust's aiokafka consumers and producers (configuration plumbing only; no broker)."""
import ssl

import faust
import pytest

from services.alerter.settings import AlerterSettings
from services.common.kafka_settings import KafkaSettings

SASL_ENV = {
    "CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS": "b1.example:9093,b2.example:9093",
    "CLAIMWATCH_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
    "CLAIMWATCH_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
    "CLAIMWATCH_KAFKA_SASL_USERNAME": "claimwatch",
    "CLAIMWATCH_KAFKA_SASL_PASSWORD": "s3cret-from-env",
}


@pytest.fixture
def sasl_env(monkeypatch):
    for name, value in SASL_ENV.items():
        monkeypatch.setenv(name, value)


def test_sasl_ssl_reaches_kafka_python_clients(sasl_env):
    config = KafkaSettings().kafka_python_config()
    assert config["bootstrap_servers"] == ["b1.example:9093", "b2.example:9093"]
    assert (config["security_protocol"], config["sasl_mechanism"]) == ("SASL_SSL", "SCRAM-SHA-512")
    assert (config["sasl_plain_username"], config["sasl_plain_password"]) == ("claimwatch", "s3cret-from-env")


def test_sasl_ssl_reaches_faust_workers_through_a_service_settings_class(sasl_env):
    config = AlerterSettings().kafka.faust_config()
    assert config["broker"] == "kafka://b1.example:9093,kafka://b2.example:9093"
    credentials = config["broker_credentials"]
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.mechanism.value == "SCRAM-SHA-512" and credentials.username == "claimwatch"
    assert isinstance(credentials.ssl_context, ssl.SSLContext)


def test_tls_only_gives_an_ssl_context(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_KAFKA_SECURITY_PROTOCOL", "SSL")
    config = KafkaSettings().faust_config()
    assert isinstance(config["broker_credentials"], faust.SSLCredentials)
    assert KafkaSettings().kafka_python_config()["security_protocol"] == "SSL"


def test_blank_variables_mean_unset(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_KAFKA_SASL_MECHANISM", "")  # what compose passes when .env leaves it out
    settings = KafkaSettings()
    assert settings.sasl_mechanism is None and "broker_credentials" not in settings.faust_config()


def test_the_password_does_not_show_in_settings_reprs(sasl_env):
    assert "s3cret-from-env" not in repr(KafkaSettings()) and "s3cret-from-env" not in str(AlerterSettings())
