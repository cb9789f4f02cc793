"""An S3 object fetched as parallel byte ranges into `<dest>.part` (`neoctl download`
without `--extract`, where nothing needs the bytes in order as they arrive).

One connection to S3 typically carries 50-100 MB/s; CONCURRENCY ranged GETs of PART
bytes each multiply that, as s3transfer and the AWS CLI do. The first request is the
ranged GET of part 0: its Content-Range gives the object's size and its ETag the version,
with no HeadObject round trip. Objects of at most PART bytes are then complete; below
RANGED_MIN the rest follows as one more streamed range (one connection at a time);
from RANGED_MIN up the other parts go to CONCURRENCY worker threads. Every range after
the first carries If-Match with the first ETag, so all bytes come from one version of
the object: a 412 means it was replaced mid-download, and nothing is kept.

Each worker writes its range with os.pwrite at the range's offset as the bytes arrive
(no part is held in memory). The SHA-256 of the whole object, in order, and the check
against what S3 says of it (its ETag's MD5 or a checksum: neoctl.api.s3verify) are
computed by the main thread re-reading the contiguous prefix already written (from the page cache,
1 MiB at a time into one reused buffer) as it grows: memory stays ~CONCURRENCY x 1 MiB
of chunks in flight whatever the size, where a reorder window in memory would hold up
to (CONCURRENCY + 1) x PART and allocate every part afresh (costly on small VMs).

Workers are daemon threads and never hold the main thread: on Ctrl-C, SIGTERM or an
error the main thread cancels (under the lock every write takes, so no write happens
after cancel() returns), removes the `.part` and leaves, even while a worker waits on a
stalled socket until the read timeout. The descriptor is closed by whoever lets go of
it last (the main thread or a worker that wakes up later), never while a write may happen.
"""

from __future__ import annotations

import hashlib
import os
import queue
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from neoctl.api.partfile import open_part, publish, published_mode
from neoctl.api.s3 import Progress
from neoctl.api.s3get import raise_get_error, ranged_body
from neoctl.api.s3resume import resumable_chunks
from neoctl.api.s3verify import Check, beside, plan_check
from neoctl.api.session import AwsOptions, client
from neoctl.errors import ConnectionFailure, InvalidInput

MIB = 1024 * 1024
RANGED_MIN = 64 * MIB  # smaller objects: one range at a time
PART = 16 * MIB
CONCURRENCY = 4
CHUNK = MIB  # read from the socket, written, reported
HASH_BLOCK = MIB  # re-read from the `.part` for the digest

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


def download_ranged(
    options: AwsOptions,
    bucket: str,
    key: str,
    part: Path,
    progress: Progress | None,
    *,
    finish: Callable[[], None],
) -> tuple[int, str, str]:
    """Fill the new file `part` with s3://bucket/key, fsync it, check it against what S3
    says of it (neoctl.api.s3verify), then call `finish` (which moves it into place):
    (size, sha256, what was verified). Bytes that are not the object's raise
    TransferCorrupted, and nothing is kept.

    On any exception (KeyboardInterrupt included, `finish`'s too) the workers are
    cancelled and `part`, once created here, is removed; a `part` that open_part refuses
    (a planted symlink) is left as found.
    """
    uri = f"s3://{bucket}/{key}"
    mode = published_mode()
    s3 = client(options, "s3")
    first = _first_response(s3, bucket, key, uri)
    body = first["Body"]
    fd: int | None = None
    transfer: _Ranges | None = None
    # Everything from the `.part`'s creation on is inside this one try, so that Ctrl-C or
    # SIGTERM landing anywhere (setting up the workers included) removes it.
    ours = False  # whether `part` is ours to remove
    try:
        total, first_end = _extent(first, uri)
        ranges = _plan(total, first_end)
        check = plan_check(s3, bucket, key, first, total, checksums_asked=False, prefer_checksums=total >= RANGED_MIN)
        ours = True  # set first: an interrupt right after the file is made must still remove it
        try:
            fd = open_part(part, readable=True)
        except InvalidInput:
            ours = False  # a refused `.part` (a planted symlink) is not ours to remove
            raise
        transfer = _Ranges(s3, bucket, key, uri, first.get("ETag"), fd, ranges, check)
        if progress is not None:
            progress.start(total)
        transfer.start(body)
        digest = transfer.wait(progress)
        verified = check.finish(digest)  # before the file is published or moved into place
        os.fsync(fd)  # the rename must not expose a file still in the page cache only
        publish(fd, mode)
        finish()
    except BaseException:
        try:
            if ours:  # first, and whatever happens next: the name is what must not stay
                part.unlink(missing_ok=True)
        finally:
            if transfer is not None:
                transfer.cancel()
            if transfer is None or not transfer.started:
                body.close()  # no worker took it
        raise
    finally:
        if transfer is not None:
            transfer.release()
        elif fd is not None:
            os.close(fd)
    return total, digest, verified


