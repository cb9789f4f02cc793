"""Commands on existing compilation jobs: describe, list, stop."""

from __future__ import annotations

from typing import Annotated

import typer

from neoctl.cli import completion
from neoctl.cli import options as opt
from neoctl.cli.runtime import aws_options, confirm, printer
from neoctl.jobs.wait import Poll, Timeout, wait_for, waiting


def describe(
    name: opt.JobName,
    output: opt.Output = opt.OutputFormat.table,
    query: opt.Query = None,
    profile: opt.Profile = None,
    region: opt.Region = None,
    endpoint_url: opt.EndpointUrl = None,
    debug: opt.Debug = False,
) -> None:
    """Show a compilation job: status, failure reason, target, inputs, timings, artifacts.

    Examples:

    \b
      neoctl describe resnet50-ml-c5
      neoctl describe resnet50-ml-c5 -o json --query CompilationJobStatus
    """
    from neoctl.api.jobs import describe_job
    from neoctl.flags import check_name
    from neoctl.output.jobs import describe_view

    check_name(name, "DescribeCompilationJob", "CompilationJobName", "NAME")
    job = describe_job(aws_options(profile, region, endpoint_url, debug), name)
    printer(output, query).data(job, describe_view)


def list_(
    status: Annotated[
        str | None,
        typer.Option(help="Only jobs with this status (any case).", autocompletion=completion.statuses),
    ] = None,
    name_contains: Annotated[str | None, typer.Option(help="Only jobs whose name contains this.")] = None,
    created_after: opt.CreatedAfter = None,
    created_before: opt.CreatedBefore = None,
    modified_after: Annotated[str | None, typer.Option(help="ISO 8601 time or age.")] = None,
    modified_before: Annotated[str | None, typer.Option(help="ISO 8601 time or age.")] = None,
    sort_by: Annotated[
        str | None,
        typer.Option(help="name, creation-time or status.", autocompletion=completion.job_sort_keys),
    ] = None,
    sort_order: opt.SortOrder = None,
    max_items: opt.MaxItems = None,
    page_size: opt.PageSize = None,
    starting_token: opt.StartingToken = None,
    output: opt.Output = opt.OutputFormat.table,
    query: opt.Query = None,
    profile: opt.Profile = None,
    region: opt.Region = None,
    endpoint_url: opt.EndpointUrl = None,
    debug: opt.Debug = False,
) -> None:
    """List compilation jobs, through every page unless --max-items says otherwise.

    Examples:

    \b
      neoctl list --status failed --created-after 7d
      neoctl list --name-contains resnet -o json --query 'CompilationJobSummaries[].CompilationJobName'
    """
    from neoctl import flags as p
    from neoctl.api.jobs import list_jobs
    from neoctl.output.jobs import jobs_chunk, list_view

    request = p.list_jobs_request(
        status, name_contains, created_after, created_before, modified_after, modified_before, sort_by, sort_order
    )
    result = list_jobs(
        aws_options(profile, region, endpoint_url, debug),
        request,
        max_items,
        p.page_size(page_size),
        p.starting_token(starting_token),
    )
    printer(output, query).listing(result, list_view, jobs_chunk, "compilation job(s)")


def stop(
    names: opt.JobNames,
    yes: opt.Yes = False,
    wait: Annotated[bool, typer.Option("--wait", help="Then wait until the jobs have stopped.")] = False,
    timeout: Timeout = None,
    poll: Poll = "15",
    output: opt.Output = opt.OutputFormat.table,
    query: opt.Query = None,
    profile: opt.Profile = None,
    region: opt.Region = None,
    endpoint_url: opt.EndpointUrl = None,
    debug: opt.Debug = False,
) -> None:
    """Stop compilation jobs; asks first on a terminal unless --yes.

    Examples:

    \b
      neoctl stop resnet50-ml-c5
      neoctl stop resnet50-ml-c5 resnet50-jetson-nano --yes --wait
    """
    from neoctl.api.jobs import stop_jobs
    from neoctl.errors import BatchIncomplete
    from neoctl.flags import check_name
    from neoctl.output.jobs import stopped_view

    for name in names:
        check_name(name, "StopCompilationJob", "CompilationJobName", "NAME")
    how = waiting(timeout, poll) if wait else None  # checked before anything is sent
    out = printer(output, query)
    confirm(f"Stop {len(names)} compilation job(s): {', '.join(names)}?", yes)
    options = aws_options(profile, region, endpoint_url, debug)
    rows = stop_jobs(options, names)
    refused = [r for r in rows if r.get("Error")]
    if how is None or refused:
        out.data(rows, stopped_view)
    if refused:
        raise BatchIncomplete(
            f"{len(refused)} of {len(rows)} job(s) could not be stopped: "
            + "; ".join(f"{r['CompilationJobName']} ({r['Error']})" for r in refused),
            next((r["Hint"] for r in refused if r.get("Hint")), "the other jobs were handled as shown"),
        )
    if how is None:
        return
    wait_for(options, names, out, how, stopped_ok=True, before=rows)
