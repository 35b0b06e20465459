"""The timeline's scales: nice ticks by the figures' spread, and a time axis broken over long gaps."""
from datetime import date, timedelta

import pytest

from services.alerter import axis


def _nice(tick: float) -> bool:
    if tick == 0:
        return True
    mantissa = f"{abs(tick):e}".split("e")[0]
    return float(mantissa) in (1.0, 2.0, 5.0)


@pytest.mark.parametrize("low, high", [(2975, 15000), (0.3, 7.2), (12, 13), (40, 1052), (1, 1), (0, 0)])
def test_linear_ticks_are_multiples_of_one_two_or_five_times_a_power_of_ten(low, high):
    ticks = axis.linear_ticks(low, high)
    step = ticks[1] - ticks[0]
    assert _nice(step), ticks
    assert all(abs((b - a) - step) < step * 1e-6 for a, b in zip(ticks, ticks[1:]))  # evenly spaced
    assert ticks[0] <= min(0, low) and ticks[-1] >= high
    assert 3 <= len(ticks) <= 12, ticks


def test_odd_values_never_become_ticks():
    # the first console divided the top value by four: 18,975 / 14,231 / 9,488
    assert axis.linear_ticks(0, 16500) == [0, 5000, 10000, 15000, 20000]


def test_figures_spanning_two_orders_of_magnitude_get_a_log_scale():
    scale = axis.value_scale([4, 6, 40, 1_600_000])
    assert scale["kind"] == "log"
    assert scale["ticks"][0] <= 4 and scale["ticks"][-1] >= 1_600_000
    assert all(_nice(t) for t in scale["ticks"])
    few_decades = axis.value_scale([3, 700])["ticks"]
    assert 2 in few_decades and 500 in few_decades  # 1-2-5 steps when there are few decades


def test_close_figures_or_zero_keep_a_linear_scale():
    assert axis.value_scale([3000, 7000, 15000])["kind"] == "linear"
    assert axis.value_scale([0, 5, 5000])["kind"] == "linear"  # log cannot show zero
    assert axis.value_scale([])["ticks"] == [0, 0.2, 0.4, 0.6, 0.8, 1.0]


def test_a_month_long_gap_breaks_the_axis_and_a_burst_gets_room():
    burst = [date(2025, 3, 3)] * 6 + [date(2025, 3, 4)]
    later = [date(2025, 4, 10), date(2025, 4, 11)]
    segments = axis.time_segments([date(2025, 3, 1), *burst, *later])
    assert [(s["start"], s["end"]) for s in segments] == [("2025-03-01", "2025-03-04"), ("2025-04-10", "2025-04-11")]
    assert segments[0]["weight"] > segments[1]["weight"]  # three days of figures before two
    assert abs(sum(s["weight"] for s in segments) - 1) < 1e-5


def test_evenly_spread_days_keep_one_segment():
    days = [date(2025, 1, 1) + timedelta(days=20 * i) for i in range(8)]
    assert len(axis.time_segments(days)) == 1


def test_short_gaps_never_break_the_axis():
    assert len(axis.time_segments([date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 12)])) == 1


def test_a_year_long_gap_between_a_burst_and_a_late_figure():
    days = [date(2024, 10, 24), date(2024, 10, 29), date(2024, 10, 31), date(2024, 11, 2), date(2026, 2, 18)]
    segments = axis.time_segments(days)
    assert [s["days"] for s in segments] == [4, 1]
    assert axis.time_segments([]) == []
    assert len(axis.time_segments(days * 3, max_segments=1)) == 1
