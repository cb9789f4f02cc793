"""Where a download's bytes land: `<dest>.part`, created exclusively and never through a
symlink, private while it is written, then given the mode the umask gives a new file and
moved to `<dest>` once complete (over an existing file only when asked).

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


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows.

    os.umask() can only be read by setting it, which changes it for a moment for every
    thread (an extraction creating files meanwhile); Linux shows it in /proc/self/status.
    Elsewhere it is set to 0o077 for that moment: anything created then is more private,
    never less.
    """
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def published_mode() -> int:
    """The mode a new file gets here (0o666 less the umask), as `aws s3 cp` and curl give it:
    the `.part` is private (0600) while it is written, the finished file is not."""
    return 0o666 & ~current_umask()


def publish(fd: int, mode: int) -> None:
    """Give the complete `.part` open at `fd` its final `mode`, just before it is moved into
    place (through the descriptor: a name could have been swapped for a symlink meanwhile)."""
    if hasattr(os, "fchmod"):  # not on Windows before 3.13, where modes mean little anyway
        os.fchmod(fd, mode)


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
