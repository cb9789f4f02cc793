"""What a user sees at 80 columns, piped and on a terminal (issue 23, items 10, 11, 13, 14):
no bare title before the data, one table per wait, one hint per reason, log lines whole,
an empty list said on stderr, hidden columns named, the endpoint wait's column."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import threading
from pathlib import Path

import pytest

from neoctl.testing import Emulator

from .conftest import NEOCTL, ROLE, run, seed_job, spec

REASON = (
    "ClientError: InputConfiguration: input shape mismatch for s3://demo-models/resnet50/model.tar.gz - 1 3 299 299"
)
TARGETS = ["ml_c5", "ml_m5", "ml_c4", "ml_m4"]


@pytest.fixture
def narrow(env: dict[str, str]) -> dict[str, str]:
    return env | {"COLUMNS": "80"}


def _failing(emulator: Emulator, tmp_path: Path, env: dict[str, str], name: str = "shape") -> list[str]:
    tags = {"neoctl-emulator:duration": "0.3", "neoctl-emulator:fail": REASON}
    created = run(["create", "-f", str(spec(tmp_path, name, targets=TARGETS, tags=tags)), "-o", "json"], env)
    assert created.code == 0, created.stderr
    return [row["CompilationJobName"] for row in created.json()]


def test_a_failed_wait_prints_one_table_one_hint_and_whole_log_lines(
    clean_emulator: Emulator, narrow: dict[str, str], tmp_path: Path
) -> None:
    names = _failing(clean_emulator, tmp_path, narrow)
    res = run(["wait", *names, "--poll", "0.2"], narrow)
    assert res.code == 1
    lines = res.stdout.splitlines()
    assert lines[0].startswith("┏"), res.stdout  # the table, no bare "result" line first
    flat = " ".join(res.stdout.split())
    assert flat.count("hint for ") == 1 and f"hint for {', '.join(names)}: TVM could not convert" in flat
    assert "(source:" not in res.stdout and "github.com" not in res.stdout
    for name in names:  # the emulator's last log line holds the reason: whole, greppable
        assert any(f"Compilation job {name} failed. FailureReason: {REASON}" in line for line in lines), res.stdout
    as_json = run(["wait", *names, "-o", "json"], narrow).json()
    assert all(row["Hint"]["Source"] for row in as_json)  # the JSON document is unchanged


def test_a_failed_create_wait_starts_stdout_with_its_table(
    clean_emulator: Emulator, narrow: dict[str, str], tmp_path: Path
) -> None:
    tags = {"neoctl-emulator:duration": "0.3", "neoctl-emulator:fail": REASON}
    res = run(["create", "-f", str(spec(tmp_path, "once", tags=tags)), "--wait", "--poll", "0.2"], narrow)
    assert res.code == 1
    assert res.stdout.splitlines()[0].startswith("┏"), res.stdout


def test_stop_starts_stdout_with_its_table(clean_emulator: Emulator, narrow: dict[str, str]) -> None:
    seed_job(clean_emulator, "long-one", **{"neoctl-emulator:duration": "60"})
    res = run(["stop", "long-one", "--yes"], narrow)
    assert res.code == 0, res.stderr
    assert res.stdout.splitlines()[0].startswith("┏"), res.stdout


def test_an_empty_list_says_so_on_stderr_and_prints_nothing(clean_emulator: Emulator, narrow: dict[str, str]) -> None:
    res = run(["list", "--name-contains", "nothing-like-this"], narrow)
    assert res.code == 0 and res.stdout == ""
    assert "no compilation jobs match" in res.stderr
    assert run(["list", "--name-contains", "nothing-like-this", "-o", "json"], narrow).json() == {
        "CompilationJobSummaries": []
    }
    trials = run(["trials"], narrow)
    assert trials.code == 0 and trials.stdout == "" and "no trials match" in trials.stderr
    assert run(["trials", "-o", "json"], narrow).json() == {"TrialSummaries": []}


def test_list_names_the_columns_a_narrow_terminal_hides(clean_emulator: Emulator, narrow: dict[str, str]) -> None:
    long = "yolo-edge-jetson-xavier-int8-batch16-nhwc-224x224-v20260102-a1b"
    seed_job(clean_emulator, long, **{"neoctl-emulator:duration": "0"})
    res = run(["list"], narrow)
    assert res.code == 0 and long in res.stdout
    assert res.stderr.count("hidden at 80 columns") == 1, res.stderr
    assert "Created and Duration hidden at 80 columns: -o json or a wider terminal shows them" in res.stderr
    assert "hidden" not in run(["list"], narrow | {"COLUMNS": "200"}).stderr


# -- on a terminal ------------------------------------------------------------------------
def _on_a_terminal(args: list[str], env: dict[str, str], stdout_too: bool) -> tuple[int, str]:
    """neoctl with stderr (and with `stdout_too` stdout) on an 80x40 terminal: its code and
    what it wrote there, raw."""
    leader, follower = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    env = env | {"COLUMNS": "80", "LINES": "40", "TERM": "xterm"}
    try:
        proc = subprocess.run(
            [NEOCTL, *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=follower if stdout_too else subprocess.PIPE,
            stderr=follower,
            timeout=60,
            check=False,
        )
    finally:
        os.close(follower)
        reader.join(timeout=5)
        os.close(leader)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def screen(raw: str) -> list[str]:
    """The lines a terminal shows after `raw`: line feeds, cursor up and erase line applied
    (what a live view uses to redraw); styles and cursor hiding dropped."""
    lines, row = [""], 0
    for token in re.findall(r"\x1b\[[0-9;?]*[A-Za-z]|\r|\n|[^\x1b\r\n]+", raw):
        if token == "\n":
            row += 1
            lines += [""] * (row + 1 - len(lines))
        elif token.startswith("\x1b[") and token.endswith("A"):
            row -= int(token[2:-1] or 1)
        elif token == "\x1b[2K":
            lines[row] = ""
        elif token != "\r" and not token.startswith("\x1b"):
            lines[row] += token
    return [line for line in lines if line.strip()]


def test_on_a_terminal_the_statuses_show_once(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    names = _failing(clean_emulator, tmp_path, env, "seen")
    code, raw = _on_a_terminal(["wait", *names, "--poll", "0.2"], env, stdout_too=True)
    assert code == 1
    shown = screen(raw)
    assert sum("┃ Job" in line for line in shown) == 1, "\n".join(shown)  # one table, the result's
    assert any(re.fullmatch(r"waiting for 4 job\(s\): 4/4 finished, 4 failed, \d+s", line) for line in shown)
    assert all(len(line) <= 80 for line in shown if line[:1] in "┏┃┡│└")


def test_the_endpoint_wait_names_its_column_endpoint(clean_emulator: Emulator, env: dict[str, str]) -> None:
    sm = clean_emulator.client("sagemaker")
    sm.create_model(
        ModelName="resnet", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "1.dkr.ecr.us-east-1.amazonaws.com/x:1"}
    )
    for config in ("cfg-v1", "cfg-v2"):
        sm.create_endpoint_config(
            EndpointConfigName=config,
            ProductionVariants=[
                {
                    "VariantName": "main",
                    "ModelName": "resnet",
                    "InitialInstanceCount": 1,
                    "InstanceType": "ml.c5.xlarge",
                }
            ],
        )
    sm.create_endpoint(EndpointName="resnet50-prod", EndpointConfigName="cfg-v1")
    args = ["endpoint", "update", "resnet50-prod", "--config", "cfg-v2", "--yes", "--wait", "--poll", "0.2"]
    code, raw = _on_a_terminal(args, env, stdout_too=False)
    assert code == 0, raw
    drawn = re.sub(r"\x1b\[[0-9;]*m", "", raw)  # each drawing of the live table, styles off
    assert "┃ Endpoint " in drawn and "┃ Job " not in drawn, drawn
