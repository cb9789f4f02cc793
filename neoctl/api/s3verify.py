"""What a download's bytes are checked against, and the check, made as they go by.

S3 says three things about an object's bytes that a client can check:

- a single-part ETag (32 hex digits, no "-") is the MD5 of the object, unless the object
  is encrypted with SSE-KMS or SSE-C, whose ETags are not (S3 API reference, ETag);
- a multipart ETag, `<md5 of the parts' MD5s>-<parts>`, can be checked part by part once
  the part boundaries are known: HeadObject with PartNumber=1 gives the first part's size,
  and the parts are all that size but the last as s3transfer, the AWS CLI and neoctl
  upload them. Where they are not, the combined digest differs; every part's size is then
  asked for before the bytes are called corrupt, and when the sizes differ nothing could
  be checked (the bytes are not read twice);
- additional checksums (ChecksumMode=ENABLED): a FULL_OBJECT one (CRC32, CRC32C,
  CRC64NVME, SHA-1, SHA-256) is of the whole object; a COMPOSITE one, `<base64>-<parts>`,
  is of the parts' checksums and is checked part by part, as the multipart ETag is.

One check is made, the cheapest there is: a full-object SHA-256 (the download computes
SHA-256 anyway), else CRC32 (zlib, ~2 GB/s), CRC32C or CRC64NVME (with awscrt), SHA-1,
else the MD5 of the ETag, else part by part. Its name is what the download reports as
verified ("md5 (ETag)", "crc32 (S3 checksum)", "none: ..." saying why not). A mismatch
is TransferCorrupted: the bytes changed between S3 and here (a proxy, a broken NIC or
memory) or, if it happens again, the object itself changed.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import queue
import re
import threading
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from neoctl.errors import ConnectionFailure

# Strongest first among the equally cheap; SHA-256 first of all: it costs nothing here.
FULL_ORDER = ("SHA256", "CRC32", "CRC32C", "CRC64NVME", "SHA1")
COMPOSITE_ORDER = ("CRC32", "CRC32C", "SHA256", "SHA1")  # S3 has no composite CRC64NVME
PART_HEADS = 8  # HeadObject requests in flight when every part's size is asked for

# A mismatch is never the object changing: every byte comes from the version of one ETag
# (If-Match), so a second failure points at what carries the bytes.
CORRUPTED_HINT = (
    "run the command again; if it fails again, something between S3 and this machine "
    "(a proxy, a network device) alters the bytes"
)
_MD5 = re.compile(r"[0-9a-f]{32}")
_KEYED = "none: the ETag of an {} object is not its MD5, and S3 holds no checksum of it"
_MULTIPART = re.compile(r"([0-9a-f]{32})-(\d+)")


class TransferCorrupted(ConnectionFailure):
    """The bytes received are not the bytes S3 holds (exit 255, as any failed transfer)."""


class _Digest(Protocol):
    def update(self, data: bytes | bytearray | memoryview, /) -> None: ...

    def digest(self) -> bytes: ...


class _Crc:
    """A CRC with hashlib's interface: zlib's CRC32, or awscrt's CRC32C / CRC64NVME."""

    def __init__(self, step: Callable[[Any, int], int], size: int) -> None:
        self._step = step
        self._size = size
        self._value = 0

    def update(self, data: bytes | bytearray | memoryview, /) -> None:
        self._value = self._step(data, self._value)

    def digest(self) -> bytes:
        return self._value.to_bytes(self._size, "big")


def _crt(name: str) -> Callable[[Any, int], int] | None:
    try:
        from awscrt import checksums  # type: ignore[import-not-found]
    except ImportError:
        return None
    function = getattr(checksums, name, None)
    if function is None:
        return None
    return lambda data, previous: int(function(bytes(data), previous))


def new_digest(algorithm: str) -> _Digest | None:
    """A running digest of `algorithm` (ETag's MD5 or an S3 checksum); None when it needs a
    library that is not installed (CRC32C, CRC64NVME: awscrt, as botocore)."""
    if algorithm in ("MD5", "SHA1", "SHA256"):
        return hashlib.new(algorithm.lower(), usedforsecurity=False)
    if algorithm == "CRC32":
        return _Crc(lambda data, previous: zlib.crc32(data, previous), 4)
    step = _crt({"CRC32C": "crc32c", "CRC64NVME": "crc64nvme"}.get(algorithm, ""))
    if step is None:
        return None
    return _Crc(step, 8 if algorithm == "CRC64NVME" else 4)


