"""What a wait ends with, and when `stop` asks: through the installed command."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

from neoctl.testing import Emulator

from .conftest import NEOCTL, run, spec


def test_success_ends_with_one_summary_line_and_each_compiled_model(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    path = spec(tmp_path, "summed", targets=["ml_c5", "jetson_nano"], tags={"neoctl-emulator:duration": "0.5"})
    res = run(["create", "-f", str(path), "--wait", "--poll", "0.2"], env)
    assert res.code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "2 job(s) finished: 2 COMPLETED"
    assert lines[1].split() == ["summed-ml-c5", "s3://demo-models/compiled/model-ml_c5.tar.gz"]
    assert lines[2].split() == ["summed-jetson-nano", "s3://demo-models/compiled/model-jetson_nano.tar.gz"]
    assert "FailureReason" not in res.stdout  # no empty failure column on success
    data = run(["wait", "summed-ml-c5", "-o", "json"], env).json()
    assert data[0]["S3ModelArtifacts"] == "s3://demo-models/compiled/model-ml_c5.tar.gz"


def test_a_failure_keeps_the_detailed_table(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    tags = {"neoctl-emulator:duration": "0.5", "neoctl-emulator:fail": "ClientError: input0 shape mismatch"}
    run(["create", "-f", str(spec(tmp_path, "tabled", tags=tags))], env)
    res = run(["wait", "tabled", "--poll", "0.2"], env)
    assert res.code == 1
    assert "FailureReason" in res.stdout and "input0 shape mismatch" in res.stdout
    assert "last log lines of tabled" in res.stdout


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run neoctl with a terminal as stdin (where it may ask); "n" is typed ahead, so a
    question is answered no and a command that asks nothing leaves it unread."""
    leader, follower = pty.openpty()
    try:
        os.write(leader, b"n\n")
        proc = subprocess.Popen([NEOCTL, *args], env=env, stdin=follower, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        out, err = proc.communicate(timeout=30)
        return proc.returncode, out + err
    finally:
        os.close(leader)
        os.close(follower)


def test_stop_of_a_finished_job_says_so_without_asking(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    run(["create", "-f", str(spec(tmp_path, "done-already", tags={"neoctl-emulator:duration": "0"}))], env)
    assert run(["wait", "done-already", "--poll", "0.2"], env).code == 0
    code, text = _on_a_terminal(["stop", "done-already"], env)
    assert code == 0, text
    assert "already COMPLETED" in text
    assert "?" not in text  # no question was asked


def test_stop_of_a_running_job_asks_on_a_terminal(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    run(["create", "-f", str(spec(tmp_path, "still-going", tags={"neoctl-emulator:duration": "60"}))], env)
    code, text = _on_a_terminal(["stop", "still-going"], env)
    assert "Stop 1 compilation job(s): still-going?" in text
    assert code == 130  # answered no: nothing was changed
    status = run(["describe", "still-going", "-o", "json", "--query", "CompilationJobStatus"], env).json()
    assert status in ("STARTING", "INPROGRESS")


def test_a_known_failure_comes_with_a_hint(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    reason = ("ClientError: TVM cannot convert the PyTorch model. Invalid model or input-shape mismatch. "
              "Make sure that inputs are lexically ordered and of the correct dimensionality.")
    tags = {"neoctl-emulator:duration": "0.3", "neoctl-emulator:fail": reason}
    run(["create", "-f", str(spec(tmp_path, "hinted", tags=tags))], env)
    waited = run(["wait", "hinted", "--poll", "0.2"], env)
    assert waited.code == 1
    assert "hint for hinted:" in waited.stdout and "model.inputs" in waited.stdout
    as_json = run(["wait", "hinted", "-o", "json"], env).json()[0]
    assert "model.inputs" in as_json["Hint"]["Action"] and as_json["Hint"]["Source"]
    described = run(["describe", "hinted"], env)
    assert "hint:" in described.stdout and "model.inputs" in described.stdout
    document = run(["describe", "hinted", "-o", "json"], env).json()
    assert "Hint" not in document and document["FailureReason"] == reason  # SageMaker's document, untouched
