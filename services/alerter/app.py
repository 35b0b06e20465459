"""The alerter service: claims -> decisions -> `alerts` (outbox) -> signed webhooks.

The agents only move records around decide() and the delivery policy in webhooks.py."""
from __future__ import annotations

import json
import logging
import random
from datetime import datetime, timezone
from pathlib import Path

import aiohttp

from schemas.models import Alert, Claim
from schemas.topics import ALERTS, CLAIMS, dead_letter
from services.alerter import history, metrics
from services.alerter.decisions import QuantityState, decide
from services.alerter.settings import AlerterSettings
from services.alerter.delivery import post_alert
from services.common.dead_letters import send_dead_letter, validated
from services.common.faust_app import ConsumerLag, make_app, run_worker, serve_metrics

log = logging.getLogger("claimwatch.alerter")

settings = AlerterSettings()
policy = settings.policy()
app = make_app(settings.app_id, settings.kafka, settings.web_host, settings.web_port, settings.data_dir,
               settings.table_standby_replicas)
claims_topic = app.topic(CLAIMS)
alerts_topic = app.topic(ALERTS)
claims_dead_letters = app.topic(dead_letter(CLAIMS))
alerts_dead_letters = app.topic(dead_letter(ALERTS))
# Keyed by quantity_key, like `claims`, so each worker owns the quantities of its partitions.
# Values are our own JSON bytes: the raw serializer keeps them bytes through changelog recovery.
quantities = app.Table("quantities", default=None, partitions=settings.kafka.partitions, value_type=bytes)
alert_log = app.Table("alert_log", default=None, partitions=settings.kafka.partitions, value_type=bytes)
serve_metrics(app, metrics.REGISTRY)
ConsumerLag(app, metrics.CONSUMER_LAG)  # a sensor: sees every record this worker consumes
_disabled_endpoints: set[str] = set()
_rng = random.Random()


@app.agent(claims_topic)
async def decide_claims(stream):
    async for event in stream.events():
        claim = await validated(Claim, event, claims_dead_letters, source_topic=CLAIMS, reason="invalid_claim",
                                service="alerter", counter=metrics.DEAD_LETTERS)
        if claim is None:
            continue
        state = _load_state(quantities.get(claim.quantity_key)) or QuantityState(quantity_key=claim.quantity_key)
        decision = decide(state, claim, policy)
        quantities[claim.quantity_key] = decision.state.model_dump_json().encode()
        if decision.alerts:
            log = _load_log(alert_log.get(claim.quantity_key))
            alert_log[claim.quantity_key] = json.dumps(history.append_alerts(log, decision.alerts)).encode()
        for alert in decision.alerts:
            await alerts_topic.send(key=alert.quantity_key.encode(), value=alert.model_dump_json().encode())
            metrics.ALERTS.labels(kind=alert.kind.value).inc()
        metrics.CLAIMS.labels(relation=decision.relation).inc()


@app.agent(alerts_topic)
async def deliver_alerts(stream):
    async with aiohttp.ClientSession() as session:
        async for event in stream.events():
            alert = await validated(Alert, event, alerts_dead_letters, source_topic=ALERTS, reason="invalid_alert",
                                    service="alerter", counter=metrics.DEAD_LETTERS)
            if alert is None:
                continue
            for endpoint in settings.webhooks:
                if endpoint.name in _disabled_endpoints:
                    # kept, not dropped: `claimwatch redeliver` sends it once the endpoint is fixed
                    outcome, reason = "dead_lettered", "endpoint_disabled: it answered 410 Gone earlier"
                else:
                    delivered = await post_alert(session, endpoint, alert, settings, _rng)
                    outcome, reason = delivered.result, delivered.reason
                metrics.DELIVERIES.labels(endpoint=endpoint.name, outcome=outcome).inc()
                now = datetime.now(timezone.utc)
                if outcome == "delivered" and event.message.timestamp:
                    # from the alert written to the outbox to the receiver's 2xx, retries included
                    metrics.DELIVERY_SECONDS.labels(endpoint=endpoint.name).observe(
                        max(0.0, now.timestamp() - event.message.timestamp))
                if outcome == "delivered" and alert.claim.ingested_at:
                    latency = (now - alert.claim.ingested_at).total_seconds()
                    metrics.END_TO_END_SECONDS.observe(max(0.0, latency))
                elif outcome == "disabled":
                    _disabled_endpoints.add(endpoint.name)
                    metrics.ENDPOINTS_DISABLED.set(len(_disabled_endpoints))
                    log.error("webhook endpoint %s disabled: %s", endpoint.name, reason)
                elif outcome == "dead_lettered":
                    await send_dead_letter(alerts_dead_letters, event, source_topic=ALERTS, reason="delivery_failed",
                                           error=f"{endpoint.name}: {reason}", service="alerter",
                                           counter=metrics.DEAD_LETTERS)


def _load_state(stored: bytes | None) -> QuantityState | None:
    return QuantityState.model_validate_json(stored) if stored else None


def _load_log(stored: bytes | None) -> list[dict]:
    return json.loads(stored) if stored else []


def _state(key: str) -> tuple[QuantityState | None, list[dict]]:
    return _load_state(quantities.get(key)), _load_log(alert_log.get(key))


@app.page("/alerts")
async def get_alerts(web, request):
    """Alerts this worker holds (its partitions), newest first. Filters: since (ISO time), kind, quantity."""
    query = request.query
    since = query.get("since")
    try:
        since_time = datetime.fromisoformat(since.replace("Z", "+00:00")) if since else None
    except ValueError:
        return web.json({"error": f"since is not an ISO time: {since!r}"}, status=400)
    logs = [_load_log(value) for value in alert_log.values() if value]
    return web.json(history.select_alerts(logs, since_time, query.get("kind"), query.get("quantity")))


@app.page("/quantities")
async def get_quantities(web, request):
    """Every quantity this worker holds, with its latest figure, sources and status."""
    summaries = []
    for key in list(quantities.keys()):
        state, log = _state(key)
        if state is not None:
            summaries.append(history.quantity_summary(state, log))
    return web.json(sorted(summaries, key=lambda s: s["quantity_key"]))


@app.page("/quantities/{key}")
@app.table_route(table=quantities, match_info="key")
async def get_quantity(web, request, key):
    """The timeline of one quantity, served by the worker that owns its partition."""
    state, log = _state(key)
    if state is None:
        return web.json({"error": f"unknown quantity {key!r}"}, status=404)
    return web.json(history.timeline(state, log))


UI_DIR = Path(__file__).with_name("ui")
UI_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
            ".css": "text/css; charset=utf-8"}


@app.page("/ui/")
async def get_console(web, request):
    """The analyst console: a static page that reads the history API."""
    return web.bytes((UI_DIR / "index.html").read_bytes(), headers={"Content-Type": UI_TYPES[".html"]})


@app.page("/ui/{name}")
async def get_console_file(web, request, name):
    path = UI_DIR / name
    if path.suffix not in UI_TYPES or path.parent != UI_DIR or not path.is_file():
        return web.json({"error": f"no such file {name!r}"}, status=404)
    return web.bytes(path.read_bytes(), headers={"Content-Type": UI_TYPES[path.suffix]})


def main() -> None:
    run_worker(app, settings.log_level)
