"""A local model (a .tar.gz, one model file, or a directory): listed, hashed, packed.

Three passes, each as cheap as it can be:

- `open_model` lists it (names, types, sizes; no file contents): what `validate` and the
  archive rules need.
- `input_digest` hashes the INPUTS (sha256 runs at ~1 GB/s here, 70x faster than
  compressing): a scheme-version prefix, then for every entry in sorted order its type,
  normalised mode, name and size, then the file's bytes. It names the S3 object, so
  `--dry-run` and the "already uploaded?" question never compress, and the same files
  give the same key whatever their mtimes, owners, umask or listing order.
  For a user's own .tar.gz the digest is the sha256 of its bytes (used as is).
- `write_archive` packs tar → gzip into any writer in one streaming pass, re-hashing
  what it reads: the hash pass ran first, so the files come from the page cache; a file
  that changed between the two passes (other bytes, other size) makes it raise
  InvalidInput (exit 252) naming that file, as soon as the file has been read, and the
  caller sends nothing. (The hash pass notes the running digest after each entry; the
  pack compares it at the same place: a copy of a SHA-256 state per entry costs nothing.)

Archive layout: entries sorted by path (parents before children), names relative to
the directory (SageMaker Neo expects the model files at the root of the archive), mtime
0, uid/gid 0, no owner names, mode 0o644 (0o755 for directories and for files with any
execute bit), PAX format. Compression: ISA-L (`isal`) deflate level 1 — 187 MB/s on
float32 weights on this machine against 13 MB/s for zlib level 6, at the same ratio
(0.926; weights barely compress at any level), see bench/RESULTS-pack.md — falling back
to the stdlib zlib at level 1 when `isal` cannot be imported. The compressed bytes no
longer name anything, so they need not be stable across libraries.

Symlinks inside a directory: a link to a regular file that stays inside the directory
is followed and stored as a regular file (no links in the archive, so nothing on the
extracting side has to trust them). A link that leaves the directory, a dangling
link, a symlink loop or a link to a directory is refused: following those could pack
files the user never meant to upload (~/.ssh is one `ln -s` away) or loop forever.
The path given on the command line may itself be a symlink: the user named it.
Hard links inside the directory become independent regular files. Sockets, FIFOs
and devices are refused. Nothing is skipped silently (no .git or __pycache__ rules).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from neoctl.errors import InvalidInput

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz")
FIXED_MTIME = 0
GZIP_LEVEL = 1  # weights compress to ~0.93 at any level; level 1 is the fastest that still deflates
FILE_MODE = 0o644
EXEC_MODE = 0o755
DIGEST_SCHEME = b"neoctl-model-inputs-v1\n"  # change it when the scheme changes: keys change with it
# Reads of 1 MiB, each a new bytes: measured on this VM (2 GiB file, warm), readinto() of
# one reused buffer took ~1 s MORE system time per 2 GiB than read() (2.8 s vs 1.9 s wall),
# and 8 MiB reads were slower than 1 MiB ones.
_CHUNK = 1024 * 1024

Kind = Literal["archive", "file", "directory"]


class Sink(Protocol):
    """Where packed bytes go (a file, a pipe, an upload queue)."""

    def write(self, data: bytes, /) -> object:
        """Take `data`."""


@dataclass(frozen=True)
class _Entry:
    name: str  # archive name, POSIX, relative
    source: Path | None  # file to read; None for a directory
    executable: bool = False
    size: int = 0  # bytes at listing time (a file changed later is refused)


@dataclass(frozen=True)
class LocalModel:
    """A listed local model: what `model.path` names, without its contents read."""

    path: Path
    kind: Kind  # "archive" (used as is), "file" or "directory" (packed)
    entries: tuple[_Entry, ...]  # empty for an archive
    size: int  # input bytes: the files' total, or the archive's size

    @property
    def files(self) -> int:
        """How many files are packed (1 for an archive)."""
        return sum(1 for e in self.entries if e.source is not None) if self.kind != "archive" else 1


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
        if exc.errno == errno.ELOOP:
            raise InvalidInput(
                f"model path {given} is a symlink loop", "point model.path at the real file or directory"
            ) from None
        raise InvalidInput(f"model path {given} cannot be read: {exc.strerror}") from None


def open_model(source: str | os.PathLike[str]) -> LocalModel:
    """List the model at `source` (names, types, sizes; no contents read).

    Raises InvalidInput for anything wrong with `source` (missing, a FIFO, a link
    leaving the directory, a symlink loop, an uncompressed .tar, no files, ...).
    """
    given = Path(source)
    info = stat_model_path(given)
    if stat.S_ISDIR(info.st_mode):
        members = tuple(entries(given, "directory"))
        if not any(entry.source is not None for entry in members):
            raise InvalidInput(f"model directory {given} holds no files")
        return LocalModel(given, "directory", members, sum(e.size for e in members))
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"model path {given} is not a regular file or a directory")
    if given.name.lower().endswith(ARCHIVE_SUFFIXES):
        return LocalModel(given, "archive", (), info.st_size)
    if given.name.lower().endswith(".tar"):
        raise InvalidInput(
            f"model path {given} is an uncompressed tar; SageMaker Neo needs a .tar.gz",
            f"compress it (`gzip {given}`) or give the directory it was made from",
        )
    members = tuple(entries(given, "file"))
    return LocalModel(given, "file", members, members[0].size)


def entries(root: Path, kind: Kind) -> list[_Entry]:
    """The entries of a model file or directory, sorted by archive name (sizes from stat)."""
    if kind == "file":
        info = root.stat()
        return [_Entry(root.name, root, _is_executable(info.st_mode), info.st_size)]
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
                info = child.stat(follow_symlinks=False)
                found.append(_Entry(name, path, _is_executable(info.st_mode), info.st_size))
            else:
                raise InvalidInput(
                    f"{path} is a socket, FIFO or device file; a model archive "
                    "holds only regular files and directories",
                    "remove it from the model directory",
                )
    # Parents sort before children: "a" < "a/b" because a prefix sorts first.
    return sorted(found, key=lambda entry: entry.name)


def _link_entry(path: Path, name: str, root: Path, real_root: Path) -> _Entry:
    hint = "copy the real file into the model directory (e.g. `cp -L`), or remove the link"
    try:
        info = path.stat()  # follows the whole chain; ELOOP for a loop, ENOENT for a dangling link
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InvalidInput(
                f"symlink {path} is a symlink loop (ELOOP: following it never reaches a file)", hint
            ) from None
        info = None
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(real_root):
        raise InvalidInput(
            f"symlink {path} points outside the model directory {root} (to {target}); "
            "neoctl does not pack files from outside the directory",
            hint,
        )
    if info is None:
        raise InvalidInput(f"symlink {path} is dangling (it points to {target})", hint)
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(
            f"symlink {path} points to a directory or special file ({target}); "
            "only links to regular files are followed",
            hint,
        )
    return _Entry(name, target, _is_executable(info.st_mode), info.st_size)


def _is_executable(mode: int) -> bool:
    return bool(mode & 0o111)


def _mode(entry: _Entry) -> int:
    return EXEC_MODE if entry.source is None or entry.executable else FILE_MODE


def _entry_header(entry: _Entry) -> bytes:
    # Length-prefixed fields: no two different listings can hash the same bytes.
    name = entry.name.encode("utf-8", "surrogateescape")
    kind = b"d" if entry.source is None else b"f"
    return kind + b" %o %d %d\n" % (_mode(entry), len(name), entry.size) + name


def _changed(path: Path) -> InvalidInput:
    return InvalidInput(
        f"{path} changed while the model was being read; nothing was uploaded",
        "wait until whatever writes the model has finished, then run the command again",
    )


def input_digest(
    model: LocalModel, advance: Callable[[int], None] | None = None, marks: list[str] | None = None
) -> str:
    """The hex sha256 naming the model (see the module docstring); reads every byte once.

    `advance(n)` is told of every n input bytes read (for a progress bar). `marks`, when
    given, receives the running digest after each entry, for write_archive to name the
    file that changed. Raises InvalidInput when a file cannot be read, changed size since
    it was listed, or an archive is not a gzip tar.
    """
    if model.kind == "archive":
        return _archive_digest(model.path, advance)
    digest = hashlib.sha256(DIGEST_SCHEME)
    for entry in model.entries:
        digest.update(_entry_header(entry))
        if entry.source is not None:
            _hash_file(entry.source, entry.size, digest, advance)
        if marks is not None:
            marks.append(digest.copy().hexdigest())
    return digest.hexdigest()


def _hash_file(source: Path, size: int, digest: hashlib._Hash, advance: Callable[[int], None] | None) -> None:
    read = 0
    try:
        with source.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
                read += len(chunk)
                if advance is not None:
                    advance(len(chunk))
    except OSError as exc:
        raise InvalidInput(f"cannot read {source}: {exc.strerror or exc}") from None
    if read != size:
        raise _changed(source)


def _archive_digest(path: Path, advance: Callable[[int], None] | None) -> str:
    import gzip

    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            head = stream.read(2)
            if head != b"\x1f\x8b":
                raise InvalidInput(
                    f"model path {path} is named like a .tar.gz but is not gzip data",
                    "pack it with `tar czf`, or give the directory",
                )
            digest.update(head)
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
                if advance is not None:
                    advance(len(chunk))
        with tarfile.open(path, "r:gz") as archive:
            archive.next()  # reads the first header only: cheap, catches gzip-but-not-tar
    except (tarfile.TarError, EOFError, gzip.BadGzipFile) as exc:
        raise InvalidInput(f"model path {path} is not a readable .tar.gz: {exc}") from None
    except OSError as exc:
        raise InvalidInput(f"model path {path} cannot be read: {exc.strerror or exc}") from None
    return digest.hexdigest()


def _compressobj() -> tuple[str, Callable[[bytes], bytes], Callable[[], bytes]]:
    """(library, compress, flush) of a gzip-format deflate stream (wbits 31: header mtime 0)."""
    try:
        from isal import isal_zlib as library  # ISA-L: ~14x zlib's speed on weights, same ratio
    except ImportError:  # no wheel for this platform: the stdlib zlib still makes a valid .tar.gz
        import zlib as library  # type: ignore[no-redef]
    engine = library.compressobj(GZIP_LEVEL, library.DEFLATED, 31)
    return library.__name__, engine.compress, engine.flush


class GzipSink:
    """tar's output stream: compresses into the sink, counting what tar wrote (tarfile asks tell())."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.offset = 0
        _, self._compress, self._flush = _compressobj()

    def write(self, data: bytes) -> int:
        self.offset += len(data)
        packed = self._compress(data)
        if packed:
            self.sink.write(packed)
        return len(data)

    def tell(self) -> int:
        return self.offset

    def close(self) -> None:
        self.sink.write(self._flush())


