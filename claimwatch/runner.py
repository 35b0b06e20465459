"""`claimwatch run` (what `make run` calls): the whole pipeline, seeds in, alerts out. On the embedded broker
by default, so a new user needs only Python; on Apache Kafka with CLAIMWATCH_BROKER=kafka (make run KAFKA=1)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from services.ingestor.publisher import ArticlePublisher
from services.ingestor.replay import replay
from services.ingestor.sources import load_manifest
from claimwatch.broker import BrokerError
from claimwatch.local_stack import LocalStack, StackError, configured_broker_kind


def _cell(text: object, width: int) -> str:
    value = "" if text is None else str(text)
    return value if len(value) <= width else value[: width - 1] + "…"


def alerts_table(records: list[dict]) -> str:
    columns = [("kind", 13), ("quantity", 30), ("figure", 22), ("source", 30), ("date", 10), ("versus", 44)]
    lines = ["  ".join(name.ljust(width) for name, width in columns),
             "  ".join("-" * width for _, width in columns)]
    for record in records:
        data = record["payload"]["data"]
        claim = data["claim"]
        related = data.get("related") or []
        versus = "; ".join(f"{r.get('figure_text')} ({r.get('source') or 'unattributed'}, {r.get('as_of')})"
                           for r in related)
        row = [data["kind"], data["quantity_key"], claim["figure_text"], claim.get("source") or "unattributed",
               claim.get("as_of"), versus]
        lines.append("  ".join(_cell(value, width).ljust(width) for value, (_, width) in zip(row, columns)))
    return "\n".join(lines)


def run(folder: Path, rate: float = 20.0, timeout_s: float = 180.0, workdir: Path | None = None,
        partitions: int = 1, follow: bool = False) -> int:
    """Raises ManifestError before anything starts if the folder's manifest cannot be replayed whole."""
    items = load_manifest(folder)
    # absolute: the services run from the repository root, the reader from wherever the user is
    workdir = (workdir or Path(".run") / time.strftime("%Y%m%d-%H%M%S")).resolve()
    started = time.monotonic()
    try:
        kind = configured_broker_kind()  # tansu unless CLAIMWATCH_BROKER says kafka (make run KAFKA=1) or auto
    except BrokerError as exc:
        print(f"claimwatch: error: {exc}", file=sys.stderr)
        return 1
    broker = "Apache Kafka" if kind == "kafka" else "the embedded broker"
    print(f"claimwatch: starting {broker}, extractor, alerter and sink (logs in {workdir})", flush=True)
    try:
        with LocalStack(workdir, partitions=partitions, broker_kind=kind) as stack:
            print(f"claimwatch: ready in {time.monotonic() - started:.1f} s; replaying {folder}", flush=True)
            publisher = ArticlePublisher(stack.kafka)
            try:
                report = replay(folder, publisher, rate=rate, items=items)
            finally:
                publisher.close()
            progress = stack.wait_until_settled(len(report.published), timeout_s)
            records = sorted(stack.received_alerts(), key=lambda r: r["received_at"])
            print()
            print(alerts_table(records))
            print()
            print(f"claimwatch: {progress.line()}")
            console = f"{stack.services['alerter'].base_url}/ui/"
            if follow:
                print(f"claimwatch: {len(records)} alerts received with valid signatures in "
                      f"{time.monotonic() - started:.1f} s", flush=True)
                print(f"claimwatch: analyst console at {console} (Ctrl-C to stop)", flush=True)
                print(f"claimwatch: log in with the API token {stack.api_token} (or send "
                      f"Authorization: Bearer <token> to /alerts and /quantities)", flush=True)
                try:
                    while all(service.alive() for service in stack.services.values()):
                        time.sleep(1)
                except KeyboardInterrupt:
                    pass
                print("claimwatch: shutting down", flush=True)
            else:
                print(f"claimwatch: {len(records)} alerts received with valid signatures in "
                      f"{time.monotonic() - started:.1f} s; shutting down (make run FOLLOW=1 keeps the analyst "
                      f"console up)", flush=True)
    except (StackError, BrokerError) as exc:
        print(f"claimwatch: error: {exc}", file=sys.stderr)
        return 1
    return 0
