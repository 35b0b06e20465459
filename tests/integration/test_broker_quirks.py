"""Each defect of the embedded broker that claimwatch works around (NOTES: "The embedded broker"), checked on
Apache Kafka: there the workaround is not needed. On the embedded broker these tests skip (its workarounds
stay, selected by CLAIMWATCH_KAFKA_FLAVOUR=tansu)."""
from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, NewTopic

from claimwatch.local_stack import local_broker

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def kafka(broker_kind):
    if broker_kind != "kafka":
        pytest.skip("checks Apache Kafka's behaviour; the embedded broker keeps its workarounds")
    with local_broker() as running:
        yield running


def _topic(broker, partitions: int = 1, **configs: str) -> str:
    name = f"quirk-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        admin.create_topics([NewTopic(name, partitions, 1, topic_configs=configs)])
    finally:
        admin.close()
    return name


def test_log_ends_are_right_after_multi_record_batches(kafka):
    """Tansu answers ListOffsets(LATEST) with the last batch's base offset + 1, so its producers send one
    record per batch. On Kafka a batch of 50 ends the log at 50."""
    topic = _topic(kafka)
    producer = KafkaProducer(bootstrap_servers=kafka.bootstrap, linger_ms=200, batch_size=1 << 20)
    for n in range(50):
        producer.send(topic, f"record {n}".encode())
    producer.flush()
    producer.close()
    consumer = KafkaConsumer(bootstrap_servers=kafka.bootstrap)
    try:
        tp = TopicPartition(topic, 0)
        assert consumer.end_offsets([tp])[tp] == 50
    finally:
        consumer.close()


def test_a_group_join_does_not_wait_half_the_session_timeout(kafka):
    """Tansu makes a join wait half the session timeout, hence its 3 s sessions. Kafka joins a 10 s
    session's group in well under 5 s (group.initial.rebalance.delay.ms=0, as in compose)."""
    topic = _topic(kafka)
    started = time.monotonic()
    consumer = KafkaConsumer(topic, bootstrap_servers=kafka.bootstrap, group_id=f"g-{uuid.uuid4().hex[:6]}",
                             session_timeout_ms=10_000, heartbeat_interval_ms=3_000)
    try:
        while not consumer.assignment() and time.monotonic() - started < 15:
            consumer.poll(timeout_ms=100)
        joined = time.monotonic() - started
    finally:
        consumer.close()
    assert consumer.assignment() is not None and joined < 4.0, f"joined after {joined:.1f} s"


def test_topic_configs_are_stored(kafka):
    """Tansu accepts topic configs and forgets them. Kafka keeps cleanup.policy=compact, as the changelogs
    and alerter.endpoints need."""
    topic = _topic(kafka, **{"cleanup.policy": "compact"})
    admin = KafkaAdminClient(bootstrap_servers=kafka.bootstrap)
    try:
        result = admin.describe_configs([ConfigResource("TOPIC", topic)])
    finally:
        admin.close()
    assert "'cleanup.policy': {'value': 'compact'" in str(result)


