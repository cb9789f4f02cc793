"""Where a compiled model comes from and where it goes: rules of `neoctl download`."""

from __future__ import annotations

from typing import Any

_SUFFIXES = (".tar.gz", ".tgz", ".tar")


def artifact_uri(job: dict[str, Any]) -> str:
    """The S3ModelArtifacts of a COMPLETED job; ServiceError (254) for any other job.

    254 rather than 252: the name is valid and the job exists; it is SageMaker's
    answer (the job's state) that has no model to give yet.
    """
    from neoctl.errors import ServiceError

    name = job.get("CompilationJobName", "")
    status = job.get("CompilationJobStatus", "UNKNOWN")
    uri = (job.get("ModelArtifacts") or {}).get("S3ModelArtifacts")
    if status == "COMPLETED" and uri:
        return str(uri)
    if status in ("STARTING", "INPROGRESS"):
        hint = f"wait for it with `neoctl wait {name}`, then download again"
    elif status == "FAILED":
        hint = f"see why with `neoctl describe {name}` and `neoctl logs {name}`"
    else:
        hint = f"see `neoctl describe {name}`"
    why = f"is {status}" if status != "COMPLETED" else "is COMPLETED but names no S3ModelArtifacts"
    raise ServiceError(
        f"compilation job {name} {why}: it has no compiled model to download",
        hint,
        operation="DescribeCompilationJob",
        code=f"Job{status.title()}",
    )


def local_name(key: str) -> str:
    """The file name for an S3 key: its last part, or model.tar.gz if that is unusable."""
    last = key.rsplit("/", 1)[-1]
    return last if last not in ("", ".", "..") and "\\" not in last else "model.tar.gz"


def extract_dir_name(file_name: str) -> str:
    """model-ml_c5.tar.gz -> model-ml_c5 (the directory --extract fills)."""
    for suffix in _SUFFIXES:
        if file_name.lower().endswith(suffix) and len(file_name) > len(suffix):
            return file_name[: -len(suffix)]
    return file_name + ".extracted"
