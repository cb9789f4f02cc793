"""Tab completion through the real shells, with the committed scripts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from neoctl.testing import Emulator

from .conftest import ROLE, run, seed_job

ROOT = Path(__file__).resolve().parents[2]
BIN = str(Path(sys.executable).parent)
SCRIPTS = {"bash": "neoctl.bash", "zsh": "_neoctl", "fish": "neoctl.fish", "powershell": "neoctl.ps1"}


@pytest.mark.parametrize("shell", sorted(SCRIPTS))
def test_committed_scripts_match_the_app(shell: str, env: dict[str, str]) -> None:
    fresh = subprocess.run(
        [f"{BIN}/neoctl"], env=env | {"_NEOCTL_COMPLETE": f"source_{shell}"}, capture_output=True, text=True, timeout=30
    ).stdout
    committed = (ROOT / "completions" / SCRIPTS[shell]).read_text(encoding="utf-8")
    assert committed == fresh, "completions/ is stale: run `make completions`"


def bash_tab(line: str, env: dict[str, str]) -> tuple[list[str], str]:
    """Candidates bash offers for `line` (completing its last word), and anything printed."""
    words = line.split(" ")
    script = (
        f"source {ROOT / 'completions' / 'neoctl.bash'}\n"
        f"COMP_WORDS=({' '.join(json.dumps(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_neoctl_completion neoctl\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        env=env | {"PATH": f"{BIN}:{env['PATH']}"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    return [c for c in proc.stdout.splitlines() if c], proc.stderr


def test_bash_commands(env: dict[str, str]) -> None:
    candidates, err = bash_tab("neoctl de", env)
    assert sorted(candidates) == ["deploy", "describe", "devices"]
    assert err == ""


def test_bash_enum_values_from_model(env: dict[str, str]) -> None:
    candidates, _ = bash_tab("neoctl list --status ", env)
    assert "COMPLETED" in candidates and "INPROGRESS" in candidates
    candidates, _ = bash_tab("neoctl list --status F", env)
    assert candidates == ["FAILED"]
    candidates, _ = bash_tab("neoctl list --status f", env)
    assert candidates == ["failed"]  # the flag takes any case; Tab keeps the user's
    candidates, _ = bash_tab("neoctl endpoint update prod --config c --retain-all --exclude Desired", env)
    assert candidates == ["DesiredInstanceCount", "DesiredWeight"]


def test_bash_job_names_from_emulator(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    for name in ("resnet50-c5", "resnet18-nano", "bert-inf2"):
        seed_job(clean_emulator, name)
    candidates, err = bash_tab("neoctl describe res", env)
    assert sorted(candidates) == ["resnet18-nano", "resnet50-c5"]
    assert err == ""
    candidates, _ = bash_tab("neoctl stop bert", env)
    assert candidates == ["bert-inf2"]


def test_bash_endpoint_and_config_names(clean_emulator: Emulator, env: dict[str, str]) -> None:
    sm = clean_emulator.client("sagemaker")
    sm.create_model(ModelName="m", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "1.dkr.ecr/x:1"})
    sm.create_endpoint_config(
        EndpointConfigName="prod-v1",
        ProductionVariants=[
            {"VariantName": "main", "ModelName": "m", "InitialInstanceCount": 1, "InstanceType": "ml.c5.large"}
        ],
    )
    sm.create_endpoint(EndpointName="prod", EndpointConfigName="prod-v1")
    assert bash_tab("neoctl endpoint describe pr", env)[0] == ["prod"]
    assert bash_tab("neoctl endpoint update prod --config prod-", env)[0] == ["prod-v1"]


def test_bash_spec_files(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "specs").mkdir()
    candidates, _ = bash_tab(f"neoctl validate -f {tmp_path}/", env)
    assert sorted(candidates) == [f"{tmp_path}/job.yaml", f"{tmp_path}/specs/"]


@pytest.mark.parametrize("endpoint", ["dead", "no-credentials"])
def test_completion_is_silent_and_quick_when_sagemaker_unusable(
    endpoint: str, base_env: dict[str, str], env: dict[str, str]
) -> None:
    if endpoint == "dead":
        use = env | {"AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
    else:
        use = base_env | {"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": env["AWS_ENDPOINT_URL"]}
    started = time.monotonic()
    candidates, err = bash_tab("neoctl describe res", use)
    assert candidates == [] and err == ""
    assert time.monotonic() - started < 10


def test_static_completion_imports_no_boto3(env: dict[str, str], tmp_path: Path) -> None:
    # Warms the API-model cache on disk, as any first use does (a process of its own: one
    # in this process may find the model in memory and write nothing).
    run(["devices", "-o", "json"], env, process=True)
    out = tmp_path / "modules.json"
    code = (
        "import atexit, json, sys\n"
        f"atexit.register(lambda: open({str(out)!r}, 'w').write(json.dumps(sorted(sys.modules))))\n"
        "sys.argv = ['neoctl']\nfrom neoctl.cli.main import run\nrun()\n"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        env=env | {"_NEOCTL_COMPLETE": "complete_bash", "COMP_WORDS": "neoctl list --status ", "COMP_CWORD": "3"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    modules = {m.split(".")[0] for m in json.loads(out.read_text(encoding="utf-8"))}
    assert "neoctl" in modules
    assert not modules & {"boto3", "botocore", "jsonschema"}


def _has(shell: str) -> bool:
    return shutil.which(shell) is not None


@pytest.mark.skipif(not _has("zsh"), reason="zsh is not installed here (apt-get install zsh)")
def test_zsh_candidates(env: dict[str, str]) -> None:
    # Drive the committed function the way compsys does: `words` and CURRENT set, compadd captured.
    script = (
        "compdef() { :; }\n"
        '_arguments() { print -l -- "$@"; }\n'
        'compadd() { print -l -- "$@"; }\n'
        f"source {ROOT / 'completions' / '_neoctl'}\n"
        "words=(neoctl de); CURRENT=2\n"
        "_neoctl_completion\n"
    )
    proc = subprocess.run(
        ["zsh", "-f", "-c", script],
        env=env | {"PATH": f"{BIN}:{env['PATH']}"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert "describe" in proc.stdout and "devices" in proc.stdout, proc.stdout + proc.stderr


@pytest.mark.skipif(not _has("fish"), reason="fish is not installed here (apt-get install fish)")
def test_fish_candidates(env: dict[str, str]) -> None:
    script = f"source {ROOT / 'completions' / 'neoctl.fish'}; complete -C 'neoctl list --status F'"
    proc = subprocess.run(
        ["fish", "--no-config", "-c", script],
        env=env | {"PATH": f"{BIN}:{env['PATH']}"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert "FAILED" in proc.stdout, proc.stdout + proc.stderr


def test_environment_has_no_real_aws() -> None:
    assert "AWS_ACCESS_KEY_ID" not in os.environ or os.environ.get("AWS_ENDPOINT_URL", "").startswith("http://127.")
