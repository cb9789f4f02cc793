"""Edges found in review: nothing sent on bad wait flags, results kept when logs fail,
terminal escapes neutralised, every stop accounted for, closed pipes, bad tokens and URLs."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from neoctl.testing import Emulator

from .conftest import NEOCTL, ROLE, run, seed_job, spec


@pytest.mark.parametrize("flags", [["--timeout", "abc"], ["--poll", "nan"], ["--poll", "0"], ["--timeout", "1e400"]])
def test_bad_wait_flags_refused_before_create_sends(clean_emulator: Emulator, env: dict[str, str],
                                                    tmp_path: Path, flags: list[str]) -> None:
    res = run(["create", "-f", str(spec(tmp_path, "not-sent")), "--wait", *flags], env)
    assert res.code == 252
    assert clean_emulator.client("sagemaker").list_compilation_jobs()["CompilationJobSummaries"] == []


def test_bad_wait_flags_refused_before_stop_sends(clean_emulator: Emulator, env: dict[str, str],
                                                  tmp_path: Path) -> None:
    run(["create", "-f", str(spec(tmp_path, "keeps-running", tags={"neoctl-emulator:duration": "60"}))], env)
    res = run(["stop", "keeps-running", "--wait", "--poll", "abc"], env)
    assert res.code == 252
    status = clean_emulator.client("sagemaker").describe_compilation_job(CompilationJobName="keeps-running")
    assert status["CompilationJobStatus"] in ("STARTING", "INPROGRESS")


def test_failed_job_result_survives_unreadable_logs(clean_emulator: Emulator, env: dict[str, str],
                                                   tmp_path: Path) -> None:
    tags = {"neoctl-emulator:duration": "0", "neoctl-emulator:fail": "out of memory"}
    run(["create", "-f", str(spec(tmp_path, "no-logs", tags=tags))], env)
    res = run(["wait", "no-logs", "--poll", "0.2", "-o", "json"],
              env | {"AWS_ENDPOINT_URL_LOGS": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1"})
    assert res.code == 1
    assert res.json()[0]["FailureReason"] == "out of memory"
    assert "could not read the logs" in res.stderr


def test_escape_sequences_from_the_service_are_neutralised(clean_emulator: Emulator, env: dict[str, str]) -> None:
    reason = "bad input \x1b]0;pwned\x07 \x1b[31mred"
    seed_job(clean_emulator, "escapes", **{"neoctl-emulator:fail": reason, "neoctl-emulator:duration": "0"})
    for args in (["describe", "escapes"], ["logs", "escapes"]):
        res = run(args, env)
        assert res.code == 0, res.stderr
        assert "\x1b" not in res.stdout and "\x07" not in res.stdout
        assert "\\x1b" in res.stdout
    data = run(["describe", "escapes", "-o", "json"], env).json()
    assert data["FailureReason"] == reason  # JSON keeps the exact value (escaped by JSON itself)


def test_stop_reports_every_job_when_one_is_unknown(clean_emulator: Emulator, env: dict[str, str],
                                                   tmp_path: Path) -> None:
    path = spec(tmp_path, "batch", targets=["ml_c5", "ml_m5"], tags={"neoctl-emulator:duration": "60"})
    run(["create", "-f", str(path)], env)
    res = run(["stop", "batch-ml-c5", "ghost", "batch-ml-m5", "-o", "json"], env)
    assert res.code == 254
    rows = {r["CompilationJobName"]: r for r in res.json()}
    assert rows["batch-ml-c5"]["Stopped"] and rows["batch-ml-m5"]["Stopped"]
    assert not rows["ghost"]["Stopped"] and "ghost" in rows["ghost"]["Error"]
    assert "ghost" in res.stderr


def test_closed_pipe_ends_quietly_with_141(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    run(["create", "-f", str(spec(tmp_path, "piped", targets=["ml_c5", "ml_m5", "ml_c4"]))], env)
    proc = subprocess.Popen([NEOCTL, "create", "-f", str(tmp_path / "piped.yaml"), "--dry-run", "--aws-cli"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # the reader leaves before neoctl writes
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 141
    assert b"Traceback" not in err and b"Exception ignored" not in err


def test_foreign_starting_token_is_252(env: dict[str, str]) -> None:
    res = run(["list", "--starting-token", "garbage"], env)
    assert res.code == 252
    assert "--starting-token" in res.stderr


def test_malformed_endpoint_and_region(env: dict[str, str]) -> None:
    assert run(["list", "--endpoint-url", "notaurl"], env).code == 252
    assert run(["list", "--region", "us east"], env).code == 253
    assert run(["list", "--created-after", "99999999d"], env).code == 252


def test_endpoint_wait_respects_timeout(clean_emulator: Emulator, env: dict[str, str]) -> None:
    sm = clean_emulator.client("sagemaker")
    sm.create_model(ModelName="m", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "1.dkr.ecr/x:1"})
    for cfg in ("a", "b"):
        sm.create_endpoint_config(EndpointConfigName=cfg, ProductionVariants=[{
            "VariantName": "main", "ModelName": "m", "InitialInstanceCount": 1, "InstanceType": "ml.c5.large"}])
    sm.create_endpoint(EndpointName="slow-ep", EndpointConfigName="a")
    clean_emulator.inject_fault("DescribeEndpoint", "slow:0.1", count=1)
    started = time.monotonic()
    res = run(["endpoint", "update", "slow-ep", "--config", "b", "--yes", "--wait", "--poll", "20",
               "--timeout", "0.3"], env)
    assert res.code in (0, 124)
    assert time.monotonic() - started < 10  # never sleeps a whole --poll past --timeout
