"""stop's plan and pool against the emulator, in-process: the order of rows, progress,
and Ctrl-C in the middle of a batch."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from neoctl.api import session
from neoctl.api.session import AwsOptions
from neoctl.errors import EXIT_INTERRUPTED, Interrupted
from neoctl.jobs.stop import plan_stop, stop_jobs
from neoctl.output import Printer
from neoctl.output.progress import CountProgress
from neoctl.testing import Emulator

ROLE = "arn:aws:iam::123456789012:role/neo"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(job_seconds=600, transition_seconds=0.5) as running:
        yield running


@pytest.fixture
def options(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> AwsOptions:
    emulator.reset()
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL_SAGEMAKER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    session.client.cache_clear()
    return AwsOptions(region="us-east-1", endpoint_url=emulator.endpoint_url)


def _seed(emulator: Emulator, names: list[str]) -> None:
    sm = emulator.client("sagemaker")
    for name in names:
        sm.create_compilation_job(
            CompilationJobName=name,
            RoleArn=ROLE,
            InputConfig={"S3Uri": "s3://b/m.tar.gz", "Framework": "XGBOOST"},
            OutputConfig={"S3OutputLocation": "s3://b/out/", "TargetDevice": "ml_c5"},
            StoppingCondition={"MaxRuntimeInSeconds": 900},
        )


def test_ctrl_c_during_the_stops_says_how_many_were_stopped_and_which(emulator: Emulator, options: AwsOptions) -> None:
    names = [f"job-{i:03d}" for i in range(200)]
    _seed(emulator, names)
    plan = plan_stop(options, names)
    answered = 0

    def done() -> None:  # called in the main thread after each answer: Ctrl-C lands there
        nonlocal answered
        answered += 1
        if answered == 3:
            raise KeyboardInterrupt

    with pytest.raises(Interrupted) as info:
        stop_jobs(options, names, plan, done=done)
    assert info.value.exit_code == EXIT_INTERRUPTED
    message = info.value.message
    assert message.startswith("interrupted after 3 of 200 job(s) were stopped: job-")
    assert "requests already in flight may still stop their jobs" in message
    stops = emulator.requests.counts()["sagemaker.StopCompilationJob"]
    # The calls not yet started were cancelled. No tighter bound: while the main thread
    # handles the third answer, workers may already have finished (and started) a few more.
    assert 3 <= stops < len(names)
    assert info.value.hint is not None and "run the same command again" in info.value.hint


def test_ctrl_c_while_looking_up_says_nothing_was_stopped(emulator: Emulator, options: AwsOptions) -> None:
    names = [f"job-{i:02d}" for i in range(20)]
    _seed(emulator, names)

    def done() -> None:
        raise KeyboardInterrupt

    with pytest.raises(Interrupted, match="nothing was stopped"):
        plan_stop(options, names, done=done)
    assert emulator.requests.counts()["sagemaker.StopCompilationJob"] == 0


def test_progress_counts_every_answer_on_a_terminal_and_is_silent_otherwise(
    emulator: Emulator, options: AwsOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"job-{i:02d}" for i in range(12)]
    _seed(emulator, names)
    silent = io.StringIO()
    with CountProgress(Printer("json", stdout=io.StringIO(), stderr=silent), "Stopping", 12) as progress:
        rows = stop_jobs(options, names, done=progress.advance)
    assert progress.done == 12 and silent.getvalue() == ""
    assert [r["CompilationJobName"] for r in rows] == names
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # Rich: the stream is a terminal
    shown = io.StringIO()
    with CountProgress(Printer("json", stdout=io.StringIO(), stderr=shown), "Looking the jobs up", 12) as progress:
        plan_stop(options, names, done=progress.advance)
    assert progress.done == 12
    assert "Looking the jobs up" in shown.getvalue() and "12/12" in shown.getvalue()
