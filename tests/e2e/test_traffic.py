"""Traffic policies through the CLI against the emulator: `deploy`, `endpoint update` and
`endpoint rollback` with --canary/--linear/--rolling, --bake, --alarm, --max-time or
--deployment-config; the plan as steps; every value checked before anything is sent;
`--wait` following the deployment to InService on the new config (0) or a rollback by an
alarm (1, naming it); `endpoint wait` watching one already under way."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from neoctl.testing import Emulator

from .conftest import ROLE, run
from .test_deploy import compile_job

SENDS = ("sagemaker.Create", "sagemaker.UpdateEndpoint")


def _changes(emu: Emulator) -> dict[str, int]:
    return {k: v for k, v in emu.requests.counts().items() if k.startswith(SENDS) and v}


def _alarm(emu: Emulator, name: str) -> None:
    emu.client("cloudwatch").put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/SageMaker",
        MetricName="Invocation5XXErrors",
        Dimensions=[{"Name": "EndpointName", "Value": "prod"}, {"Name": "VariantName", "Value": "main"}],
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )


def _config(emu: Emulator, name: str, instance_type: str = "ml.c5.xlarge", count: int = 4) -> None:
    emu.client("sagemaker").create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": "old-model",
                "InitialInstanceCount": count,
                "InstanceType": instance_type,
            }
        ],
    )


@pytest.fixture
def prod(clean_emulator: Emulator) -> Emulator:
    """Endpoint `prod` on config prod-v1 (variant main, 4 × ml.c5.xlarge); config prod-v2 alike;
    alarms prod-5xx and prod-latency; a COMPLETED ml_c5 job rn50-c5."""
    emu = clean_emulator
    emu.client("sagemaker").create_model(
        ModelName="old-model", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "123456789012.dkr.ecr.x/old:1"}
    )
    for name in ("prod-v1", "prod-v2"):
        _config(emu, name)
    emu.client("sagemaker").create_endpoint(EndpointName="prod", EndpointConfigName="prod-v1")
    for name in ("prod-5xx", "prod-latency"):
        _alarm(emu, name)
    compile_job(emu, "rn50-c5")
    emu.requests.clear()
    return emu


def _described(emu: Emulator, name: str = "prod") -> dict[str, Any]:
    described: dict[str, Any] = emu.client("sagemaker").describe_endpoint(EndpointName=name)
    return described


CANARY = ["--canary", "10%", "--bake", "60s", "--alarm", "prod-5xx", "--alarm", "prod-latency", "--max-time", "1h"]


def test_dry_run_shows_the_steps_and_sends_nothing(prod: Emulator, env: dict[str, str]) -> None:
    res = run(["deploy", "rn50-c5", "--endpoint", "prod", *CANARY, "--dry-run"], env | {"COLUMNS": "80"})
    assert res.code == 0, res.stderr
    for text in (
        "10% (1 of 4 instances) to the new fleet, bake 1 min watching 2 alarms,",
        "then the rest, bake 1 min; at most 1 h, else SageMaker rolls it back",
        "prod-5xx (OK), prod-latency (OK)",
        "canary: 10% (1 of 4 instances) of the new fleet takes 25% of the",
        "final bake, watching 2 alarms (prod-5xx, prod-latency)",
        "DeploymentConfig=(the traffic",
    ):
        assert text in res.stdout, (text, res.stdout)
    policy = res.stdout[res.stdout.index("Traffic  ") :]  # the plan's other lines hold whole URIs
    assert max(len(line) for line in policy.splitlines()) <= 80, policy
    assert "nothing was sent" in res.stderr
    assert _changes(prod) == {}
    assert prod.requests.counts()["monitoring.DescribeAlarms"] == 1


def test_dry_run_as_json_carries_the_deployment_config_and_steps(prod: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "update", "prod", "--config", "prod-v2", "--linear", "25%", "--bake", "1m", "--dry-run",
               "-o", "json"], env)  # fmt: skip
    assert res.code == 0, res.stderr
    plan = res.json()
    assert plan["Request"]["DeploymentConfig"]["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"] == {
        "Type": "LINEAR",
        "WaitIntervalInSeconds": 60,
        "LinearStepSize": {"Type": "CAPACITY_PERCENT", "Value": 25},
    }
    assert [step["Step"] for step in plan["Traffic"]["Steps"]][1:3] == [
        "step 1 of 4: 25% of the traffic on the new fleet",
        "bake, no alarms watched",
    ]
    assert _changes(prod) == {}


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--canary", "60%"], "--canary '60%'"),
        (["--linear", "abc"], "--linear 'abc'"),
        (["--rolling", "0"], "--rolling '0'"),
        (["--canary", "1", "--bake", "2h"], "--bake '2h' is 2 h"),
        (["--canary", "1", "--max-time", "5m"], "--max-time '5m'"),
        (["--canary", "1", "--bake", "1m", "--alarm", " "], "--alarm ' '"),
    ],
)
def test_a_bad_value_is_252_naming_its_flag_and_nothing_is_sent(
    prod: Emulator, env: dict[str, str], flags: list[str], named: str
) -> None:
    for command in (
        ["deploy", "rn50-c5", "--endpoint", "prod"],
        ["endpoint", "update", "prod", "--config", "prod-v2"],
        ["endpoint", "rollback", "prod"],
    ):
        res = run([*command, *flags, "--yes"], env)
        assert res.code == 252, (command, res.stderr)
        assert named in res.stderr, res.stderr
    assert sum(prod.requests.counts().values()) == 0, prod.requests.counts()


def test_a_missing_alarm_is_252_after_one_describe_alarms(prod: Emulator, env: dict[str, str]) -> None:
    flags = ["--canary", "1", "--bake", "1m", "--alarm", "prod-5xx", "--alarm", "prod-5xxx", "--alarm", "nope"]
    res = run(["deploy", "rn50-c5", "--endpoint", "prod", *flags, "--yes"], env)
    assert res.code == 252, res.stderr
    assert "--alarm 'prod-5xxx': no such CloudWatch alarm in us-east-1; --alarm 'nope': no such" in res.stderr
    assert prod.requests.counts()["monitoring.DescribeAlarms"] == 1
    assert _changes(prod) == {}


def test_a_policy_on_a_new_endpoint_is_refused(prod: Emulator, env: dict[str, str]) -> None:
    res = run(["deploy", "rn50-c5", "--endpoint", "fresh", "--instance-type", "ml.c5.xlarge", "--canary", "1",
               "--yes"], env)  # fmt: skip
    assert res.code == 2, res.stderr
    assert "there is no endpoint fresh yet: a traffic policy shifts the traffic of an update" in res.stderr
    assert _changes(prod) == {}


def test_a_canary_too_big_for_the_fleet_and_rolling_on_inf1_are_refused(prod: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "update", "prod", "--config", "prod-v2", "--canary", "3", "--yes"], env)
    assert res.code == 252, res.stderr
    assert "--canary 3 is 3 of variant main's 4 instance(s) (75%)" in res.stderr
    _config(prod, "prod-inf1", "ml.inf1.xlarge")
    prod.requests.clear()
    update = ["endpoint", "update", "prod", "--config", "prod-inf1", "--rolling", "1", "--yes"]
    res = run(update, env)
    assert res.code == 252, res.stderr
    assert "SageMaker ignores the traffic policy on Inf1 endpoints" in res.stderr
    assert "--allow-all-at-once" in res.stderr
    assert _changes(prod) == {}
    res = run([*update, "--allow-all-at-once", "--wait", "--poll", "0.1"], env)
    assert res.code == 0, res.stderr
    assert "warning: variant main runs on ml.inf1.xlarge (Inf1): SageMaker ignores the traffic policy" in res.stderr


def test_a_canary_that_completes_exits_0_serving_the_new_config(prod: Emulator, env: dict[str, str]) -> None:
    res = run(["deploy", "rn50-c5", "--endpoint", "prod", *CANARY, "--yes", "--wait", "--poll", "0.1", "-o", "json"],
              env)  # fmt: skip
    assert res.code == 0, res.stderr
    done = res.json()
    assert done["EndpointStatus"] == "InService"
    described = _described(prod)
    assert described["EndpointConfigName"] == done["EndpointConfigName"]
    assert described["LastDeploymentConfig"]["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]["Type"] == "CANARY"
    for text in (
        "prod Updating: baking the canary",
        "new fleet 25%, old fleet 75%; alarms prod-5xx OK, prod-latency OK",
        "prod Updating: final bake",
        f"prod InService: serving {done['EndpointConfigName']}",
    ):
        assert text in res.stderr, (text, res.stderr)
    assert prod.requests.counts()["monitoring.DescribeAlarms"] >= 3  # once before, then each poll


@pytest.fixture
def fire_in_the_bake(prod: Emulator) -> Iterator[threading.Event]:
    """Sets alarm prod-5xx to ALARM once the endpoint's deployment bakes; the event is set then."""
    fired = threading.Event()
    stop = threading.Event()
    sm, cw = prod.client("sagemaker"), prod.client("cloudwatch")

    def watch() -> None:
        while not stop.is_set():
            pending = sm.describe_endpoint(EndpointName="prod").get("PendingDeploymentSummary")
            if pending and pending["ProductionVariants"][0]["VariantStatus"][0]["Status"] == "Baking":
                cw.set_alarm_state(AlarmName="prod-5xx", StateValue="ALARM", StateReason="Threshold Crossed: 5XX")
                fired.set()
                return
            time.sleep(0.02)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    yield fired
    stop.set()
    thread.join(5)


