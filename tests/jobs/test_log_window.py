"""`logs --since` and `--tail` are checked before anything is sent (issue 23 item 24)."""

from __future__ import annotations

import datetime as dt

import pytest

from neoctl.errors import InvalidInput
from neoctl.jobs.logs import log_window
from neoctl.output.jobs import log_document, log_record


def test_nothing_given_is_no_window() -> None:
    assert log_window(None, None) == (None, None)


def test_since_is_epoch_milliseconds_and_tail_a_count() -> None:
    since_ms, tail = log_window("2026-03-01T10:00:00Z", "50")
    assert since_ms == int(dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC).timestamp() * 1000)
    assert tail == 50
    ago, _ = log_window("10m", None)
    now_ms = dt.datetime.now(dt.UTC).timestamp() * 1000
    assert ago is not None and abs(now_ms - 600_000 - ago) < 5_000


@pytest.mark.parametrize(
    ("since", "tail", "flag"),
    [(None, "0", "--tail"), (None, "x", "--tail"), (None, "1.5", "--tail"), ("yesterday", None, "--since")],
)
def test_bad_values_name_their_flag(since: str | None, tail: str | None, flag: str) -> None:
    with pytest.raises(InvalidInput) as info:
        log_window(since, tail)
    assert info.value.exit_code == 252 and info.value.message.startswith(flag)


def test_a_record_is_timestamp_stream_message() -> None:
    event = {"timestamp": 1_772_359_200_123, "logStreamName": "job/abc", "message": "line\r\n", "eventId": "1"}
    assert log_record(event) == {"timestamp": "2026-03-01T10:00:00.123Z", "stream": "job/abc", "message": "line"}
    assert (
        log_document(event, "json")
        == '{"timestamp": "2026-03-01T10:00:00.123Z", "stream": "job/abc", "message": "line"}'
    )
    assert log_document(event, "yaml").startswith("---\ntimestamp: '2026-03-01T10:00:00.123Z'")