class Check:
    """One object's check: `update()` with its bytes in order, then `finish()`."""

    label = ""  # what is (or could not be) verified, as the result says it
    busy = False  # whether update() computes anything

    def update(self, data: bytes | memoryview) -> None:
        """The next bytes of the object."""

    def finish(self, sha256: str) -> str:
        """The label once every byte went by (`sha256`: the download's own, hex); raises
        TransferCorrupted when they are not what S3 says."""
        return self.label


class _Whole(Check):
    def __init__(self, uri: str, algorithm: str, expected: bytes, label: str) -> None:
        self.uri = uri
        self.algorithm = algorithm
        self.expected = expected
        self.label = label
        # SHA-256 is what the download hashes anyway: compared at the end, not computed twice.
        self._digest = None if algorithm == "SHA256" else new_digest(algorithm)
        self.busy = self._digest is not None

    def update(self, data: bytes | memoryview) -> None:
        if self._digest is not None:
            self._digest.update(data)

    def finish(self, sha256: str) -> str:
        got = bytes.fromhex(sha256) if self._digest is None else self._digest.digest()
        if got != self.expected:
            raise corrupted(self.uri, self.label, _shown(self.algorithm, got), _shown(self.algorithm, self.expected))
        return self.label


class _Parts(Check):
    """A multipart ETag or composite checksum: a digest per part, then one of them all."""

    def __init__(
        self,
        uri: str,
        algorithm: str,
        ends: list[int],
        expected: str,
        label: str,
        sizes: Callable[[], list[int] | None] | None,
    ) -> None:
        self.uri = uri
        self.algorithm = algorithm
        self.ends = ends  # where each part ends, in object offsets
        self.expected = expected  # "<hex or base64>-<parts>", as S3 gives it
        self.label = label
        self._sizes = sizes  # every part's size from S3, when `ends` were assumed
        self.busy = True
        self._joined = bytearray()  # the parts' digests, in order
        self._part = 0
        self._at = 0
        self._digest = new_digest(algorithm)

    def update(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            if self._part >= len(self.ends):
                self._at += len(view)  # past the last part: the size check says it
                return
            take = min(len(view), self.ends[self._part] - self._at)
            assert self._digest is not None
            self._digest.update(view[:take])
            self._at += take
            view = view[take:]
            if self._at == self.ends[self._part]:
                self._close_part()

    def _close_part(self) -> None:
        assert self._digest is not None
        self._joined += self._digest.digest()
        self._part += 1
        self._digest = new_digest(self.algorithm)

    def finish(self, sha256: str) -> str:
        if self._part < len(self.ends) and self._at > (self.ends[self._part - 1] if self._part else 0):
            self._close_part()  # an object shorter than planned: its last part, as far as it went
        whole = new_digest(self.algorithm)
        assert whole is not None
        whole.update(bytes(self._joined))
        got = f"{_shown(self.algorithm, whole.digest())}-{len(self.ends)}"
        if got == self.expected:
            return self.label
        if self._sizes is not None:
            sizes = self._sizes()
            planned = [end - start for start, end in zip([0, *self.ends], self.ends, strict=False)]
            if sizes is None:
                return "none: multipart ETag, parts of unknown size"
            if sizes != planned:
                return "none: multipart ETag, parts of unequal size"
        raise corrupted(self.uri, self.label, got, self.expected)


Block = TypeVar("Block", bytes, memoryview)


@contextmanager
def beside(check: Check) -> Iterator[Callable[[Block, Callable[[Block], None]], None]]:
    """`feed(block, own)`: `check` is fed `block` in a thread of its own while the caller's
    `own` hashing (the download's SHA-256) takes it in this one, and both are done when
    it returns, so the caller may reuse the block's buffer. hashlib and zlib let go of the
    GIL on large buffers: the two digests take two cores, not the sum of their times on
    one (an MD5 at ~0.7 GB/s beside a SHA-256 at ~1.1 GB/s)."""
    if not check.busy:
        yield lambda block, own: own(block)
        return
    # A daemon thread fed through queues, never joined: on Python 3.11 a signal that lands
    # while the main thread joins a thread (ThreadPoolExecutor's shutdown did) can release
    # that thread's state lock early (bpo-45274), and Ctrl-C/SIGTERM then ended in
    # "RuntimeError: release unlocked lock" instead of exit 130/143. Waiting on a queue
    # is interruptible without that hazard; the daemon ends with the process.
    todo: queue.Queue[Any] = queue.Queue(maxsize=1)
    done: queue.Queue[BaseException | None] = queue.Queue()

    def run() -> None:
        while (block := todo.get()) is not None:
            try:
                check.update(block)
            except BaseException as exc:  # handed to the caller, which raises it
                done.put(exc)
                return
            done.put(None)

    threading.Thread(target=run, name="neoctl-check", daemon=True).start()

    def feed(block: Block, own: Callable[[Block], None]) -> None:
        todo.put(block)
        try:
            own(block)
        finally:
            error = done.get()  # the check is done with the block: the caller may reuse it
        if error is not None:
            raise error

    try:
        yield feed
    finally:
        with contextlib.suppress(queue.Full):
            todo.put_nowait(None)  # ends the thread (full only when a feed was interrupted)


def _shown(algorithm: str, digest: bytes) -> str:
    """A digest as S3 writes it: hex in an ETag, base64 in a checksum header."""
    return digest.hex() if algorithm == "MD5" else base64.b64encode(digest).decode()


def corrupted(uri: str, label: str, got: str, expected: str) -> TransferCorrupted:
    """The error for bytes that are not the object's."""
    return TransferCorrupted(
        f"the download of {uri} was corrupted in transit: its {label.split(' (')[0]} is {got}, "
        f"S3 says {expected}; nothing was kept",
        CORRUPTED_HINT,
    )


def plan_check(
    s3: Any,
    bucket: str,
    key: str,
    response: dict[str, Any],
    size: int,
    *,
    checksums_asked: bool,
    prefer_checksums: bool = False,
) -> Check:
    """The check of s3://bucket/key (`size` bytes) the first GetObject `response` allows.

    `checksums_asked`: the response is of the whole object, asked with ChecksumMode=ENABLED
    (it carries the checksums S3 holds); a ranged one does not, and S3 is asked
    (HeadObject) when the ETag alone cannot be checked, or first with `prefer_checksums`
    (a big download: one request for a CRC32 three times cheaper than the ETag's MD5).
    Never fails: what cannot be asked or computed gives an unverified Check saying why.
    """
    uri = f"s3://{bucket}/{key}"
    etag = str(response.get("ETag") or "").strip('"')
    encrypted = _encryption(response)
    multipart = _MULTIPART.fullmatch(etag)
    md5 = _MD5.fullmatch(etag) is not None and encrypted is None
    found: dict[str, Any] = response if checksums_asked else {}
    if not checksums_asked and (prefer_checksums or not md5):  # the checksums S3 holds
        found = _head(s3, bucket, key, etag, ChecksumMode="ENABLED") or {}
    check = _full(uri, found, multipart is not None)
    if check is not None:
        return check
    if md5:
        return _Whole(uri, "MD5", bytes.fromhex(etag), "md5 (ETag)")
    if multipart is None:
        if encrypted is not None:
            return _unverified(
                f"none: the ETag of an {encrypted} object is not its MD5, and S3 holds no checksum of it"
            )
        return _unverified("none: the ETag is not an MD5, and S3 holds no checksum of the object")
    return _by_parts(s3, bucket, key, etag, size, int(multipart[2]), found, encrypted)


def _unverified(label: str) -> Check:
    """Nothing to check the bytes against; `label` says why."""
    check = Check()
    check.label = label
    return check


def _encryption(response: dict[str, Any]) -> str | None:
    if response.get("SSECustomerAlgorithm"):
        return "SSE-C"
    if str(response.get("ServerSideEncryption") or "").startswith("aws:kms"):
        return "SSE-KMS"
    return None


def _full(uri: str, found: dict[str, Any], multipart: bool) -> Check | None:
    kind = found.get("ChecksumType")
    for algorithm in FULL_ORDER:
        value = found.get(f"Checksum{algorithm}")
        if not value or "-" in str(value) or kind == "COMPOSITE":
            continue
        if multipart and kind != "FULL_OBJECT":
            continue  # a bare value with no type on a multipart object: it may be a composite's
        if algorithm != "SHA256" and new_digest(algorithm) is None:
            continue
        try:
            expected = base64.b64decode(str(value), validate=True)
        except binascii.Error:
            continue
        return _Whole(uri, algorithm, expected, f"{algorithm.lower()} (S3 checksum)")
    return None


def _by_parts(
    s3: Any,
    bucket: str,
    key: str,
    etag: str,
    size: int,
    parts: int,
    found: dict[str, Any],
    encrypted: str | None,
) -> Check:
    uri = f"s3://{bucket}/{key}"
    if encrypted is None:
        algorithm, expected, label = "MD5", etag, f"md5 of {parts} parts (multipart ETag)"
    else:
        composite = [
            a
            for a in COMPOSITE_ORDER
            if str(found.get(f"Checksum{a}") or "").endswith(f"-{parts}") and new_digest(a) is not None
        ]
        if not composite:
            return _unverified(
                f"none: the ETag of an {encrypted} object is not its MD5, and S3 holds no checksum of it"
            )
        algorithm = composite[0]
        expected, label = (
            str(found[f"Checksum{algorithm}"]),
            f"{algorithm.lower()} of {parts} parts (S3 composite checksum)",
        )
    if parts == 1:
        return _Parts(uri, algorithm, [size], expected, label.replace("1 parts", "1 part"), None)
    first = _head(s3, bucket, key, etag, PartNumber=1)
    part = int(first["ContentLength"]) if first and first.get("ContentLength") else 0
    if part <= 0:
        return _unverified("none: multipart ETag, parts of unknown size")
    if not (parts - 1) * part < size <= parts * part:
        return _unverified("none: multipart ETag, parts of unequal size")
    ends = [min(size, part * n) for n in range(1, parts + 1)]
    return _Parts(uri, algorithm, ends, expected, label, lambda: _part_sizes(s3, bucket, key, etag, parts))


def _part_sizes(s3: Any, bucket: str, key: str, etag: str, parts: int) -> list[int] | None:
    """Every part's size (HeadObject with PartNumber), or None if any cannot be had."""

    def one(number: int) -> int | None:
        answer = _head(s3, bucket, key, etag, PartNumber=number)
        return int(answer["ContentLength"]) if answer and "ContentLength" in answer else None

    with ThreadPoolExecutor(PART_HEADS, thread_name_prefix="neoctl-parts") as pool:
        sizes = list(pool.map(one, range(1, parts + 1)))
    return None if any(s is None for s in sizes) else [int(s) for s in sizes if s is not None]


def _head(s3: Any, bucket: str, key: str, etag: str, **extra: Any) -> dict[str, Any] | None:
    """HeadObject of this version (If-Match), or None: a check is never worth failing for."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        answer: dict[str, Any] = s3.head_object(Bucket=bucket, Key=key, IfMatch=f'"{etag}"', **extra)
    except (ClientError, BotoCoreError):
        return None
    return answer


def from_botocore(exc: BaseException, uri: str, check: Check) -> BaseException:
    """botocore's FlexibleChecksumError (it validates the whole-object checksum a GET
    carries while the body is read, before `check` can) said as a corrupted download, as
    `check` would have said it; any other exception as it is."""
    from botocore.exceptions import FlexibleChecksumError

    if not isinstance(exc, FlexibleChecksumError):
        return exc
    said = re.search(r"Expected checksum (\S+) did not match calculated checksum: (\S+)", str(exc))
    if said is None:
        return TransferCorrupted(
            f"the download of {uri} was corrupted in transit ({exc}); nothing was kept", CORRUPTED_HINT
        )
    label = check.label if check.label.endswith("(S3 checksum)") else "checksum (S3 checksum)"
    return corrupted(uri, label, said[2], said[1])
