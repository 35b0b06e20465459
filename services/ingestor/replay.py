"""Replay a folder with a manifest.json as a timed stream, in published_at order."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tqdm import tqdm

from schemas.models import Article
from services.ingestor import metrics
from services.ingestor.publisher import ArticlePublisher
from services.ingestor.sources import NOT_ENGLISH, ManifestEntry, ManifestError, Rejection, load_manifest


def count_manifest_error(exc: ManifestError) -> None:
    """Each problem once: articles not in English as not_english, the rest as invalid_manifest."""
    if exc.not_english:
        metrics.REJECTED.labels(input="replay", reason=NOT_ENGLISH).inc(exc.not_english)
    if len(exc.problems) > exc.not_english:
        metrics.REJECTED.labels(input="replay", reason="invalid_manifest").inc(len(exc.problems) - exc.not_english)


def replay_delays(entries: list[ManifestEntry], speed: float | None, rate: float | None,
                  max_gap_s: float) -> list[float]:
    """Seconds to wait before each entry: a fixed rate, real time divided by `speed`, or none."""
    if rate:
        return [0.0] + [1.0 / rate] * (len(entries) - 1) if entries else []
    delays = []
    previous = None
    for entry in entries:
        if speed and previous is not None and entry.published_at and previous.published_at:
            gap = (entry.published_at - previous.published_at).total_seconds() / speed
            delays.append(min(max(gap, 0.0), max_gap_s))
        else:
            delays.append(0.0)
        previous = entry
    return delays


@dataclass
class ReplayReport:
    published: list[Article] = field(default_factory=list)
    # stays empty: a manifest with any bad entry is refused as a whole (ManifestError) before publishing
    rejected: list[Rejection] = field(default_factory=list)


def replay(folder: Path, publisher: ArticlePublisher, *, speed: float | None = None, rate: float | None = None,
           max_gap_s: float = 10.0, progress: bool | None = None,
           sleep: Callable[[float], None] = time.sleep,
           items: list[tuple[ManifestEntry, Article]] | None = None) -> ReplayReport:
    """Raises ManifestError, before anything is published, if any entry or article file is bad.
    `items` is the folder's load_manifest() when the caller has checked it already."""
    try:
        items = load_manifest(folder) if items is None else items
    except ManifestError as exc:
        count_manifest_error(exc)
        raise
    delays = replay_delays([entry for entry, _ in items], speed, rate, max_gap_s)
    report = ReplayReport()
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=len(items), desc="replay", unit="article", disable=not show, file=sys.stderr) as bar:
        for (entry, item), delay in zip(items, delays):
            if delay:
                sleep(delay)
            report.published.append(publisher.publish(item, "replay"))
            publisher.flush()  # one at a time, so the stream's timing is real
            bar.update(1)
            bar.set_postfix_str(entry.path.name)
    return report
