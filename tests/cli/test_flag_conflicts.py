"""Flags that contradict each other exit 2 naming both, before anything is sent."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Runner

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "pytorch.yaml")


@pytest.mark.parametrize(
    ("args", "flags"),
    [
        (["create", "-f", EXAMPLE, "--dry-run", "--wait"], ("--dry-run", "--wait")),
        (["create", "-f", EXAMPLE, "--dry-run", "--timeout", "1m"], ("--timeout", "--wait")),
        (["create", "-f", EXAMPLE, "--timeout", "1m"], ("--timeout", "--wait")),
        (["stop", "some-job", "--yes", "--timeout", "1m"], ("--timeout", "--wait")),
    ],
)
def test_contradicting_flags_exit_2_naming_both(
    offline_neoctl: Runner, tmp_path: Path, args: list[str], flags: tuple[str, str]
) -> None:
    res = offline_neoctl(*args, cwd=tmp_path)
    assert res.code == 2, (res.code, res.stderr)
    assert all(flag in res.stderr for flag in flags), res.stderr
    assert "Traceback" not in res.stderr and res.stdout == ""
