"""After a wait on an endpoint (deploy, endpoint update, endpoint rollback): when it failed,
why — the FailureReason, the containers' last log lines and a hint (neoctl.endpoints.failure)
— printed as the command's result, then exit 1. Also `deploy --smoke`'s invocation."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from neoctl.errors import EXIT_JOB_FAILED, JobsFailed, NeoctlError

if TYPE_CHECKING:
    from rich.console import RenderableType

    from neoctl.api.session import AwsOptions
    from neoctl.output import Printer
    from neoctl.polling import Waiting


def wait_reporting_failure(
    out: Printer,
    options: AwsOptions,
    endpoint: str,
    wait: Callable[[], dict[str, Any]],
    config: str | None = None,
) -> dict[str, Any]:
    """What `wait()` returns (the endpoint's description) when the endpoint settled well.

    A wait that ended with exit 1 (the endpoint Failed), or one that returned an endpoint
    serving another config than `config` with a FailureReason (SageMaker rolled the update
    back): the diagnosis is printed as the result and the wait's error (or JobsFailed) raised."""
    from neoctl.api.endpoints import describe_endpoint
    from neoctl.endpoints.failure import diagnose, failed
    from neoctl.output.endpoint_failures import failure_view

    try:
        described = wait()
    except NeoctlError as exc:
        if exc.exit_code != EXIT_JOB_FAILED:
            raise
        out.data(diagnose(options, describe_endpoint(options, endpoint), out), failure_view)
        raise
    if not failed(described, config):
        return described
    out.data(diagnose(options, described, out), failure_view)
    raise JobsFailed(
        f"the update of endpoint {endpoint} did not take: it is {described.get('EndpointStatus')} on config "
        f"{described.get('EndpointConfigName')}, not {config}: {described.get('FailureReason')}"
    )


def smoke_test(
    out: Printer,
    options: AwsOptions,
    request: dict[str, Any],
    result: dict[str, Any],
    result_view: Callable[[Any], RenderableType],
    *,
    rollback: bool,
    how: Waiting,
) -> dict[str, Any]:
    """deploy --smoke, once the endpoint is InService: one invocation. Passed: `result` with
    its "SmokeTest". Failed: the result is printed, what the endpoint answered said, and
    with `rollback` the endpoint rolled back (`endpoint rollback`, its request checked
    before it is sent, then waited for); SmokeTestFailed (exit 1) either way."""
    from neoctl.endpoints.smoke import run_smoke
    from neoctl.errors import SmokeTestFailed
    from neoctl.output.invocations import invoked_message, smoke_failed_message
    from neoctl.output.printer import escape

    endpoint = str(request["EndpointName"])
    outcome = run_smoke(options, request)
    if outcome["Passed"]:
        out.message("smoke test passed: " + invoked_message(outcome["Answer"]))
        return result | {"SmokeTest": _shown(outcome)}
    failure = smoke_failed_message(endpoint, outcome["Response"])
    again = f"neoctl endpoint rollback {endpoint} --yes --wait"
    if not rollback:
        out.data(result | {"SmokeTest": _shown(outcome)}, result_view)
        raise SmokeTestFailed(failure, f"it still serves the new model: roll back with `{again}`")
    out.message(f"{escape(failure)}; rolling back (--rollback-on-smoke-failure)")
    try:
        rolled = _roll_back(out, options, endpoint, how)
    except NeoctlError as exc:
        out.data(result | {"SmokeTest": _shown(outcome), "RolledBack": False}, result_view)
        raise SmokeTestFailed(
            f"{failure}; the rollback failed too: {exc.message}", exc.hint or f"try again with `{again}`"
        ) from None
    out.data(result | {"SmokeTest": _shown(outcome), "RolledBack": True, "RolledBackTo": rolled}, result_view)
    raise SmokeTestFailed(f"{failure}; rolled back to config {rolled}")


def _shown(outcome: dict[str, Any]) -> dict[str, Any]:
    # The answer's bytes stay out of the result (it is printed as JSON): their length and start.
    from neoctl.output.invocations import preview_body

    shown = {k: v for k, v in outcome.items() if k != "Answer"}
    if "Answer" in outcome:
        answer = outcome["Answer"]
        shown["Answer"] = {k: v for k, v in answer.items() if k != "Body"} | {"Preview": preview_body(answer["Body"])}
    return shown


def _roll_back(out: Printer, options: AwsOptions, endpoint: str, how: Waiting) -> str:
    from neoctl.endpoints.rollback import apply_rollback, rollback_request
    from neoctl.endpoints.update import plan_update
    from neoctl.endpoints.wait import wait_for_endpoint

    plan = plan_update(options, rollback_request(options, endpoint, []))  # checked whole before it is sent
    config = str(plan["Request"]["EndpointConfigName"])
    apply_rollback(options, endpoint, plan["Request"])  # as `endpoint rollback`: history can roll forward again
    out.message(f"rollback started: {endpoint} → {config}")
    wait_reporting_failure(out, options, endpoint, lambda: wait_for_endpoint(options, endpoint, how, out), config)
    return config
