"""CloudWatch Logs of endpoints: group /aws/sagemaker/Endpoints/<endpoint>, one stream per
variant and instance, named `<variant>/<instance id>` (e.g. AllTraffic/i-03af43d35aa1655b6)."""

from __future__ import annotations

from typing import Any

from neoctl.api.session import AwsOptions, client

LOG_GROUP_PREFIX = "/aws/sagemaker/Endpoints/"


def log_group(endpoint: str) -> str:
    """The endpoint's log group."""
    return LOG_GROUP_PREFIX + endpoint


def events(
    options: AwsOptions, endpoint: str, prefix: str | None = None, start_ms: int | None = None
) -> list[dict[str, Any]] | None:
    """Every event of the endpoint's streams (those starting with `prefix`, e.g. "AllTraffic/"),
    from `start_ms` on, every instance interleaved by time (a stream's own lines keep their
    order); None when the endpoint has no log group (it never logged, or does not exist)."""
    from botocore.exceptions import ClientError

    params: dict[str, Any] = {"logGroupName": log_group(endpoint)}
    if prefix:
        params["logStreamNamePrefix"] = prefix
    if start_ms is not None:
        params["startTime"] = start_ms
    try:
        found = [
            event
            for page in client(options, "logs").get_paginator("filter_log_events").paginate(**params)
            for event in page.get("events", [])
        ]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return None
        raise
    if prefix:  # as CloudWatch does; moto's FilterLogEvents ignores logStreamNamePrefix
        found = [e for e in found if str(e.get("logStreamName", "")).startswith(prefix)]
    found.sort(key=lambda e: e.get("timestamp", 0))  # stable: ties keep each stream's order
    return found
