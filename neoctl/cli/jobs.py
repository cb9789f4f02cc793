"""Commands on existing compilation jobs: describe, list, stop, wait, logs."""

from __future__ import annotations

from typing import Annotated

import typer

from neoctl.cli import completion
from neoctl.cli import options as opt
from neoctl.cli.confirm import confirm, require_yes
from neoctl.cli.printer import printer
from neoctl.cli.wait_report import report_wait


@opt.aws_command()
def describe(
    common: opt.Common,
    name: opt.JobName,
) -> None:
    """Show a compilation job: status, failure reason, target, inputs, timings, artifacts.

    Examples:

    \b
      neoctl describe resnet50-ml-c5
      neoctl describe resnet50-ml-c5 -o json --query CompilationJobStatus
    """
    from functools import partial

    from neoctl.api.jobs import describe_job
    from neoctl.flags import check_name
    from neoctl.jobs.hints import hint_for
    from neoctl.output.jobs import describe_view

    out = printer(common.output, common.query)
    check_name(name, "DescribeCompilationJob", "CompilationJobName", "NAME")
    job = describe_job(common.aws, name)
    # -o json/yaml print SageMaker's document untouched; the hint is for the table.
    hint = hint_for(str(job["FailureReason"])) if job.get("FailureReason") else None
    out.data(job, partial(describe_view, hint=hint))


@opt.aws_command()
def list_(
    common: opt.Common,
    status: Annotated[
        str | None,
        typer.Option(help="Only jobs with this status (any case).", autocompletion=completion.statuses),
    ] = None,
    name_contains: Annotated[str | None, typer.Option(help="Only jobs whose name contains this.")] = None,
    created_after: opt.CreatedAfter = None,
    created_before: opt.CreatedBefore = None,
    modified_after: opt.ModifiedAfter = None,
    modified_before: opt.ModifiedBefore = None,
    sort_by: Annotated[
        str | None,
        typer.Option(help="name, creation-time or status.", autocompletion=completion.job_sort_keys),
    ] = None,
    sort_order: opt.SortOrder = None,
    max_items: opt.MaxItems = None,
    page_size: opt.PageSize = None,
    starting_token: opt.StartingToken = None,
) -> None:
    """List compilation jobs, through every page unless --max-items says otherwise.

    Examples:

    \b
      neoctl list --status failed --created-after 7d
      neoctl list --name-contains resnet -o json --query 'CompilationJobSummaries[].CompilationJobName'
    """
    from neoctl.jobs.listing import list_jobs, list_jobs_request
    from neoctl.output.jobs import jobs_chunk, list_view

    out = printer(common.output, common.query)
    request = list_jobs_request(
        status, name_contains, created_after, created_before, modified_after, modified_before, sort_by, sort_order
    )
    options = common.aws
    jobs = list_jobs(options, request, max_items, page_size, starting_token)
    out.listing(jobs, list_view, jobs_chunk, "compilation job(s)")


@opt.aws_command()
def stop(
    common: opt.Common,
    names: opt.JobNames,
    yes: opt.Yes = False,
    wait: Annotated[bool, typer.Option("--wait", help="Then wait until the jobs have stopped.")] = False,
    timeout: opt.Timeout = None,
    poll: opt.Poll = "15",
) -> None:
    """Stop compilation jobs; asks first on a terminal, needs --yes off one.

    Examples:

    \b
      neoctl stop resnet50-ml-c5
      neoctl stop resnet50-ml-c5 resnet50-jetson-nano --yes --wait
    """
    from neoctl.flags import check_names
    from neoctl.jobs.stop import check_stopped, plan_stop, stop_jobs
    from neoctl.jobs.wait import wait_for_jobs
    from neoctl.output.jobs import stopped_view
    from neoctl.output.progress import CountProgress
    from neoctl.polling import waiting

    out = printer(common.output, common.query)
    require_yes("stop", yes)
    check_names(names, "StopCompilationJob", "CompilationJobName", "NAMES")
    how = waiting(timeout, poll) if wait else None  # checked before anything is sent
    options = common.aws
    unique = len(dict.fromkeys(names))
    with CountProgress(out, "Looking the jobs up", unique) as looked:
        plan = plan_stop(options, names, done=looked.advance)
    if plan.to_stop:
        confirm(f"Stop {len(plan.to_stop)} compilation job(s): {', '.join(plan.to_stop)}?", yes)
    with CountProgress(out, "Stopping", len(plan.to_stop)) as stopping:
        rows = stop_jobs(options, names, plan, done=stopping.advance)
    if how is None or any(r.get("Error") for r in rows):
        out.data(rows, stopped_view)
    check_stopped(rows)
    if how is not None:
        report_wait(out, wait_for_jobs(options, names, how, stopped_ok=True, before=rows, out=out))


