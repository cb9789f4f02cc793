"""A local model (a .tar.gz, one model file, or a directory) as a deterministic .tar.gz.

The same files give the same bytes whatever their mtimes, owners, umask or the order
the file system lists them in, so the sha256 of the result can name the S3 object
(see neoctl.models.plan) and an unchanged model is never uploaded twice:

- entries sorted by path (parents before children), names relative to the directory
  (SageMaker Neo expects the model files at the root of the archive);
- mtime 0, uid/gid 0, uname/gname "", mode 0o644 (0o755 for directories and for
  files with any execute bit);
- PAX format, whose extra headers appear only for long names, non-ASCII names or
  files over 8 GiB, and then hold only the name or size;
- gzip level 6 with header mtime 0 and no file name. Bytes are stable for a given
  zlib; another zlib build could compress differently (one extra upload, no harm).

An existing .tar.gz / .tgz is used as is, byte for byte (checked to be gzip + tar).

Symlinks inside a directory: a link to a regular file that stays inside the directory
is followed and stored as a regular file (no links in the archive, so nothing on the
extracting side has to trust them). A link that leaves the directory, a dangling
link or a link to a directory is refused: following those could pack files the user
never meant to upload (~/.ssh is one `ln -s` away) or loop forever. The path given
on the command line may itself be a symlink: the user named it.
Hard links inside the directory become independent regular files. Sockets, FIFOs
and devices are refused. Nothing is skipped silently (no .git or __pycache__ rules).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import stat
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from neoctl.errors import InvalidInput

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz")
FIXED_MTIME = 0
GZIP_LEVEL = 6
FILE_MODE = 0o644
EXEC_MODE = 0o755
_CHUNK = 1024 * 1024

Kind = Literal["archive", "file", "directory"]


@dataclass(frozen=True)
class Package:
    """A .tar.gz ready to upload: where it is, how big, its sha256, and whether it is ours."""

    path: Path  # the .tar.gz (a temp file we made, or the user's own archive)
    size: int
    sha256: str  # hex digest of exactly the bytes at `path`
    kind: Kind  # what the user gave: "archive" (used as is), "file" or "directory" (packed)
    temporary: bool  # True when `path` is a temp file that cleanup() removes

    def cleanup(self) -> None:
        """Remove the temp file (never the user's own archive); safe to call twice."""
        if self.temporary:
            self.path.unlink(missing_ok=True)


def stat_model_path(given: Path) -> os.stat_result:
    """`model.path`'s stat, following a top-level link (the user named it); InvalidInput
    when it is missing or unreadable."""
    try:
        return given.stat()
    except FileNotFoundError:
        raise InvalidInput(
            f"model path {given} does not exist", "model.path takes a .tar.gz, a model file or a directory"
        ) from None
    except OSError as exc:
        raise InvalidInput(f"model path {given} cannot be read: {exc.strerror}") from None


def package(source: str | os.PathLike[str], workdir: str | os.PathLike[str] | None = None) -> Package:
    """The model at `source` as a .tar.gz: the archive itself, or a packed temp file.

    The temp file goes to `workdir` (default: the system temp dir); it is removed if
    packing fails or is interrupted. Raises InvalidInput for anything wrong with
    `source` (missing, a FIFO, a link leaving the directory, unreadable, ...).
    """
    given = Path(source)
    info = stat_model_path(given)
    if stat.S_ISDIR(info.st_mode):
        return _pack(given, "directory", workdir)
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"model path {given} is not a regular file or a directory")
    if given.name.lower().endswith(ARCHIVE_SUFFIXES):
        return _as_is(given)
    if given.name.lower().endswith(".tar"):
        raise InvalidInput(
            f"model path {given} is an uncompressed tar; SageMaker Neo needs a .tar.gz",
            f"compress it (`gzip {given}`) or give the directory it was made from",
        )
    return _pack(given, "file", workdir)


def _as_is(path: Path) -> Package:
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as stream:
            head = stream.read(2)
            if head != b"\x1f\x8b":
                raise InvalidInput(
                    f"model path {path} is named like a .tar.gz but is not gzip data",
                    "pack it with `tar czf`, or give the directory",
                )
            digest.update(head)
            size = len(head)
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
        with tarfile.open(path, "r:gz") as archive:
            archive.next()  # reads the first header only: cheap, catches gzip-but-not-tar
    except (tarfile.TarError, EOFError, gzip.BadGzipFile) as exc:
        raise InvalidInput(f"model path {path} is not a readable .tar.gz: {exc}") from None
    except OSError as exc:
        raise InvalidInput(f"model path {path} cannot be read: {exc.strerror or exc}") from None
    return Package(path, size, digest.hexdigest(), "archive", temporary=False)


