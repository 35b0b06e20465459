"""`make bench`: timed benchmarks, kept out of the test suite. Writes a dated markdown table to bench/.

1. Extraction, one thread (one core), parse included: claimwatch with the spaCy model (one article at a time, and
   in the extractor service's batches), with its rules alone, the parse by itself, quantulum3 and a plain regex
   number finder, on the same texts (the seeds plus the development corpus, repeated).
1b. The extractor's memory and load time: peak RSS of a fresh process with the model and the gazetteer loaded.
1c. Where extraction spends its time (cProfile, own time per function).
2-5. Pipeline throughput, end-to-end latency, memory and the broker baseline (tools/bench_pipeline.py)."""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import re
import resource
import statistics
import subprocess
import sys
import time
import warnings
from datetime import date, datetime, timezone
from pathlib import Path

from schemas.models import Article
from services.extractor.extraction import extract_claims, parse
from services.extractor.extraction.extract import _parse_candidates, extract_claims_batch, load_resources

ROOT = Path(__file__).resolve().parent.parent
_PLAIN_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
TARGET_MS = 25.0  # issue 15: median per ~2,000-character article on one core, parse included
TARGET_RSS_MB = 600.0


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", load average %.1f %.1f %.1f" % os.getloadavg() if hasattr(os, "getloadavg") else ""
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()} ({platform.machine()}){load}"


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


