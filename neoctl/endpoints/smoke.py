"""`deploy --smoke FILE`: once the endpoint is InService, one invocation with FILE's bytes.

The request is built and checked whole (runtime model: the body's size, the content
type) before deploy sends anything, so a smoke test that could never be sent never
leaves a half-done deploy behind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from neoctl.errors import InvalidInput, InvocationFailed

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions


def smoke_request(endpoint: str, path: str, content_type: str | None) -> dict[str, Any]:
    """The InvokeEndpoint request of the smoke test, checked (InvalidInput, 252, naming
    --smoke, --smoke-content-type or --endpoint)."""
    from neoctl.endpoints.invoke import build_request, origin, read_body

    return build_request(endpoint, read_body(path, "--smoke"), content_type, filled=origin("deploy"))


def check_rollback_possible(plan: dict[str, Any], endpoint: str) -> None:
    """--rollback-on-smoke-failure needs a config to go back to: InvalidInput (252) for a new
    endpoint, before anything is created."""
    if plan["Call"]["Operation"] == "CreateEndpoint":
        raise InvalidInput(
            f"--rollback-on-smoke-failure: endpoint {endpoint} does not exist yet: there is no config to roll back to",
            "drop --rollback-on-smoke-failure (a new endpoint that fails its smoke test can be deleted with "
            f"`aws sagemaker delete-endpoint --endpoint-name {endpoint}`)",
        )


def run_smoke(options: AwsOptions, request: dict[str, Any]) -> dict[str, Any]:
    """One invocation: {"Passed": True, "Answer": {...}} (see neoctl.endpoints.invoke.invoke_endpoint)
    or {"Passed": False, "Error": message, "Response": what the endpoint said}. Never raises
    for the endpoint's answer."""
    from neoctl.endpoints.invoke import invoke_endpoint

    try:
        answer = invoke_endpoint(options, request)
    except InvocationFailed as exc:
        return {"Passed": False, "Error": exc.message, "Response": exc.response}
    return {"Passed": True, "Answer": answer}
