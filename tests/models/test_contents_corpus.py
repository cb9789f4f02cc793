"""The pending bad-spec cases (tests/specs/pending-contents) each fail the contents check as listed.

Stand-in until `neoctl validate` runs the check and the cases move to tests/specs/bad/
(see that folder's README); delete this file then.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from neoctl.errors import InvalidInput
from neoctl.models.contents import check_contents, list_model

PENDING = Path(__file__).resolve().parents[1] / "specs" / "pending-contents"


def _rows() -> list[tuple[str, int, str]]:
    rows = []
    for line in (PENDING / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, code, word = line.split("\t")
            rows.append((name, int(code), word))
    return rows


def test_every_pending_case_is_listed() -> None:
    assert sorted(r[0] for r in _rows()) == sorted(p.name for p in PENDING.glob("*.yaml"))
    assert len(_rows()) >= 6


@pytest.mark.parametrize(("name", "code", "word"), _rows(), ids=[r[0] for r in _rows()])
def test_pending_case_is_refused_by_the_contents_check(name: str, code: int, word: str) -> None:
    spec = PENDING / name
    model = yaml.safe_load(spec.read_text(encoding="utf-8"))["model"]
    assert code == InvalidInput.exit_code
    try:
        problems = check_contents(model["framework"], list_model(spec.parent / model["path"]))
    except InvalidInput as exc:
        assert word.casefold() in exc.message.casefold()
        return
    errors = [p.message for p in problems if p.level == "error"]
    assert errors, problems
    assert any(word.casefold() in e.casefold() for e in errors), errors
