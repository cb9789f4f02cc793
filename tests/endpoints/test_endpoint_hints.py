"""endpoints.hints and endpoints.failure: a failed endpoint's FailureReason and log lines →
what it likely means and what to do, from facts/endpoint_failures.json."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from neoctl.api.session import AwsOptions
from neoctl.endpoints import failure
from neoctl.endpoints.hints import hint_for
from neoctl.facts import endpoint_failures, endpoint_failures_document

PING = (
    "The primary container for production variant AllTraffic did not pass the ping health check. "
    "Please check CloudWatch logs for this endpoint."
)
KINDS = {"missing-inference-script", "out-of-memory", "instance-limit", "model-download", "image-pull"}


def test_the_table_has_the_known_failures_each_with_a_source_and_a_date() -> None:
    doc = endpoint_failures_document()
    assert doc["retrieved"] == "2026-12-05"
    ids = [row["id"] for row in endpoint_failures()]
    assert set(ids) == KINDS | {"ping-health-check"} and len(ids) == len(set(ids))
    for row in endpoint_failures():
        assert row["source"] and row["meaning"] and row["action"], row["id"]
        assert set(row["searches"]) <= {"FailureReason", "logs"} and row["searches"], row["id"]
        re.compile(row["pattern"])
        # The hint is for users: no URL, no source on screen.
        assert "http" not in row["meaning"] + row["action"], row["id"]


@pytest.mark.parametrize("row", endpoint_failures(), ids=lambda row: row["id"])
def test_each_example_finds_its_own_row(row: Any) -> None:
    reason, lines = (row["example"], []) if "FailureReason" in row["searches"] else (PING, [row["example"]])
    hint = hint_for(reason, lines)
    assert hint is not None and hint["Id"] == row["id"]


def test_the_log_is_read_before_the_ping_reason() -> None:
    """SageMaker gives an out-of-memory container and one without its script the same reason."""
    oom = ["Loading the model", "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB", "Worker died."]
    assert (hint_for(PING, oom) or {}).get("Id") == "out-of-memory"
    script = ["Traceback (most recent call last):", "ModuleNotFoundError: No module named 'inference'"]
    assert (hint_for(PING, script) or {}).get("Id") == "missing-inference-script"
    assert (hint_for(PING, ["RuntimeError: the model could not be loaded"]) or {}).get("Id") == "ping-health-check"
    assert (hint_for(PING) or {}).get("Id") == "ping-health-check"


def test_no_hint_for_what_is_not_known_and_the_command_names_the_endpoint() -> None:
    assert hint_for("Request to service failed. If failure persists after retry, contact customer support.") is None
    assert hint_for("", []) is None
    hint = hint_for(PING, [], "resnet50-prod")
    assert hint is not None and "`neoctl endpoint logs resnet50-prod --since 3h`" in hint["Action"]


def test_what_counts_as_failed() -> None:
    assert failure.failed({"EndpointStatus": "Failed"})
    assert failure.failed({"EndpointStatus": "UpdateRollbackFailed"}, "v2")
    rolled_back = {"EndpointStatus": "InService", "EndpointConfigName": "v1", "FailureReason": PING}
    assert failure.failed(rolled_back)  # describe: any FailureReason
    assert failure.failed(rolled_back, "v2")  # the update to v2 did not take
    assert not failure.failed(rolled_back | {"EndpointConfigName": "v2"}, "v2")  # an older reason
    assert not failure.failed({"EndpointStatus": "InService", "EndpointConfigName": "v2"}, "v2")


def test_a_diagnosis_reads_the_log_from_before_the_last_change(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[Any] = []

    def last_lines(options: AwsOptions, endpoint: str, since: Any, count: int) -> tuple[list[str], list[str]]:
        asked.append((endpoint, since, count))
        return ["AllTraffic/i-1 not enough memory"], ["Loading", "not enough memory"]

    monkeypatch.setattr("neoctl.endpoints.logs.last_lines", last_lines)
    changed = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
    described = {
        "EndpointName": "prod",
        "EndpointStatus": "Failed",
        "EndpointConfigName": "prod-v2",
        "FailureReason": PING,
        "CreationTime": changed - dt.timedelta(hours=1),
        "LastModifiedTime": changed,
    }
    result = failure.diagnose(AwsOptions(), described)
    assert result["FailureReason"] == PING
    assert result["LastLogLines"] == ["AllTraffic/i-1 not enough memory"]
    assert result["Hint"]["Id"] == "out-of-memory"
    assert asked == [("prod", changed - dt.timedelta(hours=1, minutes=1), 10)]  # not before creation


def test_a_log_that_cannot_be_read_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: Any) -> Any:
        raise PermissionError("AccessDeniedException: logs:FilterLogEvents")

    monkeypatch.setattr("neoctl.endpoints.logs.last_lines", refused)
    warned: list[str] = []

    class Out:
        def warning(self, text: str) -> None:
            warned.append(text)

    result = failure.diagnose(AwsOptions(), {"EndpointName": "prod", "FailureReason": PING}, Out())  # type: ignore[arg-type]
    assert result["LastLogLines"] == [] and result["Hint"]["Id"] == "ping-health-check"
    assert warned == ["could not read the logs of endpoint prod: AccessDeniedException: logs:FilterLogEvents"]
