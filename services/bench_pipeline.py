"""Benchmarks 2-5 of `make bench`: the real services on the embedded broker, fed by services/synthetic.py.

2. Pipeline throughput: 10,000+ articles offered at once; articles/s through each stage until all delivered.
3. End-to-end latency: ingested_at -> webhook received, p50/p95/p99 at 10, 50 and 100 articles/s offered.
4. Memory: peak RSS of each worker after the throughput run, and the alerter's state per known figure.
5. Broker baseline: raw produce -> consume of the same broker with the same message sizes."""
from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from aiokafka import AIOKafkaConsumer
from aiokafka import TopicPartition as AIOTopicPartition
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic

from schemas.models import Article
from services.alerter.decisions import DecisionPolicy, QuantityState, decide
from services.common.broker import EmbeddedBroker
from services.extractor.extraction import extract_claims
from services.ingestor.publisher import ArticlePublisher
from services.local_stack import LocalStack
from services.synthetic import generate

QUIET = {"CLAIMWATCH_SINK_QUIET": "true"}


def synthetic(count: int, seed: int = 11) -> list[Article]:
    """At least `count` articles of ~2,000 characters: 195 quantities reported daily."""
    reports = -(-count // 195)
    articles, _ = generate(quantities=195, reports=reports, seed=seed, body_chars=1800)
    return articles[:count]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _rss_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class StageTimes:
    articles: int
    published_s: float
    extracted_s: float
    decided_s: float
    delivered_s: float


def _wait(stack: LocalStack, articles: int, timeout_s: float) -> tuple[float, float, float]:
    """Seconds until every article is extracted, every claim decided, every alert received by the sink."""
    started = time.monotonic()
    extracted = decided = None
    deadline = started + timeout_s
    while time.monotonic() < deadline:
        progress = stack.progress()
        now = time.monotonic() - started
        if extracted is None and progress.articles_extracted >= articles:
            extracted = now
        if extracted is not None and decided is None and progress.claims_decided >= progress.claims_emitted:
            decided = now
        if decided is not None and progress.sink_received >= progress.alerts_emitted:
            return extracted, decided, now
        time.sleep(0.2)
    raise TimeoutError(f"not settled in {timeout_s:.0f} s: {stack.progress().line()}")


def bench_throughput(count: int, partitions: int) -> tuple[StageTimes, dict[str, float]]:
    articles = synthetic(count)
    with tempfile.TemporaryDirectory() as tmp, LocalStack(Path(tmp), partitions=partitions,
                                                          env_overrides=QUIET) as stack:
        publisher = ArticlePublisher(stack.kafka)
        _warm_up(stack, publisher, partitions)
        started = time.monotonic()
        for index, article in enumerate(articles, 1):
            publisher.publish(article, "bench")
            if index % 500 == 0:
                publisher.flush()
        publisher.flush()
        published = time.monotonic() - started
        extracted, decided, delivered = _wait(stack, len(articles) + partitions * 4, timeout_s=1800)
        rss = {name: _rss_peak_mb(service.process.pid) for name, service in stack.services.items()}
        publisher.close()
    offset = published  # the waits start when publishing ends
    return StageTimes(len(articles), published, extracted + offset, decided + offset, delivered + offset), rss


def _warm_up(stack: LocalStack, publisher: ArticlePublisher, partitions: int) -> None:
    """One alert through every partition first, so that group joins are not timed as latency."""
    for article in generate(quantities=partitions * 4, reports=1, seed=999)[0]:
        publisher.publish(article, "warm-up")
    publisher.flush()
    _wait(stack, partitions * 4, timeout_s=120)


def bench_latency(rate: float, seconds: float, partitions: int, seed: int) -> dict:
    count = int(rate * seconds)
    articles = synthetic(count, seed=seed)
    with tempfile.TemporaryDirectory() as tmp, LocalStack(Path(tmp), partitions=partitions,
                                                          env_overrides=QUIET) as stack:
        publisher = ArticlePublisher(stack.kafka)
        _warm_up(stack, publisher, partitions)
        warm = {r["payload"]["data"]["alert_id"] for r in stack.received_alerts()}
        started = time.monotonic()
        for index, article in enumerate(articles):
            due = started + index / rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            publisher.publish(article, "bench")
            publisher.flush()  # one at a time: offered load, not a batch
        _wait(stack, len(articles) + partitions * 4, timeout_s=600)
        publisher.close()
        latencies = []
        for record in stack.received_alerts():
            if record["payload"]["data"]["alert_id"] in warm:
                continue
            claim = record["payload"]["data"]["claim"]
            if claim.get("ingested_at"):
                received = datetime.fromisoformat(record["received_at"])
                latencies.append((received - datetime.fromisoformat(claim["ingested_at"])).total_seconds() * 1000)
    return {"rate": rate, "articles": count, "alerts": len(latencies), "p50": _percentile(latencies, 0.50),
            "p95": _percentile(latencies, 0.95), "p99": _percentile(latencies, 0.99)}


def bench_state_size(count: int) -> dict:
    """Bytes the alerter keeps per known figure (its table value is QuantityState JSON), and the bound."""
    policy = DecisionPolicy()
    states: dict[str, QuantityState] = {}
    for article in synthetic(count):
        for claim in extract_claims(article):
            state = states.get(claim.quantity_key) or QuantityState(quantity_key=claim.quantity_key)
            states[claim.quantity_key] = decide(state, claim, policy).state
    figures = sum(len(s.claims) for s in states.values())
    size = sum(len(s.model_dump_json()) for s in states.values())
    biggest = max(len(s.claims) for s in states.values())
    return {"quantities": len(states), "figures": figures, "bytes": size, "per_figure": size / figures,
            "max_per_quantity": policy.max_known_per_quantity, "largest": biggest}


async def _consume_all(bootstrap: str, topic: str, count: int) -> tuple[int, float]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest",
                                max_partition_fetch_bytes=16 * 1024 * 1024)  # as the services (KafkaSettings)
    await consumer.start()
    try:
        consumer.assign([AIOTopicPartition(topic, 0)])
        await consumer.seek_to_beginning()
        started, seen = time.monotonic(), 0
        while seen < count and time.monotonic() - started < 120:
            for batch in (await consumer.getmany(timeout_ms=500, max_records=1000)).values():
                seen += len(batch)
        return seen, time.monotonic() - started
    finally:
        await consumer.stop()