@dataclass(frozen=True)
class _Entry:
    name: str  # archive name, POSIX, relative
    source: Path | None  # file to read; None for a directory
    executable: bool = False


def entries(root: Path, kind: Kind) -> list[_Entry]:
    if kind == "file":
        return [_Entry(root.name, root, _is_executable(root.stat().st_mode))]
    real_root = root.resolve()
    found: list[_Entry] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            children = list(os.scandir(folder))
        except OSError as exc:
            raise InvalidInput(f"cannot list {folder}: {exc.strerror or exc}") from None
        for child in children:
            path = Path(child.path)
            name = path.relative_to(root).as_posix()
            if child.is_symlink():
                found.append(_link_entry(path, name, root, real_root))
            elif child.is_dir(follow_symlinks=False):
                found.append(_Entry(name, None))
                pending.append(path)
            elif child.is_file(follow_symlinks=False):
                found.append(_Entry(name, path, _is_executable(child.stat(follow_symlinks=False).st_mode)))
            else:
                raise InvalidInput(
                    f"{path} is a socket, FIFO or device file; a model archive "
                    "holds only regular files and directories",
                    "remove it from the model directory",
                )
    # Parents sort before children: "a" < "a/b" because a prefix sorts first.
    return sorted(found, key=lambda entry: entry.name)


def _link_entry(path: Path, name: str, root: Path, real_root: Path) -> _Entry:
    target = Path(os.path.realpath(path))
    hint = "copy the real file into the model directory (e.g. `cp -L`), or remove the link"
    if not target.is_relative_to(real_root):
        raise InvalidInput(
            f"symlink {path} points outside the model directory {root} (to {target}); "
            "neoctl does not pack files from outside the directory",
            hint,
        )
    if not target.exists():
        raise InvalidInput(f"symlink {path} is dangling (it points to {target})", hint)
    if not target.is_file():
        raise InvalidInput(
            f"symlink {path} points to a directory or special file ({target}); "
            "only links to regular files are followed",
            hint,
        )
    return _Entry(name, target, _is_executable(target.stat().st_mode))


def _is_executable(mode: int) -> bool:
    return bool(mode & 0o111)


class _HashingWriter:
    """A write-only stream that hashes and counts what passes through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def _tarinfo(entry: _Entry, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(entry.name)
    info.mtime = FIXED_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if entry.source is None:
        info.type = tarfile.DIRTYPE
        info.mode = EXEC_MODE
    else:
        info.type = tarfile.REGTYPE
        info.mode = EXEC_MODE if entry.executable else FILE_MODE
        info.size = size
    return info


def _pack(root: Path, kind: Kind, workdir: str | os.PathLike[str] | None) -> Package:
    members = entries(root, kind)
    if not any(entry.source is not None for entry in members):
        raise InvalidInput(f"model directory {root} holds no files")
    fd, name = tempfile.mkstemp(prefix="neoctl-model-", suffix=".tar.gz", dir=workdir)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as raw:
            writer = _HashingWriter(raw)
            # filename="" keeps the temp file's name out of the gzip header.
            with (
                gzip.GzipFile(
                    filename="", mode="wb", fileobj=writer, compresslevel=GZIP_LEVEL, mtime=FIXED_MTIME
                ) as zipped,
                tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as archive,
            ):
                for entry in members:
                    _add(archive, entry)
        return Package(temp, writer.size, writer.digest.hexdigest(), kind, temporary=True)
    except BaseException:
        temp.unlink(missing_ok=True)  # also on Ctrl-C: no half-written archive stays behind
        raise


def _add(archive: tarfile.TarFile, entry: _Entry) -> None:
    if entry.source is None:
        archive.addfile(_tarinfo(entry, 0))
        return
    try:
        with entry.source.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            archive.addfile(_tarinfo(entry, size), stream)
    except OSError as exc:
        # Also a file that shrank while being packed ("unexpected end of data").
        raise InvalidInput(f"cannot pack {entry.source}: {exc.strerror or exc}") from None
