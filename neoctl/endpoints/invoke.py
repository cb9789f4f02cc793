"""`neoctl endpoint invoke` and `deploy --smoke`: one InvokeEndpoint request, built from a
file and checked whole against the runtime model before it is sent.

The body is sent as its bytes are (no encoding, no newline added or taken away). A file
larger than the runtime model allows (BodyBlob's max: 6,291,456 bytes, 6 MiB, in
botocore 1.44; the service refuses more with HTTP 413) is refused before it is read.
The answer's body is returned as bytes: the command writes them out unchanged.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neoctl.apimodel.requests import Path as MemberPath
from neoctl.errors import InvalidInput

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions

INVOKE = "sagemaker-runtime.InvokeEndpoint"


def origin(command: str) -> dict[MemberPath, str]:
    """The flags and arguments that fill InvokeEndpoint's members, for a refusal's words."""
    from neoctl.apimodel.inputs import origin as table

    return table(command, INVOKE)


def read_body(path: str, source: str, limit: int | None = None) -> bytes:
    """The bytes of the file at `path` ("-": standard input), at most `limit` (default: the
    runtime model's); InvalidInput (252) naming `source` when it cannot be read or is too big.
    A regular file's size is looked at first, so a 2 GB file is refused without reading it."""
    from neoctl.apimodel.runtime import body_limit

    most = body_limit() if limit is None else limit
    if path == "-":
        data = sys.stdin.buffer.read(most + 1)
    else:
        try:
            size = os.stat(path).st_size
            if Path(path).is_file() and size > most:
                raise InvalidInput(*_too_big(source, path, size, most))
            with open(path, "rb") as fh:
                data = fh.read(most + 1)
        except OSError as exc:
            raise InvalidInput(
                f"{source} {path}: {exc.strerror or exc}", "name a file to send as the request body, or - for stdin"
            ) from None
    if len(data) > most:
        raise InvalidInput(*_too_big(source, path, None, most))
    return data


def _too_big(source: str, path: str, size: int | None, most: int) -> tuple[str, str]:
    what = "stdin" if path == "-" else path
    amount = f"{size:,} bytes" if size is not None else f"more than {most:,} bytes"
    return (
        f"{source} {what} is {amount}: InvokeEndpoint takes at most {most:,} bytes (the API model's BodyBlob); "
        "nothing was sent",
        "send a smaller payload (compress it, or pass an S3 URI for the model to fetch), "
        "or use asynchronous inference or batch transform for large inputs",
    )


def build_request(
    endpoint: str,
    body: bytes,
    content_type: str | None = None,
    accept: str | None = None,
    variant: str | None = None,
    filled: Mapping[MemberPath, str] | None = None,
) -> dict[str, Any]:
    """The InvokeEndpoint request, checked whole against the runtime model (InvalidInput,
    252, naming the flag); `filled` names what filled each member (default: `endpoint
    invoke`'s flags)."""
    from neoctl.apimodel.requests import check_request

    request: dict[str, Any] = {"EndpointName": endpoint, "Body": body}
    for member, value in (("ContentType", content_type), ("Accept", accept), ("TargetVariant", variant)):
        if value is not None:
            request[member] = value
    check_request(INVOKE, request, origin("endpoint invoke") if filled is None else filled)
    return request


def check_values(command: str, given: Mapping[str, Any]) -> None:
    """The values `command` was given, each judged by the member it fills (before the body
    file is read, so a bad name is named first and nothing is sent)."""
    from neoctl.apimodel.inputs import check_inputs

    check_inputs(command, given)


def invoke_endpoint(options: AwsOptions, request: dict[str, Any]) -> dict[str, Any]:
    """Send a request built by build_request: {"EndpointName", "Body" (bytes), "ContentType",
    "InvokedProductionVariant", "LatencyMs", "BodyLength"}; InvocationFailed (254) when the
    endpoint or its model answered with an error."""
    from neoctl.api.runtime import invoke

    answer = invoke(options, request)
    return {"EndpointName": request["EndpointName"], **answer, "BodyLength": len(answer["Body"])}


def check_out(path: str) -> None:
    """InvalidInput (252) before anything is sent when the answer could not be written to
    `path`: its folder missing, or `path` a folder."""
    target = Path(path)
    if target.is_dir():
        raise InvalidInput(f"--out {path}: is a folder", "name a file for the answer")
    folder = target.parent
    if not folder.is_dir():
        raise InvalidInput(f"--out {path}: the folder {folder} does not exist", "create it, or name another file")
    if not os.access(folder, os.W_OK):
        raise InvalidInput(f"--out {path}: the folder {folder} is not writable", "pick a folder you can write to")


def save_body(path: str, data: bytes) -> None:
    """Write the answer to `path` whole or not at all (a temporary file renamed over it)."""
    target = Path(path)
    part = target.with_name(f".{target.name}.part")
    try:
        part.write_bytes(data)
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise InvalidInput(f"--out {path}: {exc.strerror or exc}", "pick a file in a folder you can write to") from None
