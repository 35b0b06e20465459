"""Kafka connection settings, read from CLAIMWATCH_KAFKA_* environment variables.

Each service's settings class embeds one of these, so one `.env` configures the
broker for every service, including TLS and SASL for a managed cluster."""
from __future__ import annotations

import os
import ssl
import tempfile
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


# The embedded broker's workarounds (README, "The embedded broker"), and only there:
TANSU_DEFAULTS: dict[str, Any] = {
    # its group joins wait half the session timeout, so short sessions (it has no 6 s minimum)
    "session_timeout_s": 3.0,
    "heartbeat_interval_s": 0.75,
    # its ListOffsets answer is wrong for multi-record batches, which cuts Faust table recovery short and
    # makes log ends look earlier than records read: one record per batch
    "producer_max_batch_size": 1,
    # it answers a fetch only when the wait ends, so a short wait
    "fetch_max_wait_ms": 100,
}


class KafkaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMWATCH_KAFKA_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)

    bootstrap_servers: str = "127.0.0.1:9092"
    partitions: int = 4
    # replicas of each topic `claimwatch topics` creates: 1 on one broker, 3 on a production cluster
    replication_factor: int = 1
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: str | None = None
    # Which broker this is. "kafka" (Apache Kafka, production and the tests when Java is present) or "tansu"
    # (the embedded broker of `make run`). Every workaround for the embedded broker's defects follows from
    # this one setting (TANSU_DEFAULTS below); a value set explicitly still wins.
    flavour: Literal["kafka", "tansu"] = "kafka"
    # Kafka refuses sessions under group.min.session.timeout.ms (6 s by default).
    session_timeout_s: float = 10.0
    heartbeat_interval_s: float = 3.0
    max_message_bytes: int = 16 * 1024 * 1024
    # longest a consumer's fetch waits for new records; Kafka answers sooner when records arrive
    fetch_max_wait_ms: int = 500
    # bytes per producer batch, for Faust and kafka-python producers alike
    producer_max_batch_size: int = 16384
    # Faust's processing guarantee. exactly_once needs transactions, which the embedded broker lacks
    processing_guarantee: Literal["at_least_once", "exactly_once"] = "at_least_once"

    @model_validator(mode="after")
    def _flavour_defaults(self) -> "KafkaSettings":
        if self.flavour == "tansu" and self.processing_guarantee == "exactly_once":
            raise ValueError("processing_guarantee=exactly_once needs transactions, which the embedded broker "
                             "(flavour tansu) does not have")
        if self.flavour == "tansu":
            for name, value in TANSU_DEFAULTS.items():
                if name not in self.model_fields_set:
                    setattr(self, name, value)
        return self

    def _ssl_context(self) -> ssl.SSLContext | None:
        if "SSL" not in self.security_protocol:
            return None
        return ssl.create_default_context(cafile=self.ssl_cafile)

    def kafka_python_config(self) -> dict[str, Any]:
        """Connection options for kafka-python clients (producers, admin)."""
        config: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_servers.split(","),
            "security_protocol": self.security_protocol,
        }
        if self.sasl_mechanism:
            config["sasl_mechanism"] = self.sasl_mechanism
            config["sasl_plain_username"] = self.sasl_username
            config["sasl_plain_password"] = self.sasl_password.get_secret_value() if self.sasl_password else None
        if self.ssl_cafile:
            config["ssl_cafile"] = self.ssl_cafile
        return config

    def faust_config(self) -> dict[str, Any]:
        """Broker options for a faust.App."""
        import faust  # local: only the stream services need it

        config: dict[str, Any] = {
            "broker": ",".join(f"kafka://{server}" for server in self.bootstrap_servers.split(",")),
            "broker_session_timeout": self.session_timeout_s,
            "broker_heartbeat_interval": self.heartbeat_interval_s,
            "producer_max_request_size": self.max_message_bytes,
            "consumer_max_fetch_size": self.max_message_bytes,
            "producer_max_batch_size": self.producer_max_batch_size,
            "processing_guarantee": self.processing_guarantee,
        }
        context = self._ssl_context()
        password = self.sasl_password.get_secret_value() if self.sasl_password else None
        if self.security_protocol == "SSL":
            config["broker_credentials"] = faust.SSLCredentials(context)
        elif self.sasl_mechanism == "PLAIN":
            config["broker_credentials"] = faust.SASLCredentials(
                username=self.sasl_username, password=password, ssl_context=context, mechanism="PLAIN")
        elif self.sasl_mechanism:
            config["broker_credentials"] = faust.SASLCredentials(
                username=self.sasl_username, password=password, ssl_context=context, mechanism=self.sasl_mechanism)
        return config


class WorkerSettings(BaseSettings):
    """What every Faust worker needs; each service's settings class sets its env prefix and defaults."""

    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    app_id: str
    web_host: str = "127.0.0.1"
    web_port: int
    log_level: Literal["crit", "error", "warn", "info", "debug"] = "info"
    # workers that keep a warm copy of other workers' table partitions, for a faster takeover
    table_standby_replicas: int = 1
    # where Faust keeps its worker files (tables themselves live in Kafka changelogs)
    data_dir: str = Field(default_factory=lambda: os.path.join(tempfile.gettempdir(), "claimwatch"))
