"""Standard streams that a shell closed (`>&-`, `<&-`, `2>&-`) before neoctl started.

Python sets sys.stdin/stdout/stderr to None when their descriptor is closed at start,
and the next file neoctl opens would take that descriptor number: a later write "to
stderr" could land in a downloaded file, and Rich and Click fall back to stdout for
messages. So each closed descriptor is pointed at /dev/null first, then:

- stdin closed: commands work as with `< /dev/null`; `-f -` says stdin is closed;
- stdout closed: sys.stdout stays None, and printing a result ends with exit 141, as
  when the reader of a pipe has left (the result has nowhere to go);
- stderr closed: messages are dropped (they never move to stdout, which may be JSON).
"""

from __future__ import annotations

import os
import sys

_closed: set[int] = set()


def guard() -> None:
    """Fill closed descriptors 0-2 with /dev/null and give Python a stream for 0 and 2."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            _closed.add(fd)
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if 0 in _closed and sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if 2 in _closed and sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - as above


def stdin_closed() -> bool:
    """Whether standard input was closed when neoctl started (`<&-`)."""
    return 0 in _closed or sys.stdin is None


def stdout_closed() -> bool:
    """Whether standard output was closed when neoctl started (`>&-`)."""
    return 1 in _closed or sys.stdout is None