class _HashingReader:
    """A file as tar reads it: hashed and counted on the way."""

    def __init__(self, raw: object, digest: hashlib._Hash, advance: Callable[[int], None] | None) -> None:
        self.raw = raw
        self.digest = digest
        self.advance = advance

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.raw.read(size)  # type: ignore[attr-defined]
        self.digest.update(data)
        if self.advance is not None and data:
            self.advance(len(data))
        return data


def write_archive(
    model: LocalModel,
    sink: Sink,
    expected: str,
    advance: Callable[[int], None] | None = None,
    marks: list[str] | None = None,
) -> None:
    """Write the model as a .tar.gz into `sink` in one pass, re-hashing what is read.

    `expected` is the model's input_digest, computed before (the bytes are then read
    from the page cache), and `marks` what that pass noted after each entry. A file
    that changed since (different bytes, or a different size) raises InvalidInput
    naming it, once it has been read (without `marks`: at the end, naming the model):
    the caller must discard what `sink` received. `advance(n)` reports input bytes read.
    """
    if model.kind == "archive":
        raise ValueError("an archive is uploaded as is, not packed")
    if marks is not None and len(marks) != len(model.entries):
        raise ValueError("marks come from input_digest of this same listing")
    zipped = GzipSink(sink)
    with tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as archive:  # type: ignore[call-overload]
        archive.copybufsize = _CHUNK
        append_model(archive, model, expected, advance, marks)
    zipped.close()


