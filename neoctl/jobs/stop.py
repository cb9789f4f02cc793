"""`neoctl stop`: which jobs there is something to stop, and stopping them one row each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from neoctl.errors import BatchIncomplete, NeoctlError, ServiceError
from neoctl.jobs.status import FINISHED

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions


@dataclass
class StopPlan:
    """The jobs to stop, and the rows of those with nothing to stop (finished, unknown)."""

    to_stop: list[str] = field(default_factory=list)
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)


def plan_stop(options: AwsOptions, names: list[str]) -> StopPlan:
    """Describe each job: a finished or stopping one is reported, not stopped (so nobody is
    asked to confirm a stop that would do nothing); an unknown one gets an Error row."""
    from neoctl.api.jobs import describe_job

    plan = StopPlan()
    for name in dict.fromkeys(names):
        try:
            status = describe_job(options, name).get("CompilationJobStatus", "")
        except ServiceError as exc:
            plan.rows[name] = _error_row(name, exc)
            continue
        if status in FINISHED or status == "STOPPING":
            plan.rows[name] = _nothing_to_stop(name, status)
        else:
            plan.to_stop.append(name)
    return plan


def stop_jobs(options: AwsOptions, names: list[str], plan: StopPlan | None = None) -> list[dict[str, Any]]:
    """Stop each job of the plan (or of `names`); one row per name, in the order given.

    A job that finished between the plan and the stop is reported like one that had
    finished before; a refusal is an Error in its row, not the end of the batch.
    """
    from neoctl.api.errors import translate
    from neoctl.api.jobs import describe_job, stop_job

    plan = plan or StopPlan(to_stop=list(dict.fromkeys(names)))
    rows = dict(plan.rows)
    for name in plan.to_stop:
        try:
            refused = stop_job(options, name)
            if refused is None:
                rows[name] = {"CompilationJobName": name, "Stopped": True, "CompilationJobStatus": "STOPPING"}
                continue
            status = describe_job(options, name).get("CompilationJobStatus", "")
            if status in FINISHED or status == "STOPPING":
                rows[name] = _nothing_to_stop(name, status)
            else:
                rows[name] = _error_row(name, ServiceError(f"StopCompilationJob failed: {refused}"))
        except Exception as exc:
            error = exc if isinstance(exc, NeoctlError) else translate(exc)
            if not isinstance(error, ServiceError):
                raise
            rows[name] = _error_row(name, error)
    return [rows[name] for name in dict.fromkeys(names)]


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
