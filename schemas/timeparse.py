"""One reading of timestamps for every input: ISO 8601 dates or date-times, a naive time taken as UTC."""
from __future__ import annotations

from datetime import date, datetime, time, timezone


def as_utc_aware(stamp: datetime) -> datetime:
    """A naive time is read as UTC, so naive and aware times compare and sort together."""
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def parse_time(text: str) -> datetime:
    """'2024-03-02', '2024-03-02T18:00', '2024-03-02T12:00:00Z' or with an offset; always time-zone aware.

    Raises ValueError with a message fit to show a user as it is."""
    value = text.strip() if isinstance(text, str) else text
    if not isinstance(value, str) or not value:
        raise ValueError(f"not an ISO 8601 date or date-time: {text!r}")
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=timezone.utc)
        return as_utc_aware(datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00")))
    except ValueError:
        raise ValueError(f"not an ISO 8601 date or date-time (e.g. 2024-03-02 or 2024-03-02T18:00:00Z): "
                         f"{text!r}") from None


def parse_optional_time(text: str | None) -> datetime | None:
    """parse_time, where a missing or empty value (a stored record or gold entry without one) is no time."""
    return parse_time(text) if text else None
