"""The WSGI layer in front of moto: fault injection and lazy status updates.

It sees every real HTTP request (sagemaker-runtime's InvokeEndpoint too, which it
names by its path), so injected faults behave exactly as a client would experience
them, and every request (S3, CloudWatch and Logs included) first brings job and
endpoint statuses up to date so their side effects are visible.
"""

from __future__ import annotations

import json
import re
import time
import traceback
import uuid
from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from moto.sagemaker.models import sagemaker_backends

from neoctl.testing import clock, compilation_lifecycle, endpoints
from neoctl.testing.faults import ERRORS, LOST, FaultPlan
from neoctl.testing.requests import RequestLog
from neoctl.testing.runtime import EmulatorSettings, using_settings

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

SAGEMAKER_TARGET_PREFIX = "SageMaker."
# sagemaker-runtime's InvokeEndpoint: REST, so named by its path rather than a target header.
_INVOKE_PATH = re.compile(r"^/endpoints/[^/]+/invocations$")


def _action(environ: WSGIEnvironment) -> str | None:
    """The SageMaker action a request is for (fault injection's key), or None."""
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    if target.startswith(SAGEMAKER_TARGET_PREFIX):
        return target[len(SAGEMAKER_TARGET_PREFIX) :]
    if environ.get("REQUEST_METHOD") == "POST" and _INVOKE_PATH.match(str(environ.get("PATH_INFO", ""))):
        return "InvokeEndpoint"
    return None


def advance_all() -> None:
    """Move every emulated job and endpoint to its status at this instant."""
    now = clock.now()
    # Snapshots with list(): another request thread may add an account or region.
    for account_backends in list(sagemaker_backends.values()):
        for backend in list(account_backends.values()):
            compilation_lifecycle.advance_backend(backend, now)
            endpoints.advance_backend(backend, now)


def _drain(environ: WSGIEnvironment) -> None:
    # Read the unused body so a keep-alive connection stays in sync.
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > 0:
        environ["wsgi.input"].read(length)


class EmulatorMiddleware:
    def __init__(self, app: WSGIApplication, settings: EmulatorSettings, faults: FaultPlan, requests: RequestLog):
        self._app = app
        self._settings = settings
        self._faults = faults
        self._requests = requests

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        self._requests.record(environ)
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        action = _action(environ)
        if action is not None:
            fault = self._faults.take(action)
            if fault is not None and fault.is_slow:
                time.sleep(fault.delay)
            elif fault is not None and fault.kind == LOST:
                with using_settings(self._settings):
                    advance_all()
                    for _chunk in self._app(environ, lambda *args, **kwargs: lambda data: None):
                        pass  # carried out; the answer never reaches the client
                return self._error(fault.kind, start_response)
            elif fault is not None:
                _drain(environ)
                return self._error(fault.kind, start_response)
        with using_settings(self._settings):
            advance_all()
            return self._answer(environ, start_response, json_protocol=bool(target) or action is not None)

    def _answer(self, environ: WSGIEnvironment, start_response: StartResponse, json_protocol: bool) -> Iterable[bytes]:
        # moto's Flask app turns an exception (e.g. a region it does not know, US-EAST-1)
        # into an HTML 500 page, which botocore cannot parse: the client then reports a
        # garbled error. Any server error that is not already an API error body is
        # answered in the protocol's own error format instead.
        failed: list[str] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
            if status.startswith("5") and "html" in content_type.lower():
                failed.append(status)
                return lambda data: None
            return start_response(status, headers, exc_info)

        try:
            result = self._app(environ, capture)
        except Exception:
            traceback.print_exc()
            failed.append("500")
            result = []
        if not failed:
            return result
        close = getattr(result, "close", None)
        if close is not None:
            close()
        message = "the emulator failed on this request (its log has the traceback)"
        if json_protocol:
            return self._reply(500, "InternalFailure", message, start_response)
        body = (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            f"<Error><Code>InternalError</Code><Message>{message}</Message></Error>"
        ).encode()
        start_response(
            "500 Internal Server Error",
            [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))],
        )
        return [body]

    @classmethod
    def _error(cls, kind: str, start_response: StartResponse) -> Iterable[bytes]:
        status, code, message = ERRORS[kind]
        return cls._reply(status, code, message, start_response)

    @staticmethod
    def _reply(status: int, code: str, message: str, start_response: StartResponse) -> Iterable[bytes]:
        body = json.dumps({"__type": code, "message": message}).encode()
        start_response(
            f"{status} {HTTPStatus(status).phrase}",
            [
                ("Content-Type", "application/x-amz-json-1.1"),
                ("Content-Length", str(len(body))),
                ("x-amzn-RequestId", str(uuid.uuid4())),
                ("x-amzn-ErrorType", code),
            ],
        )
        return [body]
