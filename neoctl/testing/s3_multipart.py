"""Multipart uploads in the emulator without moto's extra copies of the object.

moto's CompleteMultipartUpload joins the parts in a bytearray, copies that to `bytes`,
reads every part a second time for the checksum, then writes the object into a
SpooledTemporaryFile that spills it to disk with one more copy; and every UploadPart
spills too, since moto's key buffer (5 MiB - 1 KiB) is smaller than S3's minimum part.
On the bench VM fresh memory costs ~1.6 ms per MiB, so for a 256 MiB model that is
seconds of CPU taken from the 2 cores that the measured tool runs on, work real S3
never does on the client machine.

Here a part up to PART_BUFFER_BYTES keeps the request's bytes as they are (while the
upload holds at most UPLOAD_MEMORY_BYTES so; later parts spill as moto's do), and
completing reads each part once, for the checksum; the stored object then reads
through its parts' buffers instead of a copy of them. So a completed object keeps its
parts (moto frees them and keeps a copy in a temporary file) until it is deleted,
overwritten or reset. What is stored and answered is moto's: same bytes, ETag,
checksum fields and errors (tests/testing/test_s3_multipart.py compares the two), but
for one answer where moto differs from S3: HeadObject gives a composite checksum with
its `-<parts>` and its checksum type, as S3 and moto's own GetObject do (head_object).
Like patches.py, each replacement acts only on requests served by an Emulator;
moto's in-process mocks keep moto's code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import importlib.util
import io
from bisect import insort
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from moto.core.common_types import TYPE_RESPONSE
from moto.core.compat import HAS_CRT
from moto.s3 import notifications
from moto.s3.exceptions import EntityTooSmall, InvalidPart, MalformedXML, NoSuchUpload
from moto.s3.models import FakeKey, FakeMultipart, MultipartChecksumBuilder, S3Backend
from moto.s3.responses import S3Response
from moto.settings import S3_UPLOAD_PART_MIN_SIZE
from moto.utilities.utils import md5_hash

from neoctl.testing.runtime import serving_emulator

# boto3/s3transfer and `aws s3 cp` send 8 MiB parts, neoctl too (neoctl/api/s3upload.py);
# twice that leaves room for a client configured a little larger.
PART_BUFFER_BYTES = 16 * 1024 * 1024
# Past this many bytes of parts in memory, an upload's further parts spill to disk as
# moto's do, so a multi-GiB model does not sit in RAM; 256 MiB uploads stay in memory.
UPLOAD_MEMORY_BYTES = 512 * 1024 * 1024


class _Digest(Protocol):
    def update(self, data: memoryview, /) -> None: ...

    def digest(self) -> bytes: ...


class _Crc32:
    """binascii.crc32 with hashlib's interface, so it can be fed part by part."""

    def __init__(self) -> None:
        self._crc = 0

    def update(self, data: memoryview) -> None:
        self._crc = binascii.crc32(data, self._crc)

    def digest(self) -> bytes:
        return self._crc.to_bytes(4, "big")


def _running_digest(algorithm: str) -> _Digest | None:
    """An incremental form of moto.s3.utils.compute_checksum(…, algorithm), with its
    fall-backs (CRC32C and CRC64NVME become CRC32 without crc32c or awscrt); None where
    that uses an optional library, whose checksum is then left to moto's builder."""
    if algorithm == "SHA1":
        return hashlib.sha1(usedforsecurity=False)
    if algorithm == "CRC32C" and importlib.util.find_spec("crc32c") is not None:
        return None
    if algorithm == "CRC64NVME" and HAS_CRT:
        return None
    if algorithm in ("CRC32", "CRC32C", "CRC64NVME"):
        return _Crc32()
    return hashlib.sha256(usedforsecurity=False)


