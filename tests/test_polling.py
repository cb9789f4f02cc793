"""The wait loop's rules, with a scripted poller standing in for the API layer."""

from __future__ import annotations

import random

import pytest

from neoctl.errors import EXIT_JOB_FAILED, EXIT_OK
from neoctl.jobs.poller import common_fragment
from neoctl.jobs.wait import job_state
from neoctl.polling import TimedOut, next_delay, run_wait
from neoctl.waitstate import JobView, WaitState


class Script:
    """Answers each poll with the next snapshot of statuses."""

    def __init__(self, *snapshots: dict[str, str]) -> None:
        self.snapshots = list(snapshots)
        self.asked: list[list[str]] = []

    def poll(self, pending: list[str]) -> dict[str, str]:
        self.asked.append(sorted(pending))
        return self.snapshots.pop(0) if len(self.snapshots) > 1 else self.snapshots[0]


class Record:
    def __init__(self) -> None:
        self.changes: list[tuple[str, str]] = []

    def changed(self, job: JobView, state: WaitState) -> None:
        self.changes.append((job.name, job.status))

    def tick(self, state: WaitState) -> None:
        pass


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def __call__(self) -> float:
        return self.now


class SleepLog(FakeClock):
    """A fake clock that also records every pause the wait loop asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        super().sleep(seconds)


class Jitter(random.Random):
    """An rng whose jitter is pinned to the low end, the middle or the high end of its range."""

    def __init__(self, where: float) -> None:
        super().__init__(0)
        self.where = where

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.where


LOW, MID, HIGH = Jitter(0.0), Jitter(0.5), Jitter(1.0)


def test_waits_until_all_finished_and_asks_only_for_pending() -> None:
    script = Script({"a": "STARTING", "b": "INPROGRESS"}, {"a": "COMPLETED", "b": "INPROGRESS"}, {"b": "COMPLETED"})
    view, clock = Record(), FakeClock()
    state = run_wait(script, job_state(["a", "b"]), view, timeout=None, poll=1, sleep=clock.sleep, clock=clock)
    assert state.exit_code() == EXIT_OK
    assert script.asked == [["a", "b"], ["a", "b"], ["b"]]
    assert view.changes == [("a", "STARTING"), ("b", "INPROGRESS"), ("a", "COMPLETED"), ("b", "COMPLETED")]


def test_failed_or_stopped_job_fails_the_wait_unless_stopping_was_the_point() -> None:
    clock = FakeClock()
    state = run_wait(
        Script({"a": "COMPLETED", "b": "STOPPED"}),
        job_state(["a", "b"]),
        Record(),
        timeout=None,
        poll=1,
        sleep=clock.sleep,
        clock=clock,
    )
    assert state.exit_code() == EXIT_JOB_FAILED
    assert [j.name for j in state.failed()] == ["b"]
    after_stop = job_state(["b"], stopped_ok=True)
    run_wait(Script({"b": "STOPPED"}), after_stop, Record(), timeout=None, poll=1, sleep=clock.sleep, clock=clock)
    assert after_stop.exit_code() == EXIT_OK


def test_timeout_raises_with_jobs_still_pending() -> None:
    clock = FakeClock()
    state = job_state(["a"])
    with pytest.raises(TimedOut):
        run_wait(Script({"a": "INPROGRESS"}), state, Record(), timeout=10, poll=1, sleep=clock.sleep, clock=clock)
    assert state.pending() == ["a"]
    assert 10 <= clock.now < 12


def test_throttling_is_ridden_out() -> None:
    class Throttled(Exception):
        pass

    class Flaky(Script):
        def poll(self, pending: list[str]) -> dict[str, str]:
            if not self.asked:
                self.asked.append(pending)
                raise Throttled
            return super().poll(pending)

    clock = SleepLog()
    state = run_wait(
        Flaky({"a": "COMPLETED"}),
        job_state(["a"]),
        Record(),
        timeout=None,
        poll=1,
        sleep=clock.sleep,
        clock=clock,
        throttled=lambda e: isinstance(e, Throttled),
    )
    assert state.exit_code() == EXIT_OK
    # One pause, after the throttled poll: a quiet poll's 1.5x, doubled, ±20 % jitter.
    assert len(clock.sleeps) == 1
    assert 1 * 1.5 * 2 * 0.8 <= clock.sleeps[0] <= 1 * 1.5 * 2 * 1.2


def test_other_errors_propagate() -> None:
    class Broken:
        def poll(self, pending: list[str]) -> dict[str, str]:
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        run_wait(Broken(), job_state(["a"]), Record(), timeout=None, poll=1, sleep=lambda s: None)


def test_delay_grows_when_quiet_and_after_throttling_with_jitter() -> None:
    rng = random.Random(7)
    first = next_delay(10, 0, False, rng)
    assert 8 <= first <= 12
    assert next_delay(10, 10, False, rng) <= 48  # capped at 4x (+20 % jitter)
    assert next_delay(10, 10, True, rng) >= 64  # throttled: up to 8x
    samples = {round(next_delay(10, 0, False, rng), 3) for _ in range(20)}
    assert len(samples) > 10  # jittered, not lockstep

    # Without jitter: x1.5 per quiet poll up to the 4x cap.
    quiet = [next_delay(10, polls, False, MID) for polls in range(6)]
    assert quiet == pytest.approx([10, 15, 22.5, 33.75, 40, 40])
    # Throttling doubles whatever the quiet back-off had reached, up to 8x.
    throttled = [next_delay(10, polls, True, MID) for polls in range(6)]
    assert throttled == pytest.approx([2 * d for d in quiet])
    assert next_delay(10, 50, True, MID) == pytest.approx(80)
    # However short --poll is, throttling waits at least 1 s (doubled).
    assert next_delay(0.1, 0, True, MID) == pytest.approx(2.0)
    assert next_delay(0.1, 0, False, MID) == pytest.approx(0.1)
    # Jitter is ±20 % of the back-off, never more.
    for polls in range(6):
        assert next_delay(10, polls, False, LOW) == pytest.approx(0.8 * quiet[polls])
        assert next_delay(10, polls, False, HIGH) == pytest.approx(1.2 * quiet[polls])
    assert all(8 <= next_delay(10, 0, False, rng) <= 12 for _ in range(200))

    # The wait loop applies it: pauses grow while nothing changes and start over on a change.
    clock = SleepLog()
    statuses = [{"a": "INPROGRESS"}] * 6 + [{"a": "STOPPING"}, {"a": "STOPPING"}, {"a": "STOPPED"}]
    run_wait(Script(*statuses), job_state(["a"]), Record(), timeout=None, poll=10, sleep=clock.sleep, clock=clock)
    factors = [1, 1.5, 2.25, 3.375, 4, 4, 1, 1.5]  # the first poll is a change (UNKNOWN -> INPROGRESS)
    assert len(clock.sleeps) == len(factors)
    for slept, factor in zip(clock.sleeps, factors, strict=True):
        assert 0.8 * 10 * factor <= slept <= 1.2 * 10 * factor


def test_common_fragment() -> None:
    assert common_fragment(["resnet50-ml-c5", "resnet50-jetson-nano"]) == "resnet50-"
    assert common_fragment(["a-resnet", "b-resnet"]) == "-resnet"
    assert common_fragment(["abc", "xyz"]) == ""
