"""End-to-end fixtures: `neoctl` run as a user runs it (in-process or installed) against the emulator."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import inprocess
import pytest

from neoctl.testing import Emulator

NEOCTL = str(Path(sys.executable).parent / "neoctl")
ROLE = "arn:aws:iam::123456789012:role/SageMakerNeoRole"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    with Emulator(job_seconds=2.0, transition_seconds=0.5) as emu:
        yield emu


@pytest.fixture
def clean_emulator(emulator: Emulator) -> Emulator:
    emulator.reset()
    return emulator


@pytest.fixture
def base_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment with no AWS settings at all: no credentials, region or config."""
    home = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        {
            "HOME": str(home),
            "NEOCTL_CACHE_DIR": str(home / "cache"),
            "AWS_CONFIG_FILE": str(home / "aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "NO_COLOR": "1",
            "COLUMNS": "200",
        }
    )
    return env


@pytest.fixture
def env(base_env: dict[str, str], emulator: Emulator) -> dict[str, str]:
    """Credentials, region and endpoint of the emulator, as a user would export them."""
    return base_env | {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": emulator.endpoint_url,
    }


def run(
    args: list[str],
    env: dict[str, str],
    cwd: Path | None = None,
    stdin: str | None = None,
    timeout: float = 60,
    *,
    process: bool = False,
) -> Result:
    """`neoctl ARGS` as a user runs it: in this process (tests/inprocess.py) unless
    `process` asks for the installed command in a subprocess of its own."""
    if not process and inprocess.wanted(args):
        code, stdout, stderr, _ = inprocess.run(args, env, cwd, stdin)
        assert "Traceback" not in stderr, stderr
        return Result(code, stdout, stderr)
    proc = subprocess.run(
        [NEOCTL, *args], env=env, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=timeout
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return Result(proc.returncode, proc.stdout, proc.stderr)


def on_a_terminal(args: list[str], env: dict[str, str], typed: bytes = b"n\n") -> tuple[int, str]:
    """The installed neoctl with a terminal as stdin (where it may ask); `typed` is typed
    ahead ("n": a question is answered no; a command that asks nothing leaves it unread).
    Returns the exit code and stdout + stderr."""
    leader, follower = pty.openpty()
    try:
        os.write(leader, typed)
        proc = subprocess.Popen(
            [NEOCTL, *args], env=env, stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        out, err = proc.communicate(timeout=30)
        return proc.returncode, out + err
    finally:
        os.close(leader)
        os.close(follower)


def spec(
    tmp_path: Path,
    name: str,
    targets: list[str] | None = None,
    tags: dict[str, str] | None = None,
    target: str = "ml_c5",
) -> Path:
    """A neoctl-form spec file (fan-out when `targets` is given)."""
    lines = [
        f"name: {name}",
        f"role: {ROLE}",
        "model:",
        "  uri: s3://demo-models/resnet50/model.tar.gz",
        "  framework: pytorch",
        '  framework_version: "2.0"',
        "  inputs: {input0: [1, 3, 224, 224]}",
        "output:",
        "  uri: s3://demo-models/compiled/",
    ]
    lines += [f"  targets: [{', '.join(targets)}]"] if targets else [f"  target: {target}"]
    lines.append("max_runtime: 15m")
    if tags:
        lines.append("tags:")
        lines += [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in tags.items()]
    path = tmp_path / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def seed_job(emulator: Emulator, name: str, **tags: str) -> None:
    """A compilation job created straight through the emulator's API, past neoctl's checks
    (for values neoctl would refuse, or for many jobs quickly). Tags steer the emulator:
    seed_job(emu, "x", **{"neoctl-emulator:fail": "reason", "neoctl-emulator:duration": "0"})."""
    emulator.client("sagemaker").create_compilation_job(
        CompilationJobName=name,
        RoleArn=ROLE,
        InputConfig={"S3Uri": "s3://b/m.tar.gz", "Framework": "XGBOOST"},
        OutputConfig={"S3OutputLocation": "s3://b/out/", "TargetDevice": "ml_c5"},
        StoppingCondition={"MaxRuntimeInSeconds": 900},
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )
