"""The timeline's scales, as pure functions: "nice" value ticks (1, 2 or 5 times a power of ten) on a linear
or a log scale chosen by the figures' spread, and a time axis broken over long gaps so that a burst of
figures gets room instead of sharing one column with a year of empty axis."""
from __future__ import annotations

import math
from datetime import date

LOG_SPREAD = 100.0  # positive figures spanning this factor or more are drawn on a log scale
MIN_GAP_DAYS = 14  # a gap shorter than this never breaks the axis


def nice_step(span: float, count: int = 5) -> float:
    """The 1/2/5 x 10^k step that cuts `span` into about `count` intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power * (1 + 1e-9):
            return factor * power
    return 10 * power


def linear_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Nice ticks from a multiple of the step at or below `low` to one at or above `high`; zero is kept
    when the figures are all positive (a count's axis starts at nothing)."""
    low = min(0.0, low)
    if high <= low:
        high = low + 1
    step = nice_step(high - low, count)
    start, stop = math.floor(low / step), math.ceil(high / step)
    return [_clean(i * step) for i in range(start, stop + 1)]


def log_ticks(low: float, high: float) -> list[float]:
    """Powers of ten around [low, high] (both > 0), with 2 and 5 between them when there are few decades."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    factors = (1, 2, 5) if last - first <= 3 else (1,)
    ticks = [_clean(f * 10 ** k) for k in range(first, last + 1) for f in factors]
    # keep one tick on each side of the data, no more
    below = [t for t in ticks if t <= low]
    above = [t for t in ticks if t >= high]
    return [t for t in ticks if (not below or t >= below[-1]) and (not above or t <= above[0])]


def _clean(value: float) -> float:
    return float(f"{value:.12g}")


def value_scale(values: list[float], count: int = 5) -> dict:
    """{"kind": "linear" or "log", "ticks": [...], "min": first tick, "max": last tick} for the figures'
    finite values (bounds and points). Log when all are positive and the largest is LOG_SPREAD times the
    smallest: there a linear axis squashes the small figures onto the baseline."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        finite = [0.0, 1.0]
    low, high = min(finite), max(finite)
    if low > 0 and high / low >= LOG_SPREAD:
        ticks = log_ticks(low, high)
        return {"kind": "log", "ticks": ticks, "min": ticks[0], "max": ticks[-1]}
    ticks = linear_ticks(low, high, count)
    return {"kind": "linear", "ticks": ticks, "min": ticks[0], "max": ticks[-1]}


def time_segments(days: list[date], max_segments: int = 4) -> list[dict]:
    """The figures' days (one per figure, repeats and all) cut at their longest gaps into at most
    `max_segments` runs, each {"start", "end" (ISO dates), "days": distinct days in it, "figures": figures
    in it, "weight": its share of the axis}.

    A gap breaks the axis when it is at least MIN_GAP_DAYS and at least half of what is left of the span
    once the longer gaps are cut: empty time then takes no room. A segment's width follows the number of
    figures it holds, so eight figures of one day get the room of eight columns."""
    distinct = sorted(set(days))
    if not distinct:
        return []
    gaps = sorted(((distinct[i + 1] - distinct[i]).days, i) for i in range(len(distinct) - 1))
    total = (distinct[-1] - distinct[0]).days
    cuts: list[int] = []
    for length, index in reversed(gaps):
        if len(cuts) + 1 >= max_segments or length < MIN_GAP_DAYS:
            break
        # a gap that is most of the remaining span, measured without the gaps already cut
        rest = total - sum((distinct[i + 1] - distinct[i]).days for i in cuts)
        if length * 2 < rest:
            break
        cuts.append(index)
    bounds = [-1, *sorted(cuts), len(distinct) - 1]
    runs = [distinct[bounds[i] + 1: bounds[i + 1] + 1] for i in range(len(bounds) - 1)]
    counts = [sum(1 for d in days if run[0] <= d <= run[-1]) for run in runs]
    weights = [count + 1 for count in counts]  # +1: room for the segment's edges
    return [{"start": run[0].isoformat(), "end": run[-1].isoformat(), "days": len(run), "figures": count,
             "weight": round(weight / sum(weights), 6)} for run, count, weight in zip(runs, counts, weights)]
