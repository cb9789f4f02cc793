"""The one exception → exit code mapper, in process: `handle` itself, then the real app
driven by Typer's CliRunner and by the console entry point `run()`."""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from neoctl.apimodel import load_model
from neoctl.cli import state
from neoctl.cli.errors import handle
from neoctl.cli.main import app, run
from neoctl.errors import (
    BatchIncomplete,
    ConfigError,
    ConnectionFailure,
    Interrupted,
    InvalidInput,
    JobsFailed,
    NeoctlError,
    OutputClosed,
    Problem,
    ServiceError,
    SpecError,
    UsageError,
    WaitTimeout,
)

BAD_SPECS = Path(__file__).resolve().parents[1] / "specs" / "bad"
TARGET_TYPO = (
    "job.yaml:9:11: output.target (OutputConfig.TargetDevice): 'rasp4' is not a valid value (did you mean rasp4b?)"
)


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(state, "_debug", False)
    # The API model cache goes to a tmp dir, never to the home directory.
    monkeypatch.setenv("NEOCTL_CACHE_DIR", str(tmp_path_factory.mktemp("neoctl-cache")))
    load_model.cache_clear()
    yield
    load_model.cache_clear()


# -- handle() ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (UsageError("--exclude only applies with --retain-all", "add --retain-all"), 2),
        (InvalidInput("--timeout: '10x' is not a duration", "e.g. 30m, 1h, 90s"), 252),
        (ConfigError("no AWS region is configured", "pass --region or set AWS_REGION"), 253),
        (ServiceError("DescribeEndpoint failed: ValidationException: no such endpoint", "list endpoints"), 254),
        (BatchIncomplete("1 of 3 job(s) refused", "fix it and run create again"), 254),
        (ConnectionFailure("could not reach the endpoint", "check --endpoint-url"), 255),
        (JobsFailed("1 job(s) failed", "see `neoctl logs resnet50-rasp4b`"), 1),
        (WaitTimeout("--timeout 20m elapsed; 2 job(s) still running", "wait again with `neoctl wait a b`"), 124),
        (Interrupted("cancelled; nothing was changed", "the jobs keep running in SageMaker"), 130),
        (NeoctlError("something neoctl could not do", "try again"), 255),
    ],
)
def test_each_error_class_gives_its_exit_code_message_and_hint(
    exc: NeoctlError, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert handle(exc) == code
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"error: {exc.message}\nhint: {exc.hint}\n"


def test_no_hint_no_hint_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert handle(InvalidInput("invalid request parameters")) == 252
    assert capsys.readouterr().err == "error: invalid request parameters\n"


def test_user_sourced_text_is_shown_literally(capsys: pytest.CaptureFixture[str]) -> None:
    # A job name with Rich markup or an escape sequence must reach the terminal as text.
    assert handle(ServiceError("job [bold]x[/bold] failed: \x1b]0;owned\x07", "run [red]this[/red]")) == 254
    assert capsys.readouterr().err == (
        "error: job [bold]x[/bold] failed: \\x1b]0;owned\\x07\nhint: run [red]this[/red]\n"
    )


def test_long_messages_are_not_wrapped(capsys: pytest.CaptureFixture[str]) -> None:
    message = "CreateCompilationJob failed: ValidationException: " + "x" * 300
    handle(ServiceError(message))
    assert capsys.readouterr().err == f"error: {message}\n"


def test_spec_error_prints_every_problem_on_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    exc = SpecError(
        [
            Problem("jobs/resnet.yaml", "output.target", "'rasp4' is not a valid value", 9, 11, "did you mean rasp4b?"),
            Problem("jobs/resnet.yaml", "model.framework", "'pytorh' is not a framework", 5, 14),
            Problem("jobs/other.yaml", "", "the file is empty", 1),
            Problem("jobs/other.yaml", "role", "is required"),
        ]
    )
    assert handle(exc) == 252
    assert capsys.readouterr().err.splitlines() == [
        "error: jobs/resnet.yaml:9:11: output.target: 'rasp4' is not a valid value (did you mean rasp4b?)",
        "error: jobs/resnet.yaml:5:14: model.framework: 'pytorh' is not a framework",
        "error: jobs/other.yaml:1: the file is empty",
        "error: jobs/other.yaml: role: is required",
        "error: 4 problems in the job spec(s); nothing was sent",
    ]


def test_keyboard_interrupt_is_130(capsys: pytest.CaptureFixture[str]) -> None:
    assert handle(KeyboardInterrupt()) == 130
    assert capsys.readouterr().err == "error: interrupted\n"


def test_botocore_errors_reaching_the_edge_are_translated(capsys: pytest.CaptureFixture[str]) -> None:
    from botocore.exceptions import ClientError, NoRegionError

    exc = ClientError({"Error": {"Code": "ResourceNotFound", "Message": "job x not found"}}, "DescribeCompilationJob")
    assert handle(exc) == 254
    assert capsys.readouterr().err == (
        "error: DescribeCompilationJob failed: ResourceNotFound: job x not found\n"
        "hint: list jobs with `neoctl list --name-contains ...`\n"
    )
    assert handle(NoRegionError()) == 253
    assert capsys.readouterr().err == "error: no AWS region is configured\nhint: pass --region or set AWS_REGION\n"


def _raised(exc: Exception) -> Exception:
    try:
        raise exc
    except Exception as caught:
        return caught


def test_unexpected_error_is_255_with_the_debug_hint_and_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert handle(_raised(RuntimeError("dictionary changed size during iteration"))) == 255
    assert capsys.readouterr().err == (
        "error: unexpected error: RuntimeError: dictionary changed size during iteration\n"
        "hint: run again with --debug to see the traceback\n"
    )


SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> str:
    """A secret registered as neoctl registers resolved credentials (for this test only)."""
    from neoctl import redact

    monkeypatch.setattr(redact, "_secrets", set())
    redact.register_secret(SECRET)
    return SECRET


def test_unexpected_error_message_is_redacted(secret: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert handle(_raised(ValueError(f"bad header value {secret!r}"))) == 255
    assert capsys.readouterr().err == (
        "error: unexpected error: ValueError: bad header value '****'\n"
        "hint: run again with --debug to see the traceback\n"
    )


@pytest.fixture
def debug_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """--debug as the option's callback turns it on; loggers and the flag restored after."""
    names = ("botocore", "boto3", "urllib3", "neoctl")
    saved = {
        n: (logging.getLogger(n).level, list(logging.getLogger(n).handlers), logging.getLogger(n).propagate)
        for n in names
    }
    state.enable_debug()  # monkeypatch (autouse fixture) resets state._debug afterwards
    yield
    for name, (level, handlers, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers[:] = handlers
        logger.propagate = propagate


@pytest.mark.usefixtures("debug_on")
def test_debug_prints_the_traceback_with_secrets_redacted(secret: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert handle(_raised(RuntimeError(f"signing failed with {secret} and AKIAIOSFODNN7EXAMPLE"))) == 255
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert "in _raised\n    raise exc\nRuntimeError: signing failed with **** and ****\n" in err
    assert secret not in err
    assert "AKIAIOSFODNN7EXAMPLE" not in err
    # The traceback is shown already: no hint to ask for it.
    assert err.endswith("error: unexpected error: RuntimeError: signing failed with **** and ****\n")


@pytest.mark.usefixtures("debug_on")
def test_debug_traceback_comes_before_a_neoctl_error_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert handle(_raised(ConfigError("no AWS credentials were found", "run `aws configure`"))) == 253
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert err.endswith(
        "neoctl.errors.ConfigError: no AWS credentials were found\n"
        "error: no AWS credentials were found\nhint: run `aws configure`\n"
    )


def test_output_closed_says_nothing_and_exits_141(capsys: pytest.CaptureFixture[str]) -> None:
    saved = os.dup(1)
    try:
        assert handle(OutputClosed("stdout was closed before the output was written")) == 141
    finally:
        os.dup2(saved, 1)  # handle points fd 1 at /dev/null for Python's last flush
        os.close(saved)
    assert capsys.readouterr().err == ""


# -- the real app through CliRunner -----------------------------------------------------


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def bad_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    shutil.copy(BAD_SPECS / "n02-target-typo.yaml", tmp_path / "job.yaml")
    return "job.yaml"


def test_validate_bad_spec_raises_spec_error_mapped_to_252(
    runner: CliRunner, bad_spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = runner.invoke(app, ["validate", "-f", bad_spec])
    assert isinstance(result.exception, SpecError)
    assert result.stdout == ""
    assert [p.render() for p in result.exception.problems] == [TARGET_TYPO]
    assert handle(result.exception) == 252
    assert capsys.readouterr().err == f"error: {TARGET_TYPO}\nerror: 1 problem in the job spec(s); nothing was sent\n"


def test_create_aws_cli_needs_dry_run(runner: CliRunner, bad_spec: str, capsys: pytest.CaptureFixture[str]) -> None:
    # The flag check comes first: even a bad spec is not read.
    result = runner.invoke(app, ["create", "--aws-cli", "-f", bad_spec])
    assert isinstance(result.exception, UsageError)
    assert handle(result.exception) == 2
    assert capsys.readouterr().err == "error: --aws-cli prints commands instead of sending: use it with --dry-run\n"


def test_click_usage_errors_exit_2_from_the_app_itself(runner: CliRunner) -> None:
    result = runner.invoke(app, ["endpoint", "update", "resnet50-prod"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Missing option '--config'" in result.stderr


@pytest.fixture
def sink(aim_neoctl_at: Callable[[str], None], own_endpoint_sink: Any) -> Any:
    """SageMaker (via AWS_ENDPOINT_URL) at a loopback port that counts connections."""
    aim_neoctl_at(own_endpoint_sink.url)
    return own_endpoint_sink


def test_exclude_without_retain_all_is_usage_and_sends_nothing(
    runner: CliRunner, sink: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sink.connections
    result = runner.invoke(
        app,
        [
            "endpoint",
            "update",
            "resnet50-prod",
            "--config",
            "resnet50-v2",
            "--exclude",
            "DesiredWeight",
            "--yes",
            "--region",
            "us-east-1",
        ],
    )
    assert isinstance(result.exception, UsageError)
    assert handle(result.exception) == 2
    assert capsys.readouterr().err == (
        "error: --exclude only applies with --retain-all\n"
        "hint: add --retain-all to keep the other current variant properties, "
        "or drop --exclude to apply the new config as it is\n"
    )
    assert sink.connections == before


def test_the_sink_does_see_an_update_that_is_allowed_to_ask(
    runner: CliRunner, sink: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Control for the test above: the same update with --retain-all reads the endpoint
    # (the sink answers nothing, so it ends as a connection failure).
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    before = sink.connections
    result = runner.invoke(
        app,
        [
            "endpoint",
            "update",
            "resnet50-prod",
            "--config",
            "resnet50-v2",
            "--retain-all",
            "--exclude",
            "DesiredWeight",
            "--dry-run",
            "--region",
            "us-east-1",
        ],
    )
    assert result.exception is not None
    assert handle(result.exception) == 255
    assert sink.connections > before


# -- the console entry point -----------------------------------------------------------


@pytest.fixture
def neoctl_main(monkeypatch: pytest.MonkeyPatch) -> Callable[..., int]:
    """`neoctl ARGS` through run(), as the console script runs it: its exit status."""
    # Typer installs its own excepthook when the app is called: keep the test process's.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)

    def main(*args: str) -> int:
        monkeypatch.setattr(sys, "argv", ["neoctl", *args])
        with pytest.raises(SystemExit) as exited:
            run()
        gc.unfreeze()  # run() freezes the heap for the process's teardown; this process goes on
        code = exited.value.code
        return code if isinstance(code, int) else 0 if code is None else 1

    return main


def test_run_maps_a_spec_error_to_252(
    neoctl_main: Callable[..., int], bad_spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert neoctl_main("validate", "-f", bad_spec) == 252
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"error: {TARGET_TYPO}\nerror: 1 problem in the job spec(s); nothing was sent\n"


def test_run_maps_usage_errors_to_2(
    neoctl_main: Callable[..., int], bad_spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert neoctl_main("create", "--aws-cli", "-f", bad_spec) == 2
    assert capsys.readouterr().err == "error: --aws-cli prints commands instead of sending: use it with --dry-run\n"
    assert neoctl_main("endpoint", "update", "x", "--config", "y", "--exclude", "DesiredWeight") == 2
    assert capsys.readouterr().err.startswith("error: --exclude only applies with --retain-all\n")
    assert neoctl_main("endpoint", "update", "x") == 2
    assert "Missing option '--config'" in capsys.readouterr().err


def test_run_success_exits_0(neoctl_main: Callable[..., int], capsys: pytest.CaptureFixture[str]) -> None:
    assert neoctl_main("devices", "-o", "json", "--query", "length(TargetDevices) > `0`") == 0
    assert capsys.readouterr().out == "true\n"


def test_run_ctrl_c_in_a_command_exits_130(
    neoctl_main: Callable[..., int], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted() -> dict[str, object]:
        raise KeyboardInterrupt

    monkeypatch.setattr("neoctl.spec.catalog.catalog", interrupted)
    assert neoctl_main("devices") == 130
    assert "Traceback" not in capsys.readouterr().err


def test_run_unexpected_error_is_255_without_traceback(
    neoctl_main: Callable[..., int], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> dict[str, object]:
        raise RuntimeError("the catalog is broken")

    monkeypatch.setattr("neoctl.spec.catalog.catalog", broken)
    assert neoctl_main("devices") == 255
    assert capsys.readouterr().err == (
        "error: unexpected error: RuntimeError: the catalog is broken\n"
        "hint: run again with --debug to see the traceback\n"
    )


# -- local file problems -------------------------------------------------------------------


def _os_error(action: Callable[[], object]) -> OSError:
    try:
        action()
    except OSError as exc:
        return exc
    raise AssertionError("no OSError")


def test_local_file_problems_are_252_naming_the_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "model.tar.gz"
    blocker.write_text("x", encoding="utf-8")
    cases = [
        (_os_error(lambda: open(tmp_path, "wb")), str(tmp_path), "Is a directory"),  # noqa: SIM115
        (_os_error(lambda: (blocker / "out").mkdir()), str(blocker / "out"), "Not a directory"),
        (_os_error(lambda: blocker.mkdir()), str(blocker), "File exists"),
        (PermissionError(13, "Permission denied", "/srv/ro/model.tar.gz"), "/srv/ro/model.tar.gz", "Permission denied"),
        (OSError(28, "No space left on device", "/tmp/x"), "/tmp/x", "No space left on device"),
    ]
    for exc, path, said in cases:
        assert handle(exc) == 252, exc
        err = capsys.readouterr().err
        assert err.startswith(f"error: {path}: {said}\n"), err
        assert "unexpected" not in err and len(err.splitlines()) == 2  # the message and its hint


def test_network_oserrors_are_not_file_problems(capsys: pytest.CaptureFixture[str]) -> None:
    assert handle(ConnectionRefusedError(111, "Connection refused")) == 255
    assert handle(TimeoutError("timed out")) == 255
    assert handle(OSError("no errno, no file")) == 255
    capsys.readouterr()


def test_run_collects_rarely_and_freezes_the_heap_so_teardown_skips_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # Start-up at Python's default threshold runs the collector ~150 times (~0.1 s), and
    # teardown garbage-collects every object left several times over (~0.3 s with
    # botocore's models loaded, bench/RESULTS.md); frozen objects are not scanned.
    import neoctl.apimodel
    from neoctl.cli.main import GC_FIRST_THRESHOLD

    during: list[tuple[int, int, int]] = []
    version = neoctl.apimodel.botocore_version
    monkeypatch.setattr(neoctl.apimodel, "botocore_version", lambda: during.append(gc.get_threshold()) or version())
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(sys, "argv", ["neoctl", "--version"])
    before = gc.get_threshold()
    with pytest.raises(SystemExit):
        run()
    try:
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert during == [(GC_FIRST_THRESHOLD, *before[1:])]
    assert gc.get_threshold() == before  # as it was, for a caller that goes on
