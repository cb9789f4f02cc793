"""Waiting on compilation jobs, shared by `wait`, `create --wait` and `stop --wait`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import typer

from neoctl.api.session import AwsOptions
from neoctl.output import Printer

Timeout = Annotated[
    str | None,
    typer.Option("--timeout", help="Give up after this long (e.g. 90s, 30m, 2h); exit 124.", show_default=False),
]
Poll = Annotated[str, typer.Option("--poll", help="Seconds between status checks (grows while nothing changes).")]


@dataclass(frozen=True)
class Waiting:
    """--timeout and --poll, checked before any request is sent."""

    timeout: float | None
    poll: float
    timeout_text: str | None = None


def waiting(timeout: str | None, poll: str) -> Waiting:
    """Parse --timeout/--poll (InvalidInput, exit 252, before anything is sent)."""
    from neoctl.flags import MIN_POLL, duration_flag

    return Waiting(duration_flag(timeout, "--timeout"), duration_flag(poll, "--poll", MIN_POLL) or MIN_POLL, timeout)


def wait_for(
    options: AwsOptions,
    names: list[str],
    out: Printer,
    how: Waiting,
    stopped_ok: bool = False,
    before: list[dict[str, Any]] | None = None,
) -> None:
    """Wait until every job has finished; print the outcome; raise for exit codes 1/124/130.

    `before` holds the rows the command would have printed (e.g. what `create` did):
    the outcome is merged into them, so the command prints one result — one JSON
    document with -o json.
    """
    from neoctl.errors import Interrupted, JobsFailed, WaitTimeout
    from neoctl.jobs.poller import JobPoller
    from neoctl.output.waiting import WaitView, outcome_view
    from neoctl.polling import TimedOut, WaitState, outcome, run_wait

    state = WaitState.of(names, stopped_ok=stopped_ok)
    poller = JobPoller(options, names)
    stop_hint = f"neoctl stop {' '.join(state.pending())} --yes"
    try:
        with WaitView(out, f"waiting for {len(state.jobs)} job(s)") as view:
            run_wait(poller, state, view, timeout=how.timeout, poll=how.poll, throttled=_is_throttling)
    except TimedOut:
        out.data(outcome(state, {}, {}, before), outcome_view)
        raise WaitTimeout(
            f"--timeout {how.timeout_text} elapsed; {len(state.pending())} job(s) still running in SageMaker",
            f"wait again with `neoctl wait {' '.join(state.pending())}`, or stop them with `{stop_hint}`",
        ) from None
    except KeyboardInterrupt:
        raise Interrupted(
            "interrupted; the job(s) keep running in SageMaker", f"stop them with `{stop_hint}`"
        ) from None
    failed = state.failed()
    reasons = {j.name: poller.failure_reason(j.name) for j in failed if j.status == "FAILED"}
    logs = {j.name: _log_tail(options, j.name, out) for j in failed}
    out.data(outcome(state, reasons, logs, before), outcome_view)
    if failed:
        raise JobsFailed(
            f"{len(failed)} of {len(state.jobs)} job(s) did not complete: "
            + ", ".join(f"{j.name} {j.status}" for j in failed)
        )


def _log_tail(options: AwsOptions, name: str, out: Printer) -> list[str]:
    # The outcome matters more than the logs: a missing logs:FilterLogEvents permission
    # or an unreachable CloudWatch must not hide why the job failed.
    from neoctl.api.logs import last_lines

    try:
        return last_lines(options, name)
    except Exception as exc:
        out.warning(f"could not read the logs of {name}: {exc}")
        return []


def _is_throttling(exc: BaseException) -> bool:
    from botocore.exceptions import ClientError

    return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in (
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
    )


class _EndpointPoller:
    """DescribeEndpoint as the wait loop's poller; keeps the last answer for the result."""

    def __init__(self, options: AwsOptions, name: str) -> None:
        self.options, self.name = options, name
        self.last: dict[str, Any] = {}

    def poll(self, pending: list[str]) -> dict[str, str]:
        from neoctl.api.endpoints import describe_endpoint

        self.last = describe_endpoint(self.options, self.name)
        return {self.name: str(self.last.get("EndpointStatus", ""))}


def wait_for_endpoint(options: AwsOptions, name: str, out: Printer, how: Waiting) -> None:
    """Poll an endpoint until InService (return) or Failed (exit 1 with its FailureReason):
    the same loop, back-off, throttling and timeout as waiting on jobs."""
    from neoctl.errors import Interrupted, JobsFailed, WaitTimeout
    from neoctl.output.endpoints import endpoint_view
    from neoctl.output.waiting import WaitView
    from neoctl.polling import TimedOut, WaitState, run_wait

    state = WaitState.endpoint(name)
    poller = _EndpointPoller(options, name)
    try:
        with WaitView(out, f"waiting for endpoint {name}") as view:
            run_wait(poller, state, view, timeout=how.timeout, poll=how.poll, throttled=_is_throttling)
    except TimedOut:
        status = state.jobs[name].status
        raise WaitTimeout(
            f"--timeout {how.timeout_text} elapsed; endpoint {name} is still {status}",
            f"check again with `neoctl endpoint describe {name}`",
        ) from None
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; the update of {name} goes on in SageMaker") from None
    out.data(poller.last, endpoint_view)
    if state.failed():
        raise JobsFailed(f"endpoint {name} Failed: {poller.last.get('FailureReason', 'no reason given')}")
