"""SIGTERM (`timeout`, CI runners, `docker stop`) is handled as Ctrl-C is, ending with 143:
the message says what keeps running and no temporary archive stays behind."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

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


def _local_model_spec(tmp_path: Path) -> Path:
    model = tmp_path / "model"
    model.mkdir()
    with (model / "model.pth").open("wb") as big:
        big.truncate(2 * 1024 * 1024 * 1024)  # sparse: 2 GiB of zeros to pack, nothing on disk
    path = tmp_path / "local.yaml"
    path.write_text(
        f"name: local-term\nrole: {ROLE}\n"
        "model:\n  path: model\n  upload_to: s3://neo-models/uploads/\n  framework: pytorch\n"
        '  framework_version: "2.0"\n  inputs: {input0: [1, 3, 224, 224]}\n'
        "output:\n  uri: s3://neo-models/compiled/\n  target: ml_c5\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("command", [["validate"], ["create", "--dry-run"]])
def test_sigterm_while_packing_is_143_and_leaves_no_archive(
    env: dict[str, str], tmp_path: Path, command: list[str]
) -> None:
    path = _local_model_spec(tmp_path)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc = subprocess.Popen(
        [NEOCTL, *command, "-f", str(path)],
        env=env | {"TMPDIR": str(tmpdir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, err = _terminate(proc, ready=0.3, until=lambda: any(tmpdir.glob("neoctl-model-*.tar.gz")))
    assert proc.returncode == 143, err
    assert "Traceback" not in err
    assert list(tmpdir.glob("neoctl-model-*")) == []