def time_each(function, items: list) -> list[tuple[float, float]]:
    """(wall ms, CPU ms of this thread) per call; CPU time is what one core spends when others share it."""
    timings = []
    for item in items:
        wall, cpu = time.perf_counter(), time.thread_time()
        function(item)
        timings.append(((time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000))
    return timings


def _pct(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def summary(name: str, timings: list[tuple[float, float]], chars: list[int], per_call: int = 1) -> dict:
    """Per article: a call over `per_call` articles counts as that many articles of its mean time."""
    wall = sorted(w / per_call for w, _ in timings)
    cpu = sorted(c / per_call for _, c in timings)
    scaled = sorted(w / per_call * 2000 / max(1, n) for (w, _), n in zip(timings, chars))
    return {"name": name, "p50": statistics.median(wall), "p95": _pct(wall, 0.95), "p99": _pct(wall, 0.99),
            "cpu_p50": statistics.median(cpu), "per_2000": statistics.median(scaled),
            "per_s": len(wall) / (sum(wall) / 1000)}


def _pin_one_core() -> str:
    """Benchmark 1 on one core only."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    core = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


def _quantulum():
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser as quantulum
        quantulum.parse("warm up with 1 figure")
        return quantulum
    except ImportError:
        print("quantulum3 not installed: pip install quantulum3==0.10.0 (the bench extra) to compare", file=sys.stderr)
        return None


def bench_extraction(articles: list[Article], with_quantulum: bool, batch_size: int, sample: int) -> list[dict]:
    chars = [len(a.text) for a in articles]
    results = []
    parse.configure("none")
    for article in articles[:50]:
        extract_claims(article)
    results.append(summary("claimwatch, rules only (no parse)", time_each(extract_claims, articles), chars))
    parse.configure_default()
    load_resources()
    pipeline = parse.nlp()
    if pipeline is None:
        print("no spaCy model installed: the parse rows are left out", file=sys.stderr)
    else:
        name = f"{pipeline.meta['lang']}_{pipeline.meta['name']} {pipeline.meta['version']}"
        for article in articles[:50]:
            extract_claims(article)
        results.append(summary(f"claimwatch with spaCy ({name}), one article at a time",
                               time_each(extract_claims, articles), chars))
        batches = [articles[i:i + batch_size] for i in range(0, len(articles) - batch_size + 1, batch_size)]
        results.append(summary(f"claimwatch with spaCy, batches of {batch_size} (the extractor service)",
                               time_each(extract_claims_batch, batches),
                               [sum(len(a.text) for a in b) // len(b) for b in batches], per_call=batch_size))
        few = articles[:sample]
        candidates = [[text for _, text in _parse_candidates(a.text)] for a in few]
        results.append(summary("spaCy alone: nlp.pipe over the candidate sentences (the parse inside the above)",
                               time_each(lambda texts: list(pipeline.pipe(texts)), candidates), chars[:sample]))
        results.append(summary(f"spaCy alone: nlp.pipe over the whole text ({len(few)} articles)",
                               time_each(lambda a: list(pipeline.pipe([a.text])), few), chars[:sample]))
    quantulum = _quantulum() if with_quantulum else None
    if quantulum is not None:
        few = articles[:sample]  # quantulum3 is slow; a fair sample of the same texts
        results.append(summary(f"quantulum3 parse ({len(few)} articles)",
                               time_each(lambda a: quantulum.parse(a.text), few), chars[:sample]))
    results.append(summary("plain regex number finder", time_each(lambda a: _PLAIN_NUMBER.findall(a.text),
                                                                   articles), chars))
    return results


def extraction_table(results: list[dict], pinned: str) -> list[str]:
    lines = ["## 1. Extraction, one core", "", f"One process, {pinned}; wall time per article, and the CPU time "
             "this thread spent (what a core costs when other work shares the machine).", "",
             "| extractor | ms/article p50 | p95 | p99 | CPU ms p50 | ms per 2,000 chars p50 | articles/s |",
             "|---|---|---|---|---|---|---|"]
    for row in results:
        lines.append(f"| {row['name']} | {row['p50']:.2f} | {row['p95']:.2f} | {row['p99']:.2f} | "
                     f"{row['cpu_p50']:.2f} | {row['per_2000']:.2f} | {row['per_s']:.0f} |")
    ours = next((r for r in results if "one article at a time" in r["name"]), results[0])
    batched = next((r for r in results if "batches of" in r["name"]), None)
    lines.append("")
    for row, how in ((ours, "one at a time"), (batched, "in batches")):
        if row is not None:
            verdict = "meets" if row["p50"] <= TARGET_MS else "misses"
            lines.append(f"- claimwatch {how}: median {row['p50']:.1f} ms an article ({row['per_2000']:.1f} ms per "
                         f"2,000 characters), CPU {row['cpu_p50']:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target.")
    quantulum = next((r for r in results if r["name"].startswith("quantulum3")), None)
    if quantulum:
        best = min((r for r in (ours, batched) if r), key=lambda r: r["p50"])
        ratio = quantulum["p50"] / best["p50"]
        lines.append(f"- quantulum3 takes {quantulum['p50']:.1f} ms at the median (CPU {quantulum['cpu_p50']:.1f} ms): "
                     f"claimwatch with its parse is {ratio if ratio >= 1 else 1 / ratio:.1f}× "
                     f"{'faster' if ratio >= 1 else 'slower'} (CPU {best['cpu_p50']:.1f} ms), and also gives bounds, "
                     "counted noun, source, place, date and modality.")
    return lines


def memory_child(shared: Path, model: str) -> dict:
    """In a fresh process (see `--memory-child`): RSS after imports, after loading, and at its peak after
    extracting the corpus once."""
    def rss_mb() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    parse.configure(model)
    imported = rss_mb()
    started = time.perf_counter()
    load_resources()
    loaded_s = time.perf_counter() - started
    loaded = rss_mb()
    articles, _ = corpus(shared, 1)
    extract_claims_batch(articles[:16])
    for article in articles:
        extract_claims(article)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    return {"imported_mb": imported, "loaded_mb": loaded, "peak_mb": peak, "load_s": loaded_s}


def bench_memory(shared: Path) -> list[str]:
    lines = ["## 1b. Extractor memory and load time (a fresh process each)", "",
             "| extractor | RSS after imports (MB) | loading the model and gazetteer (s) | RSS loaded (MB) | "
             "peak RSS after extracting the corpus (MB) |", "|---|---|---|---|---|"]
    verdicts = []
    for label, model in (("with the spaCy model", parse._model_name() or "none"), ("rules only", "none")):
        done = subprocess.run([sys.executable, "-m", "tools.benchmarks", "--shared", str(shared),
                               "--memory-child", model], capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            lines.append(f"| {label} | failed: {(done.stderr.strip().splitlines() or ['?'])[-1]} | | | |")
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        lines.append(f"| {label} | {row['imported_mb']:.0f} | {row['load_s']:.1f} | {row['loaded_mb']:.0f} | "
                     f"{row['peak_mb']:.0f} |")
        if model != "none":
            verdicts.append(f"Peak RSS with the model and the gazetteer: {row['peak_mb']:.0f} MB, "
                            f"{'within' if row['peak_mb'] <= TARGET_RSS_MB else 'over'} the {TARGET_RSS_MB:.0f} MB "
                            "target.")
    return lines + ([""] + verdicts if verdicts else [])


def bench_profile(articles: list[Article], batch_size: int, top: int = 10) -> list[str]:
    """Own time per function over the distinct articles, in the service's batches."""
    distinct = list({a.text: a for a in articles}.values())
    profile = cProfile.Profile()
    profile.enable()
    for i in range(0, len(distinct), batch_size):
        extract_claims_batch(distinct[i:i + batch_size])
    profile.disable()
    stats = pstats.Stats(profile).stats
    spent = sum(row[2] for row in stats.values())
    rows = sorted(stats.items(), key=lambda item: -item[1][2])[:top]
    lines = ["## 1c. Where extraction spends its time", "",
             f"cProfile over the {len(distinct)} distinct articles in batches of {batch_size}: own time per function "
             "(compiled spaCy and thinc code counts in the Python function that calls it).", "",
             "| function | own time % | calls |", "|---|---|---|"]
    for (path, line, function), (_, calls, own, *_rest) in rows:
        where = path.split("site-packages/")[-1] if "site-packages" in path else Path(path).name
        lines.append(f"| {function} ({where}:{line}) | {100 * own / spent:.1f} | {calls} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="claimwatch-bench", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--articles", type=int, default=1040, help="articles for benchmark 1 (the corpus repeated)")
    parser.add_argument("--sample", type=int, default=200, help="articles for the spaCy-alone and quantulum3 rows")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="articles per batch (default: the extractor's CLAIMWATCH_EXTRACTOR_BATCH_SIZE)")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile table")
    parser.add_argument("--pin", action="store_true",
                        help="pin benchmark 1 to one core (on a shared machine this adds the others' load to it)")
    parser.add_argument("--memory-child", metavar="MODEL", help=argparse.SUPPRESS)
    parser.add_argument("--no-quantulum", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    parser.add_argument("--pipeline-articles", type=int, default=3_000,
                        help="articles for benchmarks 2 and 4 (about 60 s a broker with the parse on 2 cores)")
    parser.add_argument("--baseline-messages", type=int, default=10_000, help="messages for benchmark 5")
    parser.add_argument("--rates", default="10,50",
                        help="offered articles/s benchmark 3 runs before it searches for the sustained rate ('' skips it)")
    parser.add_argument("--latency-seconds", type=float, default=60.0, help="how long each offered rate runs")
    parser.add_argument("--partitions", type=int, default=2)
    parser.add_argument("--extraction-only", action="store_true", help="benchmark 1 only")
    parser.add_argument("--pipeline-only", action="store_true", help="benchmarks 2-5 only")
    parser.add_argument("--tansu-batching", type=int, metavar="ARTICLES", default=0,
                        help="benchmark 6 with this many articles (not in `make bench`: about 4 pipeline runs): "
                             "which producers need one record per batch on the embedded broker")
    parser.add_argument("--brokers", default="auto", choices=("auto", "both", "tansu", "kafka"),
                        help="brokers for benchmarks 2, 4 and 5: auto is Tansu and Apache Kafka when java is "
                             "present, else Tansu with a line saying why (default auto)")
    parser.add_argument("--kafka-pipeline-articles", type=int, default=None,
                        help="articles for benchmark 2 on Apache Kafka (default: --pipeline-articles)")
    args = parser.parse_args(argv)
    if args.batch_size is None:
        from services.extractor.settings import ExtractorSettings
        args.batch_size = ExtractorSettings().batch_size
    if args.memory_child:
        print(json.dumps(memory_child(args.shared, args.memory_child)))
        return 0
    articles, described = corpus(args.shared, args.articles)
    header = [f"# claimwatch benchmarks, {date.today().isoformat()}", "", f"- machine: {machine()}",
              f"- corpus: {described}", ""]
    print("\n".join(header), flush=True)
    lines: list[str] = []
    if not args.pipeline_only:
        lines = bench_memory(args.shared) + [""]
        print("\n".join(lines), flush=True)
        affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        pinned = _pin_one_core() if args.pin else "not pinned (one thread; --pin pins it to one core)"
        try:
            results = bench_extraction(articles, not args.no_quantulum, args.batch_size, args.sample)
            profile = ([] if args.no_profile or parse.nlp() is None
                       else [""] + bench_profile(articles, args.batch_size))
        finally:
            if affinity is not None:
                os.sched_setaffinity(0, affinity)
        extraction = extraction_table(results, pinned) + profile
        print("\n".join(extraction), flush=True)
        lines = extraction + [""] + lines
    if not args.extraction_only:
        from tools.bench_pipeline import report

        rates = [float(r) for r in args.rates.split(",") if r.strip()]
        pipeline = report(args.pipeline_articles, rates, args.latency_seconds, args.partitions, args.brokers,
                          args.kafka_pipeline_articles, args.baseline_messages)
        print("\n".join([""] + pipeline))
        lines += [""] + pipeline
        if args.tansu_batching:
            from tools.bench_pipeline import bench_tansu_batching, tansu_batching_table

            section = tansu_batching_table(bench_tansu_batching(args.tansu_batching, args.partitions),
                                           args.tansu_batching)
            print("\n".join([""] + section))
            lines += [""] + section
        header.insert(-1, f"- load average after the pipeline runs: {machine().rsplit('load average ', 1)[-1]}")
    text = "\n".join(header + lines) + "\n"
    args.out.mkdir(exist_ok=True)
    path = args.out / f"results-{date.today().isoformat()}.md"
    path.write_text(text, encoding="utf-8")
    (args.out / "latest.md").write_text(text, encoding="utf-8")
    print(f"\nwrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
