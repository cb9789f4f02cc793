"""Flags that contradict each other: every rule of cli/conflicts.py, on every command of the
app that has its flags, exits 2 with the rule's message and sends nothing; the table in
docs/configuration.md is the one the code applies."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.main import get_command

from neoctl.cli.conflicts import RULES, Rule, first_broken
from neoctl.cli.main import app

if TYPE_CHECKING:
    from conftest import EndpointSink, Runner

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "pytorch.yaml")

# A value for each option a rule names that takes one; a new such option fails
# `test_every_option_of_a_rule_has_a_sample` until it is given one here.
FLAG_VALUES = {
    "--timeout": "1m",
    "--poll": "1",
    "--output": "json",
    "--query": "@",
    "--exclude": "DesiredWeight",
    "--canary": "10%",
    "--linear": "20%",
    "--rolling": "1",
    "--bake": "10m",
    "--alarm": "prod-5xx",
    "--max-time": "1h",
    "--deployment-config": "deployment.yaml",
    "--smoke": "body.json",
    "--smoke-content-type": "application/json",
    "--code": "code",
    "--entry-point": "serve.py",
}
# What a command needs to get past Click's parsing: its required arguments and options.
REQUIRED_VALUES = {"--endpoint": "prod", "--config": "prod-v2"}


def _leaves() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []

    def walk(cmd: Any, name: str) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for sub_name, sub in subs.items():
                walk(sub, f"{name} {sub_name}".strip())
        else:
            found.append((name, cmd))

    walk(get_command(app), "")
    return found


LEAVES = _leaves()


def _long_flags(command: Any) -> dict[str, Any]:
    """Each option of `command` by its first long name, as the table names it."""
    flags = {}
    for param in command.params:
        names = [o for o in param.opts if o.startswith("--")]
        if names:
            flags[names[0]] = param
    return flags


def _applies(rule: Rule, command: Any) -> bool:
    return all(flag in _long_flags(command) for flag in rule.flags)


CASES = [(name, command, rule) for name, command in LEAVES for rule in RULES if _applies(rule, command)]


def _flags_breaking(rule: Rule, command: Any) -> list[str]:
    """The rule's `given` flags, plus what other rules need so that this rule is the first
    one broken (--aws-cli with -o needs --dry-run, or --aws-cli alone is the complaint)."""
    has = set(_long_flags(command))
    given = list(rule.given)
    for _ in RULES:
        first = first_broken(has, given)
        if first == rule:
            return given
        assert first is not None and first.without and first.without != rule.without, (rule, first)
        given.append(first.without[0])
    raise AssertionError(f"{rule} is never the first rule broken on {command.name}")


def _argv(name: str, command: Any, flags: list[str]) -> list[str]:
    args = name.split()
    for param in command.params:
        if not param.required:
            continue
        if param.param_type_name == "argument":
            args.append("some-job" if param.name != "endpoint" else "prod")
        else:
            args += [param.opts[0], REQUIRED_VALUES[param.opts[0]]]
    if name == "create":
        args += ["-f", EXAMPLE]
    options = _long_flags(command)
    for flag in flags:
        args += [flag] if options[flag].is_flag else [flag, FLAG_VALUES[flag]]
    return args


def test_the_commands_the_issue_names_are_covered() -> None:
    covered = {(name, rule.flags) for name, _, rule in CASES}
    for name in ("create", "deploy", "endpoint update", "endpoint rollback", "update-endpoint"):
        assert (name, ("--dry-run", "--wait")) in covered
        assert (name, ("--timeout", "--wait")) in covered
    assert ("stop", ("--timeout", "--wait")) in covered
    # Every rule applies somewhere: a rule no command can break is a stale row.
    assert {rule for _, _, rule in CASES} == set(RULES)


def test_every_option_of_a_rule_has_a_sample() -> None:
    for name, command, rule in CASES:
        for flag in rule.flags:
            param = _long_flags(command)[flag]
            assert param.is_flag or flag in FLAG_VALUES, f"{name} {flag}: add a sample value to FLAG_VALUES"


@pytest.mark.parametrize(("name", "command", "rule"), CASES, ids=[f"{n}:{'+'.join(r.flags)}" for n, _, r in CASES])
def test_each_rule_exits_2_on_each_command_with_its_flags_and_sends_nothing(
    offline_neoctl: Runner, endpoint_sink: EndpointSink, tmp_path: Path, name: str, command: Any, rule: Rule
) -> None:
    argv = _argv(name, command, _flags_breaking(rule, command))
    before = endpoint_sink.connections
    res = offline_neoctl(*argv, cwd=tmp_path)
    assert res.code == 2, (argv, res.code, res.stderr)
    lines = res.stderr.splitlines()
    assert lines[0] == f"error: {rule.message}", (argv, res.stderr)
    assert lines[1:] == ([f"hint: {rule.hint}"] if rule.hint else []), res.stderr
    for flag in rule.flags:  # each flag named, by one of its spellings (-o for --output)
        assert any(o in res.stderr for o in _long_flags(command)[flag].opts), (flag, res.stderr)
    assert res.stdout == ""
    assert endpoint_sink.connections == before, argv


@pytest.mark.parametrize(
    "argv",
    [
        ["stop", "some-job", "--yes", "--poll", "15"],  # stop's default --poll, typed: still refused
        ["create", "-f", EXAMPLE, "--dry-run", "--aws-cli", "-o", "table"],  # the default format, typed
    ],
)
def test_a_flag_typed_at_its_default_value_counts(offline_neoctl: Runner, tmp_path: Path, argv: list[str]) -> None:
    res = offline_neoctl(*argv, cwd=tmp_path)
    assert res.code == 2, res.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["create", "-f", EXAMPLE, "--dry-run", "--aws-cli"],
        ["create", "-f", EXAMPLE, "--dry-run", "-o", "json", "--query", "CompilationJobName"],
    ],
)
def test_flags_that_agree_pass_the_table(offline_neoctl: Runner, tmp_path: Path, argv: list[str]) -> None:
    res = offline_neoctl(*argv, cwd=tmp_path)
    assert res.code == 0, res.stderr


def test_first_broken_reads_the_table() -> None:
    has = {"--dry-run", "--wait", "--timeout", "--poll"}
    assert first_broken(has, {"--dry-run", "--wait"}) == RULES[0]
    assert first_broken(has, {"--wait", "--timeout", "--poll"}) is None
    assert first_broken(has, {"--timeout"}) == RULES[1]
    assert first_broken({"--timeout"}, {"--timeout"}) is None  # `wait` has no --wait: not its rule
    download = {"--extract", "--keep-archive", "--force"}
    assert first_broken(download, {"--force", "--extract", "--keep-archive"}) is None
    assert first_broken(download, {"--force"}) is None
    assert first_broken(download, {"--force", "--extract"}) is not None


def test_the_documented_table_is_the_one_applied() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for rule in RULES:
        commands = ", ".join(sorted(name for name, command in LEAVES if _applies(rule, command)))
        given = " + ".join(f"`{f}`" for f in rule.given)
        missing = " or ".join(f"`{flag}`" for flag in rule.without) or "—"
        row = f"| {given} | {missing} | {commands} | {rule.message} |"
        assert row in doc, f"docs/configuration.md lacks (or has another form of) the row:\n{row}"
    rows = [line for line in doc.split("## Flags that contradict each other")[1].splitlines() if line.startswith("| `")]
    assert len(rows) == len(RULES), "a row of the documented table is not in RULES"
