"""The alerter service: claims -> decisions -> `alerts` (outbox) -> signed webhooks.

The agents only move records around decide() and the delivery policy in delivery.py: the delivery agent
makes one attempt per endpoint, the retry lanes (alerts.retry) the later ones, and alerter.endpoints holds
which endpoints are disabled, for every replica.

create_app(settings) is the composition root: it builds the Faust app, its topics, tables, agents and tasks,
and importing this module builds nothing (main() builds the app from the environment's settings)."""
from __future__ import annotations

import asyncio
import json
import logging
import random
from dataclasses import dataclass
from typing import Any

import aiohttp
import faust

from schemas.models import Alert, Claim
from schemas.topics import ALERTER_ENDPOINTS, ALERTS, ALERTS_RETRY, CLAIMS, changelog_topics, dead_letter
from services.alerter import history, metrics
from services.alerter.decisions import DecisionPolicy, QuantityState, decide, event_order
from services.alerter.settings import AlerterSettings
from services.alerter.delivery import Deliverer, EndpointStates, Origin, RetryLanes
from services.alerter.web import install_history_api
from services.common.faust_app import ConsumerLag, as_current_event, make_app, run_worker, serve_metrics
from services.common.topics_admin import ensure_changelogs
from services.common.typed_handler import DeadLetters, TypedHandler

log = logging.getLogger("claimwatch.alerter")


@dataclass(frozen=True)
class Alerter:
    settings: AlerterSettings
    policy: DecisionPolicy
    app: faust.App
    claims_topic: Any
    alerts_topic: Any
    retry_topic: Any
    endpoints_topic: Any
    claims_dead_letters: Any
    alerts_dead_letters: Any
    quantities: Any  # faust Table: quantity_key -> QuantityState JSON
    alert_log: Any  # faust Table: quantity_key -> the quantity's alerts, JSON
    endpoint_states: EndpointStates
    deliverer: Deliverer
    claims: TypedHandler  # Claim -> (claim, decision, new alert log), dead-lettering what fails
    alerts: TypedHandler  # Alert validation for the delivery agent
    decide_claims: Any  # the agents
    deliver_alerts: Any


def _writer(topic):
    async def write(key: bytes | None, value: bytes) -> None:
        # waits for the broker's ack: a retry record must exist before the record it replaces is committed
        await (await topic.send(key=key, value=value))
    return write


