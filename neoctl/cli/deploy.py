"""`neoctl deploy JOB --endpoint NAME`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from neoctl.cli import completion
from neoctl.cli import options as opt
from neoctl.cli.change import run_change
from neoctl.cli.printer import printer


@opt.aws_command()
def deploy(
    common: opt.Common,
    job: opt.JobName,
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            help="The endpoint to serve the compiled model: updated when it exists, created otherwise.",
            show_default=False,
            autocompletion=completion.endpoint_names,
        ),
    ],
    variant: Annotated[
        str | None,
        typer.Option(
            "--variant", help="The variant that serves the model (required when there are several).", show_default=False
        ),
    ] = None,
    image: Annotated[
        str | None,
        typer.Option(
            "--image", help="Serve with this image URI instead of the job's InferenceImage.", show_default=False
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", help="The model's execution role ARN (default: the job's RoleArn).", show_default=False),
    ] = None,
    env: Annotated[
        list[str] | None,
        typer.Option(
            "--env",
            help="KEY=VALUE for the model's container, over the documented defaults. Repeatable.",
            show_default=False,
        ),
    ] = None,
    instance_type: Annotated[
        str | None,
        typer.Option(
            "--instance-type",
            help="A new endpoint's instance type, of the family compiled for (ml_c5 → ml.c5.*).",
            show_default=False,
        ),
    ] = None,
    instance_count: Annotated[
        int, typer.Option("--instance-count", min=1, help="A new endpoint's instance count.")
    ] = 1,
    exclude: opt.Exclude = None,
    dry_run: opt.DryRun = False,
    wait: opt.WaitInService = False,
    timeout: opt.Timeout = None,
    poll: opt.Poll = "30",
    yes: opt.Yes = False,
) -> None:
    """Serve a COMPLETED compilation job on an endpoint: model, config copy, update (asks first on a terminal).

    An existing endpoint gets a copy of its config with only the variant's model swapped,
    applied with RetainAllVariantProperties; `neoctl endpoint rollback` undoes it. Running
    the same deploy again finishes a partial one and creates nothing once it is done.

    Examples:

    \b
      neoctl deploy resnet50-ml-c5 --endpoint resnet50-prod --dry-run
      neoctl deploy resnet50-ml-c5 --endpoint resnet50-prod --yes --wait --timeout 20m
      neoctl deploy resnet50-ml-c5 --endpoint resnet50-new --instance-type ml.c5.xlarge --yes
      neoctl deploy resnet50-ml-c5 --endpoint resnet50-prod --variant blue --env SAGEMAKER_PROGRAM=serve.py
    """
    from neoctl.endpoints.deploy import DeployArgs, apply_deploy, plan_deploy
    from neoctl.endpoints.images import parse_env
    from neoctl.endpoints.wait import wait_for_endpoint
    from neoctl.output.endpoints import deploy_plan_view, deployed_view
    from neoctl.polling import waiting

    out = printer(common.output, common.query)
    args = DeployArgs(
        job, endpoint, variant, image, role, parse_env(env or []), instance_type, instance_count, exclude or []
    )
    how = waiting(timeout, poll)  # checked before anything is sent
    options = common.aws
    plan = plan_deploy(options, args)

    def with_status(result: dict[str, Any]) -> dict[str, Any]:
        described = wait_for_endpoint(options, endpoint, how, out)
        return result | {"EndpointStatus": described.get("EndpointStatus")}

    run_change(
        out,
        plan,
        deploy_plan_view,
        f"Deploy {job} on endpoint {endpoint}?",
        yes=yes,
        dry_run=dry_run,
        unchanged=(
            f"endpoint {endpoint} already serves {plan['Model']['Name']} (job {job}): nothing to do"
            if plan["AlreadyServing"]
            else None
        ),
        apply=lambda: apply_deploy(options, plan, args),
        result_view=deployed_view,
        started=lambda result: (
            None if result["Action"] == "none" else f"{result['Action']} sent: {result.get('EndpointArn') or endpoint}"
        ),
        wait=with_status if wait else None,
    )
