"""CloudWatch Logs of compilation jobs: group /aws/sagemaker/CompilationJobs,
one or more streams per job, named `<job name>/...`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from neoctl.api.session import AwsOptions, client

LOG_GROUP = "/aws/sagemaker/CompilationJobs"


def events(options: AwsOptions, job: str, start_ms: int | None = None) -> Iterator[dict[str, Any]]:
    """Every log event of `job` (from `start_ms` on), oldest first, across its streams."""
    from botocore.exceptions import ClientError

    logs = client(options, "logs")
    try:
        # The job's streams first: filtering by stream names works on every
        # implementation (moto ignores logStreamNamePrefix on FilterLogEvents).
        streams = [
            s["logStreamName"]
            for page in logs.get_paginator("describe_log_streams").paginate(
                logGroupName=LOG_GROUP, logStreamNamePrefix=f"{job}/"
            )
            for s in page.get("logStreams", [])
        ]
        found: list[dict[str, Any]] = []
        for i in range(0, len(streams), 100):  # FilterLogEvents takes at most 100 names
            params: dict[str, Any] = {"logGroupName": LOG_GROUP, "logStreamNames": streams[i : i + 100]}
            if start_ms is not None:
                params["startTime"] = start_ms
            for page in logs.get_paginator("filter_log_events").paginate(**params):
                found.extend(page.get("events", []))
        yield from sorted(found, key=lambda e: (e.get("timestamp", 0), e.get("eventId", "")))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return  # no log group yet: no job has logged in this region
        raise


def last_lines(options: AwsOptions, job: str, count: int = 10) -> list[str]:
    """The last `count` log messages of a job (empty when it has none)."""
    messages = [str(e.get("message", "")).rstrip("\n") for e in events(options, job)]
    return messages[-count:]
