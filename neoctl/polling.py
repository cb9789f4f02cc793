"""The wait loop shared by `wait`, `create --wait`, `stop --wait` and `endpoint update --wait`:
poll until every watched thing has reached a final status, back off while nothing
changes and when throttled, stop at --timeout. Plain functions; the caller supplies
the poller (API calls), the statuses that end the wait, and the view (output)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from neoctl.errors import EXIT_JOB_FAILED, EXIT_OK

if TYPE_CHECKING:
    from neoctl.output import Printer

DEFAULT_POLL = 15.0


@dataclass(frozen=True)
class Waiting:
    """--timeout and --poll, checked before any request is sent."""

    timeout: float | None = None
    poll: float = DEFAULT_POLL
    timeout_text: str | None = None


def waiting(timeout: str | None, poll: str) -> Waiting:
    """Parse --timeout/--poll (InvalidInput, exit 252, before anything is sent)."""
    from neoctl.flags import MIN_POLL, duration_flag

    return Waiting(duration_flag(timeout, "--timeout"), duration_flag(poll, "--poll", MIN_POLL) or MIN_POLL, timeout)


@dataclass
class JobView:
    """What the waiter knows of one watched thing (a job, an endpoint)."""

    name: str
    status: str = "UNKNOWN"
    failure_reason: str | None = None
    changed_at: float = 0.0  # seconds into the wait of the last status change seen
    finished_at: float | None = None  # seconds into the wait when a final status was first seen


@dataclass
class WaitState:
    """Everything waited on; which statuses end the wait, and which of those are failures."""

    terminal: frozenset[str]
    bad: frozenset[str]
    jobs: dict[str, JobView] = field(default_factory=dict)

    @classmethod
    def watching(cls, names: list[str], terminal: frozenset[str], bad: frozenset[str]) -> WaitState:
        """`names` (duplicates once), nothing known of them yet."""
        return cls(terminal, bad, {n: JobView(n) for n in dict.fromkeys(names)})

    def apply(self, statuses: dict[str, str], now: float) -> list[JobView]:
        """Record new statuses; the jobs whose status changed."""
        changed = []
        for name, status in statuses.items():
            job = self.jobs.get(name)
            if job is not None and job.status != status:
                job.status, job.changed_at = status, now
                if status in self.terminal and job.finished_at is None:
                    job.finished_at = now
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
    """Poll until everything watched has finished; TimedOut when `timeout` seconds pass first.

    Throttling errors (as `throttled` judges them) are ridden out with a longer delay;
    any other error of the poller propagates.
    """
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


def is_throttling(exc: BaseException) -> bool:
    """SageMaker asking to slow down: the wait loop backs off and polls again."""
    from neoctl.api.errors import is_throttling as throttling

    return throttling(exc)


def progress_view(out: Printer | None, title: str) -> Any:
    """The live view of a wait on `out`'s stderr, or none for library callers."""
    from neoctl.output.waiting import QuietView, WaitView

    return QuietView() if out is None else WaitView(out, title)