def _first_response(s3: Any, bucket: str, key: str, uri: str) -> dict[str, Any]:
    from botocore.exceptions import ClientError

    try:
        response: dict[str, Any] = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{PART - 1}")
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code != "InvalidRange":
            raise_get_error(exc, uri)
            raise
        # S3 refuses any range of an empty object: fetch it whole (nothing to split).
        try:
            response = s3.get_object(Bucket=bucket, Key=key)
        except ClientError as again:
            raise_get_error(again, uri)
            raise
    return response


def _extent(response: dict[str, Any], uri: str) -> tuple[int, int]:
    """(size of the object, end of what the first response carries)."""
    content_range = response.get("ContentRange")
    length = int(response.get("ContentLength", -1))
    if not content_range:  # a 200: the whole object (a server that ignores Range, or a plain GET)
        if length < 0:
            raise ConnectionFailure(f"GetObject of {uri} answered without a size", "run the command again")
        return length, length
    match = _CONTENT_RANGE.fullmatch(str(content_range))
    if match is None or int(match[1]) != 0:
        raise ConnectionFailure(
            f"GetObject of {uri} answered another range than asked ({content_range})", "run the command again"
        )
    return int(match[3]), int(match[2]) + 1


def _plan(total: int, first_end: int) -> list[tuple[int, int]]:
    """The ranges [start, end) to fetch, the first being what the first response carries."""
    if total == 0:
        return []
    ranges = [(0, first_end)]
    if first_end >= total:
        return ranges
    if total < RANGED_MIN:
        return [*ranges, (first_end, total)]
    return ranges + [(start, min(start + PART, total)) for start in range(first_end, total, PART)]


