"""Shared machinery for the fault-injection scenarios: a synthetic stream with known claims and alerts,
the real services on the tests' broker (Apache Kafka or the embedded one), and exact counts of what reached
the sink."""
from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition

from schemas.models import Alert, Article, notice_id
from schemas.topics import CLAIMS
from services.alerter.decisions import DecisionPolicy, QuantityState, decide
from services.alerter.history import standing
from services.extractor.extraction import extract_claims
from services.ingestor.publisher import ArticlePublisher
from claimwatch.local_stack import LocalStack
from tools.synthetic import generate

RESULTS = Path(__file__).resolve().parents[2] / "artifacts" / "resilience"


@dataclass
class Expectation:
    """What the pure functions say the stream must produce (the services run the same functions)."""
    claim_ids: set[str]
    alert_ids: list[str]  # in decision order
    quantity_of_alert: dict[str, str]
    new_alerts: int


def expect(articles: list[Article], claims_of: dict[str, list] | None = None) -> Expectation:
    """In publication order, whatever order `articles` is in: the alerts a receiver must end with."""
    states: dict[str, QuantityState] = {}
    claim_ids, alert_ids, quantity_of = set(), [], {}
    new = 0
    for article in sorted(articles, key=lambda a: a.published_at):
        for claim in (claims_of or {}).get(article.id) or extract_claims(article):
            claim_ids.add(claim.claim_id)
            state = states.get(claim.quantity_key) or QuantityState(quantity_key=claim.quantity_key)
            decision = decide(state, claim, DecisionPolicy())
            states[claim.quantity_key] = decision.state
            for alert in decision.alerts:
                alert_ids.append(alert.alert_id)
                quantity_of[alert.alert_id] = alert.quantity_key
                new += alert.kind.value == "new"
    return Expectation(claim_ids, alert_ids, quantity_of, new)


@dataclass
class Outcome:
    scenario: str
    proves: str
    articles_sent: int = 0
    claims_expected: int = 0
    claims_emitted: int = 0
    claim_records: int = 0
    alerts_expected: int = 0
    alerts_delivered: int = 0
    duplicates: int = 0
    amendments: int = 0  # distinct amendments received: late figures corrected alerts sent before them
    lost: int = 0
    unexpected: int = 0
    new_alerts: int = 0
    out_of_order_quantities: int = 0
    duplicate_webhook_id_changed: int = 0
    recovery_s: float | None = None
    broker: str = ""  # kafka or tansu
    notes: list[str] = field(default_factory=list)

    def save(self) -> None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{self.scenario}.json").write_text(json.dumps(asdict(self), indent=2))


