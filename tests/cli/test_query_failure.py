"""A --query that fails on the result, and usage errors after a change: never exit 2 once
a command may have changed something (the e2e side: tests/e2e/test_exit_after_change.py)."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace
from typing import Any

import pytest

from neoctl.api import session
from neoctl.cli import options, state
from neoctl.cli.errors import handle
from neoctl.cli.printer import printer
from neoctl.errors import EXIT_OTHER, EXIT_USAGE, QueryFailed, UsageError
from neoctl.output import Printer


def _printer(output: str, query: str) -> tuple[Printer, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Printer(output, query, stdout=out, stderr=err), out, err


def test_a_query_failing_on_the_result_prints_it_unqueried_then_raises_query_failed() -> None:
    made, out, err = _printer("json", "abs(@)")
    with pytest.raises(QueryFailed) as info:
        made.data({"Jobs": [{"Name": "a"}]})
    assert info.value.exit_code == EXIT_OTHER
    assert json.loads(out.getvalue()) == {"Jobs": [{"Name": "a"}]}
    assert "--query 'abs(@)' failed on the result: abs() takes number, and was given object" in err.getvalue()


def test_the_reason_never_quotes_the_whole_result() -> None:
    made, _, err = _printer("json", "abs(@)")
    with pytest.raises(QueryFailed):
        made.data({"Jobs": [{"Name": "x" * 5000}]})
    assert len(err.getvalue()) < 300


def test_a_deferred_failure_lets_the_command_go_on() -> None:
    made, out, _ = _printer("yaml", "sort(@)")
    made.defer_query_failure = True
    made.data([1, "a"])  # a command's later steps (a wait) still run; its edge raises
    made.data([2])
    assert made.query_failure is not None
    assert out.getvalue() == "- 1\n- a\n- 2\n"


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("Jobs[?", "invalid --query"),
        ("lenght(@)", "unknown function lenght() (did you mean length()?)"),
        ("Jobs[].abs(@, @)", "abs() takes 1 argument(s), 2 given"),
        ("merge()", "merge() takes at least 1 argument(s), 0 given"),
    ],
)
def test_a_query_wrong_on_any_result_is_a_usage_error_up_front(query: str, said: str) -> None:
    with pytest.raises(UsageError) as info:
        printer("json", query)
    assert said in info.value.message and info.value.exit_code == EXIT_USAGE


def test_functions_with_the_right_arguments_pass() -> None:
    printer("json", "length(Jobs[?contains(Name, 'a')]) > `0` && not_null(a, b) != merge(@, @)")


def test_the_printer_of_an_aws_command_defers_and_others_raise() -> None:
    state.begin_command()
    try:
        inside = printer("json", "abs(@)")
    finally:
        kept = state.end_command()
    assert inside.defer_query_failure and kept == [inside]
    assert not printer("json", "abs(@)").defer_query_failure  # devices: nothing follows its data


def _sent(*operations: str) -> None:
    session.forget_changes()
    for name in operations:
        session._note_change(SimpleNamespace(name=name))


def test_only_requests_that_may_change_something_are_counted() -> None:
    _sent("DescribeEndpoint", "ListTags", "GetRole", "HeadObject", "CreateModel", "PutObject", "PutObject")
    assert session.changes_sent() == {"CreateModel": 1, "PutObject": 2}
    session.forget_changes()
    assert session.changes_sent() == {}


def test_a_usage_error_after_a_change_ends_255_naming_what_was_sent(capsys: pytest.CaptureFixture[str]) -> None:
    _sent("CreateModel", "CreateEndpointConfig")
    try:
        converted = options._after_change(UsageError("--thing is wrong", "drop --thing"))
    finally:
        session.forget_changes()
    assert handle(converted) == EXIT_OTHER
    err = capsys.readouterr().err
    assert "--thing is wrong (after CreateModel, CreateEndpointConfig was sent: what it changed stands)" in err
    assert "hint: drop --thing" in err


def test_a_usage_error_before_any_change_stays_2() -> None:
    session.forget_changes()
    error = UsageError("--thing is wrong")
    assert options._after_change(error) is error and handle(error) == EXIT_USAGE


def test_a_command_raising_a_usage_error_after_a_change_never_exits_2() -> None:
    # Through the decorator every AWS command has: whatever raises it, 2 is not said once a
    # request that changes something went out.
    @options.aws_command()
    def command(common: options.Common) -> None:
        session._note_change(SimpleNamespace(name="UpdateEndpoint"))
        raise UsageError("found too late")

    class Context:
        command = SimpleNamespace(params=[])

        def get_parameter_source(self, name: str) -> Any:
            return None

    given: dict[str, Any] = {"output": options.OutputFormat.json, "query": None, "profile": None}
    given |= {"region": None, "endpoint_url": None, "debug": False, options._CONTEXT: Context()}
    with pytest.raises(Exception) as info:
        command(**given)
    assert not isinstance(info.value, UsageError)
    assert handle(info.value) == EXIT_OTHER
    session.forget_changes()