class _Checksum:
    """moto's MultipartChecksumBuilder (same defaults and result), but a FULL_OBJECT
    checksum is updated part by part instead of over a joined copy of the object."""

    def __init__(self, algorithm: str | None, checksum_type: str | None) -> None:
        self._builder = MultipartChecksumBuilder(algorithm, checksum_type)
        running = _running_digest(self._builder.checksum_algorithm)
        # binascii and hashlib take a memoryview; the optional libraries get bytes.
        self._takes_view = running is not None
        self._running = running if self._builder.checksum_type != "COMPOSITE" else None

    def add_part(self, data: memoryview) -> None:
        if self._running is not None:
            self._running.update(data)
        else:
            self._builder.addPart(data if self._takes_view else bytes(data))  # type: ignore[arg-type]

    def build(self) -> tuple[str, str, int] | None:
        if self._running is None:
            return self._builder.build()
        return self._builder.checksum_type, base64.b64encode(self._running.digest()).decode(), 1


def _checked_parts(multipart: FakeMultipart, body: Iterator[tuple[int, str]]) -> tuple[list[FakeKey], str]:
    """The listed parts and the object's ETag, raising what FakeMultipart.complete raises,
    in the same order, before any data is read."""
    parts: list[FakeKey] = []
    md5s = bytearray()
    for number, etag in body:
        part = multipart.parts.get(number)
        part_etag = part.etag.replace('"', "") if part is not None else None
        if part is None or part_etag != etag.replace('"', ""):
            raise InvalidPart()
        if parts and parts[-1].contentsize < S3_UPLOAD_PART_MIN_SIZE:
            raise EntityTooSmall()
        md5s.extend(bytes.fromhex(part_etag))
        parts.append(part)
    if not parts:
        raise MalformedXML()
    return parts, f"{md5_hash(bytes(md5s)).hexdigest()}-{len(parts)}"


class JoinedParts:
    """A completed object's buffer that reads the parts' buffers in order, so completing
    copies nothing. A stored FakeKey seeks its buffer to 0, reads it and closes it (a
    ranged GET, neoctl.testing.s3_ranges, seeks to the range's start): its value is
    written once, in __init__ (a pickled copy gets a buffer of its own)."""

    def __init__(self, parts: list[FakeKey]) -> None:
        self._buffers = [part._value_buffer for part in parts]
        self._sizes = [part.contentsize for part in parts]
        self._next = 0  # index of the buffer the next read starts in

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if offset < 0 or whence != io.SEEK_SET:
            raise io.UnsupportedOperation("a completed multipart object seeks only to an offset from its start")
        left = offset
        self._next = len(self._buffers)
        for index, (buffer, size) in enumerate(zip(self._buffers, self._sizes, strict=True)):
            if left < size and self._next == len(self._buffers):
                buffer.seek(left)
                self._next = index
            else:
                buffer.seek(0)
            left -= size
        return offset

    def read(self, size: int = -1) -> bytes:
        chunks: list[bytes] = []
        wanted = size if size >= 0 else None
        while self._next < len(self._buffers) and (wanted is None or wanted > 0):
            chunk = self._buffers[self._next].read(-1 if wanted is None else wanted)
            if wanted is None or len(chunk) < wanted:
                self._next += 1
            if wanted is not None:
                wanted -= len(chunk)
            chunks.append(chunk)
        return b"".join(chunks)

    def layout(self) -> list[bytes | int]:
        """The object part by part, for a whole-object GET (neoctl.testing.s3_ranges): a part
        held in memory as its own bytes (a BytesIO made from bytes hands them back without
        a copy), a part spilled to disk as its size, to be read when it is sent."""
        return [
            buffer.getvalue() if isinstance(buffer, io.BytesIO) else size
            for buffer, size in zip(self._buffers, self._sizes, strict=True)
        ]

    def close(self) -> None:
        for buffer in self._buffers:
            buffer.close()


def _add_parts(parts: list[FakeKey], checksum: _Checksum) -> None:
    """Feed the checksum each part, read once into one reused buffer."""
    scratch = bytearray(max(part.contentsize for part in parts))
    for part in parts:
        with part.lock:
            part._value_buffer.seek(0)
            view = memoryview(scratch)[: part._value_buffer.readinto(scratch)]
        checksum.add_part(view)
        view.release()


