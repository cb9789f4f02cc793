"""Why an endpoint failed: its FailureReason, the last lines its containers logged, and a
hint from the table of known failures (neoctl/facts/endpoint_failures.json).

An endpoint creation or update can end Failed; an update can also end InService on the
old config with a FailureReason (SageMaker rolled it back: "the status is InService but
update operation fails", DescribeEndpoint reference). Either way the answer is usually in
the container's log, which this reads for `deploy --wait`, `endpoint update --wait`,
`endpoint rollback --wait` and `endpoint describe`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from neoctl.endpoints.hints import hint_for

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.output import Printer

# How far back from the endpoint's last change its log is read: SageMaker retries a
# container that fails its health check for tens of minutes before giving up.
LOG_WINDOW = dt.timedelta(hours=3)
LAST_LINES = 10


def failed(endpoint: dict[str, Any], config: str | None = None) -> bool:
    """Whether `endpoint` (a DescribeEndpoint answer) shows a failure: Failed or
    UpdateRollbackFailed; or a FailureReason (an update rolled back) — when the update to
    `config` was waited for, only while the endpoint serves another config than `config`."""
    if endpoint.get("EndpointStatus") in ("Failed", "UpdateRollbackFailed"):
        return True
    if endpoint.get("FailureReason"):
        return config is None or endpoint.get("EndpointConfigName") != config
    return False


def diagnose(options: AwsOptions, endpoint: dict[str, Any], out: Printer | None = None) -> dict[str, Any]:
    """{"EndpointName", "EndpointStatus", "EndpointConfigName", "FailureReason", "LastLogLines"
    (each "<stream> <message>"), "Hint" ({"Id", "Meaning", "Action", "Source"}, when one is
    known)}. A log that cannot be read (no permission, no CloudWatch) is warned about on
    `out`, never raised: the FailureReason matters more."""
    name = str(endpoint.get("EndpointName", ""))
    reason = str(endpoint.get("FailureReason") or "")
    lines: list[str] = []
    messages: list[str] = []
    try:
        lines, messages = _log(options, endpoint)
    except Exception as exc:
        if out is not None:
            out.warning(f"could not read the logs of endpoint {name}: {exc}")
    result: dict[str, Any] = {
        "EndpointName": name,
        "EndpointStatus": endpoint.get("EndpointStatus"),
        "EndpointConfigName": endpoint.get("EndpointConfigName"),
        "FailureReason": reason or None,
        "LastLogLines": lines,
    }
    hint = hint_for(reason, messages, name)
    if hint is not None:
        result["Hint"] = hint
    return result


def _log(options: AwsOptions, endpoint: dict[str, Any]) -> tuple[list[str], list[str]]:
    from neoctl.endpoints.logs import last_lines

    changed = endpoint.get("LastModifiedTime")
    created = endpoint.get("CreationTime")
    since = changed - LOG_WINDOW if isinstance(changed, dt.datetime) else None
    if since is not None and isinstance(created, dt.datetime):
        since = max(since, created - dt.timedelta(minutes=1))
    return last_lines(options, str(endpoint.get("EndpointName", "")), since, LAST_LINES)
