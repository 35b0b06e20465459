"""Publish articles to Kafka with kafka-python, keyed by content hash so duplicates are recognised."""
from __future__ import annotations

from datetime import datetime, timezone

from kafka import KafkaProducer
from kafka.errors import KafkaError

from schemas.models import Article
from schemas.topics import ARTICLES
from services.common.kafka_settings import KafkaSettings
from services.ingestor import metrics


class PublishError(RuntimeError):
    pass


class ArticlePublisher:
    def __init__(self, kafka: KafkaSettings, timeout_s: float = 30.0):
        self.timeout_s = timeout_s
        try:
            self.producer = KafkaProducer(
                **kafka.kafka_python_config(), acks="all", retries=5, linger_ms=5,
                batch_size=kafka.producer_max_batch_size,  # 1 on the embedded broker: see KafkaSettings
                max_request_size=kafka.max_message_bytes, request_timeout_ms=int(timeout_s * 1000),
            )
        except KafkaError as exc:
            raise PublishError(f"cannot reach Kafka at {kafka.bootstrap_servers}: {exc}") from exc
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
