"""The SageMaker Runtime model (botocore's `sagemaker-runtime`), read as neoctl.apimodel
reads SageMaker's: the rules of InvokeEndpoint's members, as data.

InvokeEndpoint is the one runtime operation neoctl calls (`endpoint invoke`, `deploy
--smoke`). Its members have rules of their own, so they are judged against this model,
not SageMaker's: EndpointName's pattern is written differently, ContentType and Accept
are at most 1024 ASCII characters, TargetVariant follows the variant-name pattern, and
Body (a blob: the check module judges no bytes) is at most BodyBlob's `max` bytes.

Operations of this model are named with the service as a prefix ("sagemaker-runtime.
InvokeEndpoint"), as neoctl.apimodel.inputs names the requests of other services, so an
operation's name says which model judges it. Cached as SageMaker's is: a small JSON file
keyed by botocore's version and by the code that derives it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from neoctl.apimodel import ApiModel, _complete, _describe, botocore_version, cache_dir, cached_model

SERVICE = "sagemaker-runtime"
PREFIX = SERVICE + "."
OPERATIONS = ("InvokeEndpoint",)
INVOKE = PREFIX + "InvokeEndpoint"


def is_runtime(operation: str) -> bool:
    """Whether `operation` (as neoctl.apimodel.inputs names it) is judged by this model."""
    return operation.startswith(PREFIX)


def _key() -> str:
    digest = hashlib.sha256(",".join(OPERATIONS).encode())
    for module in (__file__, Path(__file__).with_name("__init__.py")):  # _describe lives there
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:12]


def _derive(version: str) -> ApiModel:
    import botocore.session  # deferred: the cache makes this a first-run-only cost

    service = botocore.session.get_session().get_service_model(SERVICE)
    shapes: dict[str, dict[str, object]] = {}
    inputs = {PREFIX + op: _describe(service.operation_model(op).input_shape, shapes) for op in OPERATIONS}
    return ApiModel(version, shapes, inputs)


@cache
def load_runtime_model() -> ApiModel:
    """The sagemaker-runtime model for the installed botocore, from the cache when it is fresh."""
    version = botocore_version()
    path = cache_dir() / f"{SERVICE}-{version}-{_key()}.json"
    names = tuple(PREFIX + op for op in OPERATIONS)
    return cached_model(path, version, lambda shapes, inputs: _complete(shapes, inputs, names), _derive, ".runtime-")


def body_limit() -> int:
    """The most bytes InvokeEndpoint's Body may hold: the model's BodyBlob `max`
    (6,291,456 in botocore 1.44: 6 MiB)."""
    model = load_runtime_model()
    shape = model.shape(model.input_shape(INVOKE)["members"]["Body"])
    return int(shape["max"])
