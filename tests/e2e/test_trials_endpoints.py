"""trials and endpoint commands through the installed CLI against the emulator."""

from __future__ import annotations

import time

import pytest

from neoctl.testing import Emulator

from .conftest import ROLE, run


@pytest.fixture
def trials(clean_emulator: Emulator) -> Emulator:
    sm = clean_emulator.client("sagemaker")
    for exp in ("vision", "speech"):
        sm.create_experiment(ExperimentName=exp)
    for name, exp in (("trial-b", "vision"), ("trial-a", "vision"), ("trial-s", "speech")):
        sm.create_trial(TrialName=name, ExperimentName=exp, DisplayName=name.upper())
    sm.create_trial_component(TrialComponentName="compile-c5")
    sm.associate_trial_component(TrialComponentName="compile-c5", TrialName="trial-a")
    return clean_emulator


def test_trials_filters_sorting_and_json_shape(trials: Emulator, env: dict[str, str]) -> None:
    res = run(
        ["trials", "--experiment", "vision", "--sort-by", "name", "--sort-order", "ascending", "-o", "json"],
        env,
    )
    assert res.code == 0, res.stderr
    data = res.json()
    assert list(data) == ["TrialSummaries"]
    assert [t["TrialName"] for t in data["TrialSummaries"]] == ["trial-a", "trial-b"]
    comp = run(
        ["trials", "--trial-component", "compile-c5", "-o", "json", "--query", "TrialSummaries[].TrialName"],
        env,
    )
    assert comp.json() == ["trial-a"]
    table = run(["trials"], env)
    assert table.code == 0 and "trial-s" in table.stdout and "3 trial(s)" in table.stdout


def test_trials_rejects_bad_sort_key(env: dict[str, str]) -> None:
    res = run(["trials", "--sort-by", "status"], env)
    assert res.code == 252
    assert "--sort-by" in res.stderr


@pytest.fixture
def endpoint(clean_emulator: Emulator) -> Emulator:
    sm = clean_emulator.client("sagemaker")
    sm.create_model(
        ModelName="resnet",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1"},
    )
    for cfg, count, weight in (("cfg-v1", 1, 1.0), ("cfg-v2", 2, 0.5)):
        sm.create_endpoint_config(
            EndpointConfigName=cfg,
            ProductionVariants=[
                {
                    "VariantName": "main",
                    "ModelName": "resnet",
                    "InitialInstanceCount": count,
                    "InstanceType": "ml.c5.large",
                    "InitialVariantWeight": weight,
                }
            ],
        )
    sm.create_endpoint(EndpointName="prod", EndpointConfigName="cfg-v1")
    clean_emulator.set_variant_instance_count("prod", "main", 4)  # autoscaling went to 4
    return clean_emulator


def _variant(emu: Emulator) -> dict[str, object]:
    for _ in range(40):
        ep = emu.client("sagemaker").describe_endpoint(EndpointName="prod")
        if ep["EndpointStatus"] == "InService":
            return dict(ep["ProductionVariants"][0]) | {"Config": ep["EndpointConfigName"]}
        time.sleep(0.1)
    raise AssertionError("endpoint never came back InService")


def test_endpoint_describe_shows_variants(endpoint: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "describe", "prod"], env)
    assert res.code == 0, res.stderr
    assert "InService" in res.stdout and "main" in res.stdout and "4" in res.stdout
    data = run(["endpoint", "describe", "prod", "-o", "json"], env).json()
    assert data["ProductionVariants"][0]["CurrentInstanceCount"] == 4


def test_update_retain_all_keeps_autoscaled_count(endpoint: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "update", "prod", "--config", "cfg-v2", "--retain-all", "--yes"], env)
    assert res.code == 0, res.stderr
    variant = _variant(endpoint)
    assert variant["Config"] == "cfg-v2"
    assert variant["DesiredInstanceCount"] == 4


def test_update_with_a_bad_query_is_refused_before_the_update(endpoint: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "update", "prod", "--config", "cfg-v2", "--retain-all", "--yes", "--query", "[[["], env)
    assert res.code == 2, res.stderr
    assert "invalid --query" in res.stderr
    assert endpoint.requests.counts()["sagemaker.UpdateEndpoint"] == 0
    ep = endpoint.client("sagemaker").describe_endpoint(EndpointName="prod")
    assert ep["EndpointStatus"] == "InService" and ep["EndpointConfigName"] == "cfg-v1"


def test_update_exclude_takes_new_config_value(endpoint: Emulator, env: dict[str, str]) -> None:
    res = run(
        [
            "update-endpoint",
            "prod",
            "--config",
            "cfg-v2",
            "--retain-all",
            "--exclude",
            "desiredinstancecount",
            "--yes",
        ],
        env,
    )
    assert res.code == 0, res.stderr
    assert _variant(endpoint)["DesiredInstanceCount"] == 2


def test_update_without_retain_applies_new_config(endpoint: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "update", "prod", "--config", "cfg-v2", "--yes"], env)
    assert res.code == 0, res.stderr
    assert _variant(endpoint)["DesiredInstanceCount"] == 2


def test_exclude_without_retain_all_is_usage_error_nothing_sent(endpoint: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "update", "prod", "--config", "cfg-v2", "--exclude", "DesiredWeight"], env)
    assert res.code == 2
    assert "--retain-all" in res.stderr
    assert _variant(endpoint)["Config"] == "cfg-v1"


def test_exclude_typo_gets_suggestion(endpoint: Emulator, env: dict[str, str]) -> None:
    res = run(
        ["endpoint", "update", "prod", "--config", "cfg-v2", "--retain-all", "--exclude", "DesiredWieght", "--yes"],
        env,
    )
    assert res.code == 252
    assert "did you mean DesiredWeight?" in res.stderr


def test_update_unknown_config_is_254(endpoint: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "update", "prod", "--config", "cfg-nope", "--retain-all", "--yes"], env)
    assert res.code == 254
    assert "cfg-nope" in res.stderr


def test_endpoint_wait_times_out_at_timeout_not_after_a_whole_poll(
    clean_emulator: Emulator, env: dict[str, str]
) -> None:
    # An emulator of its own whose update outlasts --timeout by far, so the timeout (124)
    # is the one right outcome; with the shared 0.5 s updates it raced InService (0).
    with Emulator(transition_seconds=60) as slow:
        sm = slow.client("sagemaker")
        sm.create_model(ModelName="m", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "1.dkr.ecr/x:1"})
        for cfg in ("a", "b"):
            sm.create_endpoint_config(
                EndpointConfigName=cfg,
                ProductionVariants=[
                    {"VariantName": "main", "ModelName": "m", "InitialInstanceCount": 1, "InstanceType": "ml.c5.large"}
                ],
            )
        sm.create_endpoint(EndpointName="slow-ep", EndpointConfigName="a")
        slow.inject_fault("DescribeEndpoint", "slow:0.1", count=1)
        started = time.monotonic()
        res = run(
            ["endpoint", "update", "slow-ep", "--config", "b", "--yes", "--wait", "--poll", "20", "--timeout", "0.3"],
            env | {"AWS_ENDPOINT_URL": slow.endpoint_url},
        )
    assert res.code == 124, res.stderr
    assert "--timeout 0.3 elapsed; endpoint slow-ep is still Updating" in res.stderr
    assert time.monotonic() - started < 10  # never sleeps a whole --poll past --timeout
