"""GetObject in the emulator reading only what it sends: a range, or a big object as it goes.

moto's GetObject copies the whole object out of its buffer (`FakeKey.value`) and
`_handle_range_header` then slices the range out of that copy, so a ranged download
in N parts reads the object N times: on the bench VM fresh memory costs ~1.6 ms per
MiB, so 64 ranges of a 1 GiB object would cost minutes of CPU that real S3 never
spends on the client's machine. Here GetObject with a Range header answers with a view
of the key that reads just the bytes that moto's own `_handle_range_header` slices
out of it; everything else (status 206, Content-Range, Content-Length, ETag, 416
InvalidRange, If-Match and the other conditions, ranges moto answers whole) is moto's
own code, unchanged (tests/testing/test_s3_ranges.py compares the two).
A whole object of more than STREAM_MIN is sent as it is read (_whole), not copied into
one bytes first. Like patches.py, it acts only on requests served by an Emulator;
moto's in-process mocks keep moto's code.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

from moto.core.common_types import TYPE_RESPONSE
from moto.s3.exceptions import RangeNotSatisfiable
from moto.s3.models import FakeKey
from moto.s3.responses import S3Response

from neoctl.testing.runtime import serving_emulator
from neoctl.testing.s3_multipart import JoinedParts


class _KeyBytes:
    """A stored key's bytes as far as `_handle_range_header` uses them: its length and
    one slice, read from the key's buffer under its lock (no copy of the rest)."""

    def __init__(self, key: FakeKey) -> None:
        self._key = key
        self._size = key.size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, index: slice) -> bytes:
        start, stop, step = index.indices(self._size)
        if step != 1:
            raise ValueError("only contiguous slices")
        if stop <= start:
            return b""
        with self._key.lock:
            return read_at(self._key._value_buffer, start, stop - start)

    def __bytes__(self) -> bytes:
        return self._key.value


def read_at(buffer: Any, offset: int, size: int) -> bytes:
    """`size` bytes at `offset` of a key's buffer (a SpooledTemporaryFile, a BytesIO, or
    s3_multipart's JoinedParts, which seeks anywhere too)."""
    buffer.seek(offset, io.SEEK_SET)
    data: bytes = buffer.read(size)
    return data


def get_object(self: S3Response) -> TYPE_RESPONSE:
    """S3Response.get_object (moto 5.2.1), its body a _KeyBytes instead of `key.value`
    when the request has a Range header (the only case _handle_range_header slices it),
    and the object as it is read when it is whole and bigger than STREAM_MIN."""
    key, not_modified = self._get_key()
    response_headers = self._get_cors_headers_other()

    if key.version_id != "null":
        response_headers["x-amz-version-id"] = key.version_id

    response_headers.update(key.response_dict)

    if not_modified:
        # Real S3 omits any content-* headers for a 304
        for header in list(response_headers.keys()):
            if header.startswith("content-"):
                response_headers.pop(header)
        return 304, response_headers, "Not Modified"

    # set the checksum after not_modified has been checked
    if self.headers.get("x-amz-checksum-mode") == "ENABLED" and key.checksum_algorithm:
        qualified_checksum = key.checksum_value
        if key.checksum_type == "COMPOSITE":
            qualified_checksum = f"{key.checksum_value}-{key.checksum_parts}"

        response_headers[f"x-amz-checksum-{key.checksum_algorithm.lower()}"] = qualified_checksum

        if key.checksum_type:
            response_headers["x-amz-checksum-type"] = key.checksum_type

    response_headers.update(key.metadata)
    response_headers.update({"Accept-Ranges": "bytes"})

    part_number = self._get_int_param("partNumber")
    if part_number:
        if key.multipart:
            pass
        else:
            if part_number > 1:
                raise RangeNotSatisfiable
            response_headers["content-range"] = f"bytes 0-{key.size - 1}/{key.size}"
            return 206, response_headers, key.value
    if self.headers.get("range"):
        return 200, response_headers, _KeyBytes(key)  # type: ignore[return-value]
    if key.size <= STREAM_MIN:
        return 200, response_headers, key.value
    return 200, response_headers, _whole(key)  # type: ignore[return-value]


STREAM_MIN = 1024 * 1024  # smaller objects are sent as moto sends them, in one bytes
CHUNK = 1024 * 1024


def _whole(key: FakeKey) -> Iterator[bytes]:
    """A whole object's bytes as werkzeug sends them, without a copy of the object first.

    moto's `key.value` reads the object into one bytes before the first byte is sent:
    ~0.25 s for 249 MB on the bench VM, then the client's CPU competes with that copy.
    The parts of a completed multipart upload held in memory are sent as they are (the
    bytes they were received in, taken when the GET starts: a GET in flight completes,
    as on S3, even if the object is deleted or replaced meanwhile); anything on disk is
    read in CHUNK pieces as it is sent.
    """
    with key.lock:
        buffer = key._value_buffer
        layout: list[bytes | int] = buffer.layout() if isinstance(buffer, JoinedParts) else [key.size]
    return _send(key, layout)


def _send(key: FakeKey, layout: list[bytes | int]) -> Iterator[bytes]:
    offset = 0
    for piece in layout:
        if isinstance(piece, bytes):
            yield piece
            offset += len(piece)
            continue
        end = offset + piece
        while offset < end:
            with key.lock:
                chunk = read_at(key._value_buffer, offset, min(CHUNK, end - offset))
            if not chunk:
                return  # truncated: werkzeug closes the connection, the client sees a short body
            offset += len(chunk)
            yield chunk


def handle_range_header(
    original: Callable[..., TYPE_RESPONSE], self: S3Response, request: Any, headers: dict[str, Any], content: Any
) -> TYPE_RESPONSE:
    """moto's own, over a _KeyBytes; a range it answers whole gets the whole bytes."""
    status, answer_headers, body = original(self, request, headers, content)
    if isinstance(body, _KeyBytes):
        body = bytes(body)
    return status, answer_headers, body


def install() -> None:
    """Replace the two S3Response methods; patches.install() calls this once per process."""
    original_get = S3Response.get_object
    original_range = S3Response._handle_range_header

    def dispatch_get(self: S3Response) -> TYPE_RESPONSE:
        return get_object(self) if serving_emulator() else original_get(self)

    def dispatch_range(
        self: S3Response, request: Any, response_headers: dict[str, Any], response_content: Any
    ) -> TYPE_RESPONSE:
        if serving_emulator():
            return handle_range_header(original_range, self, request, response_headers, response_content)
        return original_range(self, request, response_headers, response_content)

    dispatch_get.__name__ = dispatch_get.__qualname__ = "get_object"
    dispatch_range.__name__ = dispatch_range.__qualname__ = "_handle_range_header"
    S3Response.get_object = dispatch_get  # type: ignore[method-assign]
    S3Response._handle_range_header = dispatch_range  # type: ignore[method-assign]