def complete_multipart_upload(
    backend: S3Backend, bucket_name: str, multipart_id: str, body: Iterator[tuple[int, str]]
) -> FakeKey | None:
    """S3Backend.complete_multipart_upload (moto 5.2.1) with FakeMultipart.complete inlined,
    storing a key whose buffer reads the parts' buffers rather than a copy of them."""
    bucket = backend.get_bucket(bucket_name)
    multipart = bucket.multiparts[multipart_id]
    parts, etag = _checked_parts(multipart, body)
    checksum = _Checksum(
        multipart.metadata.get("x-amz-checksum-algorithm"), multipart.metadata.get("x-amz-checksum-type")
    )
    _add_parts(parts, checksum)
    # Not `del bucket.multiparts[…]`: moto's MultipartDict would dispose of the parts,
    # whose buffers now hold the object; they go when the key is disposed of.
    dict.__delitem__(bucket.multiparts, multipart_id)

    # put_object stores an empty key, which then takes the parts as its buffer; its PUT
    # event is sent after that, as moto sends it, with the object's real size.
    key = backend.put_object(
        bucket_name,
        multipart.key_name,
        b"",
        storage=multipart.storage,
        etag=etag,
        multipart=multipart,
        encryption=multipart.sse_encryption,
        kms_key_id=multipart.kms_key_id,
        disable_notification=True,
    )
    with key.lock:
        key._value_buffer.close()
        key._value_buffer = JoinedParts(parts)  # type: ignore[assignment]  # read-only from here
        key.contentsize = sum(part.contentsize for part in parts)
    notifications.send_event(
        backend.account_id, notifications.S3NotificationEvent.OBJECT_CREATED_PUT_EVENT, bucket, key
    )
    key.set_metadata(multipart.metadata)

    checksum_details = checksum.build()
    if checksum_details:
        key.checksum_algorithm = multipart.metadata.get("x-amz-checksum-algorithm")
        key.checksum_type, key.checksum_value, key.checksum_parts = checksum_details

    backend.put_object_tagging(key, multipart.tags)
    backend.put_object_acl(
        bucket_name=bucket_name,
        key_name=key.name,
        acl=multipart.acl,
        disable_notification=True,  # avoid sending ObjectAcl:Put events here
    )
    notifications.send_event(
        backend.account_id,
        notifications.S3NotificationEvent.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD_EVENT,
        bucket,
        bucket.keys.get(multipart.key_name),
    )
    return key


def _in_memory(part: FakeKey) -> bool:
    # A SpooledTemporaryFile rolls over to disk once it holds more than its max size.
    return bool(part.contentsize <= part._max_buffer_size)


def set_part(multipart: FakeMultipart, part_id: int, value: bytes) -> FakeKey:
    """FakeMultipart.set_part (moto 5.2.1), keeping a part of up to PART_BUFFER_BYTES in
    memory, without copying it, while the upload's parts in memory fit UPLOAD_MEMORY_BYTES."""
    if part_id < 1:
        raise NoSuchUpload(upload_id=part_id)
    # list(): parts of one upload arrive on several threads; a dict iterated while another
    # request adds to it raises, and list() of it is one step under the GIL.
    parts = list(multipart.parts.items())
    held = sum(part.contentsize for number, part in parts if number != part_id and _in_memory(part))
    kept = isinstance(value, bytes) and len(value) <= PART_BUFFER_BYTES and held + len(value) <= UPLOAD_MEMORY_BYTES
    key = FakeKey(
        part_id,  # type: ignore[arg-type]  # moto names parts by number
        b"" if kept else value,
        account_id=multipart.account_id,
        region_name=multipart.region_name,
        encryption=multipart.sse_encryption,
        kms_key_id=multipart.kms_key_id,
        max_buffer_size=PART_BUFFER_BYTES if kept else None,
    )
    if kept:
        # A BytesIO made from bytes shares them (it copies only if written to, which a
        # part never is), where the key's spool would copy them: 8 MiB of fresh memory.
        key._value_buffer.close()
        key._value_buffer = io.BytesIO(value)  # type: ignore[assignment]
        key.contentsize = len(value)
    if part_id in multipart.parts:
        multipart.parts[part_id].dispose()  # overwritten: as moto, free the old part first
    multipart.parts[part_id] = key
    if part_id not in multipart.partlist:
        insort(multipart.partlist, part_id)
    return key


