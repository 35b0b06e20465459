"""Publish articles to Kafka with kafka-python, keyed by content hash so duplicates are recognised."""
from __future__ import annotations

from datetime import datetime, timezone

from kafka import KafkaProducer
from kafka.errors import KafkaError, KafkaTimeoutError

from schemas.models import Article
from schemas.topics import ARTICLES
from services.common.errors import ConfigError
from services.common.kafka_settings import KafkaSettings
from services.ingestor import metrics


class PublishError(RuntimeError):
    pass


class KafkaUnreachable(PublishError, ConfigError):
    """No broker answered at start: the bootstrap servers are wrong or Kafka is not running. A ConfigError
    too, so the CLI prints it as one line."""


class ArticlePublisher:
    def __init__(self, kafka: KafkaSettings, timeout_s: float = 30.0, connect_timeout_s: float = 5.0):
        self.timeout_s = timeout_s
        servers = kafka.bootstrap_servers
        try:
            self.producer = KafkaProducer(
                **kafka.kafka_python_config(), acks="all", retries=5, linger_ms=5,
                batch_size=kafka.producer_max_batch_size,  # 1 on the embedded broker: see KafkaSettings
                max_request_size=kafka.max_message_bytes, request_timeout_ms=int(timeout_s * 1000),
                # the first contact, bounded: a wrong address answers in seconds, not after kafka-python's 30 s
                bootstrap_timeout_ms=int(connect_timeout_s * 1000),
            )
        except KafkaTimeoutError as exc:
            # kafka-python retries a refused login until the timeout too, so name both causes when it can be
            refused = "" if kafka.security_protocol == "PLAINTEXT" else (
                " (or it refused the TLS or SASL settings: check CLAIMWATCH_KAFKA_SECURITY_PROTOCOL, "
                "CLAIMWATCH_KAFKA_SSL_CAFILE and CLAIMWATCH_KAFKA_SASL_USERNAME/PASSWORD)")
            raise KafkaUnreachable(
                f"CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS: no Kafka broker answered at {servers} within "
                f"{connect_timeout_s:g} s{refused}: start Kafka (`claimwatch broker` runs a local one) or set "
                f"the address of a running broker") from exc
        except ValueError as exc:  # kafka-python parses the addresses itself: "host:notaport"
            raise KafkaUnreachable(f"CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS: cannot use {servers!r}: give "
                                   f"host:port pairs separated by commas") from exc
        except KafkaError as exc:  # it answered, but refused us: TLS, SASL or protocol
            raise KafkaUnreachable(f"CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS: Kafka at {servers} refused the "
                                   f"connection ({type(exc).__name__}: {exc}): check the "
                                   f"CLAIMWATCH_KAFKA_SECURITY_PROTOCOL and SASL settings") from exc
        self._pending = []

    def publish(self, article: Article, input_name: str) -> Article:
        """Queue one article; `flush()` confirms every queued send or raises."""
        stamped = article.model_copy(update={"ingested_at": datetime.now(timezone.utc)})
        future = self.producer.send(ARTICLES, key=stamped.content_hash.encode(),
                                    value=stamped.model_dump_json().encode())
        self._pending.append((future, input_name))
        return stamped

    def flush(self) -> int:
        """Wait for every queued article; raise if any was not acknowledged. Returns how many were sent."""
        self.producer.flush(timeout=self.timeout_s)
        sent, failures = 0, []
        for future, input_name in self._pending:
            try:
                future.get(timeout=self.timeout_s)
                metrics.ARTICLES.labels(input=input_name).inc()
                sent += 1
            except KafkaError as exc:
                failures.append(str(exc))
        self._pending.clear()
        if failures:
            raise PublishError(f"{len(failures)} article(s) were not acknowledged by Kafka: {failures[0]}")
        return sent

    def close(self) -> None:
        self.producer.close(timeout=self.timeout_s)