def append_model(
    archive: tarfile.TarFile,
    model: LocalModel,
    expected: str,
    advance: Callable[[int], None] | None = None,
    marks: list[str] | None = None,
    prefix: str = "",
) -> None:
    """Add a listed model's entries to `archive` (names under `prefix`, e.g. "code/"),
    re-hashing what is read: InvalidInput naming what changed since input_digest gave
    `expected` (see write_archive). The digest is of the names without the prefix: the
    same files hash the same wherever they are put."""
    digest = hashlib.sha256(DIGEST_SCHEME)
    for index, entry in enumerate(model.entries):
        digest.update(_entry_header(entry))
        _add(archive, entry, digest, advance, prefix)
        if marks is not None and entry.source is not None and digest.copy().hexdigest() != marks[index]:
            raise _changed(entry.source)
    if digest.hexdigest() != expected:
        raise _changed(model.path)


def _tarinfo(entry: _Entry, prefix: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(prefix + entry.name)
    info.mtime = FIXED_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = _mode(entry)
    if entry.source is None:
        info.type = tarfile.DIRTYPE
    else:
        info.type = tarfile.REGTYPE
        info.size = entry.size
    return info


def _add(
    archive: tarfile.TarFile,
    entry: _Entry,
    digest: hashlib._Hash,
    advance: Callable[[int], None] | None,
    prefix: str = "",
) -> None:
    if entry.source is None:
        archive.addfile(_tarinfo(entry, prefix))
        return
    try:
        with entry.source.open("rb") as stream:
            archive.addfile(_tarinfo(entry, prefix), _HashingReader(stream, digest, advance))
            grew = stream.read(1)
    except OSError as exc:
        if "unexpected end of data" in str(exc):  # tarfile's words for a file that shrank
            raise _changed(entry.source) from None
        raise InvalidInput(f"cannot pack {entry.source}: {exc.strerror or exc}") from None
    if grew:
        raise _changed(entry.source)
