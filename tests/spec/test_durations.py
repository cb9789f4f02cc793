"""durations: "90s", "15m", "2h", "1d", "1h30m" and plain seconds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neoctl.spec.durations import parse_duration, repeated_unit


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


@pytest.mark.parametrize("value", ["1d1d", "1h30m1h", "5s5s", "1m 1m"])
def test_a_unit_given_twice_is_not_a_duration(value: str) -> None:
    assert parse_duration(value) is None
    assert repeated_unit(value) is not None


def test_schema_refuses_a_repeated_unit_and_says_which() -> None:
    from neoctl.spec.neoform import structure_errors

    spec = {"name": "a", "role": "r", "model": {}, "output": {"uri": "s3://b/"}, "max_runtime": "1d1d"}
    assert [(p, m) for p, m, _, _ in structure_errors(spec)] == [(("max_runtime",), "'1d1d' gives the unit d twice")]
