"""The `claimwatch` command: run the services, ingest and replay articles, extract, dry-run, receive alerts."""
from __future__ import annotations

import argparse
import signal
import sys
import time
from datetime import datetime
from pathlib import Path


def _published_option(value: str | None) -> datetime | None:
    """--published, read as every timestamp is (schemas.timeparse); a bad value is the user's to fix."""
    from schemas.timeparse import parse_time
    from services.common.errors import ConfigError

    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError as exc:
        raise ConfigError(f"--published: {exc}") from None


def cmd_broker(args: argparse.Namespace) -> int:
    from claimwatch.broker import BrokerError, EmbeddedBroker
    from services.common.kafka_settings import KafkaSettings
    from services.common.topics_admin import ensure_topics

    try:
        if args.kafka:
            from claimwatch.kafka_broker import KafkaBroker, kafka_version
            data_dir = Path(args.data_dir).expanduser().resolve() if args.data_dir else None
            broker = KafkaBroker(port=args.port, data_dir=data_dir).start()
            kept = f"data in {broker.data_dir}" + ("" if args.data_dir else ", deleted on exit")
            what = f"Apache Kafka {kafka_version()} ready on {broker.bootstrap} ({kept}; Ctrl-C stops it)"
        else:
            broker = EmbeddedBroker(port=args.port).start()
            what = f"embedded broker ready on {broker.bootstrap} (memory only; Ctrl-C stops it)"
    except BrokerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        ensure_topics(KafkaSettings(bootstrap_servers=broker.bootstrap, partitions=args.partitions,
                                    flavour=broker.flavour))
        print(what, flush=True)
        stop = {"now": False}
        signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
        while not stop["now"] and broker.process and broker.process.poll() is None:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        broker.remove()  # SIGTERM, then kill; a data dir of our own making goes too
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    from services.common.kafka_settings import KafkaSettings
    from services.common.topics_admin import ensure_topics

    from schemas.topics import changelog_topics
    from services.alerter.settings import AlerterSettings

    # the alerter's table changelogs too, compacted, with the same partitions as `claims`
    created = ensure_topics(KafkaSettings(), args.partitions, compacted=changelog_topics(AlerterSettings().app_id))
    print(f"created: {', '.join(created) or 'none (all exist)'}")
    return 0


def _report_rejections(rejections) -> None:
    for rejection in rejections:
        print(f"rejected {rejection.origin}: {rejection.reason}", file=sys.stderr)


def cmd_ingest(args: argparse.Namespace) -> int:
    from services.ingestor import metrics
    from services.ingestor.publisher import ArticlePublisher, PublishError
    from services.ingestor.settings import IngestorSettings
    from services.ingestor.sources import Rejection, read_paths

    published = _published_option(args.published)
    settings = IngestorSettings()
    stdin = sys.stdin.buffer.read() if "-" in args.paths else None
    try:
        publisher = ArticlePublisher(settings.kafka, settings.send_timeout_s)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rejected, sent = [], 0
    try:
        for item in read_paths(args.paths, stdin, published):
            if isinstance(item, Rejection):
                rejected.append(item)
                metrics.REJECTED.labels(input="stdin" if item.origin.split(":")[0] == "stdin" else "file",
                                        reason=item.kind).inc()
            else:
                publisher.publish(item, "stdin" if "-" in args.paths else "file")
        sent = publisher.flush()
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        publisher.close()
    _report_rejections(rejected)
    print(f"published {sent} article(s), rejected {len(rejected)}", file=sys.stderr)
    return 0 if sent else 1  # nothing could be read (an empty folder too)


def cmd_replay(args: argparse.Namespace) -> int:
    from services.ingestor.publisher import ArticlePublisher, PublishError
    from services.ingestor.replay import replay
    from services.ingestor.settings import IngestorSettings
    from services.ingestor.sources import load_manifest

    items = load_manifest(Path(args.folder))  # a bad manifest is refused before Kafka is even contacted
    settings = IngestorSettings()
    try:
        publisher = ArticlePublisher(settings.kafka, settings.send_timeout_s)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        report = replay(Path(args.folder), publisher, speed=args.speed, rate=args.rate, max_gap_s=args.max_gap,
                        progress=False if args.no_progress else None, items=items)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        publisher.close()
    print(f"replayed {len(report.published)} article(s)", file=sys.stderr)
    return 0


