"""Build a Faust app with claimwatch's conventions, and serve a metrics registry from it."""
from __future__ import annotations

import contextlib
import logging
import os
import sys
import weakref

import faust
import faust.streams as faust_streams
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.web import View
from prometheus_client import CollectorRegistry

from services.common.errors import ConfigError
from services.common.faust_offsets import install_offset_guards
from services.common.kafka_settings import KafkaSettings
from services.common.logs import quiet_repeats
from services.common.metrics_http import render


log = logging.getLogger("claimwatch")


def _bound_fetch_wait(max_wait_ms: int) -> None:
    """Faust builds its aiokafka consumers with fetch_max_wait_ms=1500, with no setting to change it. A
    broker that answers a fetch only when the wait ends (the embedded one) then adds up to 1.5 s per hop."""
    create = AIOKafkaConsumerThread._create_worker_consumer
    if getattr(create, "claimwatch_bounded", False):
        return

    def create_bounded(self, transport):
        consumer = create(self, transport)
        consumer._fetch_max_wait_ms = max_wait_ms  # read when the consumer starts its fetcher
        return consumer

    create_bounded.claimwatch_bounded = True
    AIOKafkaConsumerThread._create_worker_consumer = create_bounded


@contextlib.contextmanager
def as_current_event(event):
    """Make `event` the stream's current event while a batch's records are handled one by one: a table write
    goes to the changelog partition of the current event, which must be the record's own."""
    token = faust_streams._current_event.set(weakref.ref(event))
    try:
        yield event
    finally:
        faust_streams._current_event.reset(token)


def make_app(app_id: str, kafka: KafkaSettings, web_host: str, web_port: int, data_dir: str,
             table_standby_replicas: int = 1) -> faust.App:
    _bound_fetch_wait(kafka.fetch_max_wait_ms)
    install_offset_guards()  # Faust can commit past records it skipped around a rebalance
    # Faust keeps worker files here; never in the working directory a user started it from
    datadir = os.path.join(data_dir, f"{app_id}-data")
    make_data_dir(datadir)
    app = faust.App(
        app_id,
        datadir=datadir,
        **kafka.faust_config(),
        store="memory://",
        web_host=web_host,
        web_bind=web_host,
        web_port=web_port,
        web_tables_enabled=False,  # /table/{name}/{key}/ would serve table data to anyone, without the token
        topic_partitions=kafka.partitions,
        table_standby_replicas=table_standby_replicas,
        producer_acks=-1,
        consumer_auto_offset_reset="earliest",
        # The services validate records themselves, so a poison record reaches a dead-letter topic.
        value_serializer="raw",
        key_serializer="raw",
    )
    install_log_quieting(app)
    return app


def make_data_dir(path: str) -> None:
    """Create the worker's data directory and its parents: Faust makes only the last part, so a fresh
    machine (no $TMPDIR/claimwatch yet) would crash at start. New directories are the user's alone."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create the data directory {path} ({exc.strerror or exc}): set "
                          f"CLAIMWATCH_EXTRACTOR_DATA_DIR or CLAIMWATCH_ALERTER_DATA_DIR to a folder this user "
                          f"may write") from exc


def install_log_quieting(app: faust.App) -> None:
    """Collapse repeated warnings and errors (a broker outage logs one per retry, ten a second)."""
    @app.task
    async def _quiet_repeated_logs() -> None:  # tasks start after the worker configured logging
        quiet_repeats()


def serve_metrics(app: faust.App, registry: CollectorRegistry) -> None:
    class MetricsView(View):
        async def get(self, request):
            body, content_type = render(registry)
            return self.bytes(body, headers={"Content-Type": content_type})

    class HealthView(View):
        async def get(self, request):
            return self.json({"status": "ok", "app": app.conf.id})

    app.page("/metrics")(MetricsView)
    app.page("/healthz")(HealthView)


def run_worker(app: faust.App, log_level: str) -> None:
    """Start the app as a worker, as `faust -A ... worker` would."""
    sys.argv = [sys.argv[0], "worker", "--loglevel", log_level]
    app.main()


class ConsumerLag(faust.Sensor):
    """Consumer lag per partition (records behind the end of the log), for `claimwatch_consumer_lag_messages`.

    A Faust sensor: it sees every record the worker's consumer hands to its agents, so no agent has to
    report them. A timer also asks the broker for the log ends, so that lag keeps growing in the metric
    while a stalled worker reads nothing."""

    def __init__(self, app: faust.App, gauge, interval_s: float = 5.0) -> None:
        super().__init__()
        self._app = app
        self._gauge = gauge
        self._read: dict = {}  # TP -> offset of the last record consumed
        app.sensors.add(self)
        app.timer(interval_s)(self.refresh)

    def on_message_in(self, tp, offset: int, message) -> None:
        self._read[tp] = offset
        try:
            end = self._app.consumer.highwater(tp)
        except Exception:  # no fetch for this partition yet: the timer fills it in
            return
        if end is not None:
            self._set(tp, end)

    def _set(self, tp, end: int) -> None:
        self._gauge.labels(topic=tp.topic, partition=str(tp.partition)).set(max(0, end - self._read[tp] - 1))

    async def refresh(self) -> None:
        if not self._read or self._app.rebalancing:
            return  # partitions are moving: ask again when they are settled
        assigned = self._app.consumer.assignment()
        for tp in [tp for tp in self._read if tp not in assigned]:
            del self._read[tp]  # another worker owns it now and reports its lag
            try:
                self._gauge.remove(tp.topic, str(tp.partition))
            except KeyError:
                pass
        try:
            ends = await self._app.consumer.highwaters(*self._read)
        except Exception as exc:  # the broker may be away; the next tick retries
            log.debug("consumer lag refresh failed: %r", exc)
            return
        for tp, end in ends.items():
            if tp not in self._read or end is None:
                continue
            if end <= self._read[tp]:
                log_went_back(tp, self._read[tp], end)
            self._set(tp, end)


# exit status a supervisor (compose's restart policy, claimwatch run) sees when the broker lost its log
EXIT_LOG_WENT_BACK = 75


def log_went_back(tp, read: int, end: int) -> None:
    """The log ends before a record this worker already read: the broker lost its data (an in-memory broker
    restarted, or a topic was deleted and made again). Its consumer position would skip the new records, so
    stop, loudly, and let the supervisor start the worker afresh from the group's committed offsets."""
    log.critical("the log of %s-%s now ends at offset %s, before offset %s that this worker already read: "
                 "the broker lost its data. Exiting (status %s) so that the supervisor restarts this worker.",
                 tp.topic, tp.partition, end, read, EXIT_LOG_WENT_BACK)
    logging.shutdown()
    os._exit(EXIT_LOG_WENT_BACK)  # Faust would otherwise wait forever at the old position