@opt.aws_command()
def wait(
    common: opt.Common,
    names: opt.JobNames,
    timeout: opt.Timeout = None,
    poll: opt.Poll = "15",
) -> None:
    """Wait until compilation jobs finish: exit 0 all COMPLETED, 1 any FAILED/STOPPED, 124 timeout.

    Examples:

    \b
      neoctl wait resnet50-ml-c5 resnet50-jetson-nano --timeout 30m
      neoctl wait resnet50-ml-c5 --poll 5 -o json
    """
    from neoctl.api.session import endpoint_url_warning
    from neoctl.flags import check_names
    from neoctl.jobs.wait import wait_for_jobs
    from neoctl.polling import waiting

    out = printer(common.output, common.query)
    how = waiting(timeout, poll)
    check_names(names, "DescribeCompilationJob", "CompilationJobName", "NAMES")
    if warning := endpoint_url_warning(common.aws, "logs"):
        out.warning(warning)
    report_wait(out, wait_for_jobs(common.aws, names, how, out=out))


@opt.aws_command()
def logs(
    common: opt.Common,
    name: opt.JobName,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only events at or after this ISO 8601 time (naive = UTC) or age (30s, 10m, 2h, 7d).",
            show_default=False,
        ),
    ] = None,
    tail: Annotated[
        str | None,
        typer.Option(
            "--tail", help="Only the last N events (with --follow: the last N, then new ones).", show_default=False
        ),
    ] = None,
    follow: Annotated[bool, typer.Option("--follow", help="Keep printing new events until the job ends.")] = False,
    poll: opt.Poll = "5",
) -> None:
    """Print a job's CloudWatch log events (/aws/sagemaker/CompilationJobs) with timestamps.

    -o json prints one JSON list of {timestamp, stream, message}; with --follow, JSON Lines
    instead: one such object per line as each event comes (-o yaml: a YAML document each).

    Examples:

    \b
      neoctl logs resnet50-ml-c5
      neoctl logs resnet50-ml-c5 --since 10m --tail 50
      neoctl logs resnet50-ml-c5 --tail 20 --follow
      neoctl logs resnet50-ml-c5 -o json --query "[?contains(message, 'ERROR')]"
    """
    from neoctl.api.session import endpoint_url_warning
    from neoctl.flags import check_name
    from neoctl.jobs.logs import job_log_events, log_window
    from neoctl.output.jobs import log_line
    from neoctl.output.logs import print_log_events
    from neoctl.output.printer import escape
    from neoctl.polling import waiting

    out = printer(common.output, common.query)
    check_name(name, "DescribeCompilationJob", "CompilationJobName", "NAME")
    since_ms, last = log_window(since, tail)
    interval = waiting(None, poll).poll
    if warning := endpoint_url_warning(common.aws, "logs"):
        out.warning(warning)
    events = job_log_events(common.aws, name, follow, interval, since_ms=since_ms, tail=last)
    seen = print_log_events(out, events, log_line, follow=follow, query=common.query)
    if not seen:
        after = f" since {escape(since)}" if since else " yet"
        out.message(f"no log events{after} for {escape(name)}")
