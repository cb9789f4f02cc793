"""`neoctl create`: validate a batch of job specs, then send (or print) the requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from neoctl.cli import options as opt
from neoctl.cli.runtime import aws_options, load_jobs, printer
from neoctl.cli.waitflow import Poll, Timeout, wait_for

if TYPE_CHECKING:
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
    wait: Annotated[
        bool, typer.Option("--wait", help="Then wait until every job of the batch has finished.")
    ] = False,
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
    batch = load_jobs([*(files or []), *(more or [])], out)
    try:
        _create(
            batch,
            out,
            dry_run,
            aws_cli,
            concurrency,
            wait,
            timeout,
            poll,
            region,
            profile,
            endpoint_url,
            debug,
            query,
        )
    finally:
        batch.cleanup()


def _create(
    batch: Batch,
    out: Printer,
    dry_run: bool,
    aws_cli: bool,
    concurrency: int,
    wait: bool,
    timeout: str | None,
    poll: str,
    region: str | None,
    profile: str | None,
    endpoint_url: str | None,
    debug: bool,
    query: str | None,
) -> None:
    requests = [job.request for job in batch.jobs]
    if dry_run:
        from neoctl.output.transfer import upload_plan_message

        for upload in batch.uploads():
            out.message(upload_plan_message(upload.as_dict()))
        if aws_cli:
            import os

            from neoctl.spec.awscli import aws_cli_line

            # The AWS CLI v1 ignores AWS_REGION; neoctl would use it, so the line names it.
            line_region = region or os.environ.get("AWS_REGION") or None
            # Every line is rendered before any is printed: all or nothing.
            lines = [
                aws_cli_line(r, region=line_region, profile=profile, endpoint_url=endpoint_url)
                for r in requests
            ]
            for line in lines:
                out.text(line)
            return
        from neoctl.output.specs import requests_view

        out.data(requests[0] if len(requests) == 1 else requests, requests_view)
        out.message(f"dry run: {len(requests)} job(s) valid, nothing sent")
        return
    from neoctl import fanout
    from neoctl.api.jobs import create_jobs
    from neoctl.errors import BatchIncomplete
    from neoctl.output.jobs import created_summary, created_view

    options = aws_options(profile, region, endpoint_url, debug)
    if batch.uploads():
        from neoctl.localmodel import execute

        for upload in batch.uploads():
            execute(options, upload, out)
    results = create_jobs(options, requests, concurrency)
    if not wait or fanout.batch_exit_code(results):
        out.data(results, created_view)
    if fanout.batch_exit_code(results):
        bad = [r for r in results if r["Result"] not in (fanout.CREATED, fanout.EXISTED)]
        raise BatchIncomplete(
            f"{len(bad)} of {len(results)} job(s) not created: "
            + "; ".join(f"{r['CompilationJobName']} {r['Result']} ({r.get('Error', '')})" for r in bad),
            "fix what is named, then run the same command again: jobs that exist unchanged are skipped",
        )
    if wait:
        out.message(created_summary(results))
        wait_for(options, [r["CompilationJobName"] for r in results], out, timeout, poll, before=results)
