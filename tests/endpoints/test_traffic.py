"""Traffic policies (neoctl/endpoints/traffic.py): flags and files into UpdateEndpoint's
DeploymentConfig, every value checked first; the rules that need the fleet; the plan as
steps with times."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from neoctl.endpoints import traffic
from neoctl.endpoints.traffic import TrafficPolicy
from neoctl.errors import InvalidInput, SpecError, UsageError

ROUTING = ("BlueGreenUpdatePolicy", "TrafficRoutingConfiguration")


def config(count: int = 4, variants: tuple[str, ...] = ("AllTraffic",), **extra: Any) -> dict[str, Any]:
    """An endpoint config (DescribeEndpointConfig's shape) of `variants` on `count` instances each."""
    return {
        "EndpointConfigName": "prod-v2",
        "ProductionVariants": [
            {"VariantName": name, "InitialInstanceCount": count, "InstanceType": "ml.c5.xlarge", **extra}
            for name in variants
        ],
    }


def counts(count: int = 4, variants: tuple[str, ...] = ("AllTraffic",)) -> dict[str, int]:
    return dict.fromkeys(variants, count)


# -- flags into a DeploymentConfig ------------------------------------------------------------


def test_a_canary_with_a_bake_alarms_and_a_time_limit() -> None:
    policy = TrafficPolicy(canary="10%", bake="10m", alarms=["errors", "latency", "errors"], max_time="1h")
    assert policy.build() == {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {
                "Type": "CANARY",
                "WaitIntervalInSeconds": 600,
                "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 10},
            },
            "MaximumExecutionTimeoutInSeconds": 3600,
        },
        "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "errors"}, {"AlarmName": "latency"}]},
    }


def test_a_count_is_instances_and_linear_and_rolling_take_their_members() -> None:
    canary = TrafficPolicy(canary="1", bake=90).build()
    assert canary is not None
    assert canary["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]["CanarySize"] == {
        "Type": "INSTANCE_COUNT",
        "Value": 1,
    }
    linear = TrafficPolicy(linear="20%", bake="5m").build()
    assert linear == {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {
                "Type": "LINEAR",
                "WaitIntervalInSeconds": 300,
                "LinearStepSize": {"Type": "CAPACITY_PERCENT", "Value": 20},
            }
        }
    }
    rolling = TrafficPolicy(rolling="25%", max_time="2h").build()
    assert rolling == {
        "RollingUpdatePolicy": {
            "MaximumBatchSize": {"Type": "CAPACITY_PERCENT", "Value": 25},
            "WaitIntervalInSeconds": 0,
            "MaximumExecutionTimeoutInSeconds": 7200,
        }
    }


def test_no_policy_is_none_and_the_default_stays() -> None:
    assert TrafficPolicy().build() is None
    assert traffic.from_flags(None, None, None, None, None, None, None, False) is None


@pytest.mark.parametrize(
    ("given", "text"),
    [
        ({"canary": "10%", "linear": "20%"}, "--canary and --linear are two traffic policies"),
        ({"bake": "10m"}, "--bake shape(s) a traffic policy"),
        ({"max_time": "1h", "alarms": ["a"]}, "--alarm, --max-time shape(s) a traffic policy"),
        ({"canary": "1", "alarms": ["a"]}, "--alarm is watched while the update bakes"),
        ({"canary": "1", "deployment_config": {}}, "--deployment-config is the whole DeploymentConfig: drop --canary"),
    ],
)
def test_contradictions_are_usage_errors_for_library_callers(given: dict[str, Any], text: str) -> None:
    with pytest.raises(UsageError) as err:
        TrafficPolicy(**given).build()
    assert text in err.value.message


