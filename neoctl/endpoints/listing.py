"""`neoctl endpoint list`: ListEndpoints members from the command's filters, checked against the model."""

from __future__ import annotations

from typing import Any

from neoctl.api.calls import Listing
from neoctl.api.session import AwsOptions
from neoctl.apimodel import load_model
from neoctl.apimodel.inputs import origin
from neoctl.apimodel.requests import check_request
from neoctl.flags import list_filters, paging

OPERATION = "ListEndpoints"
COMMAND = "endpoint list"


def endpoint_statuses() -> list[str]:
    """Every EndpointStatus of the installed model."""
    return load_model().enum(OPERATION, "StatusEquals")


def list_endpoints_request(
    status: str | None = None,
    name_contains: str | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
    modified_after: str | None = None,
    modified_before: str | None = None,
    sort_by: str | None = None,
    sort_order: str | None = None,
) -> dict[str, Any]:
    """ListEndpoints members for `neoctl endpoint list`'s filters, each checked against the model."""
    request = list_filters(
        OPERATION,
        endpoint_statuses(),
        status,
        name_contains,
        created_after,
        created_before,
        modified_after,
        modified_before,
        sort_by,
        sort_order,
    )
    check_request(OPERATION, request, origin(COMMAND, OPERATION))
    return request


def list_endpoints(
    options: AwsOptions,
    request: dict[str, Any] | None = None,
    max_items: int | None = None,
    page_size: int | None = None,
    starting_token: str | None = None,
) -> Listing:
    """Endpoints matching `request` (see list_endpoints_request), fetched page by page as read."""
    from neoctl.api import endpoints

    listing: Listing = endpoints.list_endpoints(options, request or {}, max_items, *paging(page_size, starting_token))
    return listing


def with_configs(options: AwsOptions, result: dict[str, Any]) -> dict[str, Any]:
    """`result` (ListEndpoints') with each endpoint's EndpointConfigName, which the summaries
    lack, from DescribeEndpoint; "" for an endpoint gone meanwhile."""
    from neoctl.api import endpoints as api

    for item in result.get("Endpoints", []):
        found = api.find_endpoint(options, item["EndpointName"])
        item["EndpointConfigName"] = found.get("EndpointConfigName", "") if found else ""
    return result
