"""`neoctl wait` and `neoctl logs`."""

from __future__ import annotations

from typing import Annotated

import typer

from neoctl.cli import options as opt
from neoctl.cli.runtime import aws_options, printer, warn_unredirected
from neoctl.jobs.wait import Poll, Timeout, wait_for, waiting


def wait(
    names: opt.JobNames,
    timeout: Timeout = None,
    poll: Poll = "15",
    output: opt.Output = opt.OutputFormat.table,
    query: opt.Query = None,
    profile: opt.Profile = None,
    region: opt.Region = None,
    endpoint_url: opt.EndpointUrl = None,
    debug: opt.Debug = False,
) -> None:
    """Wait until compilation jobs finish: exit 0 all COMPLETED, 1 any FAILED/STOPPED, 124 timeout.

    Examples:

    \b
      neoctl wait resnet50-ml-c5 resnet50-jetson-nano --timeout 30m
      neoctl wait resnet50-ml-c5 --poll 5 -o json
    """
    from neoctl.flags import check_name

    how = waiting(timeout, poll)
    for name in names:
        check_name(name, "StopCompilationJob", "CompilationJobName", "NAME")
    out = printer(output, query)
    warn_unredirected(out, endpoint_url, "logs")
    wait_for(aws_options(profile, region, endpoint_url, debug), names, out, how)


def logs(
    name: opt.JobName,
    follow: Annotated[bool, typer.Option("--follow", help="Keep printing new events until the job ends.")] = False,
    poll: Poll = "5",
    profile: opt.Profile = None,
    region: opt.Region = None,
    endpoint_url: opt.EndpointUrl = None,
    debug: opt.Debug = False,
) -> None:
    """Print a job's CloudWatch log events (/aws/sagemaker/CompilationJobs) with timestamps.

    Examples:

    \b
      neoctl logs resnet50-ml-c5
      neoctl logs resnet50-ml-c5 --follow
    """
    from neoctl.flags import check_name
    from neoctl.jobs.logs import show_logs

    check_name(name, "StopCompilationJob", "CompilationJobName", "NAME")
    out = printer()
    warn_unredirected(out, endpoint_url, "logs")
    show_logs(aws_options(profile, region, endpoint_url, debug), name, out, follow, poll)
