"""Every documented exit code, through the installed CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from neoctl.testing import DURATION_TAG, Emulator

from .conftest import NEOCTL, run, seed_job, spec


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends


def test_usage_error_is_2(env: dict[str, str]) -> None:
    res = run(["list", "--no-such-flag"], env)
    assert res.code == 2


def test_no_credentials_is_253(base_env: dict[str, str], emulator: Emulator) -> None:
    res = run(["list", "--region", "us-east-1", "--endpoint-url", emulator.endpoint_url], base_env)
    assert res.code == 253
    assert "credentials" in res.stderr


def test_no_region_is_253(base_env: dict[str, str], emulator: Emulator) -> None:
    env = base_env | {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    res = run(["list", "--endpoint-url", emulator.endpoint_url], env)
    assert res.code == 253
    assert "region" in res.stderr


def test_unknown_profile_is_253(env: dict[str, str]) -> None:
    res = run(["list", "--profile", "nobody"], env)
    assert res.code == 253
    assert "nobody" in res.stderr


def test_region_flag_beats_environment(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    # --no-preflight: the spec's buckets are in us-east-1, which pre-flight rightly refuses for eu-west-1.
    run(["create", "-f", str(spec(tmp_path, "in-eu")), "--region", "eu-west-1", "--no-preflight"], env)
    assert run(["list", "-o", "json", "--region", "eu-west-1"], env).json()["CompilationJobSummaries"]
    assert not run(["list", "-o", "json"], env).json()["CompilationJobSummaries"]  # AWS_REGION=us-east-1


def test_dead_endpoint_is_255_quickly(env: dict[str, str]) -> None:
    started = time.monotonic()
    res = run(["list", "--endpoint-url", f"http://127.0.0.1:{_closed_port()}"], env)
    assert res.code == 255
    assert "could not reach" in res.stderr
    assert time.monotonic() - started < 20  # bounded retries, no legacy 5-attempt hang


def test_endpoint_env_precedence(clean_emulator: Emulator, env: dict[str, str]) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}"
    # AWS_ENDPOINT_URL_SAGEMAKER beats AWS_ENDPOINT_URL; the flag beats both.
    assert run(["list"], env | {"AWS_ENDPOINT_URL_SAGEMAKER": dead}).code == 255
    assert (
        run(
            ["list"],
            env | {"AWS_ENDPOINT_URL": dead, "AWS_ENDPOINT_URL_SAGEMAKER": clean_emulator.endpoint_url},
        ).code
        == 0
    )
    assert (
        run(
            ["list", "--endpoint-url", clean_emulator.endpoint_url],
            env | {"AWS_ENDPOINT_URL_SAGEMAKER": dead},
        ).code
        == 0
    )


def test_bad_query_is_usage_error(clean_emulator: Emulator, env: dict[str, str]) -> None:
    res = run(["list", "-o", "json", "--query", "CompilationJobSummaries[?"], env)
    assert res.code == 2
    assert "--query" in res.stderr


def test_bad_query_on_create_is_refused_before_anything_is_sent(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    res = run(["create", "-f", str(spec(tmp_path, "q-create")), "--query", "[[["], env)
    assert res.code == 2, res.stderr
    assert "invalid --query" in res.stderr
    assert clean_emulator.requests.counts()["sagemaker.CreateCompilationJob"] == 0
    assert not clean_emulator.client("sagemaker").list_compilation_jobs()["CompilationJobSummaries"]


def test_bad_query_on_stop_is_refused_before_the_job_is_stopped(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    seed_job(clean_emulator, "q-stop", **{DURATION_TAG: "600"})
    res = run(["stop", "q-stop", "--yes", "--query", "[["], env)
    assert res.code == 2, res.stderr
    assert "invalid --query" in res.stderr
    assert clean_emulator.requests.counts()["sagemaker.StopCompilationJob"] == 0
    job = clean_emulator.client("sagemaker").describe_compilation_job(CompilationJobName="q-stop")
    assert job["CompilationJobStatus"] not in ("STOPPING", "STOPPED")


def test_debug_redacts_every_credential(clean_emulator: Emulator, env: dict[str, str]) -> None:
    secrets = {
        "AWS_ACCESS_KEY_ID": "AKIAFAKEKEYID0000001",
        "AWS_SECRET_ACCESS_KEY": "fakeSecretKeyValue/ShouldNeverPrint+000001",
        "AWS_SESSION_TOKEN": "FakeSessionTokenValueThatMustNotAppear0000000001",
    }
    res = run(["list", "--debug"], env | secrets)
    assert res.code == 0, res.stderr
    assert "botocore" in res.stderr  # the wire log is there
    for value in secrets.values():
        assert value not in res.stderr and value not in res.stdout
    assert "Signature=" in res.stderr and "Signature=****" in res.stderr


def test_debug_redacts_profile_file_credentials(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    creds = tmp_path / "credentials"
    creds.write_text(
        "[ci]\naws_access_key_id = AKIAPROFILEKEY000002\n"
        "aws_secret_access_key = profileSecretValue/Never+Printed000002\n",
        encoding="utf-8",
    )
    profile_env = {k: v for k, v in env.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    res = run(["list", "--debug", "--profile", "ci"], profile_env | {"AWS_SHARED_CREDENTIALS_FILE": str(creds)})
    assert res.code == 0, res.stderr
    assert "AKIAPROFILEKEY000002" not in res.stderr
    assert "profileSecretValue/Never+Printed000002" not in res.stderr


def test_endpoint_flag_warns_when_logs_would_go_to_aws(
    clean_emulator: Emulator, base_env: dict[str, str], tmp_path: Path
) -> None:
    env = base_env | {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_LOGS": clean_emulator.endpoint_url,
    }
    flag = ["--endpoint-url", clean_emulator.endpoint_url]
    run(["create", "-f", str(spec(tmp_path, "warned", tags={"neoctl-emulator:duration": "0"})), *flag], env)
    quiet = run(["logs", "warned", *flag], env)
    assert quiet.code == 0 and "applies to SageMaker only" not in quiet.stderr
    s3_only = {k: v for k, v in env.items() if k != "AWS_ENDPOINT_URL_LOGS"} | {
        "AWS_ENDPOINT_URL_S3": clean_emulator.endpoint_url
    }
    downloaded = run(["download", "warned", "--to", str(tmp_path / "out"), *flag], s3_only)
    assert downloaded.code == 0 and "applies to SageMaker only" not in downloaded.stderr
    # A COMPLETED job needs no logs, so nothing is sent anywhere but the emulator.
    res = run(["wait", "warned", "--poll", "0.2", *flag], s3_only)
    assert res.code == 0
    assert "--endpoint-url applies to SageMaker only; logs requests go to AWS" in res.stderr


def test_closed_pipe_ends_quietly_with_141(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    run(["create", "-f", str(spec(tmp_path, "piped", targets=["ml_c5", "ml_m5", "ml_c4"]))], env)
    proc = subprocess.Popen(
        [NEOCTL, "create", "-f", str(tmp_path / "piped.yaml"), "--dry-run", "--aws-cli"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader leaves before neoctl writes
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 141
    assert b"Traceback" not in err and b"Exception ignored" not in err


def test_malformed_endpoint_url_or_time_is_252_and_bad_region_253(env: dict[str, str]) -> None:
    assert run(["list", "--endpoint-url", "notaurl"], env).code == 252
    assert run(["list", "--region", "us east"], env).code == 253
    assert run(["list", "--created-after", "99999999d"], env).code == 252


@pytest.mark.parametrize("fmt", [[], ["-o", "yaml"], ["--query", "CompilationJobSummaries[0]"]])
def test_list_on_a_closed_pipe_is_141_in_every_format(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path, fmt: list[str]
) -> None:
    run(["create", "-f", str(spec(tmp_path, "listed", targets=["ml_c5", "ml_m5"]))], env)
    read, write = os.pipe()
    os.close(read)  # `neoctl list | head -1` without the race: the reader has left
    try:
        proc = subprocess.run([NEOCTL, "list", *fmt], env=env, stdout=write, stderr=subprocess.PIPE, timeout=30)
    finally:
        os.close(write)
    assert proc.returncode == 141, proc.stderr
    assert proc.stderr == b""
