"""Create claimwatch's topics explicitly (auto-creation would pick its own partition counts)."""
from __future__ import annotations

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from schemas.topics import TOPICS
from services.common.kafka_settings import KafkaSettings


def ensure_topics(settings: KafkaSettings, partitions: int | None = None,
                  compacted: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Create every missing topic, plus the `compacted` ones (table changelogs); return the names created."""
    count = partitions or settings.partitions
    admin = KafkaAdminClient(**settings.kafka_python_config())
    try:
        existing = set(admin.list_topics())
        specs = [(spec.name, spec.compacted) for spec in TOPICS] + [(name, True) for name in compacted]
        wanted = [
            NewTopic(name, count, settings.replication_factor, topic_configs={"cleanup.policy": "compact"} if is_compacted else {})
            for name, is_compacted in specs if name not in existing
        ]
        if wanted:
            try:
                admin.create_topics(wanted)
            except TopicAlreadyExistsError:
                pass  # a concurrent creator won the race: fine
        return [topic.name for topic in wanted]
    finally:
        admin.close()
