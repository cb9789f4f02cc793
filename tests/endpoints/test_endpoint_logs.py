"""endpoints.logs and api.endpoint_logs: an endpoint's streams interleaved by time, one
variant's streams, followed without repeats until Ctrl-C; values refused before anything is sent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from neoctl.api.session import AwsOptions
from neoctl.endpoints import logs
from neoctl.errors import EXIT_INTERRUPTED, Interrupted, InvalidInput, ServiceError
from neoctl.output.invocations import endpoint_log_line

AWS = AwsOptions(region="us-east-1")


def event(stream: str, ms: int, message: str, n: int = 0) -> dict[str, Any]:
    return {"logStreamName": stream, "timestamp": ms, "message": message, "eventId": f"{stream}-{ms}-{n}"}


class FakeLogs:
    """A CloudWatch Logs client whose FilterLogEvents pages are given, stream by stream and
    unsorted across streams, as moto (and a paged answer) can return them."""

    def __init__(self, pages: list[list[dict[str, Any]]], missing: bool = False) -> None:
        self.pages, self.missing = pages, missing
        self.calls: list[dict[str, Any]] = []

    def get_paginator(self, name: str) -> FakeLogs:
        assert name == "filter_log_events"
        return self

    def paginate(self, **params: Any) -> Iterator[dict[str, Any]]:
        self.calls.append(params)
        if self.missing:
            from botocore.exceptions import ClientError

            raise ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "x"}}, "FilterLogEvents")
        for page in self.pages:
            yield {"events": [e for e in page if e["timestamp"] >= params.get("startTime", 0)]}


def test_every_instance_is_interleaved_by_time_each_stream_in_its_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from neoctl.api import endpoint_logs

    a, b = "AllTraffic/i-0aaa", "AllTraffic/i-0bbb"
    fake = FakeLogs(
        [
            [event(a, 100, "a start"), event(a, 100, "a loaded", 1), event(a, 300, "a answered")],
            [event(b, 100, "b start"), event(b, 200, "b answered"), event("blue/i-0ccc", 150, "other variant")],
        ]
    )
    monkeypatch.setattr(endpoint_logs, "client", lambda options, service: fake)
    found = endpoint_logs.events(AWS, "prod", None, 50)
    assert [e["message"] for e in found or []] == [
        "a start",
        "a loaded",
        "b start",
        "other variant",
        "b answered",
        "a answered",
    ]
    assert fake.calls[-1] == {"logGroupName": "/aws/sagemaker/Endpoints/prod", "startTime": 50}
    # One variant: the prefix is sent, and applied here too (moto ignores it).
    only = endpoint_logs.events(AWS, "prod", "AllTraffic/", None)
    assert {e["logStreamName"] for e in only or []} == {a, b}
    assert fake.calls[-1] == {"logGroupName": "/aws/sagemaker/Endpoints/prod", "logStreamNamePrefix": "AllTraffic/"}


def test_no_log_group_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    from neoctl.api import endpoint_logs

    monkeypatch.setattr(endpoint_logs, "client", lambda options, service: FakeLogs([], missing=True))
    assert endpoint_logs.events(AWS, "prod") is None


def test_values_are_refused_before_anything_is_sent() -> None:
    with pytest.raises(InvalidInput, match="ENDPOINT 'bad_name!' does not match"):
        logs.check_values("bad_name!", None, None)
    with pytest.raises(InvalidInput, match="--variant 'two words' does not match"):
        logs.check_values("prod", "two words", None)
    with pytest.raises(InvalidInput, match="--since 'yesterday'"):
        logs.check_values("prod", None, "yesterday")
    assert logs.check_values("prod", "AllTraffic", "2026-12-05T00:00:00Z") == 1_796_428_800_000


def _reads(monkeypatch: pytest.MonkeyPatch, answers: list[list[dict[str, Any]] | None]) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []

    def events(options: AwsOptions, endpoint: str, prefix: str | None, start_ms: int | None) -> Any:
        calls.append((endpoint, prefix, start_ms))
        if not answers:
            raise KeyboardInterrupt
        return answers.pop(0)

    monkeypatch.setattr("neoctl.api.endpoint_logs.events", events)
    monkeypatch.setattr(logs.time, "sleep", lambda seconds: None)
    return calls


def test_following_prints_each_event_once_then_ctrl_c_is_130(monkeypatch: pytest.MonkeyPatch) -> None:
    first = [event("AllTraffic/i-1", 10_000, "one"), event("AllTraffic/i-2", 20_000, "two")]
    # The next read starts a minute before the newest event: it returns "two" again, and a late "late".
    second = [event("AllTraffic/i-2", 20_000, "two"), event("AllTraffic/i-1", 15_000, "late")]
    calls = _reads(monkeypatch, [first, second])
    seen: list[str] = []
    with pytest.raises(Interrupted) as err:
        for e in logs.endpoint_log_events(AWS, "prod", "AllTraffic", "1970-01-01", follow=True, poll=0):
            seen.append(e["message"])
    assert seen == ["one", "two", "late"]
    assert err.value.exit_code == EXIT_INTERRUPTED
    assert err.value.message == "stopped following the logs of endpoint prod; nothing was changed"
    assert calls[0] == ("prod", "AllTraffic/", 0)
    assert calls[1] == ("prod", "AllTraffic/", 0)  # max(--since, newest - 60 s)


def test_without_follow_one_read(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _reads(monkeypatch, [[event("AllTraffic/i-1", 5, "x")]])
    assert [e["message"] for e in logs.endpoint_log_events(AWS, "prod")] == ["x"]
    assert len(calls) == 1


def test_no_group_and_no_endpoint_is_a_service_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _reads(monkeypatch, [None])
    monkeypatch.setattr("neoctl.api.endpoints.find_endpoint", lambda options, name: None)
    with pytest.raises(ServiceError, match="there is no endpoint nope and no log group /aws/sagemaker/Endpoints/nope"):
        list(logs.endpoint_log_events(AWS, "nope"))


def test_an_endpoint_that_never_logged_prints_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    _reads(monkeypatch, [None])
    monkeypatch.setattr("neoctl.api.endpoints.find_endpoint", lambda options, name: {"EndpointName": name})
    assert list(logs.endpoint_log_events(AWS, "quiet")) == []


def test_last_lines_name_their_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    found = [event(f"AllTraffic/i-{n}", n, f"line {n}\n") for n in range(15)]
    monkeypatch.setattr("neoctl.api.endpoint_logs.events", lambda *args: found)
    shown, messages = logs.last_lines(AWS, "prod", None, count=3)
    assert shown == ["AllTraffic/i-12 line 12", "AllTraffic/i-13 line 13", "AllTraffic/i-14 line 14"]
    assert len(messages) == 15 and messages[0] == "line 0"


def test_a_printed_line_has_time_stream_and_message() -> None:
    line = endpoint_log_line(event("AllTraffic/i-0abc", 1_796_443_133_908, "hello\x1b[31m\n"))
    assert line == "2026-12-05T03:58:53.908Z AllTraffic/i-0abc hello\\x1b[31m"
