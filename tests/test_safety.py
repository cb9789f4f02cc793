"""Guards on the code itself: no shell=True, no unsafe YAML, no eval/exec, no pickle,
and the lint rules that catch them stay switched on."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "neoctl").rglob("*.py"), *(ROOT / "scripts").rglob("*.py")])

FORBIDDEN = {
    "shell=True": re.compile(r"shell\s*=\s*True"),
    "unsafe YAML loading": re.compile(r"yaml\.(load|load_all|unsafe_load|full_load)\(|UnsafeLoader|FullLoader"),
    "eval/exec": re.compile(r"(?<![\w.])(eval|exec)\("),
    "pickle/marshal": re.compile(r"^\s*(import|from)\s+(pickle|marshal|shelve|dill)\b", re.M),
    "os.system/popen": re.compile(r"os\.(system|popen)\("),
}


@pytest.mark.parametrize("what", sorted(FORBIDDEN))
def test_no_dangerous_calls(what: str) -> None:
    hits = [
        f"{p.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}"
        for p in SOURCES
        for text in [p.read_text(encoding="utf-8")]
        for m in FORBIDDEN[what].finditer(text)
    ]
    assert not hits, f"{what} in {hits}"


def test_security_lint_rules_stay_enabled() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = config["tool"]["ruff"]["lint"]
    assert "S" in lint["select"]  # flake8-bandit: S602 shell=True, S506 yaml.load, S307 eval, S301 pickle
    assert "T20" in lint["select"]  # print() only in the output layer
    for rule in ("S602", "S506", "S307", "S301", "S603"):
        assert rule not in lint.get("ignore", [])


def test_no_print_outside_output_layer() -> None:
    hits = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "neoctl").rglob("*.py")
        if "output" not in p.parts
        and re.search(r"(?<![\w.])print\(", p.read_text(encoding="utf-8"))
        and p.name != "__main__.py"
    ]
    assert not hits
