"""A gzip tar read once, front to back, as fast as this machine inflates.

Shared by the two readers of archives: listing a user's .tar.gz model (neoctl.models.
contents, for `validate` and `create`) and the streamed extraction of a downloaded one
(neoctl.models.extract). gzip is undone by zlib-ng (`zlib-ng`): on weights (Huffman-coded
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
from collections.abc import Iterator
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
    with tarfile.open(fileobj=Forward(inflated), mode="r:") as tar:
        tar.copybufsize = CHUNK  # type: ignore[attr-defined]  # 256 KiB reads, not 16 KiB
        yield tar
    while inflated.read(CHUNK):
        pass