@pytest.mark.parametrize(
    ("given", "text"),
    [
        ({"canary": "60%"}, "--canary '60%': a step takes at most 50% of the new fleet (CanarySize)"),
        ({"canary": "0"}, "--canary '0': SageMaker takes at least 1"),
        ({"canary": "ten"}, "--canary 'ten' is neither a percentage nor a count of instances"),
        ({"canary": "10.5%"}, "--canary '10.5%' is neither"),
        ({"linear": "5%"}, "--linear '5%': a step takes 10% to 50% of the new fleet (LinearStepSize)"),
        ({"linear": "60%"}, "--linear '60%'"),
        ({"rolling": "4%"}, "--rolling '4%': a step takes 5% to 50% of the new fleet (MaximumBatchSize)"),
        ({"canary": "1", "bake": "2h"}, "--bake '2h' is 2 h: SageMaker takes 0 s to 1 h (WaitIntervalInSeconds)"),
        ({"canary": "1", "bake": "1.5m"}, "--bake '1.5m' is not a duration in whole seconds"),
        ({"canary": "1", "max_time": "5m"}, "--max-time '5m' is 5 min: SageMaker takes 10 min to 8 h"),
        ({"canary": "1", "max_time": "9h"}, "--max-time '9h' is 9 h"),
        (
            {"canary": "1", "bake": "1m", "alarms": [f"a{i}" for i in range(11)]},
            "--alarm names 11 alarms; SageMaker watches at most 10",
        ),
        ({"canary": "1", "bake": "1m", "alarms": ["  "]}, "--alarm '  ' does not match the pattern"),
        ({"canary": "1", "bake": "1m", "alarms": ["x" * 256]}, "--alarm is 256 characters long; at most 255"),
    ],
)
def test_every_value_is_checked_naming_its_flag(given: dict[str, Any], text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        TrafficPolicy(**given).build()
    assert text in err.value.message, err.value.message


def test_the_ranges_are_the_installed_models() -> None:
    from neoctl.apimodel import load_model

    wait = load_model().member("UpdateEndpoint", "DeploymentConfig", *ROUTING, "WaitIntervalInSeconds")
    assert traffic.seconds(wait["max"], "--bake", traffic.PATHS["--bake"][0]) == wait["max"]
    with pytest.raises(InvalidInput):
        traffic.seconds(wait["max"] + 1, "--bake", traffic.PATHS["--bake"][0])


# -- a DeploymentConfig from a file ---------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "deployment.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


CANARY_YAML = """\
BlueGreenUpdatePolicy:
  TrafficRoutingConfiguration:
    Type: CANARY
    CanarySize: {Type: INSTANCE_COUNT, Value: 1}
    WaitIntervalInSeconds: 600
AutoRollbackConfiguration:
  Alarms:
    - AlarmName: errors
"""


def test_a_yaml_file_is_the_deployment_config_with_its_lines(tmp_path: Path) -> None:
    policy = TrafficPolicy.from_file(write(tmp_path, CANARY_YAML))
    built = policy.build()
    assert built is not None and built["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]["Type"] == "CANARY"
    path = ("DeploymentConfig", *ROUTING, "CanarySize")
    assert (
        policy.name(path, "--canary")
        == f"--deployment-config {policy.source}:4 (DeploymentConfig.{'.'.join(ROUTING)}.CanarySize)"
    )


def test_json_and_a_top_level_deployment_config_key_are_read_too(tmp_path: Path) -> None:
    text = (
        '{"DeploymentConfig": {"RollingUpdatePolicy": '
        '{"MaximumBatchSize": {"Type": "INSTANCE_COUNT", "Value": 1}, "WaitIntervalInSeconds": 60}}}'
    )
    policy = TrafficPolicy.from_file(write(tmp_path, text, "dc.json"))
    assert policy.build() == {
        "RollingUpdatePolicy": {"MaximumBatchSize": {"Type": "INSTANCE_COUNT", "Value": 1}, "WaitIntervalInSeconds": 60}
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            CANARY_YAML.replace("CanarySize", "CanarySise"),
            [":4: DeploymentConfig.", "unknown field CanarySise", "did you mean CanarySize?"],
        ),
        (CANARY_YAML.replace("CANARY", "CANARI"), [":3: ", "'CANARI' is not a valid value"]),
        (CANARY_YAML.replace("600", "7200"), [":5: ", "7200 is above the maximum 3600"]),
        (
            CANARY_YAML.replace("{Type: INSTANCE_COUNT, Value: 1}", "{Type: CAPACITY_PERCENT, Value: 60}"),
            [":4: ", "60%: a step takes at most 50%"],
        ),
        (CANARY_YAML.replace("Type: CANARY", "Type: LINEAR"), ["LinearStepSize", "Type LINEAR needs LinearStepSize"]),
        ("a: [1\n", [":2:", "YAML syntax error"]),
        ("---\nBlueGreenUpdatePolicy: {}\n---\nBlueGreenUpdatePolicy: {}\n", ["holds 2 documents"]),
    ],
)
def test_a_bad_file_is_every_problem_at_its_line(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SpecError) as err:
        TrafficPolicy.from_file(path)
    assert err.value.message.endswith(f"in --deployment-config {path}; nothing was sent")
    rendered = "\n".join(problem.render() for problem in err.value.problems)
    for text_part in expected:
        assert text_part in rendered, rendered
    assert rendered.startswith(path)


def test_a_missing_file_names_the_flag(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as err:
        TrafficPolicy.from_file(str(tmp_path / "nope.yaml"))
    assert "--deployment-config" in err.value.message
    assert "cannot read the file" in err.value.problems[0].render()


def test_a_deployment_config_given_in_python_is_judged_when_built() -> None:
    with pytest.raises(InvalidInput) as err:
        TrafficPolicy(
            deployment_config={"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": {"Type": "X"}}}
        ).build()
    assert (
        "DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type: 'X' is not a valid value"
        in err.value.message
    )


# -- against the fleet ------------------------------------------------------------------------


def check(policy: TrafficPolicy, count: int = 4, current: dict[str, Any] | None = None, **new: Any) -> list[str]:
    built = policy.build()
    assert built is not None
    target = config(count, **new)
    return traffic.check_fleet(policy, built, current if current is not None else config(count), target, counts(count))


def test_a_canary_is_at_most_half_of_the_variants_instances() -> None:
    assert check(TrafficPolicy(canary="2", bake="1m")) == []
    with pytest.raises(InvalidInput) as err:
        check(TrafficPolicy(canary="3", bake="1m"))
    assert err.value.message == (
        "--canary 3 is 3 of variant AllTraffic's 4 instance(s) (75%); CanarySize takes at most 50% of them"
    )
    assert err.value.hint is not None and "Developer Guide" in err.value.hint
    with pytest.raises(InvalidInput) as err:
        check(TrafficPolicy(canary="10%", bake="1m"), count=1)  # 10% of one instance is that instance
    assert "is 1 of variant AllTraffic's 1 instance(s) (100%)" in err.value.message


def test_linear_and_rolling_steps_take_their_share_of_the_fleet() -> None:
    with pytest.raises(InvalidInput) as err:
        check(TrafficPolicy(linear="1"), count=20)
    assert "(5%); LinearStepSize takes 10% to 50% of them" in err.value.message
    assert check(TrafficPolicy(rolling="1"), count=20) == []
    with pytest.raises(InvalidInput):
        check(TrafficPolicy(rolling="1"), count=40)  # 2.5%


def test_rolling_is_refused_on_multi_variant_and_serverless_endpoints() -> None:
    two = ("blue", "green")
    with pytest.raises(InvalidInput) as err:
        check(TrafficPolicy(rolling="1"), current=config(4, two), variants=two)
    assert "--rolling: a rolling update takes one variant" in err.value.message
    serverless = {"ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5}}
    with pytest.raises(InvalidInput) as err:
        check(TrafficPolicy(rolling="1"), **serverless)
    assert "excludes serverless variants" in err.value.message


def test_the_new_config_keeps_the_variant_names() -> None:
    with pytest.raises(InvalidInput) as err:
        check(TrafficPolicy(canary="1"), variants=("other",))
    assert "keep the endpoint's variant names (AllTraffic); prod-v2 has other" in err.value.message


def test_inf1_is_refused_unless_allowed_then_warned() -> None:
    inf1 = config(4) | {}
    inf1["ProductionVariants"][0]["InstanceType"] = "ml.inf1.xlarge"
    with pytest.raises(InvalidInput) as err:
        check(TrafficPolicy(canary="1", bake="1m"), current=inf1)
    assert "SageMaker ignores the traffic policy on Inf1 endpoints" in err.value.message
    assert err.value.hint is not None and "--allow-all-at-once" in err.value.hint
    warned = check(TrafficPolicy(canary="1", bake="1m", allow_all_at_once=True), current=inf1)
    assert len(warned) == 1 and "ml.inf1.xlarge (Inf1)" in warned[0]


def test_the_time_limit_must_exceed_the_baking() -> None:
    with pytest.raises(InvalidInput) as err:
        check(TrafficPolicy(linear="25%", bake="20m", max_time="1h"))  # 4 bakes of 20 min
    assert "--max-time: 1 h is not more than the 1 h 20 min of baking the plan asks for" in err.value.message
    assert check(TrafficPolicy(canary="25%", bake="20m", max_time="1h")) == []  # 2 bakes


def test_alarms_without_a_bake_are_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, CANARY_YAML.replace("600", "0"))
    warned = check(TrafficPolicy.from_file(path))
    assert warned == ["alarms errors are watched only while the update bakes, and this policy has no baking period"]


