"""The live view of an endpoint deployment under a traffic policy (`--wait` of deploy,
endpoint update and rollback, and `endpoint wait`).

On stderr, as every wait's progress: on a terminal a few lines redrawn as the clock runs —
the phase with the time left of a bake, the traffic on each fleet when it is known, and
each alarm's state — shrinking to its title line when the wait ends (the result or the
error that follows says how it ended); elsewhere one line each time the phase, the step
or an alarm's state changes, for CI logs.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from types import TracebackType

from rich.console import Console, ConsoleOptions, RenderResult
from rich.live import Live
from rich.text import Text

from neoctl.output.columns import KeyValues, WordWrap
from neoctl.output.jobs import human_seconds
from neoctl.output.printer import Printer
from neoctl.waitstate import DeploymentProgress, JobView, WaitState

ALARM_STYLE = {"OK": "green", "ALARM": "bold red", "INSUFFICIENT_DATA": "yellow"}


def _span(seconds: float) -> str:
    whole = max(0, int(seconds))
    minutes, secs = divmod(whole, 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def title(progress: DeploymentProgress, elapsed: float, *, ended: bool = False) -> Text:
    """ "endpoint prod: canary deployment of prod-v2, 1m05s"; once it ended, how (the phase)."""
    what = f"{progress.policy} deployment of {progress.target}" if progress.target else "update"
    head = f"endpoint {progress.endpoint}: {what}, {human_seconds(elapsed)}"
    return Text(f"{head}: {progress.phase}" if ended else head)


def phase_text(progress: DeploymentProgress, left: float | None = None) -> Text:
    """The phase, with the time left of a bake."""
    text = Text(progress.phase, style="bold" if progress.status == "RollingBack" else "")
    if progress.status == "RollingBack":
        text.stylize("yellow")
    remaining = progress.bake_left if left is None else left
    if remaining is not None:
        text.append(f", {_span(remaining)} left")
    return text


def traffic_text(progress: DeploymentProgress) -> Text | None:
    """ "new fleet 25%, old fleet 75%", or None when it is not known."""
    if progress.new_share is None:
        return None
    new = round(progress.new_share * 100)
    return Text(f"new fleet {new}%, old fleet {100 - new}%")


def alarms_text(progress: DeploymentProgress) -> Text | None:
    """Each alarm and its state; None without alarms."""
    if not progress.alarms:
        return None
    text = Text()
    for index, (name, state) in enumerate(progress.alarms.items()):
        if index:
            text.append(", ")
        text.append(f"{name} ")
        text.append(state, style=ALARM_STYLE.get(state, ""))
    return text


def progress_lines(progress: DeploymentProgress, left: float | None = None) -> KeyValues:
    """The phase, traffic and alarms as field/value lines."""
    rows = [("phase", phase_text(progress, left), False)]
    if progress.serving and progress.serving != progress.target:
        rows.append(("serving", Text(progress.serving), True))
    if (shares := traffic_text(progress)) is not None:
        rows.append(("traffic", shares, False))
    if (alarms := alarms_text(progress)) is not None:
        rows.append(("alarms", alarms, False))
    return KeyValues(rows, field_style="dim", gap=3)


def progress_line(progress: DeploymentProgress) -> Text:
    """One line for a log: "prod Updating: baking the canary, 4 min 12 s left; new fleet 25%,
    old fleet 75%; alarms errors OK"."""
    line = Text(f"{progress.endpoint} {progress.status}: ")
    line.append_text(phase_text(progress))
    if (shares := traffic_text(progress)) is not None:
        line.append("; ").append_text(shares)
    if (alarms := alarms_text(progress)) is not None:
        line.append("; alarms ").append_text(alarms)
    return line


class _Live:
    """Built at each refresh, so elapsed time and a bake's time left run between polls."""

    def __init__(self, current: Callable[[], DeploymentProgress], started: float) -> None:
        self.current, self.started = current, started
        self.polled = started
        self.seen = False
        self.collapsed = False

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.seen:
            return
        progress = self.current()
        now = time.monotonic()
        heading = title(progress, now - self.started, ended=self.collapsed)
        yield WordWrap(Text.assemble(heading, style="table.title"))
        if self.collapsed:
            return
        left = progress.bake_left - (now - self.polled) if progress.bake_left is not None else None
        yield progress_lines(progress, max(0.0, left) if left is not None else None)


class DeploymentView:
    """The wait loop's view (neoctl.polling.View) of one endpoint deployment; use it as a
    context manager around the loop. `current` gives the latest progress."""

    def __init__(self, printer: Printer, current: Callable[[], DeploymentProgress]) -> None:
        self.console = printer.err_console
        self.current = current
        self.started = time.monotonic()
        self.live_view = _Live(current, self.started)
        self.live: Live | None = None

    def __enter__(self) -> DeploymentView:
        if self.console.is_terminal:
            self.live = Live(self.live_view, console=self.console, refresh_per_second=4, transient=False)
            self.live.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        from neoctl.polling import TimedOut

        if self.live is not None:
            # Ended (or timed out): the result or error that follows says how; after Ctrl-C
            # or an error the last progress known stays.
            if kind is None or issubclass(kind, TimedOut):
                self.live_view.collapsed = True
            self.live.__exit__(kind, exc, tb)

    def changed(self, job: JobView, state: WaitState) -> None:
        """The phase, step or an alarm changed: one line when not on a terminal."""
        if self.live is None:
            stamp = dt.datetime.now(dt.UTC).strftime("%H:%M:%SZ")
            line = Text(f"{stamp} ")
            line.append_text(progress_line(self.current()))
            self.console.print(line, soft_wrap=True)

    def tick(self, state: WaitState) -> None:
        """A poll: the live lines show it from their next refresh."""
        if self.live is not None:
            self.live_view.seen = True
            self.live_view.polled = time.monotonic()
            self.live.refresh()


class _Quiet:
    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def changed(self, job: JobView, state: WaitState) -> None:
        """Nothing to show (library callers)."""

    def tick(self, state: WaitState) -> None:
        """Nothing to show (library callers)."""


def deployment_view(out: Printer | None, current: Callable[[], DeploymentProgress]) -> DeploymentView | _Quiet:
    """The live view of a deployment on `out`'s stderr, or none for library callers."""
    return _Quiet() if out is None else DeploymentView(out, current)
