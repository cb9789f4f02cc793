"""Progress bars on stderr: the one kind every bar is (`bar`), and a count of calls done
out of a total while a long batch runs (`stop`).

On a terminal: a Rich bar with done/total, removed when finished (the rows that follow
say what happened). Otherwise (CI logs, pipes) nothing: logs keep only the result.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

from neoctl.output.printer import Printer, escape

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, ProgressColumn, TaskID

# Columns a bar leaves free at the right. On Ctrl-C the terminal echoes "^C" where the
# cursor is, at the end of the bar's line: a bar as wide as the terminal (any bar at 80
# columns) makes that echo wrap onto a new line, and the bar's last redraw, which moves
# the cursor back to the start of what it believes is its line, then draws the bar a
# second time below the first. Two columns keep "^C" on the bar's line, where the redraw
# overwrites it.
ECHO_MARGIN = 2


def bar(console: Console, *columns: str | ProgressColumn, transient: bool) -> Progress:
    """A Rich Progress on `console`, ECHO_MARGIN columns narrower than the terminal."""
    from rich.constrain import Constrain
    from rich.progress import Progress

    class Margined(Progress):
        def get_renderable(self) -> Any:
            # `console`, not self.console: Live calls this before Progress has its `live`.
            return Constrain(super().get_renderable(), width=max(1, console.width - ECHO_MARGIN))

    return Margined(*columns, console=console, transient=transient)


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
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

            self._bar = bar(
                self.console,
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
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
