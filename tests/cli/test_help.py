"""Every command explains itself: purpose, every option, an example; docs/cli-reference.md
is what the app prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from neoctl.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def _leaves() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []

    def walk(cmd: object, name: str) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for sub_name, sub in subs.items():
                walk(sub, f"{name} {sub_name}".strip())
        else:
            found.append((name, cmd))

    walk(get_command(app), "")
    return found


LEAVES = _leaves()


def test_all_commands_found() -> None:
    names = {name for name, _ in LEAVES}
    assert {
        "validate",
        "create",
        "describe",
        "list",
        "stop",
        "wait",
        "logs",
        "trials",
        "devices",
        "schema",
        "endpoint update",
        "endpoint describe",
        "update-endpoint",
    } <= names


@pytest.mark.parametrize(("name", "command"), LEAVES, ids=[n for n, _ in LEAVES])
def test_help_has_purpose_options_and_example(name: str, command: object) -> None:
    result = CliRunner().invoke(app, [*name.split(), "--help"], prog_name="neoctl")
    assert result.exit_code == 0
    text = result.output
    help_text = getattr(command, "help", "") or ""
    assert help_text.strip().splitlines()[0].strip().endswith((".", ")")), "a one-line purpose"
    assert (
        "neoctl " + ("endpoint update" if name == "update-endpoint" else name) in text.split("Options:")[0]
        or name == "update-endpoint"
    ), "an example invocation"
    for param in getattr(command, "params", []):
        if getattr(param, "param_type_name", "") == "option" and "--help" not in param.opts:
            assert getattr(param, "help", None), f"{name}: {param.opts} has no help"


def test_alias_shows_examples_too() -> None:
    text = CliRunner().invoke(app, ["update-endpoint", "--help"], prog_name="neoctl").output
    assert "neoctl endpoint update resnet50-prod" in text


def test_cli_reference_is_current() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_reference.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, "docs/cli-reference.md is stale: run `make reference`"


def test_version_names_neoctl_and_botocore() -> None:
    from importlib.metadata import version

    result = CliRunner().invoke(app, ["--version"], prog_name="neoctl")
    assert result.exit_code == 0
    assert result.output.startswith("neoctl ")
    assert f"botocore {version('botocore')}" in result.output


AWS_OPTIONS = ["--profile", "--region", "--endpoint-url", "--debug"]
OFFLINE = {"devices", "schema"}


@pytest.mark.parametrize(("name", "command"), [leaf for leaf in LEAVES if leaf[0] not in OFFLINE])
def test_every_aws_command_ends_with_the_same_shared_options(name: str, command: object) -> None:
    # Users find -o/--query and the AWS options in one place and one order on every command.
    opts = [p.opts[0] for p in command.params if p.opts[0].startswith("-")]  # type: ignore[attr-defined]
    # Commands whose output is raw (an endpoint's log lines and answer) take no -o/--query.
    raw = {"endpoint logs", "endpoint invoke"}
    shared = AWS_OPTIONS if name in raw else ["--output", "--query", *AWS_OPTIONS]
    assert opts[-len(shared) :] == shared, opts
