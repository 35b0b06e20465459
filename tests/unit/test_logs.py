"""Repeated warnings collapse, so a broker outage does not flood the logs; distinct ones all pass."""
import logging

from services.common.logs import RepeatFilter


def record(msg: str, level: int = logging.ERROR, name: str = "aiokafka") -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, None, None)


def test_repeats_inside_the_window_are_held_and_counted():
    now = [0.0]
    repeat = RepeatFilter(window_s=10, clock=lambda: now[0])
    passed = []
    for second in range(25):
        now[0] = float(second)
        for _ in range(10):  # ten retries a second
            entry = record("Unable connect to node %s")
            if repeat.filter(entry):
                passed.append(entry.getMessage())
    assert len(passed) == 3  # at 0 s, 10 s and 20 s
    assert passed[1].endswith("(repeated 99 more times in 10 s)")


def test_distinct_messages_and_info_lines_are_not_held():
    repeat = RepeatFilter(window_s=10, clock=lambda: 0.0)
    assert all(repeat.filter(record(f"message {i}")) for i in range(50))
    assert all(repeat.filter(record("started", logging.INFO)) for _ in range(5))
