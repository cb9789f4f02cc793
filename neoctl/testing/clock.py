"""Time helpers that match moto's convention of naive datetimes holding UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


def now() -> datetime:
    """The current UTC time, naive like every timestamp moto stores and serialises."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_naive_utc(value: datetime) -> datetime:
    """Normalise a request timestamp so it compares with moto's naive UTC fields."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def epoch_micros(value: datetime) -> int:
    """An exact integer form of a naive UTC time, for sort keys that survive JSON."""
    return (value - _EPOCH) // _MICROSECOND


def epoch_millis(value: datetime) -> int:
    """CloudWatch Logs wants event timestamps in epoch milliseconds."""
    return epoch_micros(value) // 1000


def to_millis(value: datetime) -> datetime:
    """Drop sub-millisecond digits: clients only ever see milliseconds, so filters
    given a timestamp read back from the API must compare at that precision."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000)
