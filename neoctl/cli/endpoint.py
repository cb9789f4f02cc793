"""`neoctl endpoint describe|update|rollback|history` (invoke and logs: neoctl/cli/invoke.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from neoctl.cli import completion
from neoctl.cli import options as opt
from neoctl.cli.change import run_change
from neoctl.cli.confirm import require_yes
from neoctl.cli.printer import printer

app = typer.Typer(
    help="SageMaker endpoints: list, describe, update, rollback, wait, history, invoke, logs.", no_args_is_help=True
)

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
    from functools import partial

    from neoctl.api.endpoints import describe_endpoint
    from neoctl.endpoints.failure import diagnose, failed
    from neoctl.flags import check_name
    from neoctl.output.endpoint_failures import described_view

    out = printer(common.output, common.query)
    check_name(endpoint, "DescribeEndpoint", "EndpointName", "ENDPOINT")
    described = describe_endpoint(common.aws, endpoint)
    # -o json/yaml print SageMaker's document untouched; a failure's log lines and hint are for the table.
    diagnosis = diagnose(common.aws, described, out) if out.output == "table" and failed(described) else None
    out.data(described, partial(described_view, diagnosis=diagnosis))


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
        typer.Option(
            "--retain-deployment-config",
            help="Reuse the endpoint's LastDeploymentConfig (RetainDeploymentConfig): the preview shows its "
            "traffic plan and --wait follows it.",
        ),
    ] = False,
    canary: opt.Canary = None,
    linear: opt.Linear = None,
    rolling: opt.Rolling = None,
    bake: opt.Bake = None,
    alarm: opt.Alarm = None,
    max_time: opt.MaxTime = None,
    deployment_config: opt.DeploymentConfigFile = None,
    allow_all_at_once: opt.AllowAllAtOnce = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what the update would change; send nothing.")
    ] = False,
    wait: opt.WaitInService = False,
    timeout: opt.Timeout = None,
    poll: opt.Poll = "30",
    yes: opt.Yes = False,
) -> None:
    """Point an endpoint at a new endpoint config (UpdateEndpoint); asks first, --yes off a terminal.

    Examples:

    \b
      neoctl endpoint update resnet50-prod --config resnet50-v2 --retain-all
      neoctl endpoint update resnet50-prod --config resnet50-v2 --retain-all --exclude DesiredWeight --yes
      neoctl endpoint update resnet50-prod --config resnet50-v2 --dry-run
      neoctl endpoint update resnet50-prod --config resnet50-v2 --retain-all --yes --wait --timeout 20m
      neoctl endpoint update resnet50-prod --config resnet50-v2 --linear 25% --bake 5m --alarm prod-5xx --yes --wait
    """
    from neoctl.endpoints.traffic import from_flags
    from neoctl.endpoints.update import build_request, deployment_of, plan_update, update_endpoint
    from neoctl.output.endpoints import endpoint_view, preview_view, updated_view
    from neoctl.polling import waiting

    out = printer(common.output, common.query)
    require_yes("endpoint update", yes, dry_run=dry_run)
    policy = from_flags(canary, linear, rolling, bake, alarm, max_time, deployment_config, allow_all_at_once)
    request = build_request(
        endpoint,
        config,
        retain_all,
        exclude or [],
        retain_deployment_config,
        deployment=policy.build() if policy is not None else None,
    )
    how = waiting(timeout, poll)  # checked before anything is sent
    options = common.aws
    plan = plan_update(options, request, policy)
    # The policy --wait follows: the one sent, or the LastDeploymentConfig that
    # --retain-deployment-config reuses (None: none to follow, the plain status wait).
    deployment = deployment_of(plan)
    run_change(
        out,
        plan,
        preview_view,
        f"Update endpoint {endpoint} to config {config}?",
        yes=yes,
        dry_run=dry_run,
        apply=lambda: update_endpoint(options, request),
        result_view=updated_view,
        started=lambda result: f"update started: {result.get('EndpointArn', endpoint)}",
        wait=_follow(out, options, endpoint, how, config, deployment) if wait else None,
        waited_view=endpoint_view,
    )


@app.command("rollback")
@opt.aws_command()
def rollback(
    common: opt.Common,
    endpoint: EndpointName,
    exclude: opt.ExcludeRetained = None,
    canary: opt.Canary = None,
    linear: opt.Linear = None,
    rolling: opt.Rolling = None,
    bake: opt.Bake = None,
    alarm: opt.Alarm = None,
    max_time: opt.MaxTime = None,
    deployment_config: opt.DeploymentConfigFile = None,
    allow_all_at_once: opt.AllowAllAtOnce = False,
    dry_run: opt.DryRun = False,
    wait: opt.WaitInService = False,
    timeout: opt.Timeout = None,
    poll: opt.Poll = "30",
    yes: opt.Yes = False,
) -> None:
    """Point an endpoint back at the config `neoctl deploy` replaced (retain-all); asks first, --yes off a terminal.

    Examples:

    \b
      neoctl endpoint rollback resnet50-prod --dry-run
      neoctl endpoint rollback resnet50-prod --yes --wait --timeout 20m
      neoctl endpoint rollback resnet50-prod --canary 1 --bake 5m --yes --wait
    """
    from neoctl.endpoints.rollback import apply_rollback, rollback_request
    from neoctl.endpoints.traffic import from_flags
    from neoctl.endpoints.update import plan_update
    from neoctl.output.endpoints import endpoint_view, preview_view, updated_view
    from neoctl.polling import waiting

    out = printer(common.output, common.query)
    require_yes("endpoint rollback", yes, dry_run=dry_run)
    how = waiting(timeout, poll)
    options = common.aws
    # A rollback is always retain-all: its plan has no instance-count warnings for run_change to print.
    policy = from_flags(canary, linear, rolling, bake, alarm, max_time, deployment_config, allow_all_at_once)
    plan = plan_update(options, rollback_request(options, endpoint, exclude or [], policy), policy)
    config = plan["Request"]["EndpointConfigName"]
    deployment = plan["Request"].get("DeploymentConfig")
    run_change(
        out,
        plan,
        preview_view,
        f"Roll endpoint {endpoint} back to config {config}?",
        yes=yes,
        dry_run=dry_run,
        apply=lambda: apply_rollback(options, endpoint, plan["Request"]),
        result_view=updated_view,
        started=lambda result: f"rollback started: {result.get('EndpointArn', endpoint)} → {config}",
        wait=_follow(out, options, endpoint, how, config, deployment) if wait else None,
        waited_view=endpoint_view,
    )


@app.command("wait")
@opt.aws_command()
def wait_command(
    common: opt.Common,
    endpoint: EndpointName,
    config: Annotated[
        str | None,
        typer.Option(
            "--config",
            help="Succeed only when the endpoint ends serving this config (default: the one being deployed).",
            show_default=False,
            autocompletion=completion.endpoint_config_names,
        ),
    ] = None,
    timeout: opt.Timeout = None,
    poll: opt.Poll = "30",
) -> None:
    """Follow what an endpoint is doing until it settles: a deployment's phases, traffic and alarms.

    Exit 0 when it serves the config being deployed (or --config) InService; 1 when it
    Failed or SageMaker rolled the update back; 124 after --timeout. Ctrl-C stops only the
    watching.

    Examples:

    \b
      neoctl endpoint wait resnet50-prod
      neoctl endpoint wait resnet50-prod --config resnet50-v2 --timeout 1h
    """
    from neoctl.endpoints.wait import watch_endpoint
    from neoctl.flags import check_name
    from neoctl.output.endpoints import endpoint_view
    from neoctl.polling import waiting

    out = printer(common.output, common.query)
    check_name(endpoint, "DescribeEndpoint", "EndpointName", "ENDPOINT")
    if config is not None:
        check_name(config, "UpdateEndpoint", "EndpointConfigName", "--config")
    how = waiting(timeout, poll)
    out.data(watch_endpoint(common.aws, endpoint, how, out, expect=config), endpoint_view)


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


@app.command("list")
@opt.aws_command()
def list_endpoints(
    common: opt.Common,
    status: Annotated[
        str | None,
        typer.Option(help="Only endpoints with this status (any case).", autocompletion=completion.endpoint_statuses),
    ] = None,
    name_contains: Annotated[str | None, typer.Option(help="Only endpoints whose name contains this.")] = None,
    created_after: opt.CreatedAfter = None,
    created_before: opt.CreatedBefore = None,
    modified_after: opt.ModifiedAfter = None,
    modified_before: opt.ModifiedBefore = None,
    sort_by: Annotated[
        str | None,
        typer.Option(help="name, creation-time or status.", autocompletion=completion.endpoint_sort_keys),
    ] = None,
    sort_order: opt.SortOrder = None,
    max_items: opt.MaxItems = None,
    page_size: opt.PageSize = None,
    starting_token: opt.StartingToken = None,
) -> None:
    """List endpoints (ListEndpoints), through every page unless --max-items says otherwise.

    The table adds each endpoint's config (one DescribeEndpoint each); -o json prints
    ListEndpoints' summaries as they are.

    Examples:

    \b
      neoctl endpoint list --status inservice --name-contains resnet
      neoctl endpoint list --created-after 7d -o json --query 'Endpoints[].EndpointName'
    """
    from neoctl.endpoints.listing import list_endpoints as listing
    from neoctl.endpoints.listing import list_endpoints_request, with_configs
    from neoctl.output.endpoints import endpoints_view

    out = printer(common.output, common.query)
    request = list_endpoints_request(
        status, name_contains, created_after, created_before, modified_after, modified_before, sort_by, sort_order
    )
    options = common.aws
    endpoints = listing(options, request, max_items, page_size, starting_token)
    if out.output == "table" and not common.query:
        result = with_configs(options, endpoints.result())
        out.data(result, endpoints_view)
        out.paging_hint(result)
    else:
        out.listing(endpoints, endpoints_view, noun="endpoint(s)")


def _follow(out: Any, options: Any, endpoint: str, how: Any, config: str, deployment: Any) -> Callable[[Any], Any]:
    """What `--wait` does after an update or a rollback was sent: follow the endpoint until it
    serves `config`, showing the FailureReason, last log lines and hint if it does not."""
    from neoctl.cli.endpoint_failure import wait_reporting_failure
    from neoctl.endpoints.wait import wait_for_endpoint

    return lambda _: wait_reporting_failure(
        out,
        options,
        endpoint,
        lambda: wait_for_endpoint(options, endpoint, how, out, expect=config, deployment=deployment),
        config,
    )
