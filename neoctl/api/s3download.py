"""S3 downloads that never leave half a file, optionally consumed as they arrive.

A download is written to `<dest>.part` (created exclusively, never through a symlink),
hashed, and renamed to `<dest>` only once every byte has arrived (over an existing file
only when asked: neoctl.api.partfile); the `.part` is removed on any exception, Ctrl-C
included.

Two ways in, by what the bytes are for:
- with a consumer (the streamed extraction of `download --extract`): one streamed
  GetObject, hashed on the fly, whose bytes the consumer reads in order as they arrive,
  so the archive is read from the network once and never again from disk (`_Receiver`);
  the `.part` is written alongside only when the archive is kept (`keep`, which
  `--extract` leaves off unless `--keep-archive`: ~0.3 s and the archive's size on disk
  saved per 249 MB, bench/RESULTS.md case 11);
- without one (a plain `download`): parallel ranged GETs (neoctl.api.s3ranges) from
  RANGED_MIN (64 MiB) up, 16 MiB ranges on 4 connections, each written at its offset.

Why both (measured in bench/RESULTS-download.md): one S3 connection carries ~50-100 MB/s,
so a multi-GB artifact downloads several times faster in parallel ranges; but a consumer
needs the bytes in order, which one stream gives with no reordering, and zlib-ng inflates
at ~200-230 MB/s, so the extraction, not the connection, is what bounds `--extract`. Both
are interruptible at once: their threads are daemons that never hold Ctrl-C, even when
stalled on a socket. A read that fails midway (a reset connection, a read timeout)
asks for the rest again from the first missing byte, of the same version
(neoctl.api.s3resume), rather than failing a multi-GB download. Against the emulator
a ranged GET reads only its range (neoctl.testing.s3_ranges; moto alone reads the
whole object for each range).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neoctl.api.partfile import check_destination, move_into_place, open_part, publish, published_mode
from neoctl.api.s3 import Progress
from neoctl.api.s3get import raise_get_error
from neoctl.api.s3ranges import download_ranged
from neoctl.api.s3resume import resumable_chunks
from neoctl.api.s3verify import Check, beside, from_botocore, plan_check
from neoctl.api.session import AwsOptions, client
from neoctl.errors import ConnectionFailure, InvalidInput

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Downloaded:
    """A complete downloaded file."""

    path: Path | None  # None when the bytes went to a consumer only (keep=False)
    size: int
    sha256: str
    verified: str  # what the bytes were checked against ("md5 (ETag)", "none: ..."): neoctl.api.s3verify


def download_file(
    options: AwsOptions,
    bucket: str,
    key: str,
    dest: Path,
    progress: Progress | None = None,
    *,
    overwrite: bool = False,
    consume: Callable[[Iterable[bytes]], object] | None = None,
    keep: bool = True,
    if_match: str | None = None,
) -> Downloaded:
    """Fetch s3://bucket/key into `<dest>.part`, then rename it to `dest`: as one stream
    with a `consume`r, else in parallel ranges from RANGED_MIN up (neoctl.api.s3ranges).

    An existing `dest` is refused (InvalidInput, before any request) unless `overwrite`,
    and then replaced atomically. The `.part` is created exclusively and never through a
    link: a symlink planted there is refused, not written through. On any exception,
    KeyboardInterrupt included, the `.part` is removed and `dest` is left as it was
    (absent, or the previous complete file).

    `consume`, when given, is called once with an iterable of the object's bytes in
    order, each chunk already written to the `.part`; what it leaves unread is read
    after it returns. An exception it raises ends the download as any other does:
    nothing is kept. `if_match` (an ETag; with a consumer): only that version of the
    object, else ServiceError (254) "was replaced". With `keep=False` (a consumer only) nothing is written at all: the
    bytes go to the consumer, hashed on the way, and Downloaded.path is None.
    """
    if consume is None and not keep:
        raise ValueError("keep=False needs a consumer: the bytes would go nowhere")
    if consume is None and if_match:
        raise ValueError("if_match is for a consumer's one stream")
    if keep:
        check_destination(dest, overwrite)
    if consume is None:
        return _download_ranged(options, bucket, key, dest, progress, overwrite)
    uri = f"s3://{bucket}/{key}"
    response = _get_object(options, bucket, key, if_match)
    expected = int(response.get("ContentLength", -1))
    body = response["Body"]
    part = dest.with_name(dest.name + ".part")
    cancelled = threading.Event()
    fd: int | None = None
    receiver: _Receiver | None = None
    # Everything from the `.part`'s creation on is inside this one try, so that Ctrl-C or
    # SIGTERM landing anywhere (building a client, starting the thread) removes it.
    ours = False  # whether `part` is ours to remove
    try:
        check = plan_check(client(options, "s3"), bucket, key, response, expected, checksums_asked=True)
        if keep:
            ours = True  # set first: an interrupt right after the file is made must still remove it
            try:
                fd = open_part(part)
            except InvalidInput:
                ours = False  # a refused `.part` (a planted symlink) is not ours to remove
                raise
        if expected >= 0:  # a read that fails midway asks for the rest again (s3resume)
            span = (0, expected, expected)
            s3 = client(options, "s3")
            chunks = resumable_chunks(
                s3, bucket, key, body, span, response.get("ETag"), CHUNK, stopped=cancelled.is_set
            )
        else:
            chunks = body.iter_chunks(CHUNK)
        receiver = _Receiver(chunks, body, fd, cancelled, published_mode(), check, uri)
        receiver.start()
        if progress is not None:
            progress.start(expected if expected >= 0 else None)
        stream = receiver.chunks(progress)
        consume(stream)
        for _ in stream:  # whatever the consumer left unread
            pass
        received = receiver.size
        if expected >= 0 and received != expected:
            raise ConnectionFailure(
                f"download of {uri} ended after {received} of {expected} bytes", "run the command again"
            )
        if keep:
            move_into_place(part, dest, overwrite)
    except BaseException:
        try:
            if ours:  # first, and whatever happens next: the name is what must not stay
                part.unlink(missing_ok=True)
        finally:
            cancelled.set()
            if receiver is not None:
                receiver.cancel()  # closes the descriptor; the thread, once started, the body
            elif fd is not None:
                os.close(fd)
            if receiver is None or not receiver.started:
                body.close()  # no thread reads it
        raise
    return Downloaded(dest if keep else None, receiver.size, receiver.digest.hexdigest(), receiver.verified)


def _download_ranged(
    options: AwsOptions, bucket: str, key: str, dest: Path, progress: Progress | None, overwrite: bool
) -> Downloaded:
    """Nothing reads the bytes as they arrive: parallel ranges (neoctl.api.s3ranges)."""
    part = dest.with_name(dest.name + ".part")
    size, sha256, verified = download_ranged(
        options, bucket, key, part, progress, finish=lambda: move_into_place(part, dest, overwrite)
    )
    return Downloaded(dest, size, sha256, verified)


class _Receiver:
    """Reads the body, writes the `.part` (unless `fd` is None: nothing is kept) and hashes
    it in a thread of its own, so that a consumer (inflating and extracting) works on one
    core while the network, the disk and SHA-256 keep the other busy. The chunks reach the
    caller in order through a short queue (memory stays at QUEUED MiB whatever the size).

    The thread is a daemon, started by start() once the caller's cleanup covers it, and
    never opens anything by name: on Ctrl-C or an error the caller unlinks the `.part`,
    cancels (which closes the descriptor: every use of it holds the lock and looks at the
    cancellation first, so nothing is written after cancel() returns) and leaves, even
    while the thread waits on a stalled socket (it cannot be woken, and must not hold the
    process up until the read timeout); the thread closes the body when it wakes.
    """

    QUEUED = 16

    def __init__(
        self,
        source: Iterator[bytes],
        body: Any,
        fd: int | None,
        cancelled: threading.Event,
        mode: int,
        check: Check,
        uri: str,
    ) -> None:
        import queue

        self.source = source  # the body's chunks (the first body's, then any asked for again)
        self.body = body
        self.fd = fd
        self.mode = mode  # the finished file's (partfile.published_mode)
        self.check = check  # fed every byte, finished before the file is published
        self.uri = uri
        self.verified = ""
        self.digest = hashlib.sha256()
        self.size = 0
        self._queue: queue.Queue[bytes | BaseException | None] = queue.Queue(self.QUEUED)
        self._cancelled = cancelled
        self._lock = threading.Lock()  # a write never overlaps cancel()
        self._thread = threading.Thread(target=self._run, name="neoctl-download", daemon=True)
        self.started = False  # whether the thread was asked to start (it then closes the body)

    def start(self) -> None:
        self.started = True  # before: once the thread may run, only it closes the body
        self._thread.start()

    def _run(self) -> None:
        try:
            with beside(self.check) as check:  # the check's digest on a core of its own
                for chunk in self.source:
                    with self._lock:
                        if self._cancelled.is_set():
                            return
                        if self.fd is not None:
                            _write_all(self.fd, chunk)
                    check(chunk, self.digest.update)
                    self.size += len(chunk)
                    self._put(chunk)
            self.verified = self.check.finish(self.digest.hexdigest())
            with self._lock:
                if self.fd is not None and not self._cancelled.is_set():
                    # The rename must not expose a file still in the page cache only; done
                    # here, it overlaps the consumer's last seconds of work.
                    os.fsync(self.fd)
                    publish(self.fd, self.mode)
            self._put(None)
        except BaseException as exc:  # handed to the caller, which raises it
            self._put(from_botocore(exc, self.uri, self.check))
        finally:
            with self._lock:
                self._close_fd()
            close = getattr(self.source, "close", None)
            if close is not None:
                close()  # a generator: closes the body it reads
            self.body.close()

    def _put(self, item: bytes | BaseException | None) -> None:
        import queue

        while not self._cancelled.is_set():
            try:
                self._queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def chunks(self, progress: Progress | None) -> Iterator[bytes]:
        """The body's chunks in order, each already in the `.part`; raises what the thread met."""
        while True:
            item = self._queue.get()
            if item is None:
                self._thread.join()  # fsync done, descriptor closed
                return
            if isinstance(item, BaseException):
                raise item
            if progress is not None:
                progress.advance(len(item))
            yield item

    def cancel(self) -> None:
        """No write after it returns; the descriptor is closed (every use of it holds the lock)."""
        with self._lock:
            self._cancelled.set()
            self._close_fd()

    def _close_fd(self) -> None:
        """Close the descriptor once, whoever lets go of it first (the lock held)."""
        fd, self.fd = self.fd, None
        if fd is not None:
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _get_object(options: AwsOptions, bucket: str, key: str, if_match: str | None = None) -> dict[str, Any]:
    from botocore.exceptions import ClientError

    extra = {"IfMatch": if_match} if if_match else {}
    try:
        response: dict[str, Any] = client(options, "s3").get_object(Bucket=bucket, Key=key, **extra)
    except ClientError as exc:
        raise_get_error(exc, f"s3://{bucket}/{key}")
        raise
    return response
