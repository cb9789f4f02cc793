"""The wait loop's rules, with a scripted poller standing in for the API layer."""

from __future__ import annotations

import random

import pytest

from neoctl.errors import EXIT_JOB_FAILED, EXIT_OK
from neoctl.jobs.poller import common_fragment
from neoctl.jobs.wait import job_state
from neoctl.polling import JobView, TimedOut, WaitState, next_delay, run_wait


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


def test_waits_until_all_finished_and_asks_only_for_pending() -> None:
    script = Script(
        {"a": "STARTING", "b": "INPROGRESS"}, {"a": "COMPLETED", "b": "INPROGRESS"}, {"b": "COMPLETED"}
    )
    view, clock = Record(), FakeClock()
    state = run_wait(
        script, job_state(["a", "b"]), view, timeout=None, poll=1, sleep=clock.sleep, clock=clock
    )
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
    run_wait(
        Script({"b": "STOPPED"}), after_stop, Record(), timeout=None, poll=1, sleep=clock.sleep, clock=clock
    )
    assert after_stop.exit_code() == EXIT_OK


def test_timeout_raises_with_jobs_still_pending() -> None:
    clock = FakeClock()
    state = job_state(["a"])
    with pytest.raises(TimedOut):
        run_wait(
            Script({"a": "INPROGRESS"}), state, Record(), timeout=10, poll=1, sleep=clock.sleep, clock=clock
        )
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

    clock = FakeClock()
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


def test_common_fragment() -> None:
    assert common_fragment(["resnet50-ml-c5", "resnet50-jetson-nano"]) == "resnet50-"
    assert common_fragment(["a-resnet", "b-resnet"]) == "-resnet"
    assert common_fragment(["abc", "xyz"]) == ""
