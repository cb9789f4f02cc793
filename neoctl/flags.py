"""Command-line values turned into API request members, checked against the model.

Pure functions (no boto3) shared by every command: names, times, durations, sort keys,
paging. Enum values come from the botocore model, so typos get a suggestion and
nothing invalid is ever sent. What only one noun needs lives with it (jobs/listing.py,
trials.py, endpoints/update.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from neoctl.apimodel import load_model
from neoctl.errors import InvalidInput
from neoctl.spec.durations import parse_duration
from neoctl.suggest import closest, one_of


def enum_value(value: str, allowed: list[str], flag: str) -> str:
    """The model's spelling of `value` (case-insensitive), or a usage error with a suggestion."""
    folded = {a.casefold(): a for a in allowed}
    if value.casefold() in folded:
        return folded[value.casefold()]
    best = closest(value, allowed)
    hint = f"did you mean {best}?" if best else f"one of: {one_of(allowed)}"
    raise InvalidInput(f"{flag} {value!r} is not valid", hint)


def _kebab(value: str) -> str:
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in value).lstrip("-")


def sort_keys(operation: str) -> list[str]:
    """--sort-by values for `operation`, from the model: CreationTime → creation-time."""
    return [_kebab(v) for v in load_model().enum(operation, "SortBy")]


def sort_orders() -> list[str]:
    """--sort-order values, from the model: ascending, descending."""
    return [v.lower() for v in load_model().enum("ListCompilationJobs", "SortOrder")]


def sort_key(value: str, operation: str) -> str:
    """--sort-by name|creation-time|status → the API's SortBy value for `operation`."""
    allowed = load_model().enum(operation, "SortBy")
    by_flag = {_kebab(v): v for v in allowed}
    key = by_flag.get(value.casefold().replace("_", "-"), value)
    return enum_value(key, allowed, "--sort-by")


def sort_order_value(value: str) -> str:
    """ascending|descending → Ascending|Descending."""
    return enum_value(value, load_model().enum("ListCompilationJobs", "SortOrder"), "--sort-order")


def timestamp(value: str, flag: str, now: dt.datetime | None = None) -> dt.datetime:
    """ISO 8601 (naive = UTC) or a relative age like 30m, 12h, 7d (that long ago)."""
    now = now or dt.datetime.now(dt.UTC)
    seconds = parse_duration(value)
    if seconds is not None and not value.strip().isdigit():
        try:
            return now - dt.timedelta(seconds=seconds)
        except OverflowError:
            raise InvalidInput(f"{flag} {value!r} is too far back", "e.g. 30m, 12h or 7d") from None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"{flag} {value!r} is neither an ISO 8601 time nor an age",
            "e.g. 2026-11-01, 2026-11-01T12:00:00Z, 30m, 12h or 7d",
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def time_and_sort(
    operation: str, times: Iterable[tuple[str, str | None, str]], sort_by: str | None, sort_order: str | None
) -> dict[str, Any]:
    """The members every List* command ends its request with: each (flag, value, member) of
    `times` that was given as a timestamp, then SortBy and SortOrder checked against `operation`."""
    members: dict[str, Any] = {}
    for flag, value, member in times:
        if value:
            members[member] = timestamp(value, flag)
    if sort_by:
        members["SortBy"] = sort_key(sort_by, operation)
    if sort_order:
        members["SortOrder"] = sort_order_value(sort_order)
    return members


def list_filters(
    operation: str,
    statuses: list[str],
    status: str | None = None,
    name_contains: str | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
    modified_after: str | None = None,
    modified_before: str | None = None,
    sort_by: str | None = None,
    sort_order: str | None = None,
) -> dict[str, Any]:
    """The members `neoctl list` and `neoctl endpoint list` share (ListCompilationJobs and
    ListEndpoints take the same filters): the status from any case, NameContains, the four
    times, SortBy and SortOrder, each checked and named by its flag."""
    request: dict[str, Any] = {}
    if status:
        request["StatusEquals"] = enum_value(status, statuses, "--status")
    if name_contains:
        request["NameContains"] = check_name(name_contains, operation, "NameContains", "--name-contains")
    times = (
        ("--created-after", created_after, "CreationTimeAfter"),
        ("--created-before", created_before, "CreationTimeBefore"),
        ("--modified-after", modified_after, "LastModifiedTimeAfter"),
        ("--modified-before", modified_before, "LastModifiedTimeBefore"),
    )
    return request | time_and_sort(operation, times, sort_by, sort_order)


def count(value: str | None, flag: str, minimum: int = 1) -> int | None:
    """A count flag (--tail 50): a whole number of at least `minimum`; None when not given.

    Taken as text so that `--tail 0` and `--tail ten` are refused alike, as values (252)."""
    if value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput(f"{flag} {value!r} is not a whole number", f"e.g. {flag} 50")
    number = int(text)
    if number < minimum:
        raise InvalidInput(f"{flag} {value!r} is out of range", f"give {minimum} or more")
    return number


def check_name(value: str, operation: str, member: str, flag: str) -> str:
    """A resource name checked against the model's pattern and length for `member`."""
    from neoctl.apimodel.requests import check_values

    check_values(operation, [((member,), flag, value)])
    return value


def check_names(values: list[str], operation: str, member: str, flag: str) -> list[str]:
    """check_name for each of several names."""
    return [check_name(value, operation, member, flag) for value in values]


def page_size(value: int | None) -> int | None:
    """--page-size within the model's MaxResults range."""
    if value is None:
        return None
    shape = load_model().member("ListCompilationJobs", "MaxResults")
    low, high = shape.get("min", 1), shape.get("max", 100)
    if not low <= value <= high:
        raise InvalidInput(f"--page-size {value} is out of range", f"use {low} to {high}")
    return value


def paging(size: int | None, token: str | None) -> tuple[int | None, str | None]:
    """--page-size and --starting-token, each checked (see page_size, starting_token)."""
    return page_size(size), starting_token(token)


MIN_POLL = 0.1  # seconds: below this a wait would hammer the API


def duration_flag(value: str | None, flag: str, minimum: float = 0.0) -> float | None:
    """A duration flag (30, 2.5, 90s, 15m, 2h) in seconds; None when not given."""
    import math

    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        parsed = parse_duration(value)
        if parsed is None:
            raise InvalidInput(f"{flag} {value!r} is not a duration", "e.g. 30, 90s, 15m, 2h") from None
        number = float(parsed)
    if not math.isfinite(number) or number < minimum or number > 366 * 86400:
        raise InvalidInput(f"{flag} {value!r} is out of range", f"give {minimum:g} s to 366 days")
    return number


def starting_token(value: str | None) -> str | None:
    """--starting-token: only a token neoctl (or the AWS CLI) printed, which botocore wraps
    in base64 JSON; a raw service NextToken fed to the paginator would fail remotely."""
    import base64
    import binascii
    import json

    if value is None:
        return None
    try:
        decoded = json.loads(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        decoded = None
    if not isinstance(decoded, dict) or not {"NextToken", "boto_truncate_amount"} & set(decoded):
        raise InvalidInput(
            "--starting-token is not a token neoctl printed",
            "pass the NextToken of a previous `neoctl list --max-items N` run",
        )
    return value
