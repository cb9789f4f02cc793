"""`neoctl trials`: ListTrials with every filter."""

from __future__ import annotations

from typing import Annotated

import typer

from neoctl.cli import options as opt
from neoctl.cli.runtime import aws_options, printer


def trials(
    experiment: Annotated[str | None, typer.Option(help="Only trials of this experiment.")] = None,
    trial_component: Annotated[
        str | None, typer.Option(help="Only trials holding this trial component.")
    ] = None,
    created_after: Annotated[
        str | None, typer.Option(help="ISO 8601 time (naive = UTC) or age: 30m, 12h, 7d.")
    ] = None,
    created_before: Annotated[str | None, typer.Option(help="ISO 8601 time or age.")] = None,
    sort_by: Annotated[str | None, typer.Option(help="name or creation-time.")] = None,
    sort_order: Annotated[str | None, typer.Option(help="ascending or descending.")] = None,
    max_items: Annotated[
        int | None, typer.Option(min=1, help="Stop after this many trials; prints a NextToken.")
    ] = None,
    page_size: Annotated[int | None, typer.Option(help="Trials per API call (1-100).")] = None,
    starting_token: Annotated[
        str | None, typer.Option(help="Resume from a NextToken neoctl printed.")
    ] = None,
    output: opt.Output = opt.OutputFormat.table,
    query: opt.Query = None,
    profile: opt.Profile = None,
    region: opt.Region = None,
    endpoint_url: opt.EndpointUrl = None,
    debug: opt.Debug = False,
) -> None:
    """List experiment trials (ListTrials), through every page.

    Examples:
      neoctl trials --experiment resnet50-tuning --sort-by name
      neoctl trials --trial-component resnet50-compile-c5 -o json
    """
    from neoctl import params as p
    from neoctl.api.trials import list_trials
    from neoctl.output.trials import trials_view

    request: dict[str, object] = {}
    if experiment:
        request["ExperimentName"] = p.check_name(experiment, "ListTrials", "ExperimentName", "--experiment")
    if trial_component:
        request["TrialComponentName"] = p.check_name(
            trial_component, "ListTrials", "TrialComponentName", "--trial-component"
        )
    if created_after:
        request["CreatedAfter"] = p.timestamp(created_after, "--created-after")
    if created_before:
        request["CreatedBefore"] = p.timestamp(created_before, "--created-before")
    if sort_by:
        request["SortBy"] = p.sort_key(sort_by, "ListTrials")
    if sort_order:
        request["SortOrder"] = p.sort_order(sort_order)
    result = list_trials(
        aws_options(profile, region, endpoint_url, debug),
        request,
        max_items,
        p.page_size(page_size),
        starting_token,
    )
    printer(output, query).data(result, trials_view)
