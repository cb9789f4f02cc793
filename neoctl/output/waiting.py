"""Progress while waiting, and the result of a wait.

Progress goes to stderr, so stdout keeps only the final result (CI logs stay readable
and `-o json` stays parseable): on a terminal a live table (each job's status and
elapsed time, the overall count in its title), redrawn as the clock runs; otherwise
one line per status change. When the wait ends (or times out), the live table shrinks to
its title line: the result printed next shows the statuses (on stdout, or in the error
line wherever stdout goes), so they are shown once.
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
    """Built at each refresh (4 per second), so elapsed times run between polls;
    `collapsed`: the title line only (the statuses are in the result printed after it)."""

    def __init__(self, title: str, started: float, column: str) -> None:
        self.title, self.started, self.column = title, started, column
        self.state: WaitState | None = None
        self.collapsed = False

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.state is not None:
            table = progress_table(self.state, self.title, time.monotonic() - self.started, self.column)
            if self.collapsed:
                yield WordWrap(Text(str(table.title), style="table.title"))
            else:
                yield table


def progress_table(state: WaitState, title: str, now: float, column: str = "Job") -> FittedTable:
    """Each job's (or endpoint's: `column` heads the names) status and elapsed time (frozen
    when it finished); `now` is seconds into the wait. Names stay whole; the elapsed
    column gives way on a narrow terminal."""
    done = len(state.jobs) - len(state.pending())
    failed = len(state.failed())
    summary = f"{done}/{len(state.jobs)} finished" + (f", {failed} failed" if failed else "")
    columns = (Col(column, identifier=True), Col("Status"), Col("Elapsed", gives_way=1, justify="right"))
    rows = []
    for job in state.jobs.values():
        until = job.finished_at if job.finished_at is not None else now
        rows.append((Text(job.name), status_text(job.status), Text(human_seconds(until))))
    return FittedTable(columns, rows, title=f"{title}: {summary}, {human_seconds(now)}", tell_hidden=False)


class WaitView:
    """The waiter's view; use as a context manager around the wait loop."""

    def __init__(self, printer: Printer, title: str = "waiting", column: str = "Job") -> None:
        self.console = printer.err_console
        self.started = time.monotonic()
        self.table = _LiveTable(title, self.started, column)
        self.live: Live | None = None

    def __enter__(self) -> WaitView:
        if self.console.is_terminal:
            self.live = Live(self.table, console=self.console, refresh_per_second=4, transient=False)
            self.live.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        from neoctl.polling import TimedOut

        if self.live is not None:
            # The wait ended (or timed out) and its result follows: the live table's last
            # drawing becomes its title line. After Ctrl-C or an error no statuses follow:
            # the table stays, the last ones known.
            if kind is None or issubclass(kind, TimedOut):
                self.table.collapsed = True
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


def progress_view(out: Printer | None, title: str, column: str = "Job") -> QuietView | WaitView:
    """The live view of a wait on `out`'s stderr, or none for library callers: what the
    caller of the wait loop (neoctl.polling.run_wait) hands it as its view. `column`
    heads the names ("Endpoint" when waiting for one)."""
    return QuietView() if out is None else WaitView(out, title, column)


def outcome_view(rows: list[dict[str, Any]]) -> RenderableType:
    """The result of a wait. All well: one summary line and each job's compiled model (what
    the next command needs). Otherwise the table (no title: its first line is the table's
    own), each failed job's last log lines, whole (a terminal wraps a long line; a pipe
    keeps it for grep), then one hint per distinct hint, naming the jobs it applies to."""
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
    logs: list[RenderableType] = []
    hinted: dict[tuple[str, str], list[str]] = {}  # (meaning, action) → the jobs it applies to
    hints: dict[tuple[str, str], dict[str, str]] = {}
    for row in rows:
        name = row["CompilationJobName"]
        detail = row.get("FailureReason") or row.get("S3ModelArtifacts", "")
        style = "red" if row.get("FailureReason") else ""
        cells.append((Text(name), status_text(row["CompilationJobStatus"]), Text(detail, style=style)))
        details.append(WordWrap(Text(f"{name}: {detail}", style=style)))
        if row.get("Hint"):
            key = (row["Hint"]["Meaning"], row["Hint"]["Action"])
            hinted.setdefault(key, []).append(name)
            hints[key] = row["Hint"]
        if row.get("LastLogLines"):
            logs.append(Text(f"last log lines of {name}:", style="bold"))
            logs.extend(Text("  " + line, no_wrap=True, overflow="ignore") for line in row["LastLogLines"])
    table = FittedTable(columns, cells, notes={"FailureReason / compiled model": details})
    notes = [WordWrap(hint_text(hints[key], f"hint for {', '.join(names)}")) for key, names in hinted.items()]
    return Group(table, *logs, *notes)  # what to do last, nearest the prompt
