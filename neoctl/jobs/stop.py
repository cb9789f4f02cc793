"""`neoctl stop`: which jobs there is something to stop, and stopping them one row each."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from neoctl.errors import BatchIncomplete, Interrupted, NeoctlError, ServiceError
from neoctl.jobs.status import FINISHED

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions

# As create's fan-out: enough to stop thousands of jobs in minutes, few enough that
# SageMaker's request rate limits are not the bottleneck (the client retries throttling).
CONCURRENCY = 8
Done = Callable[[], None] | None
_T = TypeVar("_T")


@dataclass
class StopPlan:
    """The jobs to stop, and the rows of those with nothing to stop (finished, unknown)."""

    to_stop: list[str] = field(default_factory=list)
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)


def plan_stop(options: AwsOptions, names: list[str], concurrency: int = CONCURRENCY, done: Done = None) -> StopPlan:
    """Describe each job: a finished or stopping one is reported, not stopped (so nobody is
    asked to confirm a stop that would do nothing); an unknown one gets an Error row.

    The describes go through a bounded pool; `done` is called after each one (progress).
    """
    from neoctl.api.jobs import describe_job

    def look(name: str) -> dict[str, Any] | None:
        try:
            status = describe_job(options, name).get("CompilationJobStatus", "")
        except ServiceError as exc:
            return _error_row(name, exc)
        return _nothing_to_stop(name, status) if status in FINISHED or status == "STOPPING" else None

    unique = list(dict.fromkeys(names))
    try:
        found = _pooled(options, look, unique, concurrency, done)
    except KeyboardInterrupt:
        raise Interrupted("interrupted while looking the jobs up; nothing was stopped") from None
    plan = StopPlan()
    for name in unique:  # in the order given, whichever answer came first
        row = found[name]
        if row is None:
            plan.to_stop.append(name)
        else:
            plan.rows[name] = row
    return plan


def stop_jobs(
    options: AwsOptions,
    names: list[str],
    plan: StopPlan | None = None,
    concurrency: int = CONCURRENCY,
    done: Done = None,
) -> list[dict[str, Any]]:
    """Stop each job of the plan (or of `names`) through a bounded pool; one row per name,
    in the order given.

    A job that finished between the plan and the stop is reported like one that had
    finished before; a refusal is an Error in its row, not the end of the batch.
    Ctrl-C: Interrupted (exit 130) naming how many were stopped and the ones that were.
    """
    from neoctl.api.errors import translate
    from neoctl.api.jobs import describe_job, stop_job

    def stop_one(name: str) -> dict[str, Any]:
        try:
            refused = stop_job(options, name)
            if refused is None:
                return {"CompilationJobName": name, "Stopped": True, "CompilationJobStatus": "STOPPING"}
            status = describe_job(options, name).get("CompilationJobStatus", "")
            if status in FINISHED or status == "STOPPING":
                return _nothing_to_stop(name, status)
            return _error_row(name, ServiceError(f"StopCompilationJob failed: {refused}"))
        except Exception as exc:
            error = exc if isinstance(exc, NeoctlError) else translate(exc)
            if not isinstance(error, ServiceError):
                raise
            return _error_row(name, error)

    plan = plan or StopPlan(to_stop=list(dict.fromkeys(names)))
    rows = dict(plan.rows)
    partial: dict[str, dict[str, Any]] = {}
    try:
        rows.update(_pooled(options, stop_one, plan.to_stop, concurrency, done, partial))
    except KeyboardInterrupt:
        stopped = [name for name, row in partial.items() if row.get("Stopped")]
        shown = ", ".join(stopped[:20]) + (f", … ({len(stopped) - 20} more)" if len(stopped) > 20 else "")
        raise Interrupted(
            f"interrupted after {len(stopped)} of {len(plan.to_stop)} job(s) were stopped"
            + (f": {shown}" if stopped else "")
            + "; requests already in flight may still stop their jobs",
            "run the same command again to stop the rest: jobs already stopping are reported, not stopped again",
        ) from None
    return [rows[name] for name in dict.fromkeys(names)]


def _pooled(
    options: AwsOptions,
    work: Callable[[str], _T],
    names: list[str],
    concurrency: int,
    done: Done,
    results: dict[str, _T] | None = None,
) -> dict[str, _T]:
    """`work(name)` for each name on at most `concurrency` threads; the answers by name.

    On Ctrl-C the calls not yet started are cancelled and KeyboardInterrupt goes on, with
    `results` holding the answers so far.
    """
    from neoctl.api.session import client

    results = {} if results is None else results
    if not names:
        return results
    client(options)  # created once, before the threads share it
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(names)))) as pool:
        futures = {pool.submit(work, name): name for name in names}
        try:
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if done is not None:
                    done()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return results


def check_stopped(rows: list[dict[str, Any]]) -> None:
    """BatchIncomplete (exit 254) naming every job that could not be stopped."""
    refused = [r for r in rows if r.get("Error")]
    if refused:
        raise BatchIncomplete(
            f"{len(refused)} of {len(rows)} job(s) could not be stopped: "
            + "; ".join(f"{r['CompilationJobName']} ({r['Error']})" for r in refused),
            next((r["Hint"] for r in refused if r.get("Hint")), "the other jobs were handled as shown"),
        )


def _nothing_to_stop(name: str, status: str) -> dict[str, Any]:
    return {
        "CompilationJobName": name,
        "Stopped": False,
        "CompilationJobStatus": status,
        "Message": f"already {status}; nothing to stop",
    }


def _error_row(name: str, error: NeoctlError) -> dict[str, Any]:
    row: dict[str, Any] = {
        "CompilationJobName": name,
        "Stopped": False,
        "CompilationJobStatus": "",
        "Error": error.message,
    }
    if error.hint:
        row["Hint"] = error.hint
    return row
