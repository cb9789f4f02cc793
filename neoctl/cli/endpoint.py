"""`neoctl endpoint describe|update|rollback|history`."""

from __future__ import annotations

from typing import Annotated

import typer

from neoctl.cli import completion
from neoctl.cli import options as opt
from neoctl.cli.change import run_change
from neoctl.cli.printer import printer

app = typer.Typer(help="SageMaker endpoints: describe, update, rollback, history.", no_args_is_help=True)

EndpointName = Annotated[
    str, typer.Argument(help="Endpoint name.", show_default=False, autocompletion=completion.endpoint_names)
]


@app.command("describe")
@opt.aws_command()
def describe(
    common: opt.Common,
    endpoint: EndpointName,
) -> None:
    """Show an endpoint's status and its variants' instance counts and weights.

    Example: neoctl endpoint describe resnet50-prod
    """
    from neoctl.api.endpoints import describe_endpoint
    from neoctl.flags import check_name
    from neoctl.output.endpoints import endpoint_view

    out = printer(common.output, common.query)
    check_name(endpoint, "DescribeEndpoint", "EndpointName", "ENDPOINT")
    out.data(describe_endpoint(common.aws, endpoint), endpoint_view)


@app.command("update")
@opt.aws_command()
def update(
    common: opt.Common,
    endpoint: EndpointName,
    config: Annotated[
        str,
        typer.Option(
            "--config",
            help="The new endpoint config name.",
            show_default=False,
            autocompletion=completion.endpoint_config_names,
        ),
    ],
    retain_all: Annotated[
        bool,
        typer.Option(
            "--retain-all",
            help="Keep the endpoint's current variant properties (RetainAllVariantProperties): "
            "instance counts set by autoscaling survive.",
        ),
    ] = False,
    exclude: opt.Exclude = None,
    retain_deployment_config: Annotated[
        bool,
        typer.Option("--retain-deployment-config", help="Keep the current DeploymentConfig (RetainDeploymentConfig)."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what the update would change; send nothing.")
    ] = False,
    wait: Annotated[
        bool,
        typer.Option("--wait", help="Then wait until the endpoint is InService (exit 0) or Failed (exit 1)."),
    ] = False,
    timeout: opt.Timeout = None,
    poll: opt.Poll = "30",
    yes: opt.Yes = False,
) -> None:
    """Point an endpoint at a new endpoint config (UpdateEndpoint); asks first on a terminal.

    Examples:

    \b
      neoctl endpoint update resnet50-prod --config resnet50-v2 --retain-all
      neoctl endpoint update resnet50-prod --config resnet50-v2 --retain-all --exclude DesiredWeight --yes
      neoctl endpoint update resnet50-prod --config resnet50-v2 --dry-run
      neoctl endpoint update resnet50-prod --config resnet50-v2 --retain-all --yes --wait --timeout 20m
    """
    from neoctl.endpoints.update import build_request, plan_update, update_endpoint
    from neoctl.endpoints.wait import wait_for_endpoint
    from neoctl.output.endpoints import endpoint_view, preview_view, updated_view
    from neoctl.polling import waiting

    out = printer(common.output, common.query)
    request = build_request(endpoint, config, retain_all, exclude or [], retain_deployment_config)
    how = waiting(timeout, poll)  # checked before anything is sent
    options = common.aws
    run_change(
        out,
        plan_update(options, request),
        preview_view,
        f"Update endpoint {endpoint} to config {config}?",
        yes=yes,
        dry_run=dry_run,
        apply=lambda: update_endpoint(options, request),
        result_view=updated_view,
        started=lambda result: f"update started: {result.get('EndpointArn', endpoint)}",
        wait=(lambda _: wait_for_endpoint(options, endpoint, how, out)) if wait else None,
        waited_view=endpoint_view,
    )


@app.command("rollback")
@opt.aws_command()
def rollback(
    common: opt.Common,
    endpoint: EndpointName,
    exclude: opt.Exclude = None,
    dry_run: opt.DryRun = False,
    wait: opt.WaitInService = False,
    timeout: opt.Timeout = None,
    poll: opt.Poll = "30",
    yes: opt.Yes = False,
) -> None:
    """Point an endpoint back at the config `neoctl deploy` replaced (retain-all); asks first on a terminal.

    Examples:

    \b
      neoctl endpoint rollback resnet50-prod --dry-run
      neoctl endpoint rollback resnet50-prod --yes --wait --timeout 20m
    """
    from neoctl.endpoints.rollback import rollback_request
    from neoctl.endpoints.update import plan_update, update_endpoint
    from neoctl.endpoints.wait import wait_for_endpoint
    from neoctl.output.endpoints import endpoint_view, preview_view, updated_view
    from neoctl.polling import waiting

    out = printer(common.output, common.query)
    how = waiting(timeout, poll)
    options = common.aws
    # A rollback is always retain-all: its plan has no instance-count warnings for run_change to print.
    plan = plan_update(options, rollback_request(options, endpoint, exclude or []))
    config = plan["Request"]["EndpointConfigName"]
    run_change(
        out,
        plan,
        preview_view,
        f"Roll endpoint {endpoint} back to config {config}?",
        yes=yes,
        dry_run=dry_run,
        apply=lambda: update_endpoint(options, plan["Request"]),
        result_view=updated_view,
        started=lambda result: f"rollback started: {result.get('EndpointArn', endpoint)} → {config}",
        wait=(lambda _: wait_for_endpoint(options, endpoint, how, out)) if wait else None,
        waited_view=endpoint_view,
    )


@app.command("history")
@opt.aws_command()
def history(
    common: opt.Common,
    endpoint: EndpointName,
) -> None:
    """List the chain of endpoint configs `neoctl deploy` recorded, newest (current) first.

    Example: neoctl endpoint history resnet50-prod
    """
    from neoctl.endpoints.rollback import history as chain
    from neoctl.output.endpoints import history_view

    out = printer(common.output, common.query)
    out.data(chain(common.aws, endpoint), history_view)