def bench_broker(count: int, message_bytes: int) -> dict:
    payload = b"x" * message_bytes
    with EmbeddedBroker() as broker:
        # one record per batch, as the services run on this broker (its multi-record batches confuse readers)
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap, acks="all", batch_size=1, linger_ms=0)
        admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
        admin.create_topics([NewTopic("bench-baseline", 1, 1)])  # explicit, as the pipeline's topics
        admin.close()
        started = time.monotonic()
        sends = [producer.send("bench-baseline", payload) for _ in range(count)]
        producer.flush()
        produce_s = time.monotonic() - started
        failed = sum(1 for send in sends if send.exception is not None)
        producer.close()
        if failed:
            raise RuntimeError(f"the broker refused {failed} of {count} baseline messages")
        # aiokafka, the client the stream services consume with
        seen, consume_s = asyncio.run(_consume_all(broker.bootstrap, "bench-baseline", count))
    return {"messages": count, "bytes": message_bytes, "produce_per_s": count / produce_s,
            "consume_per_s": seen / consume_s, "consumed": seen}


def report(throughput: int, rates: list[float], latency_s: float, partitions: int) -> list[str]:
    """Run benchmarks 2-5 and return their markdown sections."""
    sample = synthetic(1)[0]
    message_bytes = len(sample.model_dump_json().encode())
    lines = [f"Pipeline runs: the real extractor, alerter and webhook sink as processes on the embedded broker "
             f"({partitions} partitions), fed by services/synthetic.py (articles of {len(sample.text):,} "
             f"characters, one figure and one alert each).", ""]
    stages, rss = bench_throughput(throughput, partitions)
    lines += ["## 2. Pipeline throughput", "",
              f"{stages.articles:,} articles offered at once (published in {stages.published_s:.1f} s).", "",
              "| stage done | seconds | articles/s |", "|---|---|---|"]
    for name, seconds in (("extracted", stages.extracted_s), ("decided", stages.decided_s),
                          ("delivered to the webhook sink", stages.delivered_s)):
        lines.append(f"| {name} | {seconds:.1f} | {stages.articles / seconds:.0f} |")
    lines += ["", "## 3. End-to-end latency (ingested → webhook received)", "",
              "| offered articles/s | articles | alerts | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|---|"]
    for index, rate in enumerate(rates):
        row = bench_latency(rate, latency_s, partitions, seed=100 + index)
        lines.append(f"| {rate:.0f} | {row['articles']} | {row['alerts']} | {row['p50']:.0f} | {row['p95']:.0f} "
                     f"| {row['p99']:.0f} |")
    state = bench_state_size(throughput)
    lines += ["", "## 4. Memory", "", "| process | peak RSS after the throughput run (MB) |", "|---|---|"]
    lines += [f"| {name} | {mb:.0f} |" for name, mb in rss.items()]
    lines += ["", f"Alerter state: {state['quantities']} quantities hold {state['figures']:,} figures in "
              f"{state['bytes'] / 1e6:.1f} MB of table values, {state['per_figure']:.0f} bytes per known figure. "
              f"Each quantity keeps at most {state['max_per_quantity']} figures "
              f"(CLAIMWATCH_ALERTER_MAX_KNOWN_PER_QUANTITY); the oldest by event time are evicted "
              f"(largest here: {state['largest']})."]
    broker = bench_broker(throughput, message_bytes)
    pipeline = stages.articles / stages.delivered_s
    lines += ["", "## 5. Broker baseline", "",
              f"Raw kafka-python produce and consume of {broker['messages']:,} messages of {message_bytes:,} bytes "
              f"(an article's size) on the same embedded broker.", "",
              "| path | messages/s |", "|---|---|",
              f"| produce (acks=all) | {broker['produce_per_s']:.0f} |",
              f"| consume | {broker['consume_per_s']:.0f} |",
              f"| claimwatch pipeline, articles delivered as alerts | {pipeline:.0f} "
              f"({pipeline / broker['produce_per_s'] * 100:.0f}% of raw produce) |"]
    return lines
