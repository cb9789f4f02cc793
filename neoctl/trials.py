"""`neoctl trials`: ListTrials members from the command's filters, checked against the model."""

from __future__ import annotations

from typing import Any

from neoctl.api.calls import Listing
from neoctl.api.session import AwsOptions
from neoctl.apimodel.inputs import origin
from neoctl.apimodel.requests import check_request
from neoctl.flags import check_name, paging, time_and_sort

OPERATION = "ListTrials"


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
        request["ExperimentName"] = check_name(experiment, OPERATION, "ExperimentName", "--experiment")
    if trial_component:
        request["TrialComponentName"] = check_name(
            trial_component, OPERATION, "TrialComponentName", "--trial-component"
        )
    times = (
        ("--created-after", created_after, "CreatedAfter"),
        ("--created-before", created_before, "CreatedBefore"),
    )
    request |= time_and_sort(OPERATION, times, sort_by, sort_order)
    check_request(OPERATION, request, origin("trials", OPERATION))  # the whole request, as every command's
    return request


def list_trials(
    options: AwsOptions,
    request: dict[str, Any] | None = None,
    max_items: int | None = None,
    page_size: int | None = None,
    starting_token: str | None = None,
) -> Listing:
    """Trials matching `request` (see list_trials_request), fetched page by page as read."""
    from neoctl.api import trials

    return trials.list_trials(options, request or {}, max_items, *paging(page_size, starting_token))
