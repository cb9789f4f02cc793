"""Which calls reached the emulator, counted by service and operation, so tests can assert
what a command sent (e.g. one GetRole for a whole fan-out) through the real process."""

from __future__ import annotations

import io
import re
import threading
import urllib.parse
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

_INVOKE = re.compile(r"^endpoints/[^/]+/invocations$")
_SCOPE = re.compile(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request")


class RequestLog:
    """A thread-safe count of `service.Operation` (e.g. sagemaker.CreateCompilationJob,
    iam.GetRole, s3.HeadObject, s3.GetBucketLocation)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def record(self, environ: WSGIEnvironment) -> None:
        """Count the request in `environ` (its body is read and put back when needed)."""
        name = f"{_service(environ)}.{_operation(environ)}"
        with self._lock:
            self._counts[name] += 1

    def counts(self) -> Counter[str]:
        """A snapshot of the counts."""
        with self._lock:
            return Counter(self._counts)

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


def _service(environ: WSGIEnvironment) -> str:
    found = _SCOPE.search(str(environ.get("HTTP_AUTHORIZATION", "")))
    return found.group(1) if found else "unknown"


def _operation(environ: WSGIEnvironment) -> str:
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    if target:  # JSON protocols: SageMaker.CreateCompilationJob, Logs_20140328.FilterLogEvents
        return target.rsplit(".", 1)[-1]
    method = str(environ.get("REQUEST_METHOD", ""))
    query = urllib.parse.parse_qs(str(environ.get("QUERY_STRING", "")), keep_blank_values=True)
    if "Action" in query:
        return query["Action"][0]
    if method == "POST" and "x-www-form-urlencoded" in str(environ.get("CONTENT_TYPE", "")):
        # Query protocol (IAM, STS): the action is in the form body; read it and put it back.
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        return str(form.get("Action", ["POST"])[0])
    path = str(environ.get("PATH_INFO", "")).strip("/")
    if method == "POST" and _INVOKE.match(path):  # sagemaker-runtime (signed as service sagemaker)
        return "InvokeEndpoint"
    # S3's REST API: the few operations neoctl makes.
    if "location" in query:
        return "GetBucketLocation"
    if method == "HEAD":
        return "HeadObject" if "/" in path else "HeadBucket"
    return f"{method} {'object' if '/' in path else 'bucket'}"
