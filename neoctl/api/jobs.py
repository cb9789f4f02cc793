"""Compilation job calls: create, describe, list, stop — botocore's answers as plain data.

The rules that judge the answers (is an existing job "the same job"? is a job
finished?) live in neoctl.jobs; this module only calls and reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from neoctl.api.calls import Listing, paginate, strip
from neoctl.api.session import AwsOptions, client
from neoctl.errors import ServiceError


@dataclass(frozen=True)
class Answer:
    """What SageMaker said to one request, without botocore's types."""

    response: dict[str, Any] = field(default_factory=dict)  # the response, when it succeeded
    code: str = ""  # the error code, when it did not
    message: str = ""
    http_status: int = 200
    lost: bool = False  # no answer came: the request may or may not have been acted on

    @property
    def ok(self) -> bool:
        """The call succeeded."""
        return not self.code


def _answer(call: Callable[[], dict[str, Any]]) -> Answer:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return Answer(strip(call()))
    except ClientError as exc:
        error = exc.response.get("Error", {})
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400))
        return Answer(code=str(error.get("Code", "")), message=str(error.get("Message", "")), http_status=status)
    except BotoCoreError as exc:
        return Answer(code=type(exc).__name__, message=str(exc), http_status=0, lost=True)


class JobCalls:
    """Create and describe calls that report instead of raising, for a fan-out's threads.

    One client, created before the threads share it, with adaptive retries: it also
    slows the sending rate when SageMaker throttles.
    """

    def __init__(self, options: AwsOptions) -> None:
        self._sm = client(options, retry_mode="adaptive")

    def create(self, request: dict[str, Any]) -> Answer:
        """CreateCompilationJob."""
        return _answer(lambda: self._sm.create_compilation_job(**request))

    def describe(self, name: str) -> Answer:
        """DescribeCompilationJob."""
        return _answer(lambda: self._sm.describe_compilation_job(CompilationJobName=name))


def describe_job(options: AwsOptions, name: str) -> dict[str, Any]:
    """DescribeCompilationJob without ResponseMetadata; ServiceError naming the job when there is none."""
    from botocore.exceptions import ClientError

    try:
        return strip(client(options).describe_compilation_job(CompilationJobName=name))
    except ClientError as exc:
        if _not_found(exc):
            raise no_such_job("DescribeCompilationJob", name, options) from None
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


def list_page(options: AwsOptions, params: dict[str, Any]) -> dict[str, Any]:
    """One page of ListCompilationJobs (`NextToken` in params for the next)."""
    return strip(client(options).list_compilation_jobs(**params))


def stop_job(options: AwsOptions, name: str) -> str | None:
    """StopCompilationJob: None when the stop was requested, SageMaker's message when it
    refused with a ValidationException (the job has finished or is stopping); ServiceError
    naming the job when there is none."""
    from botocore.exceptions import ClientError

    try:
        client(options).stop_compilation_job(CompilationJobName=name)
    except ClientError as exc:
        if _not_found(exc):
            raise no_such_job("StopCompilationJob", name, options) from None
        error = exc.response.get("Error", {})
        if error.get("Code") == "ValidationException":
            return str(error.get("Message", "")) or "refused"
        raise
    return None


def no_such_job(operation: str, name: str, options: AwsOptions | None = None) -> ServiceError:
    """The error for a job name SageMaker does not know, with the nearest names that exist
    (one ListCompilationJobs when `options` is given): a hint to list by the very name
    that was not found lists nothing."""
    near = near_job_names(options, name) if options is not None else []
    if near:
        hint = f"did you mean {' or '.join(near)}?"
    else:
        hint = "`neoctl list` shows the newest jobs; `neoctl list --name-contains PART` finds one by part of its name"
    return ServiceError(
        f"{operation} failed: no compilation job named {name}",
        hint,
        operation=operation,
        code="ResourceNotFound",
    )


def near_job_names(options: AwsOptions, name: str, limit: int = 3) -> list[str]:
    """Job names close to `name`: among the jobs whose names hold its longest word, else
    among the newest 100 (a typo may be in that word); [] when a lookup fails, since it
    only serves a hint. At most two ListCompilationJobs."""
    import difflib
    import re

    from botocore.exceptions import BotoCoreError, ClientError

    word = max(re.findall(r"[a-zA-Z0-9]+", name), key=len, default="")
    newest: dict[str, Any] = {"MaxResults": 100, "SortBy": "CreationTime", "SortOrder": "Descending"}
    for params in ([newest | {"NameContains": word}] if len(word) >= 3 else []) + [newest]:
        try:
            page = list_page(options, params)
        except (BotoCoreError, ClientError):
            return []
        found = [job["CompilationJobName"] for job in page.get("CompilationJobSummaries", [])]
        # First a target suffix too many or too few: a spec with one `target` names its job
        # NAME, a fan-out NAME-<target> (rn18 and rn18-ml-c5 are too far apart for difflib).
        near = [f for f in found if name.startswith(f + "-") or f.startswith(name + "-")]
        near += [f for f in difflib.get_close_matches(name, found, n=limit, cutoff=0.6) if f not in near]
        if near:
            return near[:limit]
    return []


def _not_found(exc: Any) -> bool:
    error = exc.response.get("Error", {})
    return bool(error.get("Code") == "ResourceNotFound" or "could not find" in str(error.get("Message", "")).lower())
