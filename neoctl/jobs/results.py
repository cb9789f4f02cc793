"""Rules of a batch submission: what each job's answer means (created, existed,
conflict, failed, stopped, refused, unknown), when an existing job is "the same job", and how a batch's
per-job outcomes add up to an exit code. Pure: the answers come from neoctl.api.jobs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from neoctl.errors import EXIT_OK, EXIT_SERVICE

if TYPE_CHECKING:
    from neoctl.api.jobs import Answer

CREATED, EXISTED, CONFLICT, REFUSED, UNKNOWN = "created", "existed", "conflict", "refused", "unknown"
# An identical job that already ran and ended without a model: nothing will run again.
FAILED, STOPPED = "failed", "stopped"
_ENDED = {"FAILED": FAILED, "STOPPING": STOPPED, "STOPPED": STOPPED}
# Members DescribeCompilationJob echoes back; Tags are not among them.
_COMPARED = (
    "RoleArn",
    "ModelPackageVersionArn",
    "InputConfig",
    "OutputConfig",
    "StoppingCondition",
    "VpcConfig",
)
_JSON_TEXT = ("DataInputConfig", "CompilerOptions")


def differences(request: dict[str, Any], existing: dict[str, Any]) -> list[str]:
    """Field paths where an existing job differs from what the request asks for."""
    diffs: list[str] = []
    for member in _COMPARED:
        if member in request or (member in existing and member in ("ModelPackageVersionArn",)):
            _diff(member, request.get(member), existing.get(member), diffs)
    return diffs


def _diff(path: str, want: Any, have: Any, out: list[str]) -> None:
    if isinstance(want, dict):
        have = have if isinstance(have, dict) else {}
        for key, value in want.items():
            _diff(f"{path}.{key}", value, have.get(key), out)
        return
    if path.rsplit(".", 1)[-1] in _JSON_TEXT and isinstance(want, str) and isinstance(have, str):
        try:
            if json.loads(want) == json.loads(have):
                return
        except ValueError:
            pass
    if want != have:
        out.append(path)


def batch_exit_code(rows: list[dict[str, Any]]) -> int:
    """0 when every job was created or already existed identically (and has not ended
    FAILED or STOPPED); 254 otherwise."""
    return EXIT_SERVICE if not_created(rows) else EXIT_OK


def not_created(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of jobs that were neither created nor found unchanged."""
    return [r for r in rows if r["Result"] not in (CREATED, EXISTED)]


def result_of(request: dict[str, Any], answer: Answer, describe: Callable[[str], Answer]) -> dict[str, Any]:
    """One job's row from SageMaker's answer to its CreateCompilationJob.

    An existing job with the same configuration is "existed" (so re-running an
    interrupted batch finishes it), unless it already ended FAILED or STOPPED: then
    "failed" or "stopped", since nothing will run under that name again. With another
    configuration it is a "conflict". A 5xx,
    throttling or a lost answer is "unknown": the service may have acted, only a
    re-run can tell. Any other refusal is "refused".
    """
    name = request["CompilationJobName"]
    row: dict[str, Any] = {"CompilationJobName": name}
    if answer.ok:
        return row | {"Result": CREATED, "CompilationJobArn": answer.response.get("CompilationJobArn", "")}
    if answer.code == "ResourceInUse" or "already exist" in answer.message.lower():
        return row | existing(request, describe(name))
    error = f"{answer.code}: {answer.message}"
    if answer.lost or answer.http_status >= 500 or "Throttl" in answer.code:
        return row | {"Result": UNKNOWN, "Error": error}
    return row | {"Result": REFUSED, "Error": error}


def existing(request: dict[str, Any], current: Answer) -> dict[str, Any]:
    """The row of a job whose name exists: conflict, failed, stopped or existed (or unknown
    when it could not be described)."""
    if not current.ok:
        return {"Result": UNKNOWN, "Error": f"exists, but could not be described: {current.code}: {current.message}"}
    job = current.response
    diffs = differences(request, job)
    if diffs:
        return {
            "Result": CONFLICT,
            "CompilationJobArn": job.get("CompilationJobArn", ""),
            "Error": "a job with this name exists with a different " + ", ".join(diffs),
        }
    status = job.get("CompilationJobStatus", "")
    if status in _ENDED:
        ended = "STOPPED" if status == "STOPPING" else status
        return {
            "Result": _ENDED[status],
            "CompilationJobArn": job.get("CompilationJobArn", ""),
            "CompilationJobStatus": status,
            "Error": f"this job already ran and ended {ended}; nothing will run again under this name "
            "(job names are unique per account and region): to retry, give it a new name",
        }
    return {
        "Result": EXISTED,
        "CompilationJobArn": job.get("CompilationJobArn", ""),
        "CompilationJobStatus": job.get("CompilationJobStatus", ""),
    }