def cmd_ingest_api(args: argparse.Namespace) -> int:
    from services.ingestor.http_api import serve
    from services.ingestor.settings import IngestorSettings

    serve(IngestorSettings())
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from services.extractor.extraction import extract_claims
    from services.ingestor.sources import Rejection, read_paths

    published = _published_option(args.published)
    stdin = sys.stdin.buffer.read() if "-" in args.files else None
    out = sys.stdout
    read = rejected = 0
    for item in read_paths(args.files, stdin, published):
        if isinstance(item, Rejection):
            rejected += 1
            print(f"rejected {item.origin}: {item.reason}", file=sys.stderr)
            continue
        read += 1
        for claim in extract_claims(item):
            out.write(claim.model_dump_json() + "\n")
    out.flush()
    if not read:
        print(f"error: no article could be read ({rejected} input(s) rejected)", file=sys.stderr)
        return 1
    return 0


def cmd_dry_run(args: argparse.Namespace) -> int:
    from claimwatch.dry_run import dry_run

    for alert in dry_run(Path(args.manifest)):
        sys.stdout.write(alert.model_dump_json() + "\n")
    return 0


def cmd_extractor(args: argparse.Namespace) -> int:
    from services.extractor.app import main

    main()
    return 0


def cmd_alerter(args: argparse.Namespace) -> int:
    from services.alerter.app import main

    main()
    return 0


def cmd_sink(args: argparse.Namespace) -> int:
    from services.common.errors import ConfigError
    from services.sink.app import serve
    from services.sink.settings import SinkSettings

    if args.secret:  # a secret on the command line shows in `ps` to every user of the machine
        raise ConfigError("--secret is no longer accepted, because `ps` shows command lines: put the secrets in a "
                          "file, one a line, and pass --secret-file PATH (or set CLAIMWATCH_SINK_SECRETS)")
    overrides = {k: v for k, v in {"port": args.port, "out": args.out, "secrets_file": args.secret_file}.items()
                 if v is not None}
    serve(SinkSettings(**overrides))
    return 0


def cmd_redeliver(args: argparse.Namespace) -> int:
    from services.alerter.redeliver import redeliver
    from services.alerter.settings import AlerterSettings

    report = redeliver(AlerterSettings(), idle_s=args.idle)
    for line in report.skipped:
        print(f"skipped {line}", file=sys.stderr)
    print(f"redelivered {report.delivered} alert(s); {report.failed} still failing; "
          f"{len(report.skipped)} skipped", file=sys.stderr)
    return 0 if not report.failed else 1


