"""Filtering helpers and keyset pagination for the List* actions the emulator replaces.

Tokens carry the sort key of the last item returned rather than an offset, so a
listing stays correct when jobs are created or deleted between pages.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.responses import SageMakerResponse

from neoctl.testing import clock

T = TypeVar("T")
SortKey = tuple[str | int, str]


def require_enum(value: str | None, attribute: str, allowed: Sequence[str]) -> None:
    if value is not None and value not in allowed:
        raise ValidationError(
            message=f"1 validation error detected: Value '{value}' at '{attribute}' failed "
            f"to satisfy constraint: Member must satisfy enum value set: [{', '.join(allowed)}]"
        )


def require_max_results(value: int | None, attribute: str = "maxResults") -> None:
    if value is not None and not 1 <= value <= 100:
        raise ValidationError(
            message=f"1 validation error detected: Value '{value}' at '{attribute}' failed "
            "to satisfy constraint: Member must have value between 1 and 100"
        )


def time_param(request: SageMakerResponse, name: str) -> datetime | None:
    """A timestamp filter from the request, comparable with moto's naive UTC fields."""
    value = request._get_param(name)
    return clock.as_naive_utc(value) if isinstance(value, datetime) else None


def _digest(query: Mapping[str, object]) -> str:
    text = json.dumps(query, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _encode(key: SortKey, digest: str) -> str:
    raw = json.dumps({"k": list(key), "q": digest}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode(token: str, digest: str) -> SortKey:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        primary, name = data["k"]
        matches = data["q"] == digest
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(message="Invalid pagination token (NextToken).") from exc
    if not matches or not isinstance(primary, str | int) or not isinstance(name, str):
        raise ValidationError(
            message="NextToken does not belong to this query: repeat the same filters "
            "and sort options as the request that returned it."
        )
    return primary, name


def paginate(
    items: Sequence[T],
    sort_key: Callable[[T], SortKey],
    *,
    descending: bool,
    max_results: int | None,
    default_max_results: int,
    next_token: str | None,
    query: Mapping[str, object],
) -> tuple[list[T], str | None]:
    """One page of `items` in sort order, and the token for the next page if any."""
    digest = _digest(query)
    ordered = sorted(items, key=sort_key, reverse=descending)
    if next_token:
        last = _decode(next_token, digest)
        if descending:
            ordered = [item for item in ordered if sort_key(item) < last]
        else:
            ordered = [item for item in ordered if sort_key(item) > last]
    limit = max_results or default_max_results
    page = ordered[:limit]
    token = _encode(sort_key(page[-1]), digest) if len(ordered) > limit else None
    return page, token