class Scenario:
    """One run: the stack, a publisher, the synthetic stream and its expectations."""

    def __init__(self, workdir: Path, name: str, proves: str, *, partitions: int = 2, quantities: int = 100,
                 reports: int = 5, env: dict[str, str] | None = None) -> None:
        self.stack = LocalStack(workdir / "stack", partitions=partitions, env_overrides=env or {})
        self.articles, _ = generate(quantities, reports)
        self.claims_of = {article.id: extract_claims(article) for article in self.articles}
        self.expected = expect(self.articles, self.claims_of)
        self.outcome = Outcome(name, proves, claims_expected=len(self.expected.claim_ids),
                               alerts_expected=len(self.expected.alert_ids))
        self.publisher: ArticlePublisher | None = None
        self.fault_ended_at: float | None = None

    def __enter__(self) -> "Scenario":
        self.stack.__enter__()
        self.outcome.broker = self.stack.broker_kind or ""
        self.publisher = ArticlePublisher(self.stack.kafka)
        return self

    def __exit__(self, *exc) -> None:
        if self.publisher:
            self.publisher.close()
        self.stack.__exit__(*exc)

    def publish(self, articles: list[Article], per_second: float | None = 200.0) -> None:
        assert self.publisher is not None
        for index, article in enumerate(articles, 1):
            self.publisher.publish(article, "resilience")
            if index % 25 == 0:
                self.publisher.flush()
                if per_second:
                    time.sleep(25 / per_second)
        self.publisher.flush()
        self.outcome.articles_sent += len(articles)

    def interrupt_mid_stream(self, fault, recover, alerts_before: int, down_s: float = 1.0) -> Outcome:
        """Publish half the stream, wait for some alerts, break something, publish the rest while it is
        broken, repair it after `down_s`, then settle, count and save."""
        half = len(self.articles) // 2
        self.publish(self.articles[:half])
        self.wait_for_alerts(alerts_before)
        fault()
        self.publish(self.articles[half:])
        time.sleep(down_s)
        recover()
        self.stack.wait_healthy()
        self.fault_ended()
        outcome = self.settle()
        outcome.save()
        return outcome

    # --- what reached the sink -------------------------------------------------------------------------
    def received(self) -> list[dict]:
        return self.stack.received_alerts()

    def received_alert_ids(self) -> set[str]:
        """The alert ids the sink holds once it applies amendments (equal to what it received when there are
        none), de-duplicating on webhook-id as receivers are told to."""
        return set(standing_alerts(self.received()))

    def wait_for_alerts(self, count: int, timeout_s: float = 180.0, expected: set[str] | None = None) -> int:
        """Until `count` of the expected alerts stand at the sink (or the deadline)."""
        expected = set(self.expected.alert_ids) if expected is None else expected
        deadline = time.monotonic() + timeout_s
        got = 0
        while time.monotonic() < deadline:
            got = len(self.received_alert_ids() & expected)
            if got >= count:
                return got
            time.sleep(0.25)
        return got

    def fault_ended(self) -> None:
        self.fault_ended_at = time.time()

    # --- what reached `claims` ------------------------------------------------------------------------
    def claim_ids_on_topic(self, timeout_s: float = 60.0) -> tuple[set[str], int]:
        """Distinct claim ids and records on `claims`, read until every expected one is seen or idle."""
        assert self.stack.broker is not None
        consumer = KafkaConsumer(bootstrap_servers=self.stack.broker.bootstrap, enable_auto_commit=False)
        consumer.assign([TopicPartition(CLAIMS, p) for p in range(self.stack.partitions)])
        consumer.seek_to_beginning()
        ids: set[str] = set()
        records = 0
        deadline = time.monotonic() + timeout_s
        idle_since = time.monotonic()
        try:
            while time.monotonic() < deadline:
                batches = consumer.poll(timeout_ms=300)
                if not batches:
                    if ids >= self.expected.claim_ids and time.monotonic() - idle_since > 2:
                        break
                    continue
                idle_since = time.monotonic()
                for batch in batches.values():
                    for record in batch:
                        try:
                            claim_id = json.loads(record.value)["claim_id"]
                        except (ValueError, TypeError, KeyError):
                            continue  # a poison record put there on purpose: not a claim
                        records += 1
                        ids.add(claim_id)
        finally:
            consumer.close()
        return ids, records

    def settle(self, timeout_s: float = 240.0) -> Outcome:
        """Wait for every expected alert, then count claims, alerts, duplicates, losses and order."""
        self.wait_for_alerts(len(self.expected.alert_ids), timeout_s)
        time.sleep(2)  # let stragglers (re-sent duplicates) land before counting
        outcome = self.outcome
        claim_ids, outcome.claim_records = self.claim_ids_on_topic()
        outcome.claims_emitted = len(claim_ids & self.expected.claim_ids)
        records = self.received()
        held = standing_alerts(records)
        ids = set(held)
        expected = set(self.expected.alert_ids)
        outcome.alerts_delivered = len(ids & expected)
        outcome.duplicates = sum(n - 1 for n in Counter(r["webhook_id"] for r in records).values() if n > 1)
        outcome.amendments = len({r["webhook_id"] for r in records if r["payload"]["data"].get("amended")})
        outcome.lost = len(expected - ids)
        outcome.unexpected = len(ids - expected)
        outcome.new_alerts = sum(1 for alert in held.values() if alert.kind.value == "new")
        # one notice, one webhook-id, on every delivery: the alert id, or an amendment's notice id
        outcome.duplicate_webhook_id_changed = sum(
            1 for r in records if r["webhook_id"] != notice_id(r["payload"]["data"]["alert_id"],
                                                                r["payload"]["data"].get("supersedes")))
        outcome.out_of_order_quantities = self._out_of_order(records)
        if self.fault_ended_at is not None:
            after = [record for record in records
                     if epoch(record["received_at"]) >= self.fault_ended_at]
            if after:
                outcome.recovery_s = round(min(epoch(r["received_at"]) for r in after) - self.fault_ended_at, 2)
        return outcome

    def _out_of_order(self, records: list[dict]) -> int:
        """Quantities whose alerts first arrived in another order than the decisions made them."""
        position = {alert_id: i for i, alert_id in enumerate(self.expected.alert_ids)}
        first_seen: dict[str, list[int]] = defaultdict(list)
        seen: set[str] = set()
        for record in records:
            alert_id = record["payload"]["data"]["alert_id"]
            if alert_id in seen or alert_id not in position:
                continue
            seen.add(alert_id)
            first_seen[self.expected.quantity_of_alert[alert_id]].append(position[alert_id])
        return sum(1 for order in first_seen.values() if order != sorted(order))


def standing_alerts(records: list[dict]) -> dict[str, Alert]:
    """What a receiver holds after the sink's records, whatever order they came in: history.standing()."""
    return standing(Alert.model_validate(record["payload"]["data"]) for record in records)


def epoch(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def assert_nothing_lost(outcome: Outcome) -> None:
    assert outcome.claims_emitted == outcome.claims_expected, outcome
    assert outcome.lost == 0 and outcome.unexpected == 0, outcome
    assert outcome.alerts_delivered == outcome.alerts_expected, outcome
    assert outcome.duplicate_webhook_id_changed == 0, outcome
