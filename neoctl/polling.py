"""What waiting on compilation jobs means, as plain functions: when to stop polling,
which exit code the outcome gets, how long to sleep between polls."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from neoctl.errors import EXIT_JOB_FAILED, EXIT_OK

TERMINAL = frozenset({"COMPLETED", "FAILED", "STOPPED"})


@dataclass
class JobView:
    """What the waiter knows of one job."""

    name: str
    status: str = "UNKNOWN"
    failure_reason: str | None = None
    changed_at: float = 0.0  # monotonic time of the last status change seen


ENDPOINT_DONE = frozenset({"InService", "Failed"})


@dataclass
class WaitState:
    """Everything waited on; which statuses end the wait, and which of those are failures."""

    jobs: dict[str, JobView] = field(default_factory=dict)
    terminal: frozenset[str] = TERMINAL
    bad: frozenset[str] = frozenset({"FAILED", "STOPPED"})

    @classmethod
    def of(cls, names: list[str], stopped_ok: bool = False) -> WaitState:
        """Compilation jobs, nothing known yet; after `stop`, STOPPED counts as success."""
        bad = frozenset({"FAILED"}) if stopped_ok else frozenset({"FAILED", "STOPPED"})
        return cls({n: JobView(n) for n in dict.fromkeys(names)}, TERMINAL, bad)

    @classmethod
    def endpoint(cls, name: str) -> WaitState:
        """An endpoint being updated: InService ends it well, Failed badly."""
        return cls({name: JobView(name)}, ENDPOINT_DONE, frozenset({"Failed"}))

    def apply(self, statuses: dict[str, str], now: float) -> list[JobView]:
        """Record new statuses; the jobs whose status changed."""
        changed = []
        for name, status in statuses.items():
            job = self.jobs.get(name)
            if job is not None and job.status != status:
                job.status, job.changed_at = status, now
                changed.append(job)
        return changed

    def pending(self) -> list[str]:
        """Names of jobs not finished yet."""
        return [j.name for j in self.jobs.values() if j.status not in self.terminal]

    def done(self) -> bool:
        """True when every job has finished."""
        return not self.pending()

    def failed(self) -> list[JobView]:
        """Jobs that ended in a way that makes the wait fail."""
        return [j for j in self.jobs.values() if j.status in self.bad]

    def exit_code(self) -> int:
        """0 when every job ended well, 1 when any failed (or was stopped)."""
        return EXIT_JOB_FAILED if self.failed() else EXIT_OK


def outcome(
    state: WaitState,
    reasons: dict[str, str | None],
    logs: dict[str, list[str]],
    before: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The result rows of a wait: name, final status, and for failures reason and log tail.

    `before` holds the rows the command printed first (what `create` or `stop` did): the
    outcome is merged into them, so the command prints one result (one JSON document).
    """
    rows = []
    for job in state.jobs.values():
        row: dict[str, Any] = {"CompilationJobName": job.name, "CompilationJobStatus": job.status}
        if reasons.get(job.name):
            row["FailureReason"] = reasons[job.name]
        if logs.get(job.name):
            row["LastLogLines"] = logs[job.name]
        rows.append(row)
    if not before:
        return rows
    final = {r["CompilationJobName"]: r for r in rows}
    return [b | final.get(b["CompilationJobName"], {}) for b in before]


def next_delay(base: float, quiet_polls: int, throttled: bool, rng: random.Random | None = None) -> float:
    """Seconds to sleep before the next poll.

    Grows while nothing changes (up to 4× the base) and doubles after throttling (up
    to 8×), with ±20 % jitter so that many waiters never poll in lockstep.
    """
    rng = rng or random.Random()  # noqa: S311 - jitter, not security
    factor = min(4.0, 1.5**quiet_polls)
    if throttled:
        factor = min(8.0, factor * 2)
        base = max(base, 1.0)  # however short --poll is, throttling gets room
    return base * factor * rng.uniform(0.8, 1.2)


def common_fragment(names: list[str]) -> str:
    """The longest substring shared by all names (for ListCompilationJobs NameContains)."""
    if not names:
        return ""
    shortest = min(names, key=len)
    for size in range(len(shortest), 0, -1):
        for start in range(len(shortest) - size + 1):
            piece = shortest[start : start + size]
            if all(piece in n for n in names):
                return piece
    return ""


class Poller(Protocol):
    """What the wait loop needs from the API layer."""

    def poll(self, pending: list[str]) -> dict[str, str]: ...


class View(Protocol):
    """What the wait loop tells the output layer."""

    def changed(self, job: JobView, state: WaitState) -> None: ...

    def tick(self, state: WaitState) -> None: ...


class TimedOut(Exception):
    """The --timeout elapsed with jobs still running."""


def run_wait(
    poller: Poller,
    state: WaitState,
    view: View,
    *,
    timeout: float | None,
    poll: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    throttled: Callable[[BaseException], bool] = lambda exc: False,
) -> WaitState:
    """Poll until every job has finished; TimedOut when `timeout` seconds pass first."""
    start = clock()
    quiet = 0
    while True:
        was_throttled = False
        try:
            changed = state.apply(poller.poll(state.pending()), clock() - start)
        except Exception as exc:
            if not throttled(exc):
                raise
            changed, was_throttled = [], True  # ride it out: back off and poll again
        for job in changed:
            view.changed(job, state)
        view.tick(state)
        if state.done():
            return state
        quiet = 0 if changed else quiet + 1
        delay = next_delay(poll, quiet, was_throttled)
        if timeout is not None:
            left = timeout - (clock() - start)
            if left <= 0:
                raise TimedOut
            delay = min(delay, left)
        sleep(delay)
