"""`neoctl logs`: a job's CloudWatch log events, oldest first (those since a time, the
last N), optionally followed until the job has finished."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from neoctl.errors import Interrupted
from neoctl.jobs.status import FINISHED

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions


def log_window(since: str | None, tail: str | None) -> tuple[int | None, int | None]:
    """--since and --tail checked before anything is sent (InvalidInput, 252, naming the
    flag): --since an ISO 8601 time or an age (10m, 2h, 7d), as epoch milliseconds;
    --tail a whole number of events, at least 1. None for a flag not given."""
    from neoctl.flags import count, timestamp

    since_ms = int(timestamp(since, "--since").timestamp() * 1000) if since is not None else None
    return since_ms, count(tail, "--tail")


def job_log_events(
    options: AwsOptions,
    name: str,
    follow: bool = False,
    poll: float = 5.0,
    *,
    since_ms: int | None = None,
    tail: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Every log event of job `name` once; with `follow`, keep reading every `poll` seconds
    until the job has finished (then one last read for the events written at the end).

    `since_ms` (epoch milliseconds): only the events at or after it. `tail`: of the events
    already written, only the last `tail` (with `follow`, then every new one).
    ServiceError when there is no such job; Ctrl-C while following becomes Interrupted.
    """
    from neoctl.api.jobs import describe_job
    from neoctl.api.logs import events

    status = describe_job(options, name).get("CompilationJobStatus", "")  # also: does it exist?
    seen: set[str] = set()
    last_ms: int | None = since_ms
    first = True
    try:
        while True:
            fresh: deque[dict[str, Any]] = deque(maxlen=tail if first else None)
            for event in events(options, name, last_ms):
                key = str(event.get("eventId") or (event.get("timestamp"), event.get("message")))
                if key in seen:
                    continue  # startTime is inclusive: the last event comes again
                stamp = event.get("timestamp")
                if since_ms is not None and isinstance(stamp, int) and stamp < since_ms:
                    continue  # as CloudWatch does with startTime, whatever serves the API
                seen.add(key)
                if isinstance(stamp, int):
                    last_ms = max(last_ms or 0, stamp)
                fresh.append(event)
            first = False
            yield from fresh
            if not follow or status in FINISHED:
                break
            time.sleep(poll)
            status = describe_job(options, name).get("CompilationJobStatus", "")
            if status in FINISHED:
                follow = False  # one more read for the events written at the end
    except KeyboardInterrupt:
        raise Interrupted("stopped following; the job keeps running") from None
