"""wait, create --wait, stop --wait, logs and the endpoint preview, against the emulator."""

from __future__ import annotations

import math
import signal
import subprocess
import time
from pathlib import Path

import pytest

from neoctl.api.session import AwsOptions
from neoctl.jobs.poller import JobPoller
from neoctl.testing import Emulator

from .conftest import NEOCTL, ROLE, run, seed_job, spec


def _fast(n: str) -> dict[str, str]:
    return {"neoctl-emulator:duration": n}


def test_create_wait_exit_0_when_all_complete(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    path = spec(tmp_path, "waited", targets=["ml_c5", "ml_m5"], tags=_fast("1"))
    res = run(["create", "-f", str(path), "--wait", "--poll", "0.2", "-o", "json"], env)
    assert res.code == 0, res.stderr
    assert "waited-ml-c5 COMPLETED" in res.stderr  # one plain line per change off a terminal
    assert "INPROGRESS" in res.stderr


def test_wait_exit_1_with_reason_and_log_tail(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    tags = _fast("0.5") | {"neoctl-emulator:fail": "ClientError: input0 shape mismatch"}
    run(["create", "-f", str(spec(tmp_path, "broken", tags=tags))], env)
    res = run(["wait", "broken", "--poll", "0.2", "-o", "json"], env)
    assert res.code == 1
    row = res.json()[0]
    assert row["CompilationJobStatus"] == "FAILED"
    assert row["FailureReason"] == "ClientError: input0 shape mismatch"
    assert any("input0 shape mismatch" in line for line in row["LastLogLines"])


def test_wait_timeout_is_124(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    run(["create", "-f", str(spec(tmp_path, "slowpoke", tags=_fast("60")))], env)
    started = time.monotonic()
    res = run(["wait", "slowpoke", "--poll", "0.2", "--timeout", "1s"], env)
    assert res.code == 124
    assert "neoctl stop slowpoke" in res.stderr
    assert time.monotonic() - started < 15


def test_stop_wait_exit_0_when_stopped(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    run(["create", "-f", str(spec(tmp_path, "to-stop", tags=_fast("60")))], env)
    res = run(["stop", "to-stop", "--yes", "--wait", "--poll", "0.2"], env)
    assert res.code == 0, res.stderr
    assert "STOPPED" in res.stdout


def test_wait_ctrl_c_is_130_and_says_jobs_keep_running(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    run(["create", "-f", str(spec(tmp_path, "interrupted", tags=_fast("60")))], env)
    proc = subprocess.Popen(
        [NEOCTL, "wait", "interrupted", "--poll", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Interrupt once the wait has polled twice (it is in its loop, between polls).
    deadline = time.monotonic() + 30
    while sum(n for op, n in clean_emulator.requests.counts().items() if "CompilationJob" in op) < 3:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert "keep running" in err and "neoctl stop interrupted" in err


def test_polling_50_jobs_costs_one_list_page_per_poll(
    clean_emulator: Emulator, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"batch-{i:02d}" for i in range(50)]
    for name in names:
        seed_job(clean_emulator, name, **{"neoctl-emulator:duration": "60"})
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, env[key])
    poller = JobPoller(AwsOptions(region="us-east-1", endpoint_url=clean_emulator.endpoint_url), names)
    for _ in range(3):
        statuses = poller.poll(names)
        assert set(statuses) == set(names)
    assert poller.calls["ListCompilationJobs"] == 3 * math.ceil(50 / 100)
    assert poller.calls["DescribeCompilationJob"] == 0


def test_logs_of_failed_job_and_no_logs_message(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    tags = _fast("0") | {"neoctl-emulator:fail": "out of memory"}
    run(["create", "-f", str(spec(tmp_path, "logged", tags=tags))], env)
    run(["create", "-f", str(spec(tmp_path, "other-job", tags=_fast("0")))], env)
    res = run(["logs", "logged"], env)
    assert res.code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines and all(line[:4].isdigit() and "T" in line.split()[0] for line in lines)
    assert any("out of memory" in line for line in lines)
    assert not any("other-job" in line for line in lines)
    followed = run(["logs", "logged", "--follow", "--poll", "0.2"], env)
    assert followed.code == 0 and followed.stdout == res.stdout


def test_logs_follow_until_job_ends(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    run(["create", "-f", str(spec(tmp_path, "followed", tags=_fast("1.5")))], env)
    res = run(["logs", "followed", "--follow", "--poll", "0.2"], env)
    assert res.code == 0, res.stderr
    assert "completed successfully" in res.stdout


def test_endpoint_preview_warns_of_autoscaling_trap_and_sends_nothing(
    clean_emulator: Emulator, env: dict[str, str]
) -> None:
    sm = clean_emulator.client("sagemaker")
    sm.create_model(
        ModelName="m",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1"},
    )
    for cfg, count in (("v1", 1), ("v2", 1)):
        sm.create_endpoint_config(
            EndpointConfigName=cfg,
            ProductionVariants=[
                {
                    "VariantName": "main",
                    "ModelName": "m",
                    "InitialInstanceCount": count,
                    "InstanceType": "ml.c5.large",
                    "InitialVariantWeight": 1.0,
                }
            ],
        )
    sm.create_endpoint(EndpointName="prod", EndpointConfigName="v1")
    clean_emulator.set_variant_instance_count("prod", "main", 5)
    res = run(["endpoint", "update", "prod", "--config", "v2", "--dry-run", "-o", "json"], env)
    assert res.code == 0, res.stderr
    plan = res.json()
    count = next(r for r in plan["Variants"] if r["Property"] == "DesiredInstanceCount")
    assert (count["Current"], count["NewConfig"], count["After"], count["Changes"]) == (5, 1, 1, True)
    assert "resets the instance count from 5 to 1" in res.stderr
    assert sm.describe_endpoint(EndpointName="prod")["EndpointConfigName"] == "v1"
    kept = run(["endpoint", "update", "prod", "--config", "v2", "--retain-all", "--dry-run", "-o", "json"], env)
    count = next(r for r in kept.json()["Variants"] if r["Property"] == "DesiredInstanceCount")
    assert (count["After"], count["Changes"]) == (5, False)
    assert "resets" not in kept.stderr
    done = run(
        [
            "endpoint",
            "update",
            "prod",
            "--config",
            "v2",
            "--retain-all",
            "--yes",
            "--wait",
            "--poll",
            "0.2",
            "-o",
            "json",
        ],
        env,
    )
    assert done.code == 0, done.stderr
    assert done.json()["EndpointStatus"] == "InService"
    assert done.json()["ProductionVariants"][0]["DesiredInstanceCount"] == 5


@pytest.mark.parametrize("flags", [["--timeout", "abc"], ["--poll", "nan"], ["--poll", "0"], ["--timeout", "1e400"]])
def test_bad_wait_flags_refused_before_create_sends(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path, flags: list[str]
) -> None:
    res = run(["create", "-f", str(spec(tmp_path, "not-sent")), "--wait", *flags], env)
    assert res.code == 252
    assert clean_emulator.client("sagemaker").list_compilation_jobs()["CompilationJobSummaries"] == []


def test_bad_wait_flags_refused_before_stop_sends(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    run(["create", "-f", str(spec(tmp_path, "keeps-running", tags={"neoctl-emulator:duration": "60"}))], env)
    res = run(["stop", "keeps-running", "--yes", "--wait", "--poll", "abc"], env)
    assert res.code == 252
    status = clean_emulator.client("sagemaker").describe_compilation_job(CompilationJobName="keeps-running")
    assert status["CompilationJobStatus"] in ("STARTING", "INPROGRESS")


def test_failed_job_result_survives_unreadable_logs(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    tags = {"neoctl-emulator:duration": "0", "neoctl-emulator:fail": "out of memory"}
    run(["create", "-f", str(spec(tmp_path, "no-logs", tags=tags))], env)
    res = run(
        ["wait", "no-logs", "--poll", "0.2", "-o", "json"],
        env | {"AWS_ENDPOINT_URL_LOGS": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1"},
    )
    assert res.code == 1
    assert res.json()[0]["FailureReason"] == "out of memory"
    assert "could not read the logs" in res.stderr


def test_create_again_after_the_job_failed_is_254_naming_it(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    path = spec(tmp_path, "ran-and-failed", tags={"neoctl-emulator:duration": "0", "neoctl-emulator:fail": "oom"})
    assert run(["create", "-f", str(path)], env).code == 0
    assert run(["wait", "ran-and-failed", "--poll", "1", "--timeout", "60"], env).code == 1
    res = run(["create", "-f", str(path)], env)
    assert res.code == 254, res.stderr
    assert "ran-and-failed failed" in res.stderr and "ended FAILED" in res.stderr and "new name" in res.stderr
    assert "existed" not in res.stdout
    assert (
        clean_emulator.client("sagemaker").describe_compilation_job(CompilationJobName="ran-and-failed")[
            "CompilationJobStatus"
        ]
        == "FAILED"
    )
