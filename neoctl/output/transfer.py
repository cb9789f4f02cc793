"""Progress of uploads and downloads on stderr, and the views of their results.

On a terminal: a Rich progress bar (bytes, speed, time left). Otherwise (CI logs,
pipes) nothing while it runs and one line when it has finished, so logs stay short.
Nothing is printed when the transfer fails: the error handler has the last word.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from neoctl.output.printer import Printer, escape

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.progress import Progress, TaskID

    from neoctl.models.contents import Reading


def human_size(size: int) -> str:
    """1234567 -> '1.2 MB' (decimal units, as S3 consoles and `ls -h --si` show)."""
    from rich.filesize import decimal

    return str(decimal(size))


# What a bar's other columns need at most: "999.9/999.9 MB" (17 with a comma), "999.9 MB/s",
# "0:00:00", a bar of 5 and the 4 spaces between the columns.
_NUMBERS_WIDTH = 17 + 10 + 7 + 5 + 4


class TransferProgress:
    """A progress reporter for one transfer; use as a context manager.

    `start()` and `advance()` may be called from s3transfer's worker threads.
    """

    def __init__(self, printer: Printer, description: str, done: str) -> None:
        """`description` labels the bar; `done` starts the final line (both plain text)."""
        self.console = printer.err_console
        self.description = description
        self.done = done
        self.total: int | None = None
        self.transferred = 0
        self.outcome = ""  # said after the sizes on the final line (a download: what was verified)
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._began = False
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> TransferProgress:
        return self

    def start(self, total: int | None) -> None:
        """The transfer begins with `total` bytes to expect (None: unknown).

        Nothing shows before this, so a transfer that is skipped prints nothing.
        """
        with self._lock:
            self.total = total
            self._began = True
            self._started = time.monotonic()
        if not self.console.is_terminal:
            return
        if self._bar is None:
            from rich.progress import BarColumn, DownloadColumn, TextColumn, TimeRemainingColumn, TransferSpeedColumn
            from rich.table import Column

            from neoctl.output.progress import ECHO_MARGIN, bar

            # The numbers stay whole on one line; a long description gives way (…) instead.
            room = max(10, self.console.width - ECHO_MARGIN - _NUMBERS_WIDTH)
            self._bar = bar(
                self.console,
                TextColumn(
                    "{task.description}", table_column=Column(no_wrap=True, overflow="ellipsis", max_width=room)
                ),
                BarColumn(),
                DownloadColumn(table_column=Column(no_wrap=True)),
                TransferSpeedColumn(table_column=Column(no_wrap=True)),
                TimeRemainingColumn(table_column=Column(no_wrap=True)),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task(escape(self.description), total=total)
        elif self._task is not None:
            self._bar.update(self._task, total=total, completed=0)

    def advance(self, amount: int) -> None:
        """`amount` more bytes (negative when s3transfer retries a part)."""
        with self._lock:
            self.transferred += amount
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, amount)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()
            return
        if kind is None and self._began:
            seconds = time.monotonic() - self._started
            outcome = f"; {escape(self.outcome)}" if self.outcome else ""
            self.console.print(
                f"{escape(self.done)} ({human_size(self.transferred)} in {seconds:.1f} s{outcome})",
                soft_wrap=True,
                highlight=False,
            )


def archive_reading(printer: Printer) -> Reading:
    """Progress for reading a model .tar.gz whole to list it (neoctl.models.contents.Reading):
    a bar on a terminal (a 4 GB archive takes ~15 s), nothing otherwise, so that what
    `validate` prints in a pipe or CI log does not change."""

    @contextmanager
    def reading(path: Path, size: int) -> Iterator[Callable[[int], None]]:
        if not printer.err_console.is_terminal:
            yield lambda _amount: None
            return
        with TransferProgress(printer, f"listing {path}", f"listed {path}") as progress:
            progress.start(size)
            yield progress.advance

    return reading


def download_view(result: dict[str, Any]) -> RenderableType:
    """`neoctl download` as field/value lines: the S3 URI, paths and digest stay whole."""
    from rich.text import Text

    from neoctl.output.columns import KeyValues

    rows = []
    for field, value in result.items():
        shown = str(value)
        if field == "Size" and isinstance(value, int) and value >= 1000:
            shown = f"{human_size(value)} ({value} bytes)"
        elif field == "Size":
            shown = human_size(int(value))
        rows.append((field, Text(shown), True))
    return KeyValues(rows)


def verified_phrase(verified: str) -> str:
    """A download's Verified field as its final line says it: "md5 (ETag) verified", or
    "not verified: <why>" for "none: <why>"."""
    if verified.startswith("none: "):
        return "not verified: " + verified.removeprefix("none: ")
    return f"{verified} verified" if verified else ""


def upload_plan_message(plan: dict[str, Any], dry_run: bool = True) -> str:
    """One markup line saying what an upload plan sends where (for --dry-run)."""
    what = {"archive": "archive", "file": "model file, packed", "directory": "directory, packed"}
    verb = "would upload" if dry_run else "uploading"
    files = int(plan.get("Files", 1))
    count = "" if plan["Package"] == "archive" else f" in {files} file{'s' if files != 1 else ''}"
    return (
        f"{verb} {escape(plan['Source'])} ({what.get(plan['Package'], plan['Package'])}, "
        f"{human_size(int(plan['Size']))}{count}, input sha256 {escape(plan['Sha256'][:16])}…) "
        f"to {escape(plan['S3Uri'])}" + (" unless it is already there" if dry_run else "")
    )


def upload_skipped_message(plan: dict[str, Any]) -> str:
    """One markup line: the model is in S3 already."""
    return f"model already uploaded: {escape(plan['S3Uri'])} (same input sha256), not sending it again"
