"""The printer: data to stdout, messages to stderr, JSON never wrapped."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from neoctl.errors import UsageError
from neoctl.output import Printer


def _printer(output: str, query: str | None = None) -> tuple[Printer, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Printer(output, query, stdout=out, stderr=err), out, err


def test_json_unwrapped_with_iso_times_and_markup_kept() -> None:
    printer, out, err = _printer("json")
    name = "[bold]" + "x" * 300
    printer.data({"Name": name, "When": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)})
    assert json.loads(out.getvalue()) == {"Name": name, "When": "2026-01-02T03:04:05+00:00"}
    assert err.getvalue() == ""


def test_query_applies_before_format() -> None:
    printer, out, _ = _printer("yaml", "Jobs[].Name")
    printer.data({"Jobs": [{"Name": "a"}, {"Name": "b"}]})
    assert out.getvalue() == "- a\n- b\n"


def test_bad_query_is_usage_error() -> None:
    printer, _, _ = _printer("json", "Jobs[?")
    with pytest.raises(UsageError):
        printer.data({"Jobs": []})


def test_messages_go_to_stderr_escaped() -> None:
    printer, out, err = _printer("table")
    printer.error("job [red]x[/red] failed", "try [b]this[/b]")
    assert out.getvalue() == ""
    assert "job [red]x[/red] failed" in err.getvalue()
    assert "try [b]this[/b]" in err.getvalue()
