"""Command-line values turned into API request members, checked against the model.

Pure functions (no boto3): statuses, sort keys and variant property types come from
the botocore model, so typos get a suggestion and nothing invalid is ever sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from neoctl.apimodel import load_model
from neoctl.errors import InvalidInput
from neoctl.spec.durations import parse_duration
from neoctl.suggest import closest, one_of

SORT_KEYS = {"name": "Name", "creation-time": "CreationTime", "status": "Status"}


def enum_value(value: str, allowed: list[str], flag: str) -> str:
    """The model's spelling of `value` (case-insensitive), or a usage error with a suggestion."""
    folded = {a.casefold(): a for a in allowed}
    if value.casefold() in folded:
        return folded[value.casefold()]
    best = closest(value, allowed)
    hint = f"did you mean {best}?" if best else f"one of: {one_of(allowed)}"
    raise InvalidInput(f"{flag} {value!r} is not valid", hint)


def job_status(value: str) -> str:
    """A CompilationJobStatus from any case."""
    return enum_value(value, load_model().enum("ListCompilationJobs", "StatusEquals"), "--status")


def variant_property(value: str) -> str:
    """A VariantPropertyType (DesiredInstanceCount …) from any case."""
    shape = load_model().member("UpdateEndpoint", "ExcludeRetainedVariantProperties")
    model = load_model()
    item = model.shape(shape["member"])
    allowed = model.shape(item["members"]["VariantPropertyType"])["enum"]
    return enum_value(value, list(allowed), "--exclude")


def sort_key(value: str, operation: str) -> str:
    """--sort-by name|creation-time|status → the API's SortBy value for `operation`."""
    allowed = load_model().enum(operation, "SortBy")
    key = SORT_KEYS.get(value.casefold().replace("_", "-"), value)
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


def check_name(value: str, operation: str, member: str, flag: str) -> str:
    """A resource name checked against the model's pattern and length for `member`."""
    from neoctl.apimodel.check import check

    model = load_model()
    problems: list[str] = []

    def report(_path: Any, message: str, hint: str | None) -> None:
        problems.append(message + (f" ({hint})" if hint else ""))

    shape_name = model.input_shape(operation)["members"][member]
    check(model, shape_name, value, (member,), report)
    if problems:
        raise InvalidInput(f"{flag} {value!r}: {problems[0]}")
    return value


def page_size(value: int | None) -> int | None:
    """--page-size within the model's MaxResults range."""
    if value is None:
        return None
    shape = load_model().member("ListCompilationJobs", "MaxResults")
    low, high = shape.get("min", 1), shape.get("max", 100)
    if not low <= value <= high:
        raise InvalidInput(f"--page-size {value} is out of range", f"use {low} to {high}")
    return value


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
        raise InvalidInput("--starting-token is not a token neoctl printed",
                           "pass the NextToken of a previous `neoctl list --max-items N` run")
    return value


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
    request: dict[str, Any] = {}
    if status:
        request["StatusEquals"] = job_status(status)
    if name_contains:
        request["NameContains"] = check_name(name_contains, "ListCompilationJobs", "NameContains", "--name-contains")
    for flag, value, member in (
        ("--created-after", created_after, "CreationTimeAfter"),
        ("--created-before", created_before, "CreationTimeBefore"),
        ("--modified-after", modified_after, "LastModifiedTimeAfter"),
        ("--modified-before", modified_before, "LastModifiedTimeBefore"),
    ):
        if value:
            request[member] = timestamp(value, flag)
    if sort_by:
        request["SortBy"] = sort_key(sort_by, "ListCompilationJobs")
    if sort_order:
        request["SortOrder"] = sort_order_value(sort_order)
    return request


def list_trials_request(
    experiment: str | None = None,
    trial_component: str | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
    sort_by: str | None = None,
    sort_order: str | None = None,
) -> dict[str, Any]:
    """ListTrials members for `neoctl trials`' filters, each checked against the model."""
    request: dict[str, Any] = {}
    if experiment:
        request["ExperimentName"] = check_name(experiment, "ListTrials", "ExperimentName", "--experiment")
    if trial_component:
        request["TrialComponentName"] = check_name(
            trial_component, "ListTrials", "TrialComponentName", "--trial-component"
        )
    if created_after:
        request["CreatedAfter"] = timestamp(created_after, "--created-after")
    if created_before:
        request["CreatedBefore"] = timestamp(created_before, "--created-before")
    if sort_by:
        request["SortBy"] = sort_key(sort_by, "ListTrials")
    if sort_order:
        request["SortOrder"] = sort_order_value(sort_order)
    return request