class _Ranges:
    """The workers of one download, the events they send the main thread, and the digest."""

    def __init__(
        self,
        s3: Any,
        bucket: str,
        key: str,
        uri: str,
        etag: str | None,
        fd: int,
        ranges: list[tuple[int, int]],
        check: Check,
    ) -> None:
        self.s3 = s3
        self.bucket = bucket
        self.key = key
        self.uri = uri
        self.etag = etag
        self.fd = fd
        self.ranges = ranges
        self.check = check  # fed the object in order, as the SHA-256 is
        self.total = ranges[-1][1] if ranges else 0
        self._lock = threading.Lock()  # every write, the next range, the holders
        self._cancelled = False
        self._next = 1  # range 0 is the first response's, given to the first worker
        self._holders = 1  # the main thread; each worker adds one
        self._events: queue.Queue[tuple[int, int] | BaseException] = queue.Queue()
        self.started = False

    def start(self, first_body: Any) -> None:
        self.started = True
        if not self.ranges:
            first_body.close()
            return
        workers = 1 if self.total < RANGED_MIN else min(CONCURRENCY, len(self.ranges))
        with self._lock:
            self._holders += workers
        for number in range(workers):
            thread = threading.Thread(
                target=self._work,
                args=(first_body if number == 0 else None,),
                name=f"neoctl-download-{number}",
                daemon=True,
            )
            thread.start()

    # -- worker threads ---------------------------------------------------------------
    def _work(self, first_body: Any) -> None:
        try:
            if first_body is not None:
                self._copy(0, first_body)
            while (index := self._take()) is not None:
                self._copy(index, self._get(index))
        except BaseException as exc:  # handed to the main thread, which raises it
            self._events.put(exc)
        finally:
            if first_body is not None:
                first_body.close()  # unread if cancelled before it started
            self.release()

    def _take(self) -> int | None:
        with self._lock:
            if self._cancelled or self._next >= len(self.ranges):
                return None
            self._next += 1
            return self._next - 1

    def _get(self, index: int) -> Any:
        start, end = self.ranges[index]
        return ranged_body(self.s3, self.bucket, self.key, (start, end, self.total), self.etag)

    def _copy(self, index: int, body: Any) -> None:
        start, end = self.ranges[index]
        offset = start
        # A read that fails mid-range asks for the rest of the range again (s3resume).
        chunks = resumable_chunks(
            self.s3, self.bucket, self.key, body, (start, end, self.total), self.etag, CHUNK, stopped=self._stopped
        )
        try:
            for chunk in chunks:
                if offset + len(chunk) > end:
                    raise ConnectionFailure(
                        f"GetObject of {self.uri} sent more than the {end - start} bytes asked", "run the command again"
                    )
                with self._lock:
                    if self._cancelled:
                        return
                    _pwrite_all(self.fd, chunk, offset)
                offset += len(chunk)
                self._events.put((index, len(chunk)))
        finally:
            chunks.close()  # closes the body being read
        if offset != end and not self._cancelled:
            raise ConnectionFailure(
                f"download of {self.uri} ended after {offset - start} of {end - start} bytes of a part",
                "run the command again",
            )

    # -- main thread ------------------------------------------------------------------
    def wait(self, progress: Progress | None) -> str:
        """Report the bytes as they arrive and hash the object in order; raise what a worker met."""
        with beside(self.check) as check:
            return self._hash(progress, check)

    def _hash(
        self, progress: Progress | None, check: Callable[[memoryview, Callable[[memoryview], None]], None]
    ) -> str:
        digest = hashlib.sha256()
        written = [0] * len(self.ranges)
        buffer = bytearray(HASH_BLOCK)
        current = 0  # the first range not yet hashed whole
        hashed = 0  # bytes of the object hashed, all before `current`'s end
        while hashed < self.total:
            event = self._events.get()
            if isinstance(event, BaseException):
                raise event
            index, size = event
            written[index] += size
            if progress is not None:
                progress.advance(size)
            # The prefix written so far: the whole ranges before `current`, then what of
            # `current` its worker has written (each worker writes its range in order).
            while current < len(self.ranges):
                start, end = self.ranges[current]
                upto = start + written[current]
                for block in _blocks(self.fd, buffer, hashed, upto):
                    check(block, digest.update)
                hashed = upto
                if upto < end:
                    break
                current += 1
        return digest.hexdigest()

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True

    def _stopped(self) -> bool:
        return self._cancelled

    def release(self) -> None:
        """Let go of the descriptor; the last holder closes it."""
        with self._lock:
            self._holders -= 1
            last = self._holders == 0
        if last:
            os.close(self.fd)


def _blocks(fd: int, buffer: bytearray, start: int, end: int) -> Iterator[memoryview]:
    view = memoryview(buffer)
    while start < end:
        got = os.preadv(fd, [view[: min(len(buffer), end - start)]], start)
        if got <= 0:
            raise OSError(f"the .part ended at byte {start}, before {end}")
        yield view[:got]
        start += got


def _pwrite_all(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        done = os.pwrite(fd, view, offset)
        view = view[done:]
        offset += done
