"""The wait loop shared by `wait`, `create --wait`, `stop --wait` and `endpoint update --wait`:
poll until every watched thing has reached a final status, back off while nothing
changes and when throttled, stop at --timeout. Plain functions; the caller supplies
the poller (API calls), the statuses that end the wait (a neoctl.waitstate.WaitState),
and the view (output: neoctl.output.waiting.progress_view); the loop never imports its views."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from neoctl.waitstate import JobView, WaitState

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
