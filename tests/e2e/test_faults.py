"""Faults injected in the emulator (on loopback): retried when transient, reported
clearly and quickly when not, and a fan-out never loses track of a job."""

from __future__ import annotations

import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from neoctl.testing import Emulator

from .conftest import NEOCTL, run, spec

OPERATIONS = [
    (["list"], "ListCompilationJobs"),
    (["describe", "known-job"], "DescribeCompilationJob"),
    (["trials"], "ListTrials"),
    (["stop", "known-job", "--yes"], "StopCompilationJob"),
]


@pytest.fixture
def known_job(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> Emulator:
    tags = {"neoctl-emulator:duration": "600"}
    assert run(["create", "-f", str(spec(tmp_path, "known-job", tags=tags))], env).code == 0
    return clean_emulator


@pytest.mark.parametrize(("args", "action"), OPERATIONS, ids=[a for _, a in OPERATIONS])
@pytest.mark.parametrize("kind", ["throttle", "500", "503"])
def test_transient_fault_is_retried(
    known_job: Emulator, env: dict[str, str], args: list[str], action: str, kind: str
) -> None:
    known_job.inject_fault(action, kind, count=2)
    res = run(args, env)  # standard mode: 3 attempts by default
    assert res.code == 0, res.stderr
    assert known_job.pending_faults() == 0


def test_transient_fault_on_create_is_retried(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    clean_emulator.inject_fault("CreateCompilationJob", "throttle", count=2)
    res = run(["create", "-f", str(spec(tmp_path, "retried")), "-o", "json"], env)
    assert res.code == 0, res.stderr
    assert res.json()[0]["Result"] == "created"


@pytest.mark.parametrize(("args", "action"), OPERATIONS, ids=[a for _, a in OPERATIONS])
def test_persistent_throttling_is_254_naming_it_within_bounded_time(
    known_job: Emulator, env: dict[str, str], args: list[str], action: str
) -> None:
    known_job.inject_fault(action, "throttle", count=50)
    started = time.monotonic()
    res = run(args, env | {"AWS_MAX_ATTEMPTS": "2"})
    assert res.code == 254
    assert "ThrottlingException" in res.stderr and action in res.stderr
    assert "AWS_MAX_ATTEMPTS" in res.stderr  # how to retry harder
    assert time.monotonic() - started < 20


def test_max_attempts_is_honoured(known_job: Emulator, env: dict[str, str]) -> None:
    known_job.inject_fault("ListCompilationJobs", "500", count=4)
    assert run(["list"], env | {"AWS_MAX_ATTEMPTS": "4"}).code == 254  # 4 attempts, 4 faults
    known_job.clear_faults()
    known_job.inject_fault("ListCompilationJobs", "500", count=4)
    assert run(["list"], env | {"AWS_MAX_ATTEMPTS": "5"}).code == 0


def test_slow_response_past_read_timeout_is_255(known_job: Emulator, env: dict[str, str]) -> None:
    known_job.inject_fault("ListCompilationJobs", "slow:4", count=3)
    started = time.monotonic()
    res = run(["list"], env | {"NEOCTL_READ_TIMEOUT": "1", "AWS_MAX_ATTEMPTS": "1"})
    assert res.code == 255
    assert "did not answer in time" in res.stderr
    assert time.monotonic() - started < 10


@pytest.fixture
def rude_server() -> Iterator[str]:
    """Accepts a request, starts the answer's headers, and resets the connection (RST) mid-way."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-js")
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(2)
    server.close()


def test_connection_reset_mid_response_is_255(rude_server: str, env: dict[str, str]) -> None:
    started = time.monotonic()
    res = run(["list", "--endpoint-url", rude_server], env)
    assert res.code == 255
    assert "error:" in res.stderr
    assert time.monotonic() - started < 20


def test_fanout_accounts_for_every_job_and_rerun_finishes(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    targets = ["ml_c5", "ml_m5", "ml_c4", "ml_m4", "ml_p3", "rasp4b", "jetson_nano", "jetson_tx2"]
    path = spec(tmp_path, "scale", targets=targets)
    # Two refusals, and one create whose answer is lost after SageMaker created the job.
    clean_emulator.inject_fault("CreateCompilationJob", "limit", count=2)
    clean_emulator.inject_fault("CreateCompilationJob", "lost", count=1)
    first = run(["create", "-f", str(path), "-o", "json", "--concurrency", "1"], env | {"AWS_MAX_ATTEMPTS": "1"})
    assert first.code == 254
    rows = first.json()
    assert len(rows) == len(targets)
    results = [r["Result"] for r in rows]
    assert (results.count("created"), results.count("refused"), results.count("unknown")) == (5, 2, 1)
    assert "ResourceLimitExceeded" in first.stderr
    for row in rows:
        if row["Result"] != "created":
            assert row["CompilationJobName"] in first.stderr  # the summary names each
    second = run(["create", "-f", str(path), "-o", "json"], env)
    assert second.code == 0, second.stderr
    again = [r["Result"] for r in second.json()]
    assert (again.count("created"), again.count("existed")) == (2, 6)  # the unknown one had been created
    listed = clean_emulator.client("sagemaker").list_compilation_jobs(MaxResults=100)["CompilationJobSummaries"]
    assert sorted(j["CompilationJobName"] for j in listed) == sorted(f"scale-{t.replace('_', '-')}" for t in targets)


def test_lost_answer_is_retried_and_reported_existed(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    clean_emulator.inject_fault("CreateCompilationJob", "lost", count=1)
    res = run(["create", "-f", str(spec(tmp_path, "lost-answer")), "-o", "json"], env)
    assert res.code == 0, res.stderr
    assert res.json()[0]["Result"] == "existed"  # the retry found the job it had created


def test_ctrl_c_during_create_is_130_and_says_how_to_resume(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    path = spec(tmp_path, "slow-batch", targets=["ml_c5", "ml_m5", "ml_c4", "ml_m4"])
    clean_emulator.inject_fault("CreateCompilationJob", "slow:3", count=4)
    proc = subprocess.Popen(
        [NEOCTL, "create", "-f", str(path), "--concurrency", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while clean_emulator.pending_faults() == 4 and time.monotonic() < deadline:
        time.sleep(0.05)  # until the first create is in flight (after pre-flight)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert "run the same command again" in err
