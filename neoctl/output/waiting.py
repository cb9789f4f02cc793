"""Progress while waiting: a live table on a terminal, one line per change otherwise.

Both go to stderr, so stdout keeps only the final result (CI logs stay readable and
`-o json` stays parseable).
"""

from __future__ import annotations

import datetime as dt
import time
from types import TracebackType
from typing import Any

from rich.live import Live
from rich.table import Table
from rich.text import Text

from neoctl.output.jobs import human_seconds, status_text
from neoctl.output.printer import Printer
from neoctl.polling import JobView, WaitState


class WaitView:
    """The waiter's view; use as a context manager around the wait loop."""

    def __init__(self, printer: Printer, title: str = "waiting") -> None:
        self.console = printer.err_console
        self.title = title
        self.started = time.monotonic()
        self.live: Live | None = None

    def __enter__(self) -> WaitView:
        if self.console.is_terminal:
            self.live = Live(console=self.console, refresh_per_second=4, transient=False)
            self.live.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.live is not None:
            self.live.__exit__(kind, exc, tb)

    def changed(self, job: JobView, state: WaitState) -> None:
        """A job's status changed: one plain line when not on a terminal."""
        if self.live is None:
            stamp = dt.datetime.now(dt.UTC).strftime("%H:%M:%SZ")
            line = Text(f"{stamp} {job.name} ")
            line.append_text(status_text(job.status))
            line.append(f" after {human_seconds(time.monotonic() - self.started)}")
            self.console.print(line, soft_wrap=True)

    def tick(self, state: WaitState) -> None:
        """Redraw the live table."""
        if self.live is not None:
            self.live.update(self._table(state))

    def _table(self, state: WaitState) -> Table:
        done = len(state.jobs) - len(state.pending())
        table = Table(
            title=f"{self.title}: {done}/{len(state.jobs)} finished, "
            f"{human_seconds(time.monotonic() - self.started)}",
            title_justify="left",
        )
        table.add_column("Job", overflow="fold")
        table.add_column("Status", no_wrap=True)
        table.add_column("Since", no_wrap=True)
        now = time.monotonic() - self.started
        for job in state.jobs.values():
            table.add_row(Text(job.name), status_text(job.status), human_seconds(now - job.changed_at))
        return table


def outcome_view(rows: list[dict[str, Any]]) -> Any:
    """The final table of a wait, failure reasons and log tails under their jobs."""
    from rich.console import Group

    table = Table(title="result", title_justify="left")
    table.add_column("Job", overflow="fold")
    table.add_column("Status", no_wrap=True)
    table.add_column("FailureReason", overflow="fold")
    extra = []
    for row in rows:
        table.add_row(
            Text(row["CompilationJobName"]),
            status_text(row["CompilationJobStatus"]),
            Text(row.get("FailureReason", ""), style="red"),
        )
        if row.get("LastLogLines"):
            extra.append(Text(f"last log lines of {row['CompilationJobName']}:", style="bold"))
            extra.extend(Text("  " + line) for line in row["LastLogLines"])
    return Group(table, *extra)
