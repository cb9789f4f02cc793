"""Waiting on compilation jobs, for `wait`, `create --wait` and `stop --wait`.

The loop itself (back-off, throttling, timeout) is neoctl.polling's; this module says
what a job's final statuses are, how the jobs are polled (neoctl.jobs.poller), which
view shows the progress (neoctl.output.waiting, handed to the loop), and what the
result holds: each job's status, and for failures the FailureReason and the last log
lines, for successes the compiled model's S3 URI the next command needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from neoctl.errors import Interrupted, JobsFailed, WaitTimeout
from neoctl.jobs.hints import hint_for
from neoctl.jobs.status import BAD, FINISHED
from neoctl.polling import TimedOut, Waiting, is_throttling, run_wait
from neoctl.waitstate import JobView, WaitState

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.output import Printer


def job_state(names: list[str], stopped_ok: bool = False) -> WaitState:
    """Compilation jobs, nothing known yet; after `stop`, STOPPED counts as success."""
    return WaitState.watching(names, FINISHED, BAD - {"STOPPED"} if stopped_ok else BAD)


@dataclass
class WaitResult:
    """How a wait ended: one row per job (merged into the rows of what came before it)."""

    rows: list[dict[str, Any]]
    state: WaitState
    how: Waiting = field(default_factory=Waiting)
    timed_out: bool = False

    def failed(self) -> list[JobView]:
        """Jobs whose final status fails the wait."""
        return self.state.failed()

    def check(self) -> None:
        """WaitTimeout (exit 124) or JobsFailed (exit 1) when the wait did not end well."""
        pending = self.state.pending()
        if self.timed_out:
            raise WaitTimeout(
                f"--timeout {self.how.timeout_text} elapsed; {len(pending)} job(s) still running in SageMaker",
                f"wait again with `neoctl wait {' '.join(pending)}`\n      or stop them with `{_stop_hint(pending)}`",
            )
        failed = self.failed()
        if failed:
            raise JobsFailed(
                f"{len(failed)} of {len(self.state.jobs)} job(s) did not complete: "
                + ", ".join(f"{j.name} {j.status}" for j in failed)
            )


def wait_for_jobs(
    options: AwsOptions,
    names: list[str],
    how: Waiting | None = None,
    *,
    stopped_ok: bool = False,
    before: list[dict[str, Any]] | None = None,
    out: Printer | None = None,
) -> WaitResult:
    """Poll until every job has finished or `how.timeout` passes; never raises for the outcome
    (call WaitResult.check). Ctrl-C raises Interrupted naming the command to stop the jobs.

    `before` holds the rows the command would have printed (what `create` or `stop` did):
    the outcome is merged into them, so the command prints one result. With `out`,
    progress is shown on stderr (a live table on a terminal, a line per change otherwise).
    """
    from neoctl.jobs.poller import JobPoller
    from neoctl.output.waiting import progress_view

    how = how or Waiting()
    state = job_state(names, stopped_ok)
    poller = JobPoller(options, names)
    timed_out = False
    try:
        with progress_view(out, f"waiting for {len(state.jobs)} job(s)") as view:
            run_wait(poller, state, view, timeout=how.timeout, poll=how.poll, throttled=is_throttling)
    except TimedOut:
        timed_out = True
    except KeyboardInterrupt:
        pending = state.pending() or list(state.jobs)
        raise Interrupted(
            "interrupted; the job(s) keep running in SageMaker",
            # Two lines, a command whole on each: a terminal wraps a long line mid-word.
            f"watch them again with `neoctl wait {' '.join(pending)}`\n      or stop them with `{_stop_hint(pending)}`",
        ) from None
    details = {} if timed_out else _details(options, poller, state, out)
    return WaitResult(outcome(state, details, before), state, how, timed_out)


def outcome(
    state: WaitState, details: dict[str, dict[str, Any]], before: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """The result rows of a wait: name, final status, and what `details` adds per job
    (FailureReason, Hint — what it likely means and what to change —, LastLogLines,
    S3ModelArtifacts), merged into `before` when given."""
    rows = [
        {"CompilationJobName": job.name, "CompilationJobStatus": job.status} | details.get(job.name, {})
        for job in state.jobs.values()
    ]
    if not before:
        return rows
    final = {r["CompilationJobName"]: r for r in rows}
    return [b | final.get(b["CompilationJobName"], {}) for b in before]


def _details(options: AwsOptions, poller: Any, state: WaitState, out: Printer | None) -> dict[str, dict[str, Any]]:
    details: dict[str, dict[str, Any]] = {}
    for job in state.jobs.values():
        extra: dict[str, Any] = {}
        if job.status == "COMPLETED":
            artifacts = (poller.describe(job.name).get("ModelArtifacts") or {}).get("S3ModelArtifacts")
            if artifacts:
                extra["S3ModelArtifacts"] = artifacts
        elif job.status in state.bad:
            reason = poller.failure_reason(job.name) if job.status == "FAILED" else None
            if reason:
                extra["FailureReason"] = reason
                hint = hint_for(reason)
                if hint:
                    extra["Hint"] = hint
            lines = _log_tail(options, job.name, out)
            if lines:
                extra["LastLogLines"] = lines
        details[job.name] = extra
    return details


def _log_tail(options: AwsOptions, name: str, out: Printer | None) -> list[str]:
    # The outcome matters more than the logs: a missing logs:FilterLogEvents permission
    # or an unreachable CloudWatch must not hide why the job failed.
    from neoctl.api.logs import last_lines

    try:
        return last_lines(options, name)
    except Exception as exc:
        if out is not None:
            out.warning(f"could not read the logs of {name}: {exc}")
        return []


def _stop_hint(pending: list[str]) -> str:
    return f"neoctl stop {' '.join(pending)} --yes"
