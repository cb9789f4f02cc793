"""Escapes in human output and in JSON: nothing that moves the cursor, sets a title or
reorders text reaches the terminal raw; JSON stays valid and carries the same data."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from neoctl.output import Printer
from neoctl.output.printer import printable
from neoctl.output.specs import job_summary

if TYPE_CHECKING:
    from conftest import Runner

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pytorch.yaml"
HOSTILE = ["\x1b]0;title\x07", "\x1b[2J", "\x9b31m", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029", "\x7f"]
RAW = set("\x1b\x07\x9b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\x7f")


@pytest.mark.parametrize("bad", HOSTILE)
def test_printable_neutralises(bad: str) -> None:
    assert not RAW & set(printable(f"a{bad}b"))


def test_bidi_and_separators_shown_as_u_escapes() -> None:
    assert printable("x\u202ey\u2028z") == "x\\u202ey\\u2028z"
    assert printable("café → ml_c5") == "café → ml_c5"  # ordinary non-ASCII unchanged


def test_job_summary_neutralises_the_file_name() -> None:
    row = {"CompilationJobName": "j", "Model": "PYTORCH", "Target": "ml_c5", "File": "a\x1b]0;x\x07\u202e.yaml"}
    line = job_summary({**row, "Line": 1})
    assert not RAW & set(line)
    assert "a\\x1b]0;x\\x07\\u202e.yaml:1" in line


@pytest.mark.parametrize("output", ["json", "table"])
def test_json_writer_escapes_c1_bidi_and_separators(output: str) -> None:
    out = io.StringIO()
    value = {"Name": "a\x9b\u202e\u2028\u2029\x7f\x85b é"}
    Printer(output, stdout=out, stderr=io.StringIO()).data(value)  # no table: JSON either way
    text = out.getvalue()
    assert not RAW & set(text) and "\x85" not in text
    assert "é" in text  # still readable
    assert json.loads(text) == value  # same data


def test_validate_ok_line_escapes_the_file_name(offline_neoctl: Runner, tmp_path: Path) -> None:
    name = "job\x1b]0;pwned\x07\x9b2J\u202e.yaml"
    shutil.copy(EXAMPLE, tmp_path / name)
    res = offline_neoctl("validate", "-f", name, cwd=tmp_path)
    assert res.code == 0, res.stderr
    assert not RAW & set(res.stdout), repr(res.stdout)
    assert "\\x1b]0;pwned\\x07\\x9b2J\\u202e.yaml" in res.stdout


@pytest.mark.parametrize("bad", [*HOSTILE, "\x85"])
def test_yaml_writer_escapes_controls_bidi_and_separators_and_round_trips(bad: str) -> None:
    # A job name and a tag, as `describe -o yaml` prints them; PyYAML's allow_unicode wrote
    # U+2028, U+202E and the isolates raw.
    value = {
        "CompilationJobName": f"job{bad}x",
        "Tags": [{"Key": "owner", "Value": f"é{bad}→"}],
        "Plain": "café → ml_c5",
    }
    out = io.StringIO()
    Printer("yaml", stdout=out, stderr=io.StringIO()).data(value)
    text = out.getvalue()
    assert not RAW & set(text) and "\x85" not in text, repr(text)
    assert "Plain: café → ml_c5" in text  # text without them stays readable
    assert yaml.safe_load(text) == value  # valid YAML, the same data
