"""Compilation job calls: create, describe, list, stop."""

from __future__ import annotations

from concurrent.futures import as_completed
from typing import Any

from neoctl.api.calls import Listing, paginate, strip
from neoctl.api.session import AwsOptions, client
from neoctl.errors import Interrupted, ServiceError
from neoctl.jobs import results as fanout

FINISHED = frozenset({"COMPLETED", "FAILED", "STOPPED"})


def create_jobs(
    options: AwsOptions,
    requests: list[dict[str, Any]],
    concurrency: int = 8,
) -> list[dict[str, Any]]:
    """Send every CreateCompilationJob request through a bounded pool; one result per job.

    A refusal of one job does not stop the others. A job that already exists with the
    same configuration is reported as existed, so re-running an interrupted batch
    finishes it; one that exists with another configuration is a conflict.
    """
    from concurrent.futures import ThreadPoolExecutor

    sm = client(options, retry_mode="adaptive")  # created once, before the threads share it
    results: dict[int, dict[str, Any]] = {}
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = {pool.submit(_create_one, sm, options, r): i for i, r in enumerate(requests)}
        try:
            for future in as_completed(futures):
                row = future.result()
                results[futures[future]] = row
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            done = sum(1 for r in results.values() if r["Result"] in (fanout.CREATED, fanout.EXISTED))
            raise Interrupted(
                f"interrupted after {done} of {len(requests)} job(s) were sent; "
                "requests already in flight may still create their jobs",
                "run the same command again to finish the batch: jobs that exist unchanged are skipped",
            ) from None
    return [results[i] for i in sorted(results)]


def _create_one(sm: Any, options: AwsOptions, request: dict[str, Any]) -> dict[str, Any]:
    from botocore.exceptions import BotoCoreError, ClientError

    name = request["CompilationJobName"]
    row: dict[str, Any] = {"CompilationJobName": name}
    try:
        response = sm.create_compilation_job(**request)
        return row | {"Result": fanout.CREATED, "CompilationJobArn": response["CompilationJobArn"]}
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code, message = str(error.get("Code", "")), str(error.get("Message", ""))
        if code == "ResourceInUse" or "already exist" in message.lower():
            return row | _existing(sm, request)
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400))
        if status >= 500 or "Throttl" in code:
            # The service may have acted before failing: only a re-run can tell.
            return row | {"Result": fanout.UNKNOWN, "Error": f"{code}: {message}"}
        return row | {"Result": fanout.REFUSED, "Error": f"{code}: {message}"}
    except BotoCoreError as exc:
        # The request may or may not have reached SageMaker: a re-run will tell.
        return row | {"Result": fanout.UNKNOWN, "Error": f"{type(exc).__name__}: {exc}"}


def _existing(sm: Any, request: dict[str, Any]) -> dict[str, Any]:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        current = sm.describe_compilation_job(CompilationJobName=request["CompilationJobName"])
    except (ClientError, BotoCoreError) as exc:
        return {"Result": fanout.UNKNOWN, "Error": f"exists, but could not be described: {exc}"}
    diffs = fanout.differences(request, current)
    if diffs:
        return {
            "Result": fanout.CONFLICT,
            "CompilationJobArn": current.get("CompilationJobArn", ""),
            "Error": "a job with this name exists with a different " + ", ".join(diffs),
        }
    return {
        "Result": fanout.EXISTED,
        "CompilationJobArn": current.get("CompilationJobArn", ""),
        "CompilationJobStatus": current.get("CompilationJobStatus", ""),
    }


def describe_job(options: AwsOptions, name: str) -> dict[str, Any]:
    """DescribeCompilationJob without ResponseMetadata."""
    from botocore.exceptions import ClientError

    try:
        return strip(client(options).describe_compilation_job(CompilationJobName=name))
    except ClientError as exc:
        if _not_found(exc):
            raise _no_such_job("DescribeCompilationJob", name) from None
        raise


def list_jobs(
    options: AwsOptions,
    params: dict[str, Any],
    max_items: int | None = None,
    page_size: int | None = None,
    starting_token: str | None = None,
) -> Listing:
    """ListCompilationJobs through every page (or up to max_items)."""
    return paginate(
        client(options),
        "list_compilation_jobs",
        "CompilationJobSummaries",
        params,
        max_items,
        page_size,
        starting_token,
    )


def stop_job(options: AwsOptions, name: str) -> dict[str, Any]:
    """StopCompilationJob; a finished job is reported, not an error of the tool."""
    from botocore.exceptions import ClientError

    sm = client(options)
    try:
        sm.stop_compilation_job(CompilationJobName=name)
    except ClientError as exc:
        if _not_found(exc):
            raise _no_such_job("StopCompilationJob", name) from None
        if exc.response.get("Error", {}).get("Code") == "ValidationException":
            status = describe_job(options, name).get("CompilationJobStatus", "")
            if status in FINISHED or status == "STOPPING":
                return {
                    "CompilationJobName": name,
                    "Stopped": False,
                    "CompilationJobStatus": status,
                    "Message": f"already {status}; nothing to stop",
                }
        raise
    return {"CompilationJobName": name, "Stopped": True, "CompilationJobStatus": "STOPPING"}


def stop_jobs(options: AwsOptions, names: list[str]) -> list[dict[str, Any]]:
    """Stop each job; one row per job, an Error in the row instead of stopping at the first."""
    from botocore.exceptions import ClientError

    from neoctl.api.errors import translate

    rows = []
    for name in names:
        try:
            rows.append(stop_job(options, name))
        except (ServiceError, ClientError) as exc:
            error = exc if isinstance(exc, ServiceError) else translate(exc)
            row = {"CompilationJobName": name, "Stopped": False, "CompilationJobStatus": ""}
            row["Error"] = error.message if error else str(exc)
            if error and error.hint:
                row["Hint"] = error.hint
            rows.append(row)
    return rows


def _no_such_job(operation: str, name: str) -> ServiceError:
    return ServiceError(
        f"{operation} failed: no compilation job named {name}",
        f"list jobs with `neoctl list --name-contains {name[:20]}`",
        operation=operation,
        code="ResourceNotFound",
    )


def _not_found(exc: Any) -> bool:
    error = exc.response.get("Error", {})
    return bool(error.get("Code") == "ResourceNotFound" or "could not find" in str(error.get("Message", "")).lower())
