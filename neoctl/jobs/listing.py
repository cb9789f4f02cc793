"""`neoctl list`: ListCompilationJobs members from the command's filters, checked against the model."""

from __future__ import annotations

from typing import Any

from neoctl.api.calls import Listing
from neoctl.api.session import AwsOptions
from neoctl.apimodel import load_model
from neoctl.apimodel.inputs import origin
from neoctl.apimodel.requests import check_request
from neoctl.flags import enum_value, list_filters, paging

OPERATION = "ListCompilationJobs"


def job_statuses() -> list[str]:
    """Every CompilationJobStatus of the installed model."""
    return load_model().enum(OPERATION, "StatusEquals")


def job_status(value: str) -> str:
    """A CompilationJobStatus from any case."""
    return enum_value(value, job_statuses(), "--status")


def list_jobs_request(
    status: str | None = None,
    name_contains: str | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
    modified_after: str | None = None,
    modified_before: str | None = None,
    sort_by: str | None = None,
    sort_order: str | None = None,
) -> dict[str, Any]:
    """ListCompilationJobs members for `neoctl list`'s filters, each checked against the model."""
    request = list_filters(
        OPERATION,
        job_statuses(),
        status,
        name_contains,
        created_after,
        created_before,
        modified_after,
        modified_before,
        sort_by,
        sort_order,
    )
    check_request(OPERATION, request, origin("list", OPERATION))  # the whole request, as every command's
    return request


def list_jobs(
    options: AwsOptions,
    request: dict[str, Any] | None = None,
    max_items: int | None = None,
    page_size: int | None = None,
    starting_token: str | None = None,
) -> Listing:
    """Compilation jobs matching `request` (see list_jobs_request), fetched page by page as read."""
    from neoctl.api import jobs

    return jobs.list_jobs(options, request or {}, max_items, *paging(page_size, starting_token))