def test_a_canary_rolled_back_by_an_alarm_exits_1_naming_it(
    prod: Emulator, env: dict[str, str], fire_in_the_bake: threading.Event
) -> None:
    flags = ["--canary", "1", "--bake", "300s", "--alarm", "prod-5xx", "--alarm", "prod-latency"]
    res = run(["endpoint", "update", "prod", "--config", "prod-v2", *flags, "--yes", "--wait", "--poll", "0.1"], env)
    assert fire_in_the_bake.is_set()
    assert res.code == 1, res.stderr
    assert (
        "error: endpoint prod was rolled back when alarm prod-5xx (Threshold Crossed: 5XX) went into ALARM: "
        "it serves prod-v1, not prod-v2" in res.stderr
    ), res.stderr
    assert "prod RollingBack: rolling back to the old fleet" in res.stderr
    assert _described(prod)["EndpointConfigName"] == "prod-v1"


def test_rollback_and_update_take_linear_rolling_and_a_file(
    prod: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    wait = ["--yes", "--wait", "--poll", "0.1"]
    res = run(["deploy", "rn50-c5", "--endpoint", "prod", "--linear", "50%", "--bake", "30s", *wait], env)
    assert res.code == 0, res.stderr
    assert "step 1 of 2" in res.stderr or "step 2 of 2" in res.stderr, res.stderr
    res = run(["endpoint", "rollback", "prod", "--rolling", "2", "--bake", "30s", *wait], env)
    assert res.code == 0, res.stderr
    assert "batch " in res.stderr and _described(prod)["EndpointConfigName"] == "prod-v1"
    spec = tmp_path / "deployment.yaml"
    spec.write_text(
        "BlueGreenUpdatePolicy:\n"
        "  TrafficRoutingConfiguration:\n"
        "    Type: CANARY\n"
        "    CanarySize: {Type: INSTANCE_COUNT, Value: 2}\n"
        "    WaitIntervalInSeconds: 30\n"
        "AutoRollbackConfiguration: {Alarms: [{AlarmName: prod-latency}]}\n",
        encoding="utf-8",
    )
    res = run(["endpoint", "update", "prod", "--config", "prod-v2", "--deployment-config", str(spec), *wait], env)
    assert res.code == 0, res.stderr
    assert _described(prod)["EndpointConfigName"] == "prod-v2"
    spec.write_text(spec.read_text(encoding="utf-8").replace("Value: 2", "Value: 3"), encoding="utf-8")
    res = run(["endpoint", "update", "prod", "--config", "prod-v1", "--deployment-config", str(spec), "--yes"], env)
    assert res.code == 252, res.stderr
    assert f"--deployment-config {spec}:4 (DeploymentConfig.BlueGreenUpdatePolicy" in res.stderr


def test_a_bad_file_is_252_with_its_line_and_nothing_sent(prod: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    spec = tmp_path / "deployment.json"
    spec.write_text('{"BlueGreenUpdatePolicy": {\n  "TrafficRoutingConfiguration": {"Type": "CANARI"}}}', "utf-8")
    res = run(["endpoint", "update", "prod", "--config", "prod-v2", "--deployment-config", str(spec), "--yes"], env)
    assert res.code == 252, res.stderr
    assert f"error: {spec}:2: DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type:" in res.stderr
    assert f"problems in --deployment-config {spec}; nothing was sent" in res.stderr
    assert sum(prod.requests.counts().values()) == 0


def test_endpoint_wait_follows_a_deployment_already_under_way(prod: Emulator, env: dict[str, str]) -> None:
    flags = ["--canary", "1", "--bake", "60s", "--alarm", "prod-latency"]
    assert run(["endpoint", "update", "prod", "--config", "prod-v2", *flags, "--yes"], env).code == 0
    res = run(["endpoint", "wait", "prod", "--poll", "0.1"], env)
    assert res.code == 0, res.stderr
    assert "alarms prod-latency OK" in res.stderr and "prod-v2" in res.stdout
    res = run(["endpoint", "wait", "prod", "--config", "prod-v1", "--poll", "0.1"], env)
    assert res.code == 1, res.stderr
    assert "it serves prod-v2, not prod-v1" in res.stderr


def test_ctrl_c_stops_watching_and_says_how_to_watch_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from neoctl.api import endpoints as api
    from neoctl.endpoints.wait import wait_for_endpoint
    from neoctl.errors import Interrupted
    from neoctl.polling import Waiting

    def interrupted(options: Any, name: str) -> dict[str, Any]:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "describe_endpoint", interrupted)
    with pytest.raises(Interrupted) as err:
        wait_for_endpoint(Any, "prod", Waiting(poll=0.1), expect="prod-v2", deployment={})  # type: ignore[arg-type]
    assert err.value.message == "interrupted; the update of prod goes on in SageMaker (only the watching stopped)"
    assert err.value.hint == "watch it again with `neoctl endpoint wait prod --config prod-v2`"
