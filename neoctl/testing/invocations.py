"""InvokeEndpoint (service sagemaker-runtime) as the emulator answers it.

moto answers any invocation, of any endpoint or none, with a fixed placeholder. The
emulator answers only endpoints that serve, as SageMaker does ("Endpoint <name> of account
<account> not found." otherwise), with a JSON document describing the request: the
endpoint, config, variant and model that answered and the length of the body. Tags make
an answer fail or wait:

- ``neoctl-emulator:invoke-fail`` = a message, on the endpoint, its serving endpoint config
  or the variant's model: HTTP 424 ModelError, worded as SageMaker words a container's 500;
- ``neoctl-emulator:invoke-latency`` = seconds, on the same: the answer comes that late.

During a deployment the new fleet takes its share of the invocations, so a canary whose
model carries the fail tag fails that share of them. Each invocation writes a line to the
serving instance's log stream.

Request bodies are bytes as the client sent them: moto's request setup decodes a body as
UTF-8 (a JPEG makes it raise), so for emulator requests it keeps the raw bytes instead
(`setup_class`, installed by patches.install).
"""

from __future__ import annotations

import json
import math
import re
import time
import urllib.parse
from typing import Any

from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import BaseResponse
from moto.sagemaker.models import sagemaker_backends
from moto.sagemakerruntime.responses import SageMakerRuntimeResponse

from neoctl.testing import clock, endpoint_logs, endpoints
from neoctl.testing.runtime import STATE_LOCK

INVOKE_FAIL_TAG = "neoctl-emulator:invoke-fail"
INVOKE_LATENCY_TAG = "neoctl-emulator:invoke-latency"
# Statuses in which an endpoint serves (it keeps serving while it updates or rolls back).
SERVING = frozenset({"InService", "Updating", "SystemUpdating", "RollingBack", "UpdateRollbackFailed"})
_PATH = re.compile(r"^/endpoints/(?P<name>[^/]+)/invocations$")
_GOLDEN = (math.sqrt(5) - 1) / 2  # spreads weighted picks evenly over successive invocations


def _reply(status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> TYPE_RESPONSE:
    # moto takes the status from the "status" header, not from the tuple.
    fields = {"Content-Type": "application/json", "status": str(status), **(headers or {})}
    return status, fields, json.dumps(payload)


def _error(status: int, code: str, message: str, **members: Any) -> TYPE_RESPONSE:
    return _reply(status, {"Message": message, **members}, {"x-amzn-ErrorType": code})


def _weight(variant: dict[str, Any]) -> Any:
    # The first weight the variant reports (an old emulator state may hold None), else 1.0.
    return next((variant[k] for k in ("CurrentWeight", "DesiredWeight") if variant.get(k) is not None), 1.0)


def _pick(variants: list[dict[str, Any]], count: int) -> dict[str, Any]:
    weights = [max(0.0, float(_weight(v))) for v in variants]
    total = sum(weights)
    if len(variants) == 1 or total <= 0:
        return variants[0]
    point = (count * _GOLDEN % 1.0) * total
    for variant, weight in zip(variants, weights, strict=True):
        if point < weight:
            return variant
        point -= weight
    return variants[-1]


def setup_class(self: SageMakerRuntimeResponse, request: Any, full_url: str, headers: Any) -> None:
    """moto's request setup with the body kept as bytes: an invocation's body is any
    payload the model takes (images, audio, protobuf), not text. Nothing in this
    handler reads parameters from the body (the endpoint name is in the path, the
    rest in headers)."""
    BaseResponse.setup_class(self, request, full_url, headers, use_raw_body=True)


def invoke_endpoint(self: SageMakerRuntimeResponse) -> TYPE_RESPONSE:
    account, region = self.current_account, self.region
    found = _PATH.match(urllib.parse.urlparse(self.path).path)
    name = urllib.parse.unquote(found.group("name")) if found else ""
    body = self.raw_body or b""
    length = len(body.encode() if isinstance(body, str) else body)
    backend = sagemaker_backends[account][region]
    now = clock.now()
    with STATE_LOCK:
        endpoint = backend.endpoints.get(name)
        if endpoint is None or endpoint.endpoint_status not in SERVING:
            return _error(400, "ValidationError", f"Endpoint {name} of account {account} not found.")
        serving = endpoints.serving_fleet(endpoint, now)
        target = self.headers.get("X-Amzn-SageMaker-Target-Variant")
        if target:
            chosen = next((v for v in serving.variants if v["VariantName"] == target), None)
            if chosen is None:
                return _error(400, "ValidationError", f"The variant {target} does not exist on endpoint {name}.")
        else:
            chosen = _pick(serving.variants, serving.count)
        variant = str(chosen["VariantName"])
        config = backend.endpoint_configs.get(serving.config_name)
        config_variant = next(
            (v for v in (config.production_variants if config else []) if v["VariantName"] == variant), {}
        )
        model_name = str(config_variant.get("ModelName", ""))
        model = endpoints.find_model(backend, model_name)
        tag_lists = [endpoint.tags, config.tags if config else [], model.tags if model is not None else []]
        failure = endpoints.tag_value(tag_lists, INVOKE_FAIL_TAG)
        latency_text = endpoints.tag_value(tag_lists, INVOKE_LATENCY_TAG)
        streams = serving.streams.get(variant) or [endpoint_logs.stream_name(variant, "i-00000000000000000")]
        stream = streams[serving.count % len(streams)]
    try:
        latency = max(0.0, float(latency_text)) if latency_text else 0.0
    except ValueError:
        latency = 0.0
    if latency:
        time.sleep(latency)
    if failure is not None:
        lines: tuple[str, ...] = (
            f"Exception in the inference handler: {failure}",
            '"POST /invocations HTTP/1.1" 500 0',
        )
    else:
        lines = (f'"POST /invocations HTTP/1.1" 200 {length}',)
    with STATE_LOCK:
        endpoint_logs.write(region, account, name, [endpoint_logs.LogEvent(clock.now(), stream, lines)])
    if failure is not None:
        group = endpoint_logs.log_group(name)
        message = (
            f'Received server error (500) from primary with message "{failure}". See '
            f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#logEventViewer:group={group} "
            f"in account {account} for more information."
        )
        return _error(
            424,
            "ModelError",
            message,
            OriginalStatusCode=500,
            OriginalMessage=failure,
            LogStreamArn=f"arn:aws:logs:{region}:{account}:log-group:{group}:log-stream:{stream}",
        )
    answer = {
        "EndpointName": name,
        "EndpointConfigName": serving.config_name,
        "VariantName": variant,
        "ModelName": model_name,
        "InstanceId": stream.split("/", 1)[-1],
        "ContentType": self.headers.get("Content-Type"),
        "Accept": self.headers.get("Accept"),
        "BodyLength": length,
    }
    return _reply(200, answer, {"x-Amzn-Invoked-Production-Variant": variant})
