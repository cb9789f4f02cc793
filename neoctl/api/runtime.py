"""InvokeEndpoint on the SageMaker Runtime service (`sagemaker-runtime`): one invocation,
its answer as plain data, its errors as InvocationFailed naming where the model logs."""

from __future__ import annotations

import time
from typing import Any

from neoctl.api.session import AwsOptions, client
from neoctl.errors import InvocationFailed

SERVICE = "sagemaker-runtime"
ENDPOINT_LOG_GROUP = "/aws/sagemaker/Endpoints/{}"
# What a ModelError carries besides its message (botocore's runtime model).
_MODEL_ERROR_MEMBERS = ("OriginalStatusCode", "OriginalMessage", "LogStreamArn")


def invoke(options: AwsOptions, request: dict[str, Any]) -> dict[str, Any]:
    """Send one InvokeEndpoint request (built and checked by neoctl.endpoints.invoke).

    {"Body": bytes, "ContentType", "InvokedProductionVariant", "LatencyMs"}: the latency is
    the whole call as this machine saw it, reading the answer included. InvocationFailed
    (exit 254) when the endpoint or its model answered with an error."""
    from botocore.exceptions import ClientError

    runtime = client(options, SERVICE)
    started = time.perf_counter()
    try:
        response = runtime.invoke_endpoint(**request)
        body = response["Body"].read()
    except ClientError as exc:
        raise failure(exc, str(request.get("EndpointName", ""))) from None
    latency = (time.perf_counter() - started) * 1000
    return {
        "Body": body,
        "ContentType": response.get("ContentType"),
        "InvokedProductionVariant": response.get("InvokedProductionVariant"),
        "LatencyMs": round(latency, 1),
    }


def failure(exc: Any, endpoint: str) -> InvocationFailed:
    """The InvocationFailed for a ClientError of InvokeEndpoint: the model's own answer for
    a ModelError (what the container said, and with which HTTP status), the service's
    message otherwise; the hint names the log group to read."""
    error = exc.response.get("Error", {})
    code = str(error.get("Code", "Unknown"))
    message = str(error.get("Message", "")).strip() or "no message"
    group = ENDPOINT_LOG_GROUP.format(endpoint)
    response: dict[str, Any] = {"Code": code, "Message": message, "LogGroup": group}
    response |= {k: exc.response[k] for k in _MODEL_ERROR_MEMBERS if k in exc.response}
    http = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if http is not None:
        response["HTTPStatusCode"] = http
    logs = f"`neoctl endpoint logs {endpoint} --since 10m` (CloudWatch Logs group {group})"
    if code == "ModelError":
        status = response.get("OriginalStatusCode", "an error")
        said = response.get("OriginalMessage") or message
        stream = str(response.get("LogStreamArn", "")).rsplit(":log-stream:", 1)
        where = f"; its stream: {stream[1]}" if len(stream) == 2 else ""
        return InvocationFailed(
            f"InvokeEndpoint failed: the model in {endpoint} answered {status}: {said}",
            f"the container's own log says why: {logs}{where}",
            response=response,
        )
    if code in ("ValidationError", "ValidationException") and "not found" in message.lower():
        return InvocationFailed(
            f"InvokeEndpoint failed: {code}: {message}",
            "list endpoints with `neoctl endpoint list`; an endpoint answers only while it is InService",
            response=response,
        )
    return InvocationFailed(f"InvokeEndpoint failed: {code}: {message}", f"see {logs}", response=response)
