"""Commands that work offline on job specs: validate, devices, schema."""

from __future__ import annotations

from typing import Annotated

import typer

from neoctl.cli import options as opt
from neoctl.cli.batch import load_jobs
from neoctl.cli.printer import printer


@opt.aws_command()
def validate(
    common: opt.Common,
    more: opt.SpecArgs = None,
    files: opt.SpecFiles = None,
    strict: opt.Strict = False,
    online: Annotated[
        bool,
        typer.Option(
            "--online",
            help="Also make create's read-only pre-flight look-ups (s3:GetObject, s3:GetBucketLocation, iam:GetRole).",
        ),
    ] = False,
) -> None:
    """Check job specs against the SageMaker API model and Neo's documented support; send nothing.

    Every document of every file is checked; all problems are listed at once. Offline
    unless --online.

    Examples:

    \b
      neoctl validate -f examples/pytorch.yaml -f examples/fanout.yaml
      neoctl validate -f examples/*.yaml
      neoctl validate --strict --online -f job.yaml
    """
    from neoctl.output.specs import job_summary, summaries_table
    from neoctl.spec.batch import summary

    out = printer(common.output, common.query)
    batch = load_jobs([*(files or []), *(more or [])], out, strict)
    if online:
        from neoctl.jobs.preflight import check_batch

        for finding in check_batch(common.aws, batch, strict=strict):
            out.warning(finding.render())
    rows = [summary(job) for job in batch.jobs]
    if out.output == "table" and not common.query:
        for row in rows:
            out.text(job_summary(row))
        return
    out.data(rows, summaries_table)


def devices(output: opt.Output = opt.OutputFormat.table, query: opt.Query = None) -> None:
    """List target devices with the framework versions Neo documents for each, frameworks and platform values.

    Devices, frameworks and platform values come from the installed API model; the
    versions from neoctl's support facts (what validate checks framework_version
    against), with a note where none are documented. -o json: Devices holds one entry
    per TargetDevice with its FrameworkVersions and Note.

    Examples:

    \b
      neoctl devices
      neoctl devices -o json --query TargetDevices
      neoctl devices -o json --query "Devices[?TargetDevice=='ml_inf1'].FrameworkVersions"
    """
    from neoctl.output.specs import catalog_view
    from neoctl.spec.catalog import catalog

    printer(output, query).data(catalog(), catalog_view)


def schema(output: opt.Output = opt.OutputFormat.json) -> None:
    """Print the JSON Schema of the neoctl spec form, for editors.

    Example: neoctl schema > neoctl-job.schema.json
    """
    from neoctl.spec.neoform import SCHEMA

    printer(output if output != opt.OutputFormat.table else opt.OutputFormat.json, None).data(SCHEMA)
