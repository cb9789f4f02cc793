"""docs/reliability.md quotes counts from the tests; keep them true."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")


def _count_yaml(folder: Path) -> int:
    return len(list(folder.glob("*.yaml")))


def _defs(path: Path, prefix: str) -> int:
    return len(re.findall(rf"^def {prefix}", path.read_text(encoding="utf-8"), re.M))


def test_corpus_counts() -> None:
    assert f"| {_count_yaml(ROOT / 'tests' / 'specs' / 'bad')} *(checked)* files" in DOC
    shared = ROOT.parent / "shared" / "specs" / "bad"
    if shared.is_dir():
        assert f"| {_count_yaml(shared)} *(checked)* files" in DOC


def test_fault_counts() -> None:
    text = (ROOT / "tests" / "e2e" / "test_faults.py").read_text(encoding="utf-8")
    operations = len(re.findall(r'^    \(\["', text, re.M))
    kinds = len(re.search(r'"kind", \[([^\]]*)\]', text).group(1).split(","))  # type: ignore[union-attr]
    assert f"| {operations * kinds} *(checked)*: {kinds} kinds × {operations} operations" in DOC
    assert f"| {operations} *(checked)*: one per operation" in DOC


def test_hypothesis_counts() -> None:
    batch = (ROOT / "tests" / "spec" / "test_batch.py").read_text(encoding="utf-8")
    assert set(re.findall(r"max_examples=(\d+)", batch)) == {"150"}
    assert len(re.findall(r"max_examples=150", batch)) == 3
    assert "3 properties × 150 examples *(checked)*" in DOC
    shells = (ROOT / "tests" / "spec" / "test_awscli_shells.py").read_text(encoding="utf-8")
    assert "max_examples=60" in shells and "60 Hypothesis examples per shell *(checked)*" in DOC


def test_archive_counts() -> None:
    assert f"| {_defs(ROOT / 'tests' / 'models' / 'test_extract.py', 'test_')} *(checked)* tests" in DOC
