"""The pre-commit hook runs `neoctl validate --strict` on the files pre-commit passes."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
NEOCTL = str(Path(sys.executable).parent / "neoctl")


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "neoctl-validate"]
    return dict(hook)


def _run_hook(files: list[str], offline_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # pre-commit appends the staged file names to the entry.
    entry = shlex.split(str(_hook()["entry"]))
    assert entry[0] == "neoctl"
    return subprocess.run(
        [NEOCTL, *entry[1:], *files], cwd=ROOT, env=offline_env, capture_output=True, text=True, timeout=60
    )


def test_the_hook_passes_good_specs_and_fails_bad_ones(offline_env: dict[str, str], tmp_path: Path) -> None:
    good = _run_hook(["examples/pytorch.yaml", "examples/xgboost.yaml", "examples/fanout.yaml"], offline_env)
    assert good.returncode == 0, good.stderr
    bad = tmp_path / "job.yaml"
    bad.write_text("name: x\nrole: nope\n", encoding="utf-8")
    refused = _run_hook(["examples/pytorch.yaml", str(bad)], offline_env)
    assert refused.returncode == 252
    assert str(bad) in refused.stderr


def test_the_hook_picks_spec_files_not_every_yaml() -> None:
    pattern = re.compile(str(_hook()["files"]))
    for path in ("compile/resnet.yaml", "neoctl/jobs/a.yml", "models/resnet.neoctl.yaml"):
        assert pattern.search(path), path
    for path in (".github/workflows/ci.yaml", "docker-compose.yml", ".pre-commit-config.yaml"):
        assert not pattern.search(path), path
