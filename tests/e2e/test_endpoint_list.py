"""`neoctl endpoint list`: filters, the table with each endpoint's config, -o json, paging, none."""

from __future__ import annotations

import pytest

from neoctl.testing import Emulator

from .conftest import ROLE, run


@pytest.fixture
def three(clean_emulator: Emulator) -> Emulator:
    sm = clean_emulator.client("sagemaker")
    sm.create_model(
        ModelName="m", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "1.dkr.ecr.us-east-1.amazonaws.com/x:1"}
    )
    for name in ("vision-a", "vision-b", "speech"):
        sm.create_endpoint_config(
            EndpointConfigName=f"{name}-cfg",
            ProductionVariants=[
                {"VariantName": "v", "ModelName": "m", "InitialInstanceCount": 1, "InstanceType": "ml.c5.xlarge"}
            ],
        )
        sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-cfg")
    return clean_emulator


def test_table_shows_name_status_config_and_created(three: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "list", "--name-contains", "vision", "--sort-by", "name"], env | {"COLUMNS": "80"})
    assert res.code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert any("Name" in line and "Status" in line and "Config" in line and "Created" in line for line in lines)
    assert any("vision-a" in line and "vision-a-cfg" in line for line in lines)
    assert "vision-b-cfg" in res.stdout and "speech" not in res.stdout
    assert all(len(line) <= 80 for line in lines)


def test_json_pages_and_max_items(three: Emulator, env: dict[str, str]) -> None:
    first = run(["endpoint", "list", "--max-items", "2", "--sort-by", "name", "-o", "json"], env)
    assert first.code == 0, first.stderr
    assert [e["EndpointName"] for e in first.json()["Endpoints"]] == ["speech", "vision-a"]
    token = first.json()["NextToken"]
    rest = run(["endpoint", "list", "--sort-by", "name", "--starting-token", token, "-o", "json"], env)
    assert [e["EndpointName"] for e in rest.json()["Endpoints"]] == ["vision-b"]
    table = run(["endpoint", "list", "--max-items", "1"], env)
    assert "more: --starting-token" in table.stderr


def test_nothing_matches_says_so_on_stderr(three: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "list", "--name-contains", "nothing-like-it", "--created-after", "1d"], env)
    assert res.code == 0, res.stderr
    assert res.stdout == "" and "no endpoints match" in res.stderr


def test_bad_status_is_refused_before_anything_is_sent(three: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "list", "--status", "runnin"], env)
    assert res.code == 252 and "--status" in res.stderr
