"""Streaming upload: bytes made by a producer thread go to S3 as they are made.

Packing a model and sending it is one pass with bounded memory: the producer (tar →
gzip, neoctl.models.pack) puts its ~1 MiB pieces into a queue of at most 4; s3transfer reads
that queue as a non-seekable stream and sends 8 MiB parts (multipart above 8 MiB, at
most 2 parts read ahead and 4 in flight: ~64 MiB of buffers whatever the model size;
8 MiB parts allow 80 GiB objects within S3's 10,000-part limit).

Nothing partial is ever left in S3: the object appears only when
CompleteMultipartUpload (or the single PutObject) succeeds, and any failure — the
producer's (a file changed: InvalidInput), the network's, or Ctrl-C / SIGTERM in the
main thread — cancels the transfer, which makes s3transfer abort the multipart upload,
and stops the producer. No temp file is ever written. Cancelling cannot unmake an object
S3 has already stored: a Ctrl-C as the last part goes out may land after that, so the
caller asks S3 what the key holds before it says (neoctl.models.upload).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from typing import Any

from neoctl.api.session import AwsOptions, client

PART_SIZE = 8 * 1024 * 1024
CONCURRENCY = 4
READ_AHEAD_PARTS = 2
_QUEUE_CHUNKS = 4
_POLL = 0.1  # seconds between looks at the cancel flag while waiting on the queue
JOIN_AFTER_CANCEL = 2.0  # seconds a cancelled upload waits for its producer to stop


class _Cancelled(Exception):
    """The other side of the queue gave up."""


class _ChunkQueue:
    """A bounded byte pipe between the producer thread and s3transfer's reader.

    The producer's pieces (compressor output, ~1 MiB each) pass through as they are;
    a read joins just enough of them for the size asked. Each byte is copied once on
    the way (the join), not re-chunked on both sides.
    """

    def __init__(self) -> None:
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUE_CHUNKS)
        self._left = b""  # the part of a piece the last read did not take
        self._eof = False
        self.cancelled = threading.Event()
        self.failure: BaseException | None = None
        self.sent = 0  # bytes handed to s3transfer (the compressed size at the end)

    # producer side
    def write(self, data: bytes) -> int:
        if data:
            self._put(bytes(data))  # a caller's bytearray/memoryview may change after this returns
        return len(data)

    def finish(self) -> None:
        self._put(None)

    def _put(self, item: bytes | None) -> None:
        while True:
            if self.cancelled.is_set():
                raise _Cancelled
            try:
                self._queue.put(item, timeout=_POLL)
                return
            except queue.Full:
                continue

    # s3transfer side
    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        pieces = [self._left] if self._left else []
        have = len(self._left)
        while not self._eof and (size < 0 or have < size):
            if self.cancelled.is_set():
                raise _Cancelled("upload cancelled")
            try:
                item = self._queue.get(timeout=_POLL)
            except queue.Empty:
                continue
            if item is None:
                self._eof = True
                if self.failure is not None:  # the producer failed: the stream must not end cleanly
                    raise self.failure
            else:
                pieces.append(item)
                have += len(item)
        self._left = b""
        if 0 <= size < have:  # split the last piece only: the others are joined whole
            last, keep = pieces[-1], len(pieces[-1]) - (have - size)
            pieces[-1], self._left = last[:keep], last[keep:]
        data = pieces[0] if len(pieces) == 1 else b"".join(pieces)
        self.sent += len(data)
        return data


def upload_stream(
    options: AwsOptions,
    produce: Callable[[Any], None],
    bucket: str,
    key: str,
    *,
    metadata: dict[str, str],
    extra: dict[str, str] | None = None,
) -> int:
    """Upload what `produce(sink)` writes (sink.write(bytes)) to s3://bucket/key; bytes sent.
    `extra`: more PutObject/CreateMultipartUpload arguments (ServerSideEncryption, SSEKMSKeyId).

    `produce` runs in its own thread; an exception it raises is raised here (after the
    upload is aborted), as is KeyboardInterrupt. See the module docstring.
    """
    from boto3.s3.transfer import TransferConfig, create_transfer_manager

    from neoctl.api.heap import steady_for_transfers
    from neoctl.api.s3 import upload_error

    steady_for_transfers()  # memory flat whatever the model size (see api/heap.py)
    stream = _ChunkQueue()

    def run() -> None:
        try:
            produce(stream)
            stream.finish()
        except _Cancelled:
            pass
        except BaseException as exc:  # handed to the reading side, which raises it in the upload
            stream.failure = exc
            with contextlib.suppress(_Cancelled):
                stream.finish()

    config = TransferConfig(multipart_threshold=PART_SIZE, multipart_chunksize=PART_SIZE, max_concurrency=CONCURRENCY)
    config.max_in_memory_upload_chunks = READ_AHEAD_PARTS
    producer = threading.Thread(target=run, name="neoctl-pack", daemon=True)
    manager = create_transfer_manager(client(options, "s3"), config)
    producer.start()
    try:
        future = manager.upload(stream, bucket, key, extra_args={"Metadata": metadata, **(extra or {})})
        future.result()
    except BaseException as exc:
        stream.cancelled.set()
        manager.shutdown(cancel=True, cancel_msg="upload stopped")  # waits for the abort of the multipart upload
        # The producer stops at its next write, but it may be waiting on something else first
        # (deploy --code's repack reads a GetObject that can stall for the read timeout): it is a
        # daemon and nothing of its is kept, so Ctrl-C is not held up waiting for it.
        producer.join(timeout=JOIN_AFTER_CANCEL)
        if stream.failure is not None and exc is stream.failure:
            raise
        from botocore.exceptions import ClientError

        if isinstance(exc, ClientError):
            raise upload_error(exc, bucket, key) from None
        raise
    manager.shutdown()
    producer.join()
    return stream.sent