def _scoped(original: Callable[..., Any], replacement: Callable[..., Any]) -> Callable[..., Any]:
    def dispatch(self: Any, *args: Any, **kwargs: Any) -> Any:
        return (replacement if serving_emulator() else original)(self, *args, **kwargs)

    dispatch.__name__ = dispatch.__qualname__ = original.__name__
    return dispatch


def head_object(
    original: Callable[..., TYPE_RESPONSE],
    self: S3Response,
    bucket_name: str,
    query: dict[str, Any],
    key_name: str,
    headers: dict[str, Any],
) -> TYPE_RESPONSE:
    """S3Response.head_object (moto 5.2.1) with the object's checksum as S3 gives it.

    moto's HeadObject gives a multipart upload's COMPOSITE checksum bare, without the
    `-<parts>` S3 appends (and its GetObject gives), and no checksum type: a client then
    takes "<crc32 of the parts' crc32s>" for the CRC32 of the object, which it is not (a
    download checked against it fails). S3 (HeadObject with x-amz-checksum-mode: ENABLED)
    answers `<base64>-<parts>` and `x-amz-checksum-type: COMPOSITE`, or FULL_OBJECT. Asked
    for one part (partNumber), S3 gives that part's own checksum, which moto does not keep:
    none is given then rather than the object's, which is not the part's.

    And with partNumber moto answers, and checks If-Match against, the part's own ETag,
    where S3 gives the object's ETag (`<md5 of the parts' md5s>-<parts>`) with the part's
    size: a client asking for part 1's size "of this version" (If-Match) got 412.
    """
    key = self.backend.get_object(bucket_name, key_name, query.get("versionId", [None])[0])
    one_part = bool(query.get("partNumber", [None])[0]) and isinstance(key, FakeKey) and key.multipart is not None
    if one_part and isinstance(key, FakeKey):
        if_match = headers.get("If-Match")
        if if_match is not None and if_match != key.etag:
            return 412, {}, ""
        headers = {name: value for name, value in headers.items() if name.lower() != "if-match"}
    status, answer, body = original(self, bucket_name, query, key_name, headers)
    if status not in (200, 206) or not isinstance(key, FakeKey):
        return status, answer, body
    if one_part:
        answer["ETag"] = key.etag
    algorithm = key.checksum_algorithm
    header = f"x-amz-checksum-{algorithm.lower()}" if algorithm else ""
    if header not in answer:
        return status, answer, body
    if one_part:
        del answer[header]
        return status, answer, body
    if key.checksum_type == "COMPOSITE" and not str(answer[header]).endswith(f"-{key.checksum_parts}"):
        answer[header] = f"{answer[header]}-{key.checksum_parts}"
    if key.checksum_type:
        answer["x-amz-checksum-type"] = key.checksum_type
    return status, answer, body


def install() -> None:
    """Replace the three moto methods; patches.install() calls this once per process."""
    S3Backend.complete_multipart_upload = _scoped(  # type: ignore[method-assign]
        S3Backend.complete_multipart_upload, complete_multipart_upload
    )
    FakeMultipart.set_part = _scoped(FakeMultipart.set_part, set_part)  # type: ignore[method-assign]
    original_head = S3Response.head_object

    def dispatch_head(
        self: S3Response, bucket_name: str, query: dict[str, Any], key_name: str, headers: dict[str, Any]
    ) -> TYPE_RESPONSE:
        if serving_emulator():
            return head_object(original_head, self, bucket_name, query, key_name, headers)
        return original_head(self, bucket_name, query, key_name, headers)

    dispatch_head.__name__ = dispatch_head.__qualname__ = "head_object"
    S3Response.head_object = dispatch_head  # type: ignore[method-assign]
