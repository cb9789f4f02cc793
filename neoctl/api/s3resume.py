"""A GetObject body that survives a dropped connection: the rest is fetched again.

botocore retries a request that fails before its response arrives, but not the reading
of a body: a connection reset, a read timeout or a short body halfway through a 4 GB
artifact would end the whole download. s3transfer (the AWS CLI) fetches such a part
again; here the download goes on from the first byte it does not have yet, with a
ranged GET carrying If-Match with the ETag of the first answer, so every byte still
comes from one version of the object (a 412 means it was replaced: nothing is kept).
Used by both downloads (neoctl.api.s3download's stream and neoctl.api.s3ranges' parts).

Only reading the body is retried: errors writing the file (a full disk) are not reads
and end the download at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator
from typing import Any

from neoctl.api.s3get import ranged_body
from neoctl.errors import ConnectionFailure

ATTEMPTS = 5  # reads of one body or range in all, as s3transfer's default
BACKOFF = 0.2  # seconds before the 2nd attempt, doubled after each (0.2, 0.4, 0.8, 1.6)

_log = logging.getLogger(__name__)


def _read_errors() -> tuple[type[BaseException], ...]:
    """What reading a body raises when the connection, not the object, is at fault."""
    from botocore.exceptions import IncompleteReadError, ReadTimeoutError, ResponseStreamingError
    from urllib3.exceptions import ProtocolError
    from urllib3.exceptions import ReadTimeoutError as RawReadTimeout

    # ConnectionError and TimeoutError (socket.timeout) cover what urllib3 lets through raw.
    return (
        IncompleteReadError,
        ReadTimeoutError,
        ResponseStreamingError,
        ProtocolError,
        RawReadTimeout,
        ConnectionError,
        TimeoutError,
    )


def _why(failure: BaseException) -> str:
    """What went wrong, in words: botocore's texts count the bytes of one body, not the object's."""
    from botocore.exceptions import ReadTimeoutError
    from urllib3.exceptions import ReadTimeoutError as RawReadTimeout

    if isinstance(failure, ReadTimeoutError | RawReadTimeout | TimeoutError):
        return "no data within the read timeout (NEOCTL_READ_TIMEOUT)"
    if isinstance(failure, ConnectionFailure):
        return failure.message
    return f"the connection closed before the end ({type(failure).__name__})"


def resumable_chunks(
    s3: Any,
    bucket: str,
    key: str,
    body: Any,
    span: tuple[int, int, int],
    etag: str | None,
    chunk: int,
    *,
    stopped: Callable[[], bool] = lambda: False,
) -> Generator[bytes, None, None]:
    """The bytes [start, end) of s3://bucket/key, `span` = (start, end, size of the object),
    in order, in chunks of up to `chunk`, beginning with what `body` (an answer already
    carrying them from `start`) sends. When reading fails, the rest is asked for again
    (Range, If-Match `etag`), up to ATTEMPTS reads in all; without an ETag nothing is
    asked again. Every body opened is closed, `body` included. Stops quietly, short of
    `end`, once `stopped()` (a cancelled download) is true when a read has failed.
    """
    start, end, size = span
    uri = f"s3://{bucket}/{key}"
    at = start
    attempt = 1
    errors = _read_errors()
    while True:
        failure: BaseException | None = None
        try:
            for piece in body.iter_chunks(chunk):
                at += len(piece)
                yield piece
        except errors as exc:
            failure = exc
        finally:
            body.close()
        if at >= end:
            return
        if failure is None:  # the body ended early without an error (no Content-Length to check)
            failure = ConnectionFailure(f"the body ended after {at - start} of {end - start} bytes")
        if stopped():
            return
        if etag is None or attempt >= ATTEMPTS:
            raise ConnectionFailure(
                f"download of {uri} failed at byte {at} of {size} after {attempt} "
                f"attempt{'s' if attempt > 1 else ''}: {_why(failure)}",
                "check the network and run the command again",
            ) from None
        _log.debug("reading %s failed at byte %d (%s); asking for the rest again", uri, at, _why(failure))
        time.sleep(BACKOFF * 2 ** (attempt - 1))
        attempt += 1
        body = ranged_body(s3, bucket, key, (at, end, size), etag)
