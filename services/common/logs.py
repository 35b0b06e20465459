"""Keep a broker outage from flooding the logs: the Kafka clients retry every 100 ms and log each failure."""
from __future__ import annotations

import logging
import time


class RepeatFilter(logging.Filter):
    """Pass the first of each repeated message, hold the rest for `window_s`, then say how many were held."""

    def __init__(self, window_s: float = 10.0, clock=time.monotonic) -> None:
        super().__init__()
        self.window_s = window_s
        self._clock = clock
        self._last: dict[tuple, tuple[float, int]] = {}  # (logger, level, template) -> (first seen, held)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, record.levelno, str(record.msg))
        now = self._clock()
        seen = self._last.get(key)
        if seen is not None and now - seen[0] < self.window_s:
            self._last[key] = (seen[0], seen[1] + 1)
            return False
        if seen is not None and seen[1]:
            record.msg = f"{record.msg} (repeated {seen[1]} more times in {self.window_s:.0f} s)"
        if len(self._last) > 1000:
            self._last.clear()  # bounded: many distinct messages are not repeats
        self._last[key] = (now, 0)
        return True


def quiet_repeats(window_s: float = 10.0) -> RepeatFilter:
    """Install one RepeatFilter on every handler of the root logger (after the framework set them up)."""
    repeat = RepeatFilter(window_s)
    for handler in logging.getLogger().handlers:
        handler.addFilter(repeat)
    return repeat
