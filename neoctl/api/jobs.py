"""Compilation job calls: create, describe, list, stop."""

from __future__ import annotations

from typing import Any

from neoctl.api.calls import paginate, strip
from neoctl.api.session import AwsOptions, client
from neoctl.errors import ServiceError

FINISHED = frozenset({"COMPLETED", "FAILED", "STOPPED"})


def create_jobs(options: AwsOptions, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Send each CreateCompilationJob request; the name and ARN of each job created."""
    from botocore.exceptions import ClientError

    sm = client(options)
    created = []
    for request in requests:
        name = request["CompilationJobName"]
        try:
            response = sm.create_compilation_job(**request)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            message = exc.response.get("Error", {}).get("Message", "")
            if code == "ResourceInUse" or "already exist" in message.lower():
                raise ServiceError(
                    f"CreateCompilationJob failed: a compilation job named {name} already exists"
                    + (f" ({len(created)} job(s) of this batch were created before it)" if created else ""),
                    f"see it with `neoctl describe {name}`, or give the new job another name",
                    operation="CreateCompilationJob", code=code or "ResourceInUse",
                ) from None
            raise
        created.append({"CompilationJobName": name, "CompilationJobArn": response["CompilationJobArn"]})
    return created


def describe_job(options: AwsOptions, name: str) -> dict[str, Any]:
    """DescribeCompilationJob without ResponseMetadata."""
    from botocore.exceptions import ClientError

    try:
        return strip(client(options).describe_compilation_job(CompilationJobName=name))
    except ClientError as exc:
        if _not_found(exc):
            raise ServiceError(
                f"DescribeCompilationJob failed: no compilation job named {name}",
                f"list jobs with `neoctl list --name-contains {name[:20]}`",
                operation="DescribeCompilationJob", code="ResourceNotFound",
            ) from None
        raise


def list_jobs(options: AwsOptions, params: dict[str, Any], max_items: int | None = None,
              page_size: int | None = None, starting_token: str | None = None) -> dict[str, Any]:
    """ListCompilationJobs through every page (or up to max_items)."""
    return paginate(client(options), "list_compilation_jobs", "CompilationJobSummaries", params,
                    max_items, page_size, starting_token)


def stop_job(options: AwsOptions, name: str) -> dict[str, Any]:
    """StopCompilationJob; a finished job is reported, not an error of the tool."""
    from botocore.exceptions import ClientError

    sm = client(options)
    try:
        sm.stop_compilation_job(CompilationJobName=name)
    except ClientError as exc:
        if _not_found(exc):
            raise ServiceError(
                f"StopCompilationJob failed: no compilation job named {name}",
                f"list jobs with `neoctl list --name-contains {name[:20]}`",
                operation="StopCompilationJob", code="ResourceNotFound",
            ) from None
        if exc.response.get("Error", {}).get("Code") == "ValidationException":
            status = describe_job(options, name).get("CompilationJobStatus", "")
            if status in FINISHED or status == "STOPPING":
                return {"CompilationJobName": name, "Stopped": False,
                        "CompilationJobStatus": status,
                        "Message": f"already {status}; nothing to stop"}
        raise
    return {"CompilationJobName": name, "Stopped": True, "CompilationJobStatus": "STOPPING"}


def _not_found(exc: Any) -> bool:
    error = exc.response.get("Error", {})
    return bool(error.get("Code") == "ResourceNotFound"
                or "could not find" in str(error.get("Message", "")).lower())
