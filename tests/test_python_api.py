"""The Python API: what `neoctl` exports, that importing it is light, and that the
example in docs/python-api.md runs against the emulator as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import neoctl
from neoctl.testing import Emulator

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "python-api.md"


def test_every_exported_name_resolves() -> None:
    for name in neoctl.__all__:
        assert getattr(neoctl, name) is not None, name
    with pytest.raises(AttributeError):
        neoctl.no_such_function  # noqa: B018


def test_importing_neoctl_imports_no_boto3_or_cli() -> None:
    code = "import sys, neoctl; neoctl.load_batch; print(sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for heavy in ("'boto3'", "'botocore'", "'typer'", "'rich'", "'neoctl.cli'"):
        assert heavy not in out


def test_the_documented_example_runs_against_the_emulator(tmp_path: Path) -> None:
    block = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, "docs/python-api.md has no python example"
    with Emulator(job_seconds=1.0, transition_seconds=0.2) as emulator:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")} | {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_ENDPOINT_URL": emulator.endpoint_url,
            "AWS_CONFIG_FILE": str(tmp_path / "none"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
            "NEOCTL_CACHE_DIR": str(tmp_path / "cache"),
        }
        proc = subprocess.run(
            [sys.executable, "-c", block.group(1)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
    assert proc.returncode == 0, proc.stderr
    name, status, artifacts = proc.stdout.splitlines()[0].split()
    assert (name, status) == ("resnet50-pytorch-c5", "COMPLETED")
    assert artifacts.startswith("s3://my-bucket/compiled/resnet50/")


def test_every_function_of_the_api_is_in_the_documented_table() -> None:
    """docs/python-api.md's table names every function `neoctl.__all__` exports."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "python-api.md").read_text(encoding="utf-8")
    table = "\n".join(line for line in text.splitlines() if line.startswith("| `"))
    documented = set(re.findall(r"\b([a-z][a-z_]*)\(", table))
    functions = {name for name in neoctl.__all__ if name[0].islower()}
    assert functions - documented == set(), "add these to docs/python-api.md's table"