def test_a_model_package_of_another_account_is_warned_about() -> None:
    models = {
        "mine": {
            "PrimaryContainer": {"ModelPackageName": "arn:aws:sagemaker:us-east-1:123456789012:model-package/m/1"}
        },
        "market": {"Containers": [{"ModelPackageName": "arn:aws:sagemaker:us-east-1:865070037744:model-package/x/2"}]},
        "plain": {"PrimaryContainer": {"Image": "img"}},
    }
    warned = traffic.package_warnings(models, "123456789012")
    assert len(warned) == 1 and warned[0].startswith("model market serves model package")
    assert "AWS Marketplace" in warned[0]


# -- the plan in steps ------------------------------------------------------------------------


def test_the_canary_plan_reads_as_the_issue_asks() -> None:
    built = TrafficPolicy(canary="10%", bake="10m", alarms=["errors", "latency"]).build()
    assert built is not None
    assert traffic.summary(built, config(10), counts(10)) == (
        "10% (1 of 10 instances) to the new fleet, bake 10 min watching 2 alarms, then the rest, bake 10 min"
    )
    steps = traffic.plan_steps(built, config(10), counts(10))
    assert [(s["Step"], s["Seconds"]) for s in steps] == [
        ("provision the new fleet: 10 instances", None),
        ("canary: 10% (1 of 10 instances) of the new fleet takes 10% of the traffic", None),
        ("bake, watching 2 alarms (errors, latency)", 600),
        ("the rest of the traffic to the new fleet", None),
        ("final bake, watching 2 alarms (errors, latency)", 600),
        ("terminate the old fleet", None),
    ]


def test_long_linear_and_rolling_plans_are_shortened() -> None:
    linear = TrafficPolicy(linear="10%", bake="5m", max_time="2h").build()
    assert linear is not None
    steps = [s["Step"] for s in traffic.plan_steps(linear, config(10), counts(10))]
    assert steps[1] == "step 1 of 10: 10% of the traffic on the new fleet"
    assert "… steps 3 to 9 alike, each baked" in steps
    assert steps[-3:] == [
        "step 10 of 10: 100% of the traffic on the new fleet",
        "final bake, no alarms watched",
        "terminate the old fleet",
    ]
    assert traffic.summary(linear, config(10), counts(10)).endswith("; at most 2 h, else SageMaker rolls it back")
    rolling = TrafficPolicy(rolling="1", bake="1m").build()
    assert rolling is not None
    steps = [s["Step"] for s in traffic.plan_steps(rolling, config(2), counts(2))]
    after = "; bake, no alarms watched; old ones off"
    assert steps == [
        "batch 1 of 2: 1 instance of 2 new up, 50% of the traffic on the new fleet" + after,
        "batch 2 of 2: 1 instance of 2 new up, 100% of the traffic on the new fleet" + after,
    ]


def test_all_at_once_from_a_file_with_a_termination_wait(tmp_path: Path) -> None:
    text = (
        "BlueGreenUpdatePolicy:\n"
        "  TrafficRoutingConfiguration: {Type: ALL_AT_ONCE, WaitIntervalInSeconds: 300}\n"
        "  TerminationWaitInSeconds: 120\n"
    )
    built = TrafficPolicy.from_file(write(tmp_path, text)).build()
    assert built is not None
    assert traffic.summary(built, config(), counts()) == "all at once, then bake 5 min"
    assert [(s["Step"], s["Seconds"]) for s in traffic.plan_steps(built, config(), counts())] == [
        ("provision the new fleet: 4 instances", None),
        ("all of the traffic to the new fleet at once", None),
        ("final bake, no alarms watched", 300),
        ("keep the old fleet before terminating it", 120),
        ("terminate the old fleet", None),
    ]


def test_shares_and_step_counts() -> None:
    canary = TrafficPolicy(canary="1").build()
    assert canary is not None
    assert traffic.step_count(canary, 4) == 2
    assert traffic.share_after(canary, 1, 4) == 0.25
    assert traffic.share_after(canary, 2, 4) == 1.0
    linear = TrafficPolicy(linear="30%").build()
    assert linear is not None
    assert traffic.step_count(linear, 10) == 4  # 3 instances a step
    assert traffic.share_after(linear, 2, 10) == 0.6
    assert traffic.step_count(linear, None) == 4 and traffic.share_after(linear, 1, None) == 0.3
