"""SIGTERM (`timeout`, CI runners, `docker stop`) is handled as Ctrl-C is, ending with 143:
the message says what keeps running, and nothing partial stays behind: no temp file
(packing streams, none is ever made), no S3 object, no unfinished multipart upload."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from neoctl.testing import DURATION_TAG, Emulator

from .conftest import NEOCTL, ROLE, run, spec


def _terminate(
    proc: subprocess.Popen[str], ready: float | None = None, until: Callable[[], bool] | None = None
) -> tuple[str, str]:
    try:
        deadline = time.monotonic() + 30
        while until is not None and not until():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "never got to the point to terminate at"
            time.sleep(0.02)
        if ready is not None:
            time.sleep(ready)
        proc.terminate()  # SIGTERM
        return proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_wait_sigterm_is_143_and_says_jobs_keep_running(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    run(["create", "-f", str(spec(tmp_path, "termed", tags={DURATION_TAG: "60"}))], env)
    proc = subprocess.Popen(
        [NEOCTL, "wait", "termed", "--poll", "0.2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    _, err = _terminate(proc, ready=2.0)
    assert proc.returncode == 143, err
    assert "Traceback" not in err
    assert "keep running" in err and "neoctl stop termed" in err


def _local_model_spec(tmp_path: Path, gib: int = 16, data: bytes | None = None) -> Path:
    model = tmp_path / "model"
    model.mkdir()
    with (model / "model.pth").open("wb") as big:
        if data is None:
            big.truncate(gib * 1024 * 1024 * 1024)  # sparse: gigabytes of zeros to read, nothing on disk
        else:
            big.write(data)
    path = tmp_path / "local.yaml"
    path.write_text(
        f"name: local-term\nrole: {ROLE}\n"
        "model:\n  path: model\n  upload_to: s3://neo-models/uploads/\n  framework: pytorch\n"
        '  framework_version: "2.0"\n  inputs: {input0: [1, 3, 224, 224]}\n'
        "output:\n  uri: s3://neo-models/compiled/\n  target: ml_c5\n",
        encoding="utf-8",
    )
    return path


def test_validate_of_a_huge_local_model_reads_none_of_it(env: dict[str, str], tmp_path: Path) -> None:
    path = _local_model_spec(tmp_path)  # 16 GiB: reading it would take many seconds
    result = subprocess.run([NEOCTL, "validate", "-f", str(path)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "local-term" in result.stdout


def test_sigterm_while_hashing_is_143_and_leaves_nothing(env: dict[str, str], tmp_path: Path) -> None:
    path = _local_model_spec(tmp_path)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc = subprocess.Popen(
        [NEOCTL, "create", "--dry-run", "-f", str(path)],
        env=env | {"TMPDIR": str(tmpdir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, err = _terminate(proc, ready=1.0)
    assert proc.returncode == 143, err
    assert "Traceback" not in err
    assert list(tmpdir.iterdir()) == []  # no temp file is ever made


def test_sigterm_while_packing_and_uploading_leaves_nothing_in_s3(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    import os

    s3 = clean_emulator.client("s3")
    s3.create_bucket(Bucket="neo-models")
    path = _local_model_spec(tmp_path, data=os.urandom(96 * 1024 * 1024))  # 12 parts of 8 MiB
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc = subprocess.Popen(
        [NEOCTL, "create", "--no-preflight", "-f", str(path)],
        env=env | {"TMPDIR": str(tmpdir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, err = _terminate(proc, until=lambda: bool(s3.list_multipart_uploads(Bucket="neo-models").get("Uploads")))
    assert proc.returncode == 143, err
    assert "Traceback" not in err
    assert s3.list_objects_v2(Bucket="neo-models").get("KeyCount") == 0
    assert s3.list_multipart_uploads(Bucket="neo-models").get("Uploads", []) == []  # aborted
    assert list(tmpdir.iterdir()) == []
