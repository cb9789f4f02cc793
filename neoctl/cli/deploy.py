"""`neoctl deploy JOB --endpoint NAME`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from neoctl.cli import completion
from neoctl.cli import options as opt
from neoctl.cli.change import run_change
from neoctl.cli.confirm import require_yes
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
            help="The instance type, of the family compiled for (ml_c5 → ml.c5.*): a new endpoint's, "
            "or the existing variant's in the copied config.",
            show_default=False,
        ),
    ] = None,
    instance_count: Annotated[
        int | None,
        typer.Option(
            "--instance-count",
            min=1,
            help="The instance count: a new endpoint's (default 1), or the existing variant's in the copied "
            "config (applied, not retained).",
            show_default=False,
        ),
    ] = None,
    exclude: opt.ExcludeRetained = None,
    allow_overwritten: opt.AllowOverwritten = False,
    allow_target_mismatch: Annotated[
        bool,
        typer.Option(
            "--allow-target-mismatch",
            help="Deploy even when the instance type is not of the family the model was compiled for "
            "(a warning; without it that is exit 252).",
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
    dry_run: opt.DryRun = False,
    wait: opt.WaitInService = False,
    timeout: opt.Timeout = None,
    poll: opt.Poll = "30",
    yes: opt.Yes = False,
    smoke: Annotated[
        str | None,
        typer.Option(
            "--smoke",
            help="With --wait: once InService, send this file's bytes to the endpoint once; exit 1 if it fails.",
            show_default=False,
        ),
    ] = None,
    smoke_content_type: Annotated[
        str | None,
        typer.Option(
            "--smoke-content-type", help="The smoke request's ContentType, e.g. application/json.", show_default=False
        ),
    ] = None,
    rollback_on_smoke_failure: Annotated[
        bool,
        typer.Option(
            "--rollback-on-smoke-failure",
            help="When the smoke test fails, roll the endpoint back to the config it served before.",
        ),
    ] = False,
    code: Annotated[
        str | None,
        typer.Option(
            "--code",
            help="Serve this folder's files in code/ of the model: the compiled archive is repacked with it "
            "beside the original (reused on a re-run), as the SageMaker Python SDK does.",
            show_default=False,
            metavar="DIR",
        ),
    ] = None,
    entry_point: Annotated[
        str | None,
        typer.Option(
            "--entry-point",
            help="With --code: the script at the top of DIR the container runs (SAGEMAKER_PROGRAM); "
            "default inference.py.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve a COMPLETED compilation job on an endpoint: model, config copy, update (asks first; --yes off a terminal).

    An existing endpoint gets a copy of its config with only the variant's model swapped,
    applied with RetainAllVariantProperties; `neoctl endpoint rollback` undoes it. Running
    the same deploy again finishes a partial one and creates nothing once it is done.
    A compiled model that is gone, or was modified after the job completed (a later job
    overwrote it), is exit 254 before anything is created (--allow-overwritten: a warning).
    --instance-type / --instance-count on an existing endpoint change the variant in the copy
    (shown in the plan). A model compiled for another instance family than the variant's
    is exit 252, on a new endpoint or an existing one (--allow-target-mismatch: a warning).
    A traffic policy (--canary, --linear, --rolling, or --deployment-config) shifts the
    traffic in steps, baking and watching alarms that roll it back (docs/deploy.md).
    --smoke FILE (with --wait) invokes the endpoint once it is InService: a failure is
    exit 1, as a failed wait, with the rollback offered (or done: --rollback-on-smoke-failure).

    Examples:

    \b
      neoctl deploy resnet50-ml-c5 --endpoint resnet50-prod --dry-run
      neoctl deploy resnet50-ml-c5 --endpoint resnet50-prod --yes --wait --timeout 20m
      neoctl deploy resnet50-ml-c5 --endpoint resnet50-new --instance-type ml.c5.xlarge --yes
      neoctl deploy resnet50-ml-c5 --endpoint resnet50-prod --variant blue --env SAGEMAKER_PROGRAM=serve.py
      neoctl deploy resnet50-ml-c5 --endpoint resnet50-prod --code ./code --yes --wait
      neoctl deploy resnet50-ml-c5 --endpoint resnet50-prod --canary 10% --bake 10m --alarm prod-5xx --yes --wait
      neoctl deploy resnet50-ml-c5 --endpoint resnet50-prod --yes --wait --smoke cat.jpg --smoke-content-type image/jpeg
    """
    from functools import partial

    from neoctl.api.session import endpoint_url_warning
    from neoctl.cli.endpoint_failure import smoke_test, wait_reporting_failure
    from neoctl.endpoints.deploy import DeployArgs, apply_deploy, plan_deploy
    from neoctl.endpoints.images import parse_env
    from neoctl.endpoints.smoke import check_rollback_possible
    from neoctl.endpoints.smoke import smoke_request as smoke_request_for
    from neoctl.endpoints.traffic import from_flags
    from neoctl.endpoints.wait import wait_for_endpoint
    from neoctl.output.endpoints import deploy_plan_view, deployed_view
    from neoctl.output.transfer import TransferProgress
    from neoctl.polling import waiting

    out = printer(common.output, common.query)
    require_yes("deploy", yes, dry_run=dry_run)
    policy = from_flags(canary, linear, rolling, bake, alarm, max_time, deployment_config, allow_all_at_once)
    args = DeployArgs(
        job, endpoint, variant, image, role, parse_env(env or []), instance_type, instance_count, exclude or [], policy
    )
    args.allow_overwritten = allow_overwritten
    args.allow_target_mismatch = allow_target_mismatch
    args.code, args.entry_point = code, entry_point
    # --endpoint-url is SageMaker's: the compiled model is looked at in S3 (HeadObject).
    if warning := endpoint_url_warning(common.aws, "s3"):
        out.warning(warning)
    how = waiting(timeout, poll)  # checked before anything is sent
    options = common.aws
    # The smoke request, whole (file size, content type), before the first look-up.
    smoke_request = smoke_request_for(endpoint, smoke, smoke_content_type) if smoke is not None else None
    plan = plan_deploy(options, args)
    if rollback_on_smoke_failure:
        check_rollback_possible(plan, endpoint)

    expect = plan["EndpointConfig"]["Name"]
    deployment = plan["Traffic"]["DeploymentConfig"] if plan.get("Traffic") else None

    def with_status(result: dict[str, Any]) -> dict[str, Any]:
        described = wait_reporting_failure(
            out,
            options,
            endpoint,
            lambda: wait_for_endpoint(options, endpoint, how, out, expect=expect, deployment=deployment),
            expect,
        )
        done = result | {"EndpointStatus": described.get("EndpointStatus")}
        if smoke_request is None:
            return done
        return smoke_test(out, options, smoke_request, done, deployed_view, rollback=rollback_on_smoke_failure, how=how)

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
        apply=lambda: apply_deploy(options, plan, args, partial(TransferProgress, out)),
        result_view=deployed_view,
        started=lambda result: (
            None if result["Action"] == "none" else f"{result['Action']} sent: {result.get('EndpointArn') or endpoint}"
        ),
        wait=with_status if wait else None,
    )
