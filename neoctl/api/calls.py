"""Helpers every API module shares: stripping response metadata, paging."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def strip(response: dict[str, Any]) -> dict[str, Any]:
    """A response without botocore's ResponseMetadata."""
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


class Listing:
    """The items of a paged list, fetched page by page as they are read.

    Iterating fetches; after the last item, `next_token` is the token to resume from when
    --max-items cut the list short (botocore's own token, as the AWS CLI prints it).
    """

    def __init__(self, key: str, pages: Any) -> None:
        self.key = key
        self._pages = pages
        self.next_token: str | None = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for page in self._pages:
            yield from page.get(self.key, [])
        self.next_token = self._pages.resume_token or None

    def result(self) -> dict[str, Any]:
        """Everything at once: `{key: [...], "NextToken"?: ...}`, as the AWS CLI prints it."""
        out: dict[str, Any] = {self.key: list(self)}
        if self.next_token:
            out["NextToken"] = self.next_token
        return out


def paginate(
    client: Any,
    operation: str,
    result_key: str,
    params: dict[str, Any],
    max_items: int | None = None,
    page_size: int | None = None,
    starting_token: str | None = None,
) -> Listing:
    """Every item of a paged list (up to max_items), fetched lazily."""
    paginator = client.get_paginator(operation)
    config = {
        k: v
        for k, v in (("MaxItems", max_items), ("PageSize", page_size), ("StartingToken", starting_token))
        if v is not None
    }
    return Listing(result_key, paginator.paginate(**params, PaginationConfig=config))
