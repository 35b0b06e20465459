"""`claimwatch redeliver` on the tests' broker: a letter that still fails stays for the next run even when
later letters in its partition were delivered, and each letter goes only to the endpoint it failed at."""
from __future__ import annotations

import pytest
from kafka import KafkaProducer

from schemas.models import Alert, AlertKind, Severity
from schemas.topics import ALERTS, dead_letter
from services.alerter.redeliver import redeliver
from services.alerter.settings import AlerterSettings
from services.common.dead_letters import dead_letter_record
from services.common.kafka_settings import KafkaSettings
from services.common.topics_admin import ensure_topics
from claimwatch.local_stack import local_broker, new_webhook_secret
from tests.helpers import make_claim
from tests.integration.receiver import ScriptedReceiver

pytestmark = pytest.mark.integration


def _alert(n: int, place: str) -> Alert:
    claim = make_claim(n, key=f"{place}.killed.landslide", claim_id=f"{place}-{n}")
    return Alert(alert_id=f"alert-{place}", kind=AlertKind.new, severity=Severity.info,
                 quantity_key=claim.quantity_key, summary=f"New figure: {n} killed in {place}", claim=claim)


def _letter(alert: Alert, error: str) -> bytes:
    # as the alerter writes them today: the endpoint is the name before ": " in the error
    return dead_letter_record(source_topic=ALERTS, reason="delivery_failed", error=error, service="alerter",
                              key=alert.quantity_key.encode(), value=alert.model_dump_json().encode())


@pytest.fixture
def broker():
    with local_broker() as running:
        yield running


@pytest.fixture
def receivers():
    started = [ScriptedReceiver(lambda attempt: (200, {})).start() for _ in range(2)]
    yield started
    for receiver in started:
        receiver.stop()


def _settings(broker, flaky, other) -> AlerterSettings:
    kafka = KafkaSettings(bootstrap_servers=broker.bootstrap, partitions=1, flavour=broker.flavour)
    return AlerterSettings(kafka=kafka, delivery_attempts=2, delivery_backoff_s=0.05, delivery_backoff_max_s=0.2,
                           webhooks=[{"name": "flaky", "url": flaky.url, "secrets": [new_webhook_secret()]},
                                     {"name": "other", "url": other.url, "secrets": [new_webhook_secret()]}])


def _write_letters(settings, letters) -> None:
    producer = KafkaProducer(**settings.kafka.kafka_python_config())
    for alert, error in letters:
        producer.send(dead_letter(ALERTS), key=alert.quantity_key.encode(), value=_letter(alert, error)).get(10)
    producer.close()


def test_a_failure_before_a_success_stays_for_the_next_run(broker, receivers):
    flaky, other = receivers
    settings = _settings(broker, flaky, other)
    ensure_topics(settings.kafka, partitions=1)  # one partition: every letter below is in it, in this order
    first, second = _alert(31, "upper"), _alert(8, "lower")
    _write_letters(settings, [(first, "flaky: gave up after 6 attempts: HTTP 503"),
                              (second, "flaky: HTTP 400: not retried")])
    # redeliver posts in offset order: the first letter's two attempts fail, the second letter succeeds
    flaky.set_script(lambda attempt: (500, {}) if len(flaky.received) < 2 else (200, {}))

    report = redeliver(settings, idle_s=1.0)
    assert (report.delivered, report.failed) == (1, 1)
    assert [(r.webhook_id, r.status) for r in flaky.received] == [
        (first.alert_id, 500), (first.alert_id, 500), (second.alert_id, 200)]

    flaky.set_script(lambda attempt: (200, {}))  # the endpoint is fixed
    again = redeliver(settings, idle_s=1.0)
    # the commit stopped at the failure, so the letter after it comes again too: at least once, and the
    # receiver drops the repeat by webhook-id
    assert (again.delivered, again.failed) == (2, 0)
    assert [(r.webhook_id, r.status) for r in flaky.received[3:]] == [(first.alert_id, 200), (second.alert_id, 200)]

    last = redeliver(settings, idle_s=1.0)
    assert (last.delivered, last.failed) == (0, 0)


def test_each_letter_goes_only_to_the_endpoint_it_failed_at(broker, receivers):
    flaky, other = receivers
    settings = _settings(broker, flaky, other)
    ensure_topics(settings.kafka, partitions=1)
    first, second = _alert(19, "delta"), _alert(6, "ridge")
    _write_letters(settings, [(first, "other: gave up after 6 attempts: ClientConnectorError: refused"),
                              (second, "flaky: endpoint_disabled: it answered 410 Gone earlier")])
    report = redeliver(settings, idle_s=1.0)
    assert (report.delivered, report.failed) == (2, 0)
    assert [r.webhook_id for r in other.received] == [first.alert_id]
    assert [r.webhook_id for r in flaky.received] == [second.alert_id]


def test_a_redelivery_accepted_by_a_disabled_endpoint_enables_it(broker, receivers):
    from schemas.topics import ALERTER_ENDPOINTS
    from services.alerter.delivery import endpoint_state
    from services.alerter.redeliver import read_endpoint_states

    flaky, other = receivers
    settings = _settings(broker, flaky, other)
    ensure_topics(settings.kafka, partitions=1)
    alert = _alert(14, "valley")
    gone = settings.webhooks[0]
    producer = KafkaProducer(**settings.kafka.kafka_python_config())
    producer.send(ALERTER_ENDPOINTS, key=b"flaky",
                  value=endpoint_state(gone, True, "HTTP 410 Gone").model_dump_json().encode()).get(10)
    producer.send(dead_letter(ALERTS), key=alert.quantity_key.encode(),
                  value=_letter(alert, "flaky: endpoint_disabled: it answered 410 Gone earlier")).get(10)
    producer.close()
    assert read_endpoint_states(settings.kafka)["flaky"].disabled

    report = redeliver(settings, idle_s=1.0)
    assert (report.delivered, report.enabled) == (1, ["flaky"])
    assert [r.webhook_id for r in flaky.received] == [alert.alert_id] and other.received == []
    assert read_endpoint_states(settings.kafka)["flaky"].disabled is False

