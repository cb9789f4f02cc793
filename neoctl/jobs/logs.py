"""`neoctl logs`: a job's CloudWatch log events, oldest first, optionally followed until
the job has finished."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from neoctl.errors import Interrupted
from neoctl.jobs.status import FINISHED

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions


def job_log_events(options: AwsOptions, name: str, follow: bool = False, poll: float = 5.0) -> Iterator[dict[str, Any]]:
    """Every log event of job `name` once; with `follow`, keep reading every `poll` seconds
    until the job has finished (then one last read for the events written at the end).

    ServiceError when there is no such job; Ctrl-C while following becomes Interrupted.
    """
    from neoctl.api.jobs import describe_job
    from neoctl.api.logs import events

    status = describe_job(options, name).get("CompilationJobStatus", "")  # also: does it exist?
    seen: set[str] = set()
    last_ms: int | None = None
    try:
        while True:
            for event in events(options, name, last_ms):
                key = str(event.get("eventId") or (event.get("timestamp"), event.get("message")))
                if key in seen:
                    continue  # startTime is inclusive: the last event comes again
                seen.add(key)
                if isinstance(event.get("timestamp"), int):
                    last_ms = max(last_ms or 0, int(event["timestamp"]))
                yield event
            if not follow or status in FINISHED:
                break
            time.sleep(poll)
            status = describe_job(options, name).get("CompilationJobStatus", "")
            if status in FINISHED:
                follow = False  # one more read for the events written at the end
    except KeyboardInterrupt:
        raise Interrupted("stopped following; the job keeps running") from None
