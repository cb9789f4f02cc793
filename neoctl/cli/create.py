"""`neoctl create`: validate a batch of job specs, then send (or print) the requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from neoctl.cli import options as opt
from neoctl.cli.runtime import aws_options, load_jobs, printer, warn_unredirected
from neoctl.jobs.wait import Poll, Timeout, Waiting, wait_for, waiting

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.output import Printer
    from neoctl.spec.batch import Batch


def create(
    more: opt.SpecArgs = None,
    files: opt.SpecFiles = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the request(s); send nothing.")] = False,
    aws_cli: Annotated[
        bool, typer.Option("--aws-cli", help="With --dry-run: print an `aws` command line per job.")
    ] = False,
    concurrency: Annotated[int, typer.Option(min=1, max=32, help="Jobs sent at once.")] = 8,
    wait: Annotated[bool, typer.Option("--wait", help="Then wait until every job of the batch has finished.")] = False,
    timeout: Timeout = None,
    poll: Poll = "15",
    output: opt.Output = opt.OutputFormat.table,
    query: opt.Query = None,
    profile: opt.Profile = None,
    region: opt.Region = None,
    endpoint_url: opt.EndpointUrl = None,
    debug: opt.Debug = False,
) -> None:
    """Create compilation jobs from job specs, after validating the whole batch.

    Nothing is sent unless every job of every file is valid.

    Examples:

    \b
      neoctl create -f examples/pytorch.yaml --dry-run -o json
      neoctl create -f examples/fanout.yaml --dry-run --aws-cli
      neoctl create -f examples/pytorch.yaml --region eu-west-1
      neoctl create -f examples/fanout.yaml --wait --timeout 1h
    """
    from neoctl.errors import UsageError

    out = printer(output, query)
    if aws_cli and not dry_run:
        raise UsageError("--aws-cli prints commands instead of sending: use it with --dry-run")
    if aws_cli and (query or output != opt.OutputFormat.table):
        raise UsageError("--aws-cli prints command lines: drop -o/--query, or drop --aws-cli")
    how = waiting(timeout, poll) if wait else None  # checked before anything is sent
    batch = load_jobs([*(files or []), *(more or [])], out)
    try:
        if not dry_run:
            if batch.uploads():
                warn_unredirected(out, endpoint_url, "s3")
            send(batch, out, aws_options(profile, region, endpoint_url, debug), concurrency, how)
        elif aws_cli:
            print_aws_cli(batch, out, region, profile, endpoint_url)
        else:
            print_requests(batch, out)
    finally:
        batch.cleanup()


def print_requests(batch: Batch, out: Printer) -> None:
    """--dry-run: the exact request(s), and what would be uploaded."""
    from neoctl.output.specs import requests_view
    from neoctl.output.transfer import upload_plan_message

    for upload in batch.uploads():
        out.message(upload_plan_message(upload.as_dict()))
    requests = [job.request for job in batch.jobs]
    out.data(requests[0] if len(requests) == 1 else requests, requests_view)
    out.message(f"dry run: {len(requests)} job(s) valid, nothing sent")


def print_aws_cli(
    batch: Batch, out: Printer, region: str | None, profile: str | None, endpoint_url: str | None
) -> None:
    """--dry-run --aws-cli: one paste-safe `aws` line per job, all rendered before any is printed."""
    import os

    from neoctl.output.transfer import upload_plan_message
    from neoctl.spec.awscli import aws_cli_line

    for upload in batch.uploads():
        out.message(upload_plan_message(upload.as_dict()))
    # The AWS CLI v1 ignores AWS_REGION; neoctl would use it, so the line names it.
    line_region = region or os.environ.get("AWS_REGION") or None
    lines = [
        aws_cli_line(job.request, region=line_region, profile=profile, endpoint_url=endpoint_url) for job in batch.jobs
    ]
    for line in lines:
        out.text(line)


def send(batch: Batch, out: Printer, options: AwsOptions, concurrency: int, how: Waiting | None) -> None:
    """Upload local models, create every job (a bounded pool), report each, wait if asked."""
    from neoctl.api.jobs import create_jobs
    from neoctl.errors import BatchIncomplete
    from neoctl.jobs import results as fanout
    from neoctl.models.plan import execute
    from neoctl.output.jobs import created_summary, created_view

    for upload in batch.uploads():
        execute(options, upload, out)
    results = create_jobs(options, [job.request for job in batch.jobs], concurrency)
    failed = fanout.batch_exit_code(results)
    if how is None or failed:
        out.data(results, created_view)
    if failed:
        bad = [r for r in results if r["Result"] not in (fanout.CREATED, fanout.EXISTED)]
        raise BatchIncomplete(
            f"{len(bad)} of {len(results)} job(s) not created: "
            + "; ".join(f"{r['CompilationJobName']} {r['Result']} ({r.get('Error', '')})" for r in bad),
            "fix what is named, then run the same command again: jobs that exist unchanged are skipped",
        )
    if how is not None:
        out.message(created_summary(results))
        wait_for(options, [r["CompilationJobName"] for r in results], out, how, before=results)
