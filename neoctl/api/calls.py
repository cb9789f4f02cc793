"""Helpers every API module shares: stripping response metadata, paging."""

from __future__ import annotations

from typing import Any


def strip(response: dict[str, Any]) -> dict[str, Any]:
    """A response without botocore's ResponseMetadata."""
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def paginate(
    client: Any,
    operation: str,
    result_key: str,
    params: dict[str, Any],
    max_items: int | None = None,
    page_size: int | None = None,
    starting_token: str | None = None,
) -> dict[str, Any]:
    """Every item of a paged list (up to max_items) and, when cut short, the NextToken
    to resume from — the same shape and token the AWS CLI prints."""
    paginator = client.get_paginator(operation)
    config = {
        k: v
        for k, v in (("MaxItems", max_items), ("PageSize", page_size), ("StartingToken", starting_token))
        if v is not None
    }
    result = paginator.paginate(**params, PaginationConfig=config).build_full_result()
    out = {result_key: result.get(result_key, [])}
    if result.get("NextToken"):
        out["NextToken"] = result["NextToken"]
    return out
