"""Safe extraction of a downloaded (compiled) model archive.

Archives come from S3, so they are treated as hostile. Extraction is all or nothing:
members go into a fresh hidden temp directory next to the target, each member is
checked right before it is written (against the files already written, so a chain
of symlinks is judged by where it really leads), every symlink is checked again
once all are in place, and only then is the temp directory renamed to the target.
On any refusal, error or Ctrl-C the temp directory is removed and the target is
not created.

Refused, each with a message naming the member: absolute paths (`/etc/x`), `..`
components (`../x`, even `a/../b`), symlinks and hard links whose target leaves the
directory (directly or through other links), character and block devices, FIFOs,
other special members, and duplicate names (a second member could otherwise
overwrite the first through a link). Python's own `filter="data"` runs as well, as
a second line; the explicit checks come first because its messages are terse and
older 3.11 releases strip a leading "/" instead of refusing, and had link-chain gaps.
A hard link must name a file that came earlier in the archive (extraction reads the
archive once, as a stream, and cannot seek back for a later one; tar tools never write
such links). The gzip trailer is read too, so a corrupt archive (wrong CRC) is refused.
Not guarded: the archive's total size (a decompression bomb fills the disk).

The archive is read once, in order, as a stream (`Unpacker`): `download --extract`
feeds it the bytes as they arrive, and gzip is inflated by zlib-ng (neoctl.models.tarstream
says why), falling back to ISA-L and then the stdlib's gzip.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from neoctl.errors import InvalidInput
from neoctl.models.tarstream import CHUNK, ChunkReader, open_tar, read_errors

# Far below PATH_MAX (4096): realpath() stops resolving near that limit, which
# once let links through Python's own filter (CVE-2025-4517).
MAX_PATH_BYTES = 3072


class UnsafeArchive(InvalidInput):
    """The archive holds a member that would escape the target or is not plain data."""


@dataclass(frozen=True)
class Extracted:
    """What an extraction produced."""

    path: Path  # the target directory
    files: int
    directories: int
    links: int  # symlinks and hard links
    size: int  # bytes in regular files


def check_destination(dest: str | os.PathLike[str]) -> None:
    """Raise InvalidInput unless `dest` is free: missing, or an empty directory.

    Call it before a long download, so a taken target fails fast.
    """
    target = Path(dest)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise InvalidInput(f"{target} exists and is not a directory", "remove it or extract elsewhere")
    if target.is_dir() and any(target.iterdir()):
        raise InvalidInput(
            f"{target} already exists and is not empty; nothing was extracted",
            "remove it, or extract somewhere else (e.g. another --to)",
        )


def extract(archive: str | os.PathLike[str], dest: str | os.PathLike[str]) -> Extracted:
    """Extract the tar (any compression) at `archive` into the directory `dest`.

    `dest` must be missing or empty (see check_destination). Raises UnsafeArchive
    for a hostile member and InvalidInput for an unreadable archive; in both cases,
    and on Ctrl-C, nothing is left behind.
    """
    source = Path(archive)
    with Unpacker(dest, str(source)) as unpacker, source.open("rb") as stream:
        unpacker.unpack(iter(lambda: stream.read(CHUNK), b""))
        return unpacker.commit()


def _default_mode(directory: Path) -> None:
    # mkdtemp makes it 0o700; the target should look like any directory the user makes.
    # (The files in it get their modes from the archive, less group/other write: filter="data".)
    from neoctl.api.partfile import current_umask

    directory.chmod(0o777 & ~current_umask())


class Unpacker:
    """One streamed extraction into `dest`: `unpack(chunks)` reads the archive's bytes once,
    in order, as they arrive (from a file or straight off a download), into a hidden temp
    directory; `commit()` renames it to `dest`. Use as a context manager: leaving it
    without a commit (an error, a refusal, Ctrl-C) removes the temp directory.

    A stream cannot seek back, so a hard link must name a file that came earlier in the
    archive (GNU and BSD tar always write them so); one that does not is refused.
    """

    def __init__(
        self, dest: str | os.PathLike[str], label: str = "the archive", outcome: str = "nothing was extracted"
    ) -> None:
        self.target = Path(dest).absolute()
        self.label = label  # names the archive in messages
        self.outcome = outcome  # what a refusal leaves, for its hint
        self.result: tuple[int, int, int, int] | None = None
        self._temp: Path | None = None

    def __enter__(self) -> Unpacker:
        check_destination(self.target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._temp = Path(
            tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".neoctl-extract", dir=self.target.parent)
        )
        _default_mode(self._temp)
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None

    def unpack(self, chunks: Iterable[bytes]) -> None:
        """Extract the archive whose bytes `chunks` yields, checking every member first.

        Reads `chunks` to the end of the archive (the gzip trailer included, so its CRC
        is checked), not necessarily to the end of the iterable.
        """
        assert self._temp is not None, "use Unpacker as a context manager"
        try:
            self.result = _extract_stream(ChunkReader(chunks), self._temp, self.target, self.label)
            _check_final_links(self._temp, self.target)
        except InvalidInput as exc:  # only the archive's own faults land here
            exc.hint = f"the archive may be corrupt or malicious; {self.outcome}"
            raise

    def commit(self) -> Extracted:
        """The extracted tree under its final name (call after a successful unpack)."""
        assert self._temp is not None and self.result is not None, "nothing was unpacked"
        if self.target.is_dir():
            self.target.rmdir()  # empty, checked on entry; rename cannot replace a directory otherwise
        self._temp.rename(self.target)
        self._temp = None
        return Extracted(self.target, *self.result)


def _extract_stream(raw: ChunkReader, temp: Path, shown: Path, label: str) -> tuple[int, int, int, int]:
    counts = {"files": 0, "directories": 0, "links": 0, "size": 0}
    root = os.path.realpath(temp)
    try:
        with open_tar(raw) as tar:
            seen: dict[str, bool] = {}

            def members() -> Iterator[tarfile.TarInfo]:
                for member in tar:
                    _check(member, root, shown, seen)
                    _count(member, counts)
                    yield member

            tar.extractall(temp, members=members(), filter="data")
    except tarfile.FilterError as exc:
        raise UnsafeArchive(f"refusing {label}: {exc}", _HINT) from None
    except read_errors() as exc:
        raise InvalidInput(f"{label} is not a readable tar archive: {exc or type(exc).__name__}", _HINT) from None
    return counts["files"], counts["directories"], counts["links"], counts["size"]


_HINT = "the archive may be corrupt or malicious; nothing was extracted"


def _refuse(member: tarfile.TarInfo, why: str) -> UnsafeArchive:
    return UnsafeArchive(f"refusing archive member {member.name!r}: {why}", _HINT)


def _within(path: str, root: str) -> bool:
    return os.path.commonpath([path, root]) == root


def _check(member: tarfile.TarInfo, root: str, shown: Path, seen: dict[str, bool]) -> None:
    name = member.name
    if not name or "\x00" in name:
        raise _refuse(member, "empty name or NUL byte in the name")
    if name.startswith(("/", "\\")) or PureWindowsPath(name).drive:
        raise _refuse(member, "absolute path")
    if ".." in PurePosixPath(name).parts or ".." in PureWindowsPath(name).parts:
        raise _refuse(member, "path traversal ('..' in the path)")
    if member.ischr() or member.isblk():
        raise _refuse(member, "device file")
    if member.isfifo():
        raise _refuse(member, "FIFO (named pipe)")
    if not (member.isreg() or member.isdir() or member.issym() or member.islnk()):
        raise _refuse(member, f"special member of tar type {member.type!r}")
    norm = posixpath.normpath(name)
    if norm in seen and not (seen[norm] and member.isdir()):
        raise _refuse(member, "the name appears twice in the archive")
    where = os.path.join(root, norm)
    if len(os.fsencode(where)) > MAX_PATH_BYTES:
        raise _refuse(member, "path too long")
    if not _within(os.path.realpath(where), root):
        raise _refuse(member, f"it would be written outside {shown} through a symlink")
    if member.issym() or member.islnk():
        _check_link(member, norm, root, shown)
    if member.islnk() and seen.get(posixpath.normpath(member.linkname), True):
        # tarfile would look for a later target by seeking, which a stream cannot do.
        raise _refuse(member, f"hard link to {member.linkname!r}, which is not a file earlier in the archive")
    seen[norm] = member.isdir()


def _check_link(member: tarfile.TarInfo, norm: str, root: str, shown: Path) -> None:
    kind = "symlink" if member.issym() else "hard link"
    link = member.linkname
    if not link or "\x00" in link:
        raise _refuse(member, f"{kind} with an empty target")
    if link.startswith(("/", "\\")) or PureWindowsPath(link).drive:
        raise _refuse(member, f"{kind} to the absolute path {link!r}")
    # A symlink is relative to its own directory; a hard link names an archive member.
    base = os.path.join(root, posixpath.dirname(norm)) if member.issym() else root
    if member.islnk() and ".." in PurePosixPath(link).parts:
        raise _refuse(member, f"hard link with '..' in its target {link!r}")
    resolved = os.path.realpath(os.path.join(base, link))
    if len(os.fsencode(resolved)) > MAX_PATH_BYTES or not _within(resolved, root):
        raise _refuse(member, f"{kind} to {link!r} leads outside {shown}")


def _check_final_links(temp: Path, shown: Path) -> None:
    # A link judged safe when written can be redirected by a later one (a -> d/../x,
    # then d -> .): every symlink is judged again where it finally leads.
    root = os.path.realpath(temp)
    for folder, dirs, files in os.walk(temp):
        for entry in (*dirs, *files):
            path = os.path.join(folder, entry)
            if os.path.islink(path) and not _within(os.path.realpath(path), root):
                relative = os.path.relpath(path, temp)
                raise UnsafeArchive(
                    f"refusing archive member {relative!r}: symlink leads outside "
                    f"{shown} through other links in the archive (a symlink chain)",
                    _HINT,
                )


def _count(member: tarfile.TarInfo, counts: dict[str, int]) -> None:
    if member.isreg():
        counts["files"] += 1
        counts["size"] += member.size
    elif member.isdir():
        counts["directories"] += 1
    else:
        counts["links"] += 1
