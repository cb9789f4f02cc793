"""A count of calls done out of a total, on stderr while a long batch runs (`stop`).

On a terminal: a Rich bar with done/total, removed when finished (the rows that follow
say what happened). Otherwise (CI logs, pipes) nothing: logs keep only the result.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from neoctl.output.printer import Printer, escape

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class CountProgress:
    """Progress of `total` calls; `advance()` after each. Use as a context manager."""

    def __init__(self, printer: Printer, description: str, total: int) -> None:
        self.console = printer.err_console
        self.description = description
        self.total = total
        self.done = 0
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> CountProgress:
        # A handful of calls answer before a bar could be read: show none for them.
        if self.console.is_terminal and self.total > 1:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(escape(self.description), total=self.total)
        return self

    def advance(self) -> None:
        """One more call answered."""
        self.done += 1
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()