def create_app(settings: AlerterSettings) -> Alerter:
    """Raises ConfigError when the settings cannot make a working alerter (no API token, for one)."""
    policy = settings.policy()
    app = make_app(settings.app_id, settings.kafka, settings.web_host, settings.web_port, settings.data_dir,
                   settings.table_standby_replicas)
    claims_topic = app.topic(CLAIMS)
    alerts_topic = app.topic(ALERTS)
    retry_topic = app.topic(ALERTS_RETRY)
    endpoints_topic = app.topic(ALERTER_ENDPOINTS)
    claims_dead_letters = app.topic(dead_letter(CLAIMS))
    alerts_dead_letters = app.topic(dead_letter(ALERTS))
    # Keyed by quantity_key, like `claims`, so each worker owns the quantities of its partitions.
    # Values are our own JSON bytes: the raw serializer keeps them bytes through changelog recovery.
    quantities = app.Table("quantities", default=None, partitions=settings.kafka.partitions, value_type=bytes)
    alert_log = app.Table("alert_log", default=None, partitions=settings.kafka.partitions, value_type=bytes)
    serve_metrics(app, metrics.REGISTRY)
    install_history_api(app, quantities, alert_log, settings)  # GET /alerts, /quantities, /ui/: need the API token
    ConsumerLag(app, metrics.CONSUMER_LAG)  # a sensor: sees every record this worker consumes

    endpoint_states = EndpointStates(settings.webhooks, _writer(endpoints_topic))
    deliverer = Deliverer(settings, endpoint_states, _writer(retry_topic), _writer(alerts_dead_letters),
                          random.Random())
    claims = TypedHandler(
        Claim, DeadLetters(claims_dead_letters, source_topic=CLAIMS, service="alerter",
                           counter=metrics.DEAD_LETTERS),
        invalid_reason="invalid_claim", failed_reason="decision_failed",
        handle=lambda claim: (claim, *decide_claim(claim, quantities, alert_log, policy)),
        # kept in claims.dlq; counted as settled
        on_dead_letter=lambda: metrics.CLAIMS.labels(relation="dead_lettered").inc())
    alerts = TypedHandler(Alert, DeadLetters(alerts_dead_letters, source_topic=ALERTS, service="alerter",
                                             counter=metrics.DEAD_LETTERS), invalid_reason="invalid_alert")

    # the agents keep the names they had as module-level functions, so logs and Faust's registry read the same
    async def record(event, decided) -> None:
        claim, decision, alert_log_value = decided
        # the alerts reach the broker before the state that makes their claim known: a worker killed in
        # between decides the claim again after its restart and sends the same alert ids, rather than
        # finding the claim known and sending nothing (a lost alert)
        for alert in decision.outbox:  # the claim's alert, then any amendments it caused
            sent = await alerts_topic.send(key=alert.quantity_key.encode(), value=alert.model_dump_json().encode())
            await sent
            metrics.ALERTS.labels(kind=alert.kind.value).inc()
            if alert.amended:
                metrics.AMENDMENTS.labels(kind=alert.kind.value).inc()
        quantities[claim.quantity_key] = decision.state.model_dump_json().encode()  # all decided: write
        if alert_log_value is not None:
            alert_log[claim.quantity_key] = alert_log_value
        metrics.CLAIMS.labels(relation=decision.relation).inc()

    # the agents keep the names they had as module-level functions, so logs and Faust's registry read the same
    @app.agent(claims_topic, name="services.alerter.app.decide_claims")
    async def decide_claims(stream):
        if settings.reorder_window_s <= 0:
            async for event in stream.events():
                decided = await claims(event)
                if decided is not None:
                    await record(event, decided)
            return
        # a reorder window: take_events acks the window's records only after this body has decided them all
        async for events in stream.take_events(settings.reorder_max_claims, within=settings.reorder_window_s):
            parsed = await claims.parse_all(events)
            for event, claim in sorted(parsed, key=lambda pair: event_order(pair[1])):
                with as_current_event(event):
                    decided = await claims.run(event, lambda c=claim: claims.handle(c))
                    if decided is not None:
                        await record(event, decided)

    @app.agent(alerts_topic, name="services.alerter.app.deliver_alerts")
    async def deliver_alerts(stream):
        async with aiohttp.ClientSession() as session:
            async for event in stream.events():
                alert = await alerts.parse(event)
                if alert is None:
                    continue
                await deliverer.first(session, alert, Origin(
                    key=event.key, value=event.value, partition=event.message.partition,
                    offset=event.message.offset, outbox_at=event.message.timestamp or None))

    @app.task
    async def follow_endpoint_states() -> None:
        await _keep_running("endpoint states", lambda: endpoint_states.follow(settings.kafka))

    @app.task
    async def run_retry_lanes() -> None:
        async def lanes() -> None:
            async with aiohttp.ClientSession() as session:
                await endpoint_states.ready.wait()
                await RetryLanes(deliverer, settings).run(session)
        await _keep_running("retry lanes", lanes)

    return Alerter(settings, policy, app, claims_topic, alerts_topic, retry_topic, endpoints_topic,
                   claims_dead_letters, alerts_dead_letters, quantities, alert_log, endpoint_states, deliverer,
                   claims, alerts, decide_claims, deliver_alerts)


def decide_claim(claim: Claim, quantities, alert_log, policy: DecisionPolicy):
    """The decision and the quantity's new alert log (None: no alert); reads the tables, writes none, so no
    table is written until both are made."""
    state = _load_state(quantities.get(claim.quantity_key)) or QuantityState(quantity_key=claim.quantity_key)
    decision = decide(state, claim, policy)
    if not decision.outbox:
        return decision, None
    log_entries = history.append_alerts(_load_log(alert_log.get(claim.quantity_key)), decision.outbox)
    return decision, json.dumps(log_entries).encode()


async def _keep_running(name: str, run) -> None:
    """Restart a background loop that failed (the broker went away), with a pause; never spin."""
    pause = 1.0
    while True:
        try:
            await run()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("%s stopped (%r); starting again in %.0f s", name, exc, pause)
            await asyncio.sleep(pause)
            pause = min(30.0, pause * 2)


def _load_state(stored: bytes | None) -> QuantityState | None:
    return QuantityState.model_validate_json(stored) if stored else None


def _load_log(stored: bytes | None) -> list[dict]:
    return json.loads(stored) if stored else []


def main() -> None:
    settings = AlerterSettings()
    alerter = create_app(settings)
    ensure_changelogs(settings.kafka, changelog_topics(settings.app_id))  # before Faust races another replica
    run_worker(alerter.app, settings.log_level)
