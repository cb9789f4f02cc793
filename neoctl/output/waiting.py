"""Progress while waiting, and the result of a wait.

Progress goes to stderr, so stdout keeps only the final result (CI logs stay readable
and `-o json` stays parseable): on a terminal a live table (each job's status and
elapsed time, the overall count in its title), redrawn as the clock runs; otherwise
one line per status change.
"""

from __future__ import annotations

import datetime as dt
import time
from types import TracebackType
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.live import Live
from rich.text import Text

from neoctl.output.columns import Col, FittedTable, WordWrap
from neoctl.output.jobs import hint_text, human_seconds, status_text
from neoctl.output.printer import Printer
from neoctl.waitstate import JobView, WaitState


class QuietView:
    """No progress at all (library callers)."""

    def __enter__(self) -> QuietView:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def changed(self, job: JobView, state: WaitState) -> None:
        """Nothing to show."""

    def tick(self, state: WaitState) -> None:
        """Nothing to show."""


class _LiveTable:
    """Built at each refresh (4 per second), so elapsed times run between polls."""

    def __init__(self, title: str, started: float) -> None:
        self.title, self.started = title, started
        self.state: WaitState | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.state is not None:
            yield progress_table(self.state, self.title, time.monotonic() - self.started)


def progress_table(state: WaitState, title: str, now: float) -> FittedTable:
    """Each job's status and elapsed time (frozen when it finished); `now` is seconds into the wait.
    Job names stay whole; the elapsed column gives way on a narrow terminal."""
    done = len(state.jobs) - len(state.pending())
    failed = len(state.failed())
    summary = f"{done}/{len(state.jobs)} finished" + (f", {failed} failed" if failed else "")
    columns = (Col("Job", identifier=True), Col("Status"), Col("Elapsed", gives_way=1, justify="right"))
    rows = []
    for job in state.jobs.values():
        until = job.finished_at if job.finished_at is not None else now
        rows.append((Text(job.name), status_text(job.status), Text(human_seconds(until))))
    return FittedTable(columns, rows, title=f"{title}: {summary}, {human_seconds(now)}")


class WaitView:
    """The waiter's view; use as a context manager around the wait loop."""

    def __init__(self, printer: Printer, title: str = "waiting") -> None:
        self.console = printer.err_console
        self.started = time.monotonic()
        self.table = _LiveTable(title, self.started)
        self.live: Live | None = None

    def __enter__(self) -> WaitView:
        if self.console.is_terminal:
            self.live = Live(self.table, console=self.console, refresh_per_second=4, transient=False)
            self.live.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
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
        """New statuses: the live table shows them from its next refresh."""
        if self.live is not None:
            self.table.state = state
            self.live.refresh()


def progress_view(out: Printer | None, title: str) -> QuietView | WaitView:
    """The live view of a wait on `out`'s stderr, or none for library callers: what the
    caller of the wait loop (neoctl.polling.run_wait) hands it as its view."""
    return QuietView() if out is None else WaitView(out, title)


def outcome_view(rows: list[dict[str, Any]]) -> RenderableType:
    """The result of a wait. All well: one summary line and each job's compiled model (what
    the next command needs). Otherwise the table, failure reasons and log tails under it."""
    statuses = {row["CompilationJobStatus"] for row in rows}
    if statuses <= {"COMPLETED", "STOPPED"} and not any(row.get("FailureReason") for row in rows):
        counts = ", ".join(f"{sum(r['CompilationJobStatus'] == s for r in rows)} {s}" for s in sorted(statuses))
        lines: list[RenderableType] = [Text(f"{len(rows)} job(s) finished: {counts}")]
        width = max(len(row["CompilationJobName"]) for row in rows)
        for row in rows:
            where = row.get("S3ModelArtifacts") or row["CompilationJobStatus"]
            lines.append(Text(f"{row['CompilationJobName']:<{width}}  {where}", no_wrap=True, overflow="ignore"))
        return Group(*lines)
    columns = (
        Col("Job", identifier=True),
        Col("Status"),
        Col("FailureReason / compiled model", gives_way=1, min_width=20, overflow="fold"),
    )
    cells = []
    details: list[RenderableType] = []
    extra: list[RenderableType] = []
    for row in rows:
        detail = row.get("FailureReason") or row.get("S3ModelArtifacts", "")
        style = "red" if row.get("FailureReason") else ""
        cells.append(
            (Text(row["CompilationJobName"]), status_text(row["CompilationJobStatus"]), Text(detail, style=style))
        )
        details.append(WordWrap(Text(f"{row['CompilationJobName']}: {detail}", style=style)))
        if row.get("Hint"):
            extra.append(WordWrap(hint_text(row["Hint"], f"hint for {row['CompilationJobName']}")))
        if row.get("LastLogLines"):
            extra.append(Text(f"last log lines of {row['CompilationJobName']}:", style="bold"))
            extra.extend(Text("  " + line) for line in row["LastLogLines"])
    table = FittedTable(columns, cells, title="result", notes={"FailureReason / compiled model": details})
    return Group(table, *extra)