def cmd_run(args: argparse.Namespace) -> int:
    from claimwatch.runner import run

    return run(Path(args.folder), rate=args.rate, timeout_s=args.timeout, partitions=args.partitions,
               follow=args.follow)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimwatch", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="start broker, services and sink; replay a folder; print the alerts")
    p.add_argument("folder", nargs="?", default="seeds")
    p.add_argument("--rate", type=float, default=20.0, help="articles per second to replay (default 20)")
    p.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the pipeline to settle")
    p.add_argument("--partitions", type=int, default=1,
                   help="partitions per topic (default 1: the replay is decided in publication order end to end)")
    p.add_argument("--follow", action="store_true",
                   help="keep the stack and the analyst console (/ui/ on the alerter) up until Ctrl-C")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("broker", help="run the embedded Kafka-protocol broker (memory only), or Apache Kafka "
                                      "with --kafka, until Ctrl-C")
    p.add_argument("--port", type=int, default=9092)
    p.add_argument("--partitions", type=int, default=4)
    p.add_argument("--kafka", action="store_true",
                   help="Apache Kafka (needs java; mvn fetches its jars once) instead of the embedded broker")
    p.add_argument("--data-dir", default=None,
                   help="with --kafka: keep the broker's data here across restarts (default: a temporary folder)")
    p.set_defaults(func=cmd_broker)

    p = sub.add_parser("topics", help="create claimwatch's topics on CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS")
    p.add_argument("--partitions", type=int, default=None)
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser("ingest", help="publish .txt/.json/.jsonl files, folders, or - for stdin")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--published", help="publication time (ISO) for inputs that carry none")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("replay", help="publish a folder with manifest.json in published_at order")
    p.add_argument("folder")
    timing = p.add_mutually_exclusive_group()
    timing.add_argument("--speed", type=float, help="compress real time by this factor")
    timing.add_argument("--rate", type=float, help="a fixed rate, in articles per second")
    p.add_argument("--max-gap", type=float, default=10.0, help="longest wait between two articles, in seconds")
    p.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("ingest-api", help="serve POST /articles (bearer token) on CLAIMWATCH_INGESTOR_HTTP_PORT")
    p.set_defaults(func=cmd_ingest_api)

    p = sub.add_parser("extract", help="print the claims of articles, one JSON Claim a line (no Kafka)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--published", help="publication date (ISO) for inputs that carry none")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("dry-run", help="extraction and alert decisions in-process over a manifest; prints alerts")
    p.add_argument("--manifest", required=True)
    p.set_defaults(func=cmd_dry_run)

    p = sub.add_parser("extractor", help="run the extractor worker (Faust)")
    p.set_defaults(func=cmd_extractor)
    p = sub.add_parser("alerter", help="run the alerter worker (Faust): decisions and webhook delivery")
    p.set_defaults(func=cmd_alerter)

    p = sub.add_parser("redeliver", help="re-send the alerts in alerts.dlq to the configured endpoints")
    p.add_argument("--idle", type=float, default=2.0, help="stop after this many seconds with nothing new")
    p.set_defaults(func=cmd_redeliver)

    # no abbreviations: `--secret S` must not be taken for `--secret-file S`
    p = sub.add_parser("sink", help="receive alert webhooks, verify their signatures, print them", allow_abbrev=False)
    p.add_argument("--port", type=int)
    p.add_argument("--secret", action="append", help=argparse.SUPPRESS)  # gone; kept only to say why
    p.add_argument("--secret-file", type=Path, metavar="PATH",
                   help="webhook secrets, one a line (or CLAIMWATCH_SINK_SECRETS / CLAIMWATCH_SINK_SECRETS_FILE)")
    p.add_argument("--out", type=Path, help="append each verified alert to this JSONL file")
    p.set_defaults(func=cmd_sink)
    return parser


def _settings_env_name(title: str, loc: tuple) -> tuple[str, str] | None:
    """(CLAIMWATCH_<PREFIX>_<FIELD>, the rest of the location) for an error in a settings class."""
    from pydantic_settings import BaseSettings

    pending, seen = list(BaseSettings.__subclasses__()), set()
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        if cls.__name__ == title and loc:
            prefix = cls.model_config.get("env_prefix") or ""
            rest = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[1:]).lstrip(".")
            return f"{prefix}{loc[0]}".upper(), rest
    return None


def user_error_lines(exc: BaseException) -> list[str] | None:
    """One 'error: ...' line per problem a user must fix, or None for an error that is a bug."""
    from pydantic import ValidationError

    from services.common.errors import ConfigError
    from services.ingestor.sources import ManifestError, error_text

    if isinstance(exc, ManifestError):
        return [f"error: {problem}" for problem in exc.problems]
    if isinstance(exc, ConfigError):
        return [f"error: {exc}"]
    if isinstance(exc, ValidationError):
        lines = []
        for error in exc.errors():
            named = _settings_env_name(exc.title, tuple(error["loc"]))
            if named is None:
                return None  # not a setting: a contract broken inside claimwatch, so keep the traceback
            env, rest = named
            message = error_text(error)
            if message.startswith(env):  # the validator named the variable itself
                lines.append(f"error: {message}")
            else:
                lines.append(f"error: {env}: {rest + ': ' if rest else ''}{message}")
        return lines
    return None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except Exception as exc:  # noqa: BLE001 - only what user_error_lines recognises is swallowed
        lines = user_error_lines(exc)
        if lines is None:
            raise
        for line in lines:
            print(line, file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
