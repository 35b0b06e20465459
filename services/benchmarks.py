"""`make bench`: timed benchmarks, kept out of the test suite. Writes a dated markdown table to bench/.

1. Extraction, one core: claimwatch's extract_claims against quantulum3 and a plain regex number finder on the
   same texts (the seeds plus the development corpus, repeated to at least 2,000 articles).
2-5. Pipeline throughput, end-to-end latency, memory and the broker baseline (services/bench_pipeline.py)."""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
import warnings
from datetime import date, datetime, timezone
from pathlib import Path

from schemas.models import Article
from services.extractor.extraction import extract_claims

ROOT = Path(__file__).resolve().parent.parent
_PLAIN_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()} ({platform.machine()})"


def corpus(shared: Path, minimum: int) -> tuple[list[Article], str]:
    texts: list[tuple[str, datetime | None]] = []
    manifest = json.loads((ROOT / "seeds" / "manifest.json").read_text())
    for entry in manifest["articles"]:
        texts.append(((ROOT / "seeds" / entry["file"]).read_text(), datetime.fromisoformat(
            entry["published_at"].replace("Z", "+00:00"))))
    described = "the 5 seeds"
    dev = shared / "corpus" / "manifest.json"
    if dev.is_file():
        for entry in json.loads(dev.read_text())["articles"]:
            stamp = entry.get("published") or entry.get("published_inferred")
            texts.append(((dev.parent / entry["file"]).read_text(),
                          datetime.fromisoformat(stamp).replace(tzinfo=timezone.utc) if stamp else None))
        described += " + the development corpus"
    base = [Article(id=f"b{i}", text=t, published_at=p) for i, (t, p) in enumerate(texts)]
    repeats = -(-minimum // len(base))
    articles = (base * repeats)[:max(minimum, len(base))]
    chars = statistics.mean(len(a.text) for a in base)
    return articles, f"{described}: {len(base)} distinct articles (mean {chars:.0f} chars), repeated to {len(articles)}"


def time_each(function, articles: list[Article]) -> list[float]:
    timings = []
    for article in articles:
        started = time.perf_counter()
        function(article)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def summary(name: str, timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {"name": name, "p50": statistics.median(ordered), "p99": ordered[int(len(ordered) * 0.99) - 1],
            "per_s": len(ordered) / (sum(ordered) / 1000)}


def bench_extraction(articles: list[Article], with_quantulum: bool) -> list[dict]:
    results = [summary("claimwatch extract_claims", time_each(extract_claims, articles))]
    if with_quantulum:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from quantulum3 import parser as quantulum
            quantulum.parse("warm up with 1 figure")
            sample = articles[: min(len(articles), 400)]  # quantulum3 is slow; a fair sample of the same texts
            results.append(summary(f"quantulum3 parse ({len(sample)} articles)",
                                   time_each(lambda a: quantulum.parse(a.text), sample)))
        except ImportError:
            print("quantulum3 not installed: pip install quantulum3==0.10.0 to compare", file=sys.stderr)
    results.append(summary("plain regex number finder", time_each(lambda a: _PLAIN_NUMBER.findall(a.text), articles)))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="claimwatch-bench", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--no-quantulum", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    parser.add_argument("--pipeline-articles", type=int, default=10_000, help="articles for benchmarks 2, 4 and 5")
    parser.add_argument("--rates", default="10,50,100", help="offered articles/s for benchmark 3")
    parser.add_argument("--latency-seconds", type=float, default=20.0, help="how long each offered rate runs")
    parser.add_argument("--partitions", type=int, default=2)
    parser.add_argument("--extraction-only", action="store_true", help="benchmark 1 only")
    args = parser.parse_args(argv)
    articles, described = corpus(args.shared, args.articles)
    header = [f"# claimwatch benchmarks, {date.today().isoformat()}", "", f"- machine: {machine()}",
              f"- corpus: {described}", ""]
    print("\n".join(header), flush=True)
    results = bench_extraction(articles, not args.no_quantulum)
    ours = results[0]
    lines = ["## 1. Extraction, one core", "", "| extractor | ms/article p50 | p99 | articles/s | speed vs claimwatch |",
             "|---|---|---|---|---|"]
    for row in results:
        ratio = row["per_s"] / ours["per_s"]
        lines.append(f"| {row['name']} | {row['p50']:.2f} | {row['p99']:.2f} | {row['per_s']:.0f} | {ratio:.2f}× |")
    quantulum = next((r for r in results if r["name"].startswith("quantulum3")), None)
    if quantulum:
        lines.append("")
        lines.append(f"claimwatch is {quantulum['p50'] / ours['p50']:.1f}× faster than quantulum3 at the median, "
                     f"while also giving bounds, counted noun, source, date and modality.")
    print("\n".join(lines), flush=True)
    if not args.extraction_only:
        from services.bench_pipeline import report

        pipeline = report(args.pipeline_articles, [float(r) for r in args.rates.split(",")], args.latency_seconds,
                          args.partitions)
        print("\n".join([""] + pipeline))
        lines += [""] + pipeline
    text = "\n".join(header + lines) + "\n"
    args.out.mkdir(exist_ok=True)
    path = args.out / f"results-{date.today().isoformat()}.md"
    path.write_text(text, encoding="utf-8")
    (args.out / "latest.md").write_text(text, encoding="utf-8")
    print(f"\nwrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