def test_transactions_and_idempotent_producers_work(kafka):
    """aiokafka's InitProducerId fails on Tansu, so no exactly-once there. On Kafka a transaction commits,
    and a read_committed consumer sees its records and not an aborted one's."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    topic = _topic(kafka)

    async def run() -> list[bytes]:
        producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap, transactional_id=f"t-{uuid.uuid4().hex}")
        await producer.start()
        try:
            async with producer.transaction():
                await producer.send_and_wait(topic, b"committed")
            await producer.begin_transaction()
            await producer.send_and_wait(topic, b"aborted")
            await producer.abort_transaction()
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(topic, bootstrap_servers=kafka.bootstrap, isolation_level="read_committed",
                                    auto_offset_reset="earliest")
        await consumer.start()
        try:
            batches = await consumer.getmany(timeout_ms=5000)
            return [record.value for records in batches.values() for record in records]
        finally:
            await consumer.stop()

    assert asyncio.run(run()) == [b"committed"]


def test_compaction_keeps_the_last_value_of_each_key(kafka):
    """Tansu never compacts (a changelog grows for ever). Kafka's cleaner keeps the newest value per key."""
    topic = _topic(kafka, **{"cleanup.policy": "compact", "segment.ms": "100", "min.cleanable.dirty.ratio": "0.01",
                             "delete.retention.ms": "100"})
    producer = KafkaProducer(bootstrap_servers=kafka.bootstrap)
    for round_ in range(50):
        producer.send(topic, key=f"k{round_ % 5}".encode(), value=f"v{round_}".encode()).get(10)
        time.sleep(0.01)
    time.sleep(0.5)
    producer.send(topic, key=b"roll", value=b"rolls the last segment").get(10)  # the active one is never cleaned
    producer.close()
    deadline = time.monotonic() + 60
    values: list[tuple[bytes, bytes]] = []
    while time.monotonic() < deadline:
        consumer = KafkaConsumer(bootstrap_servers=kafka.bootstrap, enable_auto_commit=False, consumer_timeout_ms=1000)
        consumer.assign([TopicPartition(topic, 0)])
        consumer.seek_to_beginning()
        values = [(record.key, record.value) for record in consumer]
        consumer.close()
        if len(values) < 51:
            break
        time.sleep(2)
    latest = {key: value for key, value in values}
    assert len(values) < 51, "no compaction within 60 s"
    assert latest[b"k4"] == b"v49" and latest[b"k0"] == b"v45"


def test_describe_groups_works_in_kafka_python(kafka):
    """kafka-python's describe_groups crashes on Tansu's reply; on Kafka it answers."""
    topic = _topic(kafka)
    group = f"g-{uuid.uuid4().hex[:6]}"
    consumer = KafkaConsumer(topic, bootstrap_servers=kafka.bootstrap, group_id=group)
    admin = KafkaAdminClient(bootstrap_servers=kafka.bootstrap)
    try:
        deadline = time.monotonic() + 15
        while not consumer.assignment() and time.monotonic() < deadline:
            consumer.poll(timeout_ms=100)
        described = admin.describe_groups([group])
    finally:
        admin.close()
        consumer.close()
    assert group in str(described) and "Stable" in str(described)


def test_a_replica_reads_disabled_endpoints_on_either_broker(broker_kind, tmp_path):
    """alerter.endpoints is read by a consumer without a subscription. Its partitions come from a metadata
    request for all topics: the embedded broker sends every topic in any metadata answer, Kafka only those
    asked for, so asking the consumer (partitions_for_topic) found nothing on Kafka and the replica never
    learnt which endpoints another one disabled."""
    from services.alerter.delivery import EndpointStates, endpoint_state
    from services.alerter.settings import WebhookEndpoint
    from services.common.kafka_settings import KafkaSettings
    from services.common.topics_admin import ensure_topics
    from schemas.topics import ALERTER_ENDPOINTS

    endpoint = WebhookEndpoint(name="gone", url="http://127.0.0.1:9/alerts")
    with local_broker(tmp_path) as broker:
        settings = KafkaSettings(bootstrap_servers=broker.bootstrap, partitions=2, flavour=broker.flavour)
        ensure_topics(settings)
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
        state = endpoint_state(endpoint, True, "HTTP 410 Gone")
        producer.send(ALERTER_ENDPOINTS, key=b"gone", value=state.model_dump_json().encode()).get(10)
        producer.close()

        async def follow_until_ready() -> bool:
            states = EndpointStates([endpoint])
            task = asyncio.create_task(states.follow(settings))
            try:
                await asyncio.wait_for(states.ready.wait(), 20)
                deadline = time.monotonic() + 10
                while not states.is_disabled(endpoint) and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                return states.is_disabled(endpoint)
            finally:
                task.cancel()

        assert asyncio.run(follow_until_ready())
