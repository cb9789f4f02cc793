"""`update-endpoint` is an alias of `endpoint update` (issue 23 item 24): the same function,
so the same flags and behaviour; its help and the root's --help say so."""

from __future__ import annotations

from typer.main import get_command
from typer.testing import CliRunner

from neoctl.cli import endpoint
from neoctl.cli.main import app

ALIAS = "Alias of `neoctl endpoint update` (the AWS CLI's name)."


def test_the_alias_runs_endpoint_update_with_its_flags() -> None:
    registered = next(c for c in app.registered_commands if c.name == "update-endpoint")
    assert registered.callback is endpoint.update  # the very function `endpoint update` runs
    root = get_command(app)
    alias = root.commands["update-endpoint"]  # type: ignore[attr-defined]
    command = root.commands["endpoint"].commands["update"]  # type: ignore[attr-defined]
    assert [p.opts for p in alias.params] == [p.opts for p in command.params]


def test_help_of_the_alias_and_of_the_root_name_it_an_alias() -> None:
    runner = CliRunner()
    root = runner.invoke(app, ["--help"], prog_name="neoctl", terminal_width=80).output
    assert f"update-endpoint  {ALIAS}" in root
    alias = runner.invoke(app, ["update-endpoint", "--help"], prog_name="neoctl", terminal_width=80).output
    assert alias.split("\n\n")[1].strip() == ALIAS
    assert "neoctl endpoint update resnet50-prod" in alias  # the command's own examples follow
    command = runner.invoke(app, ["endpoint", "update", "--help"], prog_name="neoctl", terminal_width=80).output
    assert "Alias of" not in command
