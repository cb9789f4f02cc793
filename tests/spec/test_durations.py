"""durations: "90s", "15m", "2h", "1d", "1h30m" and plain seconds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neoctl.spec.durations import parse_duration


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (900, 900),
        ("900", 900),
        ("90s", 90),
        ("15m", 900),
        ("2h", 7200),
        ("1d", 86400),
        ("28d", 2419200),
        ("1h30m", 5400),
        ("1d2h3m4s", 93784),
        (" 15m ", 900),
        ("0", 0),
    ],
)
def test_durations(value: object, seconds: int) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize(
    "value",
    ["15x", "", "m", "h2", "1.5h", "-5m", "15mm", "1h30", "1w", "1s5", "１５m", "²", True, False, None, 1.5, [15]],
)
def test_not_durations(value: object) -> None:
    assert parse_duration(value) is None


def _spell(days: int, hours: int, minutes: int, seconds: int) -> str:
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")]
    return "".join(f"{n}{unit}" for n, unit in parts if n) or "0s"


@given(st.integers(0, 400), st.integers(0, 23), st.integers(0, 59), st.integers(0, 59))
def test_spelled_duration_round_trips(days: int, hours: int, minutes: int, seconds: int) -> None:
    total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    assert parse_duration(_spell(days, hours, minutes, seconds)) == total
    assert parse_duration(str(total)) == total


@given(st.text(max_size=20))
def test_any_text_gives_seconds_or_none(text: str) -> None:
    result = parse_duration(text)
    assert result is None or (isinstance(result, int) and result >= 0)
