"""`neoctl create`: validate a batch of job specs, then send (or print) the requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from neoctl.cli import options as opt
from neoctl.cli.batch import load_jobs
from neoctl.cli.printer import printer
from neoctl.cli.wait_report import report_wait

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.output import Printer
    from neoctl.polling import Waiting
    from neoctl.spec.batch import Batch


@opt.aws_command()
def create(
    common: opt.Common,
    more: opt.SpecArgs = None,
    files: opt.SpecFiles = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the request(s); send nothing.")] = False,
    aws_cli: Annotated[
        bool, typer.Option("--aws-cli", help="With --dry-run: print an `aws` command line per job.")
    ] = False,
    concurrency: Annotated[int, typer.Option(min=1, max=32, help="Jobs sent at once.")] = 8,
    wait: Annotated[bool, typer.Option("--wait", help="Then wait until every job of the batch has finished.")] = False,
    timeout: opt.Timeout = None,
    poll: opt.Poll = "15",
    strict: opt.Strict = False,
    no_preflight: Annotated[
        bool,
        typer.Option(
            "--no-preflight",
            help="Skip the read-only look-ups before sending: model object (s3:GetObject), bucket "
            "regions (s3:GetBucketLocation), role trust (iam:GetRole).",
        ),
    ] = False,
) -> None:
    """Create compilation jobs from job specs, after validating the whole batch.

    Nothing is sent unless every job of every file is valid. Before the first job is
    created, pre-flight looks up (read-only, once per distinct resource) that each model
    object exists, that the model and output buckets are in the jobs' region and that
    each role trusts sagemaker.amazonaws.com; it needs s3:GetObject, s3:GetBucketLocation
    and iam:GetRole, and a look-up that is denied is a warning, not a refusal.

    Examples:

    \b
      neoctl create -f examples/pytorch.yaml --dry-run -o json
      neoctl create -f examples/fanout.yaml --dry-run --aws-cli
      neoctl create -f examples/pytorch.yaml --region eu-west-1
      neoctl create -f examples/fanout.yaml --wait --timeout 1h
    """
    from neoctl.api.session import endpoint_url_warning
    from neoctl.jobs.create import create_batch, services_for
    from neoctl.models.upload import hash_models
    from neoctl.polling import waiting

    out = printer(common.output, common.query)  # contradicting flags: cli/conflicts.py, before the body
    how = waiting(timeout, poll) if wait else None  # checked before anything is sent
    batch = load_jobs([*(files or []), *(more or [])], out, strict)
    options = common.aws
    others = services_for(batch, preflight=not no_preflight)
    # names local models' S3 objects: reads them, never packs; the clients are made meanwhile
    hash_models(batch, out, None if dry_run else options, ("sagemaker", *others))
    if dry_run:
        _dry_run(out, batch, aws_cli, common.aws.region, common.aws.profile, common.aws.endpoint_url)
        return
    # --endpoint-url is SageMaker's: say so when uploads or pre-flight would reach AWS.
    if warning := endpoint_url_warning(options, *others):
        out.warning(warning)
    if not no_preflight:
        from neoctl.jobs.preflight import check_batch

        for finding in check_batch(options, batch, strict=strict):
            out.warning(finding.render())
    rows = create_batch(batch, options, concurrency=concurrency, out=out)
    _report(out, options, rows, how)


def _dry_run(
    out: Printer, batch: Batch, aws_cli: bool, region: str | None, profile: str | None, endpoint_url: str | None
) -> None:
    """What would be uploaded, then the requests (or one `aws` line per job)."""
    from neoctl.jobs.create import aws_cli_lines
    from neoctl.output.specs import requests_view
    from neoctl.output.transfer import upload_plan_message

    for upload in batch.uploads():
        out.message(upload_plan_message(upload.as_dict()))
    if aws_cli:
        for line in aws_cli_lines(batch, region, profile, endpoint_url):
            out.text(line)
        return
    requests = [job.request for job in batch.jobs]
    out.data(requests[0] if len(requests) == 1 else requests, requests_view)
    out.message(f"dry run: {len(requests)} job(s) valid, nothing sent")


def _report(out: Printer, options: AwsOptions, rows: list[dict[str, Any]], how: Waiting | None) -> None:
    """Each job's result (exit 254 naming those not created); with --wait, how the wait ended."""
    from neoctl.jobs.create import check_created
    from neoctl.jobs.results import not_created
    from neoctl.jobs.wait import wait_for_jobs
    from neoctl.output.jobs import created_summary, created_view

    if how is None or not_created(rows):
        out.data(rows, created_view)
    check_created(rows)
    if how is not None:
        out.message(created_summary(rows))
        report_wait(out, wait_for_jobs(options, [r["CompilationJobName"] for r in rows], how, before=rows, out=out))
