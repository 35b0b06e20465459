"""Create claimwatch's topics explicitly (auto-creation would pick its own partition counts)."""
from __future__ import annotations

import logging

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from schemas.topics import TOPICS
from services.common.kafka_settings import KafkaSettings

log = logging.getLogger("claimwatch")


def ensure_topics(settings: KafkaSettings, partitions: int | None = None,
                  compacted: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Create every missing topic, plus the `compacted` ones (table changelogs); return the names created."""
    specs = [(spec.name, spec.compacted) for spec in TOPICS] + [(name, True) for name in compacted]
    return _create_missing(settings, partitions or settings.partitions, specs)


def ensure_changelogs(settings: KafkaSettings, changelogs: list[str], timeout_s: float = 10.0) -> list[str]:
    """Create the missing table changelogs (compacted, one partition per source partition) before the worker
    starts. Left to Faust, two workers starting together race to create them; the loser's metadata then says
    0 partitions and every table write fails until it refreshes. A principal without the Create right (the
    ACLs give it to the `topics` job), or a broker not up within `timeout_s`, only logs: Faust then
    creates them itself, as before."""
    try:
        return _create_missing(settings, settings.partitions, [(name, True) for name in changelogs],
                               bootstrap_timeout_ms=int(timeout_s * 1000))
    except KafkaError as exc:
        log.warning("could not create the table changelogs %s (%r); leaving them to `claimwatch topics` or Faust",
                    ", ".join(changelogs), exc)
        return []


def _create_missing(settings: KafkaSettings, count: int, specs: list[tuple[str, bool]],
                    **admin_options) -> list[str]:
    admin = KafkaAdminClient(**settings.kafka_python_config(), **admin_options)
    try:
        existing = set(admin.list_topics())
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
