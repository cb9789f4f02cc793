"""glibc's malloc thresholds fixed for streaming transfers: flat memory, fewer page faults.

A streamed upload allocates and frees the same sizes again and again: 1 MiB reads, ~1 MiB
compressed pieces, 8 MiB parts. glibc's default thresholds move while it runs: the first
8 MiB buffer is mmapped, its free raises the mmap threshold to 8 MiB, and from then on
the buffers come from heaps whose free tops are given back to the kernel and faulted in
again (each fresh page costs ~1.6 ms per MiB on the project machine), and whose free lists
fragment between the two sizes. Peak RSS then grew ~6 MiB per GiB sent (113 MiB at
256 MiB, 124 MiB at 2 GiB, 40-55k minor faults per 256 MiB). With the thresholds fixed
above the part size and the trim threshold above a transfer's working set, the buffers
are reused: 111 MiB at 256 MiB, 116 MiB at 2 GiB, 25k faults (bench/RESULTS.md, case 10).

Only glibc is tuned (musl and macOS allocate differently and are left alone), once per
process, and not when the user already set these thresholds (MALLOC_MMAP_THRESHOLD_,
MALLOC_TRIM_THRESHOLD_ or a glibc.malloc tunable in GLIBC_TUNABLES).
"""

from __future__ import annotations

import os
import sys

MMAP_THRESHOLD = 16 * 1024 * 1024  # above the 8 MiB upload part (api/s3upload.PART_SIZE)
TRIM_THRESHOLD = 128 * 1024 * 1024  # above the ~64 MiB of buffers a transfer holds at most
_M_TRIM_THRESHOLD = -1  # glibc's malloc.h
_M_MMAP_THRESHOLD = -3
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")

_tuned = False


def is_glibc() -> bool:
    """Whether this process runs on glibc (Linux distributions but Alpine's musl)."""
    try:
        return bool(os.confstr("CS_GNU_LIBC_VERSION"))
    except (ValueError, OSError):  # the name is unknown outside glibc
        return False


def user_tuned() -> bool:
    """Whether the environment already sets malloc thresholds (the user's choice wins)."""
    return any(name in os.environ for name in _USER_SETTINGS) or "glibc.malloc." in os.environ.get("GLIBC_TUNABLES", "")


def steady_for_transfers() -> bool:
    """Fix glibc's mmap and trim thresholds (see the module docstring); True when they are."""
    global _tuned
    if _tuned:
        return True
    if not sys.platform.startswith("linux") or not is_glibc() or user_tuned():
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own libc
    except (OSError, AttributeError):
        return False
    _tuned = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1)
    return _tuned
