"""A gzip tar read once, front to back, as fast as this machine inflates.

Shared by the readers of archives: listing a user's .tar.gz model (neoctl.models.
contents, for `validate` and `create`), the streamed extraction of a downloaded one
(neoctl.models.extract) and the repack that adds inference code (neoctl.models.repack).
gzip is undone by zlib-ng (`zlib-ng`): on weights (Huffman-coded
literals, few matches) its inflate is ~15% faster than ISA-L's and ~1.4x the stdlib's
zlib on this project's machine (bench/RESULTS-download.md); ISA-L, then the stdlib's gzip,
where a wheel is missing. (Packing keeps ISA-L: zlib-ng's level 1 makes weights larger.)
tarfile reads the tar through `Forward` in its seekable "r:" mode, which copies member
data straight through; its stream mode "r|" re-buffers every byte three times.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import tarfile
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

CHUNK = 256 * 1024  # 1 MiB reads cost ~0.4 s of page faults per 256 MiB (fresh mmap per read)


class Forward(io.RawIOBase):
    """A file that seeks forward only (by reading), for tarfile's "r:" mode over a stream.

    tarfile seeks forward over padding and to each member's data; a seek back (a hard
    link to a later member, which extraction refuses first) raises tarfile.StreamError.
    """

    def __init__(self, source: Any) -> None:
        self._source = source
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def read(self, size: int | None = -1) -> bytes:
        data: bytes = self._source.read(-1 if size is None else size)
        self._position += len(data)
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        target = offset if whence == io.SEEK_SET else self._position + offset
        if whence not in (io.SEEK_SET, io.SEEK_CUR) or target < self._position:
            raise tarfile.StreamError("seeking backwards is not allowed in a streamed archive")
        while self._position < target:
            if not self.read(min(CHUNK, target - self._position)):
                break
        return self._position


def gzip_module() -> Any:
    """The fastest gzip reader installed: zlib-ng's, ISA-L's, else the stdlib's. All
    three read the same files and raise the same errors (gzip.BadGzipFile, EOFError)."""
    try:
        from zlib_ng import gzip_ng

        return gzip_ng
    except ImportError:  # pragma: no cover - zlib-ng is a dependency; kept for odd platforms
        pass
    try:
        from isal import igzip

        return igzip
    except ImportError:  # pragma: no cover - as above
        return gzip


def read_errors() -> tuple[type[BaseException], ...]:
    """What reading a broken tar or gzip raises, from tarfile, zlib, gzip, zlib-ng and ISA-L."""
    errors: tuple[Any, ...] = (
        tarfile.ReadError,
        tarfile.CompressionError,
        tarfile.StreamError,
        EOFError,
        zlib.error,
        gzip.BadGzipFile,
    )
    try:
        from zlib_ng import zlib_ng

        errors = (*errors, zlib_ng.error)
    except ImportError:  # pragma: no cover
        pass
    try:
        from isal import igzip_lib, isal_zlib

        errors = (*errors, isal_zlib.error, igzip_lib.IsalError)
    except ImportError:  # pragma: no cover
        pass
    return errors


@contextlib.contextmanager
def gzip_tar(raw: Any) -> Iterator[tarfile.TarFile]:
    """The tar inside the gzip stream `raw`, read forward only. On a normal exit the rest
    of the stream is read too: the tar's end padding, then the gzip trailer, whose CRC
    and size are checked (a corrupt archive raises one of read_errors())."""
    inflated = gzip_module().GzipFile(fileobj=raw, mode="rb")
    forward = Forward(inflated)
    with tarfile.open(fileobj=forward, mode="r:") as tar:
        tar.copybufsize = CHUNK  # type: ignore[attr-defined]  # 256 KiB reads, not 16 KiB
        yield tar
    total = forward.tell()
    while chunk := inflated.read(CHUNK):
        total += len(chunk)
    # A tar is whole 512-byte blocks. tarfile reads a header cut short after the first
    # member as the archive's end, so a tar cut inside a header (in a gzip that is whole)
    # would pass as a shorter archive.
    if total % tarfile.BLOCKSIZE:
        raise tarfile.ReadError(f"the tar inside ends {total % tarfile.BLOCKSIZE} bytes into a block: it was cut short")


class ChunkReader(io.RawIOBase):
    """A read-only file over an iterable of byte chunks (a download as it arrives).

    read() hands whole chunks on without copying them where it can: RawIOBase's own
    read() would allocate and copy a fresh buffer for every call (measured: 23,000 page
    faults and +0.45 s of system time for a 249 MB archive).
    """

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._chunk = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def _fill(self) -> bool:
        while self._at >= len(self._chunk):
            chunk = next(self._chunks, None)
            if chunk is None:
                return False
            self._chunk, self._at = chunk, 0
        return True

    def read(self, size: int | None = -1) -> bytes:
        if not self._fill():
            return b""
        if self._at == 0 and (size is None or size < 0 or size >= len(self._chunk)):
            self._at = len(self._chunk)
            return self._chunk
        end = len(self._chunk) if size is None or size < 0 else self._at + size
        data = self._chunk[self._at : end]
        self._at += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def peek(self, size: int) -> bytes:
        """The next `size` bytes (or fewer at the end) without consuming them."""
        while len(self._chunk) - self._at < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._chunk, self._at = self._chunk[self._at :] + chunk, 0
        return self._chunk[self._at : self._at + size]


def open_tar(raw: ChunkReader) -> contextlib.AbstractContextManager[tarfile.TarFile]:
    """The tar in `raw`, read in one pass, never seeking back: gzip through gzip_tar
    (tarfile's "r:"; the trailer's CRC checked), other compressions (bz2, xz) and plain
    tar through tarfile's own stream mode."""
    if raw.peek(2) == b"\x1f\x8b":
        return gzip_tar(raw)
    return tarfile.open(fileobj=raw, mode="r|*", bufsize=CHUNK)
