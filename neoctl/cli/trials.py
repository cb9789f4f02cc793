"""`neoctl trials`: ListTrials with every filter."""

from __future__ import annotations

from typing import Annotated

import typer

from neoctl.cli import completion
from neoctl.cli import options as opt
from neoctl.cli.printer import printer


@opt.aws_command()
def trials(
    common: opt.Common,
    experiment: Annotated[str | None, typer.Option(help="Only trials of this experiment.")] = None,
    trial_component: Annotated[str | None, typer.Option(help="Only trials holding this trial component.")] = None,
    created_after: opt.CreatedAfter = None,
    created_before: opt.CreatedBefore = None,
    sort_by: Annotated[
        str | None, typer.Option(help="name or creation-time.", autocompletion=completion.trial_sort_keys)
    ] = None,
    sort_order: opt.SortOrder = None,
    max_items: opt.MaxItems = None,
    page_size: opt.PageSize = None,
    starting_token: opt.StartingToken = None,
) -> None:
    """List experiment trials (ListTrials), through every page.

    Examples:

    \b
      neoctl trials --experiment resnet50-tuning --sort-by name
      neoctl trials --trial-component resnet50-compile-c5 -o json
    """
    from neoctl.output.trials import trials_view
    from neoctl.trials import list_trials, list_trials_request

    out = printer(common.output, common.query)
    request = list_trials_request(experiment, trial_component, created_after, created_before, sort_by, sort_order)
    options = common.aws
    out.listing(list_trials(options, request, max_items, page_size, starting_token), trials_view)
