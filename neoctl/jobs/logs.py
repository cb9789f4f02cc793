"""Printing (and following) a job's log events."""

from __future__ import annotations

import datetime as dt
import time

from neoctl.api.session import AwsOptions
from neoctl.output import Printer


def _line(event: dict[str, object]) -> str:
    stamp = event.get("timestamp")
    when = (
        dt.datetime.fromtimestamp(stamp / 1000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"
        if isinstance(stamp, int)
        else ""
    )
    from neoctl.output.printer import printable

    return f"{when} {printable(str(event.get('message', '')).rstrip())}"


def show_logs(options: AwsOptions, name: str, out: Printer, follow: bool, poll: str) -> None:
    """Print the job's events; with follow, keep going until the job has finished."""
    from neoctl.api.jobs import FINISHED, describe_job
    from neoctl.api.logs import events
    from neoctl.errors import Interrupted
    from neoctl.flags import MIN_POLL, duration_flag

    interval = duration_flag(poll, "--poll", MIN_POLL) or 1.0
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
                out.text(_line(event))
                if isinstance(event.get("timestamp"), int):
                    last_ms = max(last_ms or 0, int(str(event["timestamp"])))
            if not follow or status in FINISHED:
                break
            time.sleep(interval)
            status = describe_job(options, name).get("CompilationJobStatus", "")
            if status in FINISHED:
                follow = False  # one more read for the events written at the end
    except KeyboardInterrupt:
        raise Interrupted("stopped following; the job keeps running") from None
    if not seen:
        out.message(f"no log events yet for {name} (status {status})")
