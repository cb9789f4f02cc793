"""Where a download's bytes land: `<dest>.part`, created exclusively and never through a
symlink, then moved to `<dest>` once complete (over an existing file only when asked).

Shared by both downloads (neoctl.api.s3download's stream and neoctl.api.s3ranges'
parallel ranges), below them both so that neither imports the other for it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from neoctl.errors import InvalidInput

_PART_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _exists_error(dest: Path) -> InvalidInput:
    return InvalidInput(f"{dest} already exists; nothing was downloaded", "pass --force to replace it")


def check_destination(dest: Path, overwrite: bool) -> None:
    """InvalidInput, before any request, when `dest` is a directory, or exists and not `overwrite`."""
    if dest.is_dir() and not dest.is_symlink():
        raise InvalidInput(f"{dest} is a directory; nothing was downloaded", "move it, or download to another --to")
    if not overwrite and os.path.lexists(dest):
        raise _exists_error(dest)


def open_part(part: Path, *, readable: bool = False) -> int:
    """A new `.part` of our own (mode 0600): O_EXCL never opens what is there, symlinks included.

    A regular `.part` left by a run killed hard (SIGKILL, power loss) is removed first;
    removing a name never touches the file another link points to. Anything else
    (a symlink, a directory, a FIFO) is refused.
    """
    flags = (_PART_FLAGS & ~os.O_WRONLY) | os.O_RDWR if readable else _PART_FLAGS
    try:
        return os.open(part, flags, 0o600)
    except FileExistsError:
        pass
    try:
        mode = os.lstat(part).st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG  # gone meanwhile: try again
    if not stat.S_ISREG(mode):
        raise InvalidInput(
            f"{part} exists and is not a regular file (a symlink?); nothing was downloaded",
            "remove it, or download to another --to directory",
        )
    part.unlink(missing_ok=True)
    try:
        return os.open(part, flags, 0o600)
    except FileExistsError:
        raise InvalidInput(
            f"{part} was created again by someone else; nothing was downloaded",
            "download to a directory only you can write to",
        ) from None


def move_into_place(part: Path, dest: Path, overwrite: bool) -> None:
    """The complete file under its name: replacing `dest` atomically only when `overwrite`;
    otherwise a hard link, which fails rather than replace a file that appeared meanwhile."""
    if overwrite:
        os.replace(part, dest)
        return
    try:
        os.link(part, dest)
    except FileExistsError:
        raise _exists_error(dest) from None
    except OSError:  # no hard links on this file system (FAT, some network mounts)
        if os.path.lexists(dest):
            raise _exists_error(dest) from None
        os.replace(part, dest)
        return
    part.unlink()
