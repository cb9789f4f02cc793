"""Measuring whole processes: wall time and peak RSS of one command, and statistics.

Peak RSS is ru_maxrss of the command's process as its parent's wait4 sees it (KiB on
Linux), and that parent must be small: Linux folds into ru_maxrss the RSS of the address
space a process leaves at exec(), and a child that this harness vforks would leave the
harness's own (with the emulator and its jobs: 100+ MiB). So each command runs under
`/usr/bin/time -f %M` (a ~1 MiB C program) or, where that is missing, under
bench/rusage_exec.py (a bare interpreter, ~9 MiB, below any Python CLI's peak).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Run:
    wall: float  # seconds, from spawn to reap
    rss_kib: int  # peak resident set size of the process tree
    rc: int


class CommandFailed(RuntimeError):
    pass


# BENCH_NO_TIME=1 forces the fallback, to check it where /usr/bin/time exists.
TIME = Path("/nonexistent" if os.environ.get("BENCH_NO_TIME") else "/usr/bin/time")
WRAPPER = Path(__file__).with_name("rusage_exec.py")


def method() -> str:
    """How peak RSS is measured on this machine."""
    if TIME.exists():
        return "/usr/bin/time -f %M (peak RSS); wall from spawn to exit, perf_counter"
    return "bench/rusage_exec.py (os.wait4 of a forked child); wall inside it"


def run_once(
    argv: Sequence[str],
    env: dict[str, str],
    *,
    stdout: Path | None = None,
    stderr: Path | None = None,
    cwd: Path | None = None,
    check: bool = True,
) -> Run:
    """Run argv once; stdout/stderr go to the given files (else /dev/null)."""
    fd, name = tempfile.mkstemp(prefix="rusage-", suffix=".txt")
    os.close(fd)
    report = Path(name)
    if TIME.exists():
        wrapped = [str(TIME), "-f", "%M", "-o", str(report), *argv]
    else:
        wrapped = [sys.executable, str(WRAPPER), str(report), *argv]
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    err = open(stderr, "wb") if stderr else subprocess.DEVNULL  # noqa: SIM115
    try:
        start = time.perf_counter()
        rc = subprocess.call(wrapped, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd)
        wall = time.perf_counter() - start
        fields = report.read_text().split()
    finally:
        for handle in (out, err):
            if handle is not subprocess.DEVNULL:
                handle.close()  # type: ignore[union-attr]
        report.unlink(missing_ok=True)
    # /usr/bin/time writes "Command exited with non-zero status N" before the number.
    rss = int(fields[-1]) if fields and fields[-1].isdigit() else 0
    if not TIME.exists() and len(fields) >= 2:
        wall = float(fields[0])
    run = Run(wall, rss, rc)
    if check and run.rc != 0:
        detail = stderr.read_text(errors="replace")[-2000:] if stderr and stderr.exists() else ""
        raise CommandFailed(f"exit {run.rc}: {' '.join(argv)}\n{detail}")
    return run


@dataclass
class Series:
    """Repeated runs of one command."""

    label: str
    runs: list[Run] = field(default_factory=list)

    @property
    def walls(self) -> list[float]:
        return [r.wall for r in self.runs]

    @property
    def rss(self) -> list[int]:
        return [r.rss_kib for r in self.runs]

    def wall_median(self) -> float:
        return statistics.median(self.walls)

    def rss_median(self) -> float:
        return statistics.median(self.rss)

    def wall_text(self) -> str:
        w = self.walls
        return f"{ms(statistics.median(w))} ({ms(min(w))}–{ms(max(w))})"

    def rss_text(self) -> str:
        r = self.rss
        return f"{mib(statistics.median(r))} ({mib(min(r))}–{mib(max(r))})"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.2f} s"


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


Step = Callable[[int], Run]


def alternate(steps: dict[str, Step], reps: int, warmup: int = 1) -> dict[str, Series]:
    """Run each step `warmup` times unmeasured, then `reps` times, alternating the order
    (A B C, C B A, A B C, ...) so that drift in the machine's speed hits every tool alike.
    A step gets the repetition index (negative for warm-up runs)."""
    names = list(steps)
    for i in range(warmup):
        for name in names:
            steps[name](-1 - i)
    series = {name: Series(name) for name in names}
    for rep in range(reps):
        order = names if rep % 2 == 0 else list(reversed(names))
        for name in order:
            series[name].runs.append(steps[name](rep))
    return series
