"""Installs the emulator's handlers on moto's SageMaker response class.

moto dispatches a JSON-protocol request with target `SageMaker.<Action>` to the
method `SageMakerResponse.<snake_case_action>`, looked up on the class at each
request. Replacing those attributes is therefore enough to add missing actions
(StopCompilationJob, UpdateEndpoint) and correct broken ones; sagemaker-runtime's
InvokeEndpoint is replaced the same way on its response class (and its request setup,
which would decode a binary body as UTF-8). This depends on
moto internals, which is why pyproject pins moto exactly.

The class is shared with moto's in-process mocks (mock_aws), so each installed
method only takes over for requests that came through an Emulator's server and
hands every other call to moto's original, keeping other tests unaffected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import ActionResult
from moto.sagemaker.models import CompilationJob
from moto.sagemaker.responses import SageMakerResponse
from moto.sagemakerruntime.responses import SageMakerRuntimeResponse

from neoctl.testing import compilation_handlers, endpoints, invocations, s3_multipart, s3_ranges, trials
from neoctl.testing.artifacts import upload_artifact
from neoctl.testing.compilation_lifecycle import JobPlan, Transition, on_transitions
from neoctl.testing.job_logs import write_job_logs
from neoctl.testing.runtime import STATE_LOCK, serving_emulator

Handler = Callable[[SageMakerResponse], ActionResult]

HANDLERS: dict[str, Handler] = {
    **compilation_handlers.HANDLERS,
    **endpoints.HANDLERS,
    **trials.HANDLERS,
}

_installed = False


def publish_job_outputs(job: CompilationJob, plan: JobPlan, transitions: list[Transition]) -> None:
    write_job_logs(job, plan, transitions)
    completed = next((t.at for t in transitions if t.status == "COMPLETED"), None)
    if completed is not None:
        upload_artifact(job, completed)


def _scoped(action: str, handler: Handler) -> Handler:
    original: Handler | None = getattr(SageMakerResponse, action, None)

    def dispatch(self: SageMakerResponse) -> ActionResult:
        if serving_emulator():
            return handler(self)
        if original is None:
            # What moto itself raises for an action it does not implement.
            raise NotImplementedError(f"The {action} action has not been implemented")
        return original(self)

    dispatch.__name__ = dispatch.__qualname__ = action
    return dispatch


def _scoped_invoke() -> Callable[[SageMakerRuntimeResponse], TYPE_RESPONSE]:
    # sagemaker-runtime's InvokeEndpoint, dispatched the same way (SageMakerRuntimeResponse.invoke_endpoint).
    original = SageMakerRuntimeResponse.invoke_endpoint

    def invoke_endpoint(self: SageMakerRuntimeResponse) -> TYPE_RESPONSE:
        if serving_emulator():
            return invocations.invoke_endpoint(self)
        return original(self)

    return invoke_endpoint


def _scoped_invoke_setup() -> Callable[..., None]:
    # moto's setup decodes a request body as UTF-8 (a JPEG raises UnicodeDecodeError before
    # any handler runs); emulator requests keep the bytes. Others keep moto's behaviour.
    original = SageMakerRuntimeResponse.setup_class

    def setup_class(self: SageMakerRuntimeResponse, request: Any, full_url: str, headers: Any, **kwargs: Any) -> None:
        if serving_emulator():
            invocations.setup_class(self, request, full_url, headers)
        else:
            original(self, request, full_url, headers, **kwargs)

    return setup_class


def install() -> None:
    """Patch moto once per process; later calls do nothing."""
    global _installed
    with STATE_LOCK:
        if _installed:
            return
        for action, handler in HANDLERS.items():
            setattr(SageMakerResponse, action, _scoped(action, handler))
        setattr(SageMakerRuntimeResponse, "invoke_endpoint", _scoped_invoke())  # noqa: B010 (on the class)
        setattr(SageMakerRuntimeResponse, "setup_class", _scoped_invoke_setup())  # noqa: B010 (on the class)
        s3_multipart.install()
        s3_ranges.install()
        on_transitions(publish_job_outputs)
        _installed = True


def installed() -> bool:
    return _installed
