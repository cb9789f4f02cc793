"""neoctl/apimodel/inputs.py, the table of which value reaches which request member: every
option and argument of every command of the app is in it or says why it reaches none, every
row names a member of the installed model, and docs/reliability.md shows it as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from neoctl.apimodel import inputs, load_model
from neoctl.apimodel.operations import SAGEMAKER
from neoctl.apimodel.requests import EACH, check_request, check_values, member_shape, refusals
from neoctl.apimodel.runtime import OPERATIONS as RUNTIME_OPERATIONS
from neoctl.apimodel.runtime import PREFIX, is_runtime, load_runtime_model
from neoctl.cli.main import app
from neoctl.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[2]
COMPLETION = "(Tab completion)"


def commands() -> dict[str, Any]:
    """Every leaf command of the app, by its words ("endpoint update"), with its Click command."""
    found: dict[str, Any] = {}

    def walk(cmd: Any, words: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if not subs:
            found[" ".join(words)] = cmd
            return
        for name, sub in subs.items():
            walk(sub, [*words, name])

    walk(get_command(app), [])
    return found


def source_name(param: Any) -> str:
    """A parameter as the table (and --help) names it: its long option, or an argument's NAME."""
    if param.param_type_name == "argument":
        return str(param.name).upper()
    return next(o for o in [*param.opts, *param.secondary_opts] if o.startswith("--"))


def test_every_option_and_argument_of_every_command_is_accounted_for() -> None:
    missing = []
    for words, cmd in commands().items():
        filled = {row.source for row in inputs.rows(words)}
        for param in cmd.params:
            source = source_name(param)
            if source in filled or f"{words} {source}" in inputs.NOT_SENT or f"* {source}" in inputs.NOT_SENT:
                continue
            missing.append(f"{words} {source}")
    assert not missing, f"add to neoctl/apimodel/inputs.py (INPUTS or NOT_SENT): {missing}"


def test_every_row_names_a_command_its_source_and_a_member_of_the_model() -> None:
    apps = commands()
    model = load_model()
    for row in inputs.INPUTS:
        if row.command != COMPLETION:
            assert row.command in apps, row
            assert row.source in {source_name(p) for p in apps[row.command].params}, row
        if is_runtime(row.operation):  # judged against the installed sagemaker-runtime model
            assert row.operation.removeprefix(PREFIX) in RUNTIME_OPERATIONS, row
            assert load_runtime_model().shape(member_shape(row.operation, row.path))["type"], row
            continue
        if "." in row.operation:
            assert row.operation.split(".")[0] in ("s3", "iam", "logs", "cloudwatch") and row.rule, row
            continue
        assert row.operation in SAGEMAKER, row
        assert model.shape(member_shape(row.operation, row.path))["type"], row


def test_invoke_values_are_judged_by_the_runtime_model() -> None:
    """InvokeEndpoint's members have rules of their own (sagemaker-runtime's model): ASCII
    content types of at most 1024 characters, the variant-name pattern for TargetVariant."""
    with pytest.raises(InvalidInput) as err:
        inputs.check_inputs(
            "endpoint invoke",
            {"ENDPOINT": "prod", "--content-type": "text/ü", "--accept": "a" * 1025, "--variant": "bad variant"},
        )
    message = err.value.message
    assert "--content-type 'text/ü' does not match the pattern \\p{ASCII}*" in message, message
    assert "--accept is 1025 characters long; at most 1024" in message, message
    assert "--variant 'bad variant' does not match" in message, message
    assert "(sagemaker-runtime.InvokeEndpoint TargetVariant)" in message, message
    inputs.check_inputs("endpoint invoke", {"ENDPOINT": "prod", "--content-type": "application/json"})


def test_every_command_that_sends_a_user_value_has_rows() -> None:
    sends_nothing = {"devices", "schema"}
    for words in commands():
        assert bool(inputs.rows(words)) != (words in sends_nothing), words


def test_origin_names_the_flag_and_longest_path_wins() -> None:
    assert inputs.origin("deploy", "CreateEndpoint") == {
        ("EndpointName",): "--endpoint",
        ("EndpointConfigName",): "JOB",
    }
    with pytest.raises(InvalidInput) as err:
        check_request(
            "CreateEndpoint",
            {"EndpointName": "bad_name!", "EndpointConfigName": "c"},
            {("EndpointName",): "--endpoint"},
        )
    assert err.value.message.startswith("--endpoint 'bad_name!' does not match the pattern")
    assert "(CreateEndpoint EndpointName)" in err.value.message
    copied = {("ProductionVariants", EACH): None, ("ProductionVariants", 1, "ModelName"): "JOB"}
    request = {
        "EndpointConfigName": "c",
        "ProductionVariants": [
            {"VariantName": "a", "InstanceType": "ml.future.huge"},  # SageMaker's own value: not judged again
            {"VariantName": "b", "ModelName": "bad name"},
        ],
    }
    assert [(r.path, r.source) for r in refusals("CreateEndpointConfig", request, copied)] == [
        (("ProductionVariants", 1, "ModelName"), "JOB")
    ]


def test_every_problem_is_named_at_once_with_its_fix() -> None:
    with pytest.raises(InvalidInput) as err:
        inputs.check_inputs(
            "deploy",
            {
                "JOB": "rn50",
                "--endpoint": "x" * 64,
                "--role": "not an arn",
                "--env": {"1BAD-KEY": "x", "LONG": "v" * 2000},
                "--instance-type": "ml.c5.bogus",
            },
        )
    message = err.value.message
    for text in (
        "--endpoint is 64 characters long",
        "--role 'not an arn' is too short: at least 20 characters",
        "--env '1BAD-KEY' does not match the pattern",
        "--env LONG is 2000 characters long; at most 1024",
        "--instance-type 'ml.c5.bogus' is not a valid value (CreateEndpointConfig ProductionVariants[].InstanceType)"
        " (did you mean ml.c5.large?)",
    ):
        assert text in message, (text, message)
    assert message.count("--endpoint") == 1  # three members, one value: said once


def test_a_single_problem_keeps_its_hint_apart() -> None:
    with pytest.raises(InvalidInput) as err:
        check_values("DescribeEndpoint", [(("EndpointName",), "ENDPOINT", "../x")])
    assert err.value.message == (
        "ENDPOINT '../x' does not match the pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62} (DescribeEndpoint EndpointName)"
    )
    assert err.value.hint is not None and "e.g. resnet50-prod" in err.value.hint


def test_a_map_is_judged_key_by_key_and_by_its_size() -> None:
    env = {f"K{i}": "v" for i in range(101)}
    found = refusals("CreateModel", {"ModelName": "m", "PrimaryContainer": {"Environment": env}}, {})
    assert [r.message for r in found] == ["has 101 entries; at most 100 are allowed"]


def test_the_reliability_page_shows_the_table_as_the_code_has_it() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_inputs_table.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
