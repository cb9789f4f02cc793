"""Commands that change AWS ask on a terminal, need --yes off one, and show what changes.

Off a terminal (a script, CI) nobody can answer: stop, deploy, endpoint update (and its
alias) and endpoint rollback end with exit 2 naming --yes before anything is sent. On a
terminal the confirmation of an update or rollback shows which model will be served.
"""

from __future__ import annotations

import pytest

from neoctl.testing import Emulator

from .conftest import ROLE, on_a_terminal, run


def _model(emu: Emulator, name: str) -> None:
    emu.client("sagemaker").create_model(
        ModelName=name,
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{name}:1"},
    )


def _config(emu: Emulator, name: str, model: str) -> None:
    variant = {"VariantName": "main", "ModelName": model, "InitialInstanceCount": 1, "InstanceType": "ml.c5.xlarge"}
    emu.client("sagemaker").create_endpoint_config(EndpointConfigName=name, ProductionVariants=[variant])


@pytest.fixture
def prod(clean_emulator: Emulator) -> Emulator:
    """Endpoint `prod` serving model `old-model` (config prod-v1); config prod-v2 serves `new-model`."""
    for model in ("old-model", "new-model"):
        _model(clean_emulator, model)
    _config(clean_emulator, "prod-v1", "old-model")
    _config(clean_emulator, "prod-v2", "new-model")
    clean_emulator.client("sagemaker").create_endpoint(EndpointName="prod", EndpointConfigName="prod-v1")
    clean_emulator.requests.clear()
    return clean_emulator


CHANGES = {
    "stop": ["stop", "some-job"],
    "deploy": ["deploy", "some-job", "--endpoint", "prod"],
    "endpoint update": ["endpoint", "update", "prod", "--config", "prod-v2"],
    "update-endpoint": ["update-endpoint", "prod", "--config", "prod-v2"],
    "endpoint rollback": ["endpoint", "rollback", "prod"],
}


@pytest.mark.parametrize("command", list(CHANGES))
def test_a_change_off_a_terminal_without_yes_is_exit_2_and_sends_nothing(
    prod: Emulator, env: dict[str, str], command: str
) -> None:
    res = run(CHANGES[command], env)  # stdin is not a terminal here
    assert res.code == 2, res.stderr
    assert "stdin is not a terminal" in res.stderr and "add --yes" in res.stderr, res.stderr
    assert res.stdout == ""
    assert sum(prod.requests.counts().values()) == 0, prod.requests.counts()


def test_the_missing_yes_is_said_before_a_bad_value_so_a_script_learns_it_on_its_first_run(
    prod: Emulator, env: dict[str, str]
) -> None:
    res = run(["stop", "../not-a-name"], env)
    assert res.code == 2 and "--yes" in res.stderr, res.stderr
    fixed = run(["stop", "../not-a-name", "--yes"], env)
    assert fixed.code == 252 and "NAMES '../not-a-name'" in fixed.stderr, fixed.stderr
    assert sum(prod.requests.counts().values()) == 0


def test_a_dry_run_changes_nothing_and_needs_no_yes(prod: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "update", "prod", "--config", "prod-v2", "--dry-run", "-o", "json"], env)
    assert res.code == 0, res.stderr
    assert res.json()["Request"]["EndpointConfigName"] == "prod-v2"
    assert prod.requests.counts().get("sagemaker.UpdateEndpoint", 0) == 0


def test_with_yes_off_a_terminal_the_change_is_made(prod: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "update", "prod", "--config", "prod-v2", "-y"], env)
    assert res.code == 0, res.stderr
    assert prod.requests.counts()["sagemaker.UpdateEndpoint"] == 1


def _model_row(text: str) -> list[str]:
    """The ModelName row of a printed preview, its cells split on the table's bars."""
    row = next(line for line in text.splitlines() if "ModelName" in line)
    return [cell.strip() for cell in row.strip("│ ").split("│")]


def test_the_update_confirmation_shows_the_model_that_will_be_served(prod: Emulator, env: dict[str, str]) -> None:
    code, text = on_a_terminal(["endpoint", "update", "prod", "--config", "prod-v2", "--retain-all"], env)
    assert "Update endpoint prod to config prod-v2?" in text
    assert _model_row(text) == ["main", "ModelName", "old-model", "new-model", "new-model", "changes"], text
    assert code == 130  # answered no
    assert prod.requests.counts().get("sagemaker.UpdateEndpoint", 0) == 0


def test_the_rollback_confirmation_shows_the_model_it_goes_back_to(
    clean_emulator: Emulator, env: dict[str, str]
) -> None:
    from .test_deploy import compile_job  # a COMPLETED ml_c5 job straight through the emulator

    _model(clean_emulator, "old-model")
    _config(clean_emulator, "prod-v1", "old-model")
    clean_emulator.client("sagemaker").create_endpoint(EndpointName="prod", EndpointConfigName="prod-v1")
    compile_job(clean_emulator, "rn50-c5")
    deployed = run(["deploy", "rn50-c5", "--endpoint", "prod", "--yes", "--wait", "--poll", "0.1", "-o", "json"], env)
    assert deployed.code == 0, deployed.stderr
    served = deployed.json()["ModelName"]
    code, text = on_a_terminal(["endpoint", "rollback", "prod"], env)
    assert "Roll endpoint prod back to config prod-v1?" in text
    assert _model_row(text) == ["main", "ModelName", served, "old-model", "old-model", "changes"], text
    assert code == 130
