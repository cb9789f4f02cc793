"""`endpoint update --retain-deployment-config`: the update reuses the endpoint's
LastDeploymentConfig, so the preview shows its traffic plan and `--wait` follows it as a
deployment (phases, traffic per fleet, alarms) with the same exit codes as an update given
the policy explicitly: 0 when the new config serves, 1 when an alarm rolled it back (named).
Without a LastDeploymentConfig there is nothing to retain: a warning says so."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from neoctl.testing import Emulator

from .conftest import run
from .test_traffic import _config, _described, prod  # noqa: F401 (prod: the fixture)

WAIT = ["--yes", "--wait", "--poll", "0.1"]
NOTHING_TO_RETAIN = "--retain-deployment-config has nothing to retain: endpoint prod has no LastDeploymentConfig"


def _canary_first(env: dict[str, str], bake: str = "60s", *alarms: str) -> dict[str, Any]:
    """prod updated to prod-v2 with a canary (its LastDeploymentConfig from then on); the
    endpoint as the explicit policy's `--wait -o json` printed it."""
    flags = ["--canary", "1", "--bake", bake, *(part for alarm in alarms for part in ("--alarm", alarm))]
    res = run(["endpoint", "update", "prod", "--config", "prod-v2", *flags, *WAIT, "-o", "json"], env)
    assert res.code == 0, res.stderr
    assert "prod Updating: baking the canary" in res.stderr, res.stderr
    done: dict[str, Any] = res.json()
    assert done["EndpointConfigName"] == "prod-v2" and done["LastDeploymentConfig"]
    return done


@contextmanager
def _fire_in_the_bake(emu: Emulator, alarm: str) -> Iterator[threading.Event]:
    """Sets `alarm` to ALARM once prod's deployment bakes; the event is set then."""
    fired, stop = threading.Event(), threading.Event()
    sm, cw = emu.client("sagemaker"), emu.client("cloudwatch")

    def watch() -> None:
        while not stop.is_set():
            pending = sm.describe_endpoint(EndpointName="prod").get("PendingDeploymentSummary")
            if pending and pending["ProductionVariants"][0]["VariantStatus"][0]["Status"] == "Baking":
                cw.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="Threshold Crossed: 5XX")
                fired.set()
                return
            time.sleep(0.02)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield fired
    finally:
        stop.set()
        thread.join(5)


def test_a_retained_canary_is_followed_as_a_deployment_and_exits_0(
    prod: Emulator,  # noqa: F811
    env: dict[str, str],
) -> None:
    explicit = _canary_first(env, "60s", "prod-latency")
    res = run(["endpoint", "update", "prod", "--config", "prod-v1", "--retain-deployment-config", *WAIT, "-o", "json"],
              env)  # fmt: skip
    assert res.code == 0, res.stderr
    done = res.json()
    # The same document as the explicit policy's wait printed (DescribeEndpoint once it settled).
    assert set(done) == set(explicit)
    assert done["EndpointStatus"] == "InService" and done["EndpointConfigName"] == "prod-v1"
    assert done["LastDeploymentConfig"] == explicit["LastDeploymentConfig"]
    # The deployment view: phases, traffic per fleet, alarms — not the plain status table.
    for text in (
        "prod Updating: baking the canary",
        "new fleet 25%, old fleet 75%; alarms prod-latency OK",
        "prod Updating: final bake",
        "prod InService: serving prod-v1",
    ):
        assert text in res.stderr, (text, res.stderr)
    assert NOTHING_TO_RETAIN not in res.stderr
    assert _described(prod)["EndpointConfigName"] == "prod-v1"


def test_a_retained_canary_rolled_back_by_an_alarm_exits_1_naming_it(
    prod: Emulator,  # noqa: F811
    env: dict[str, str],
) -> None:
    _canary_first(env, "300s", "prod-5xx", "prod-latency")
    with _fire_in_the_bake(prod, "prod-5xx") as fired:
        res = run(["endpoint", "update", "prod", "--config", "prod-v1", "--retain-deployment-config", *WAIT], env)
    assert fired.is_set()
    assert res.code == 1, res.stderr
    assert (
        "error: endpoint prod was rolled back when alarm prod-5xx (Threshold Crossed: 5XX) went into ALARM: "
        "it serves prod-v2, not prod-v1" in res.stderr
    ), res.stderr
    assert "prod RollingBack: rolling back to the old fleet" in res.stderr
    assert _described(prod)["EndpointConfigName"] == "prod-v2"


def test_the_preview_shows_the_retained_policys_steps(
    prod: Emulator,  # noqa: F811
    env: dict[str, str],
) -> None:
    explicit = _canary_first(env, "60s", "prod-latency")
    prod.requests.clear()
    argv = ["endpoint", "update", "prod", "--config", "prod-v1", "--retain-deployment-config", "--dry-run"]
    res = run(argv, env)
    assert res.code == 0, res.stderr
    for text in (
        "1 instance of 4 to the new fleet, bake 1 min watching 1 alarm, then the rest",
        "prod-latency (OK)",
        "canary: 1 instance of 4 of the new fleet takes 25% of the traffic",
        "the endpoint's LastDeploymentConfig (--retain-deployment-config)",
    ):
        assert text in res.stdout, (text, res.stdout)
    plan = run([*argv, "-o", "json"], env).json()
    assert plan["Request"] == {
        "EndpointName": "prod",
        "EndpointConfigName": "prod-v1",
        "RetainDeploymentConfig": True,
    }  # sent as given: SageMaker reuses its own copy
    assert plan["Traffic"]["DeploymentConfig"] == explicit["LastDeploymentConfig"]
    assert plan["Traffic"]["Retained"] is True
    assert not any(k.startswith(("sagemaker.Create", "sagemaker.Update")) for k in prod.requests.counts())


def test_without_a_last_deployment_config_there_is_nothing_to_retain(
    prod: Emulator,  # noqa: F811
    env: dict[str, str],
) -> None:
    assert "LastDeploymentConfig" not in _described(prod)
    argv = ["endpoint", "update", "prod", "--config", "prod-v2", "--retain-deployment-config"]
    res = run([*argv, "--dry-run", "-o", "json"], env)
    assert res.code == 0, res.stderr
    plan = res.json()
    assert "Traffic" not in plan
    assert any(w.startswith(NOTHING_TO_RETAIN) for w in plan["Warnings"]), plan["Warnings"]
    assert f"warning: {NOTHING_TO_RETAIN}" in res.stderr
    # The API reference documents only that it reuses the last one, nothing about none.
    assert "not what SageMaker does when there is none" in res.stderr
    res = run([*argv, *WAIT], env)  # the plain wait: there is no policy to follow
    assert res.code == 0, res.stderr
    assert "baking" not in res.stderr and _described(prod)["EndpointConfigName"] == "prod-v2"


def test_a_retained_policy_whose_alarm_is_gone_is_252_naming_where_it_came_from(
    prod: Emulator,  # noqa: F811
    env: dict[str, str],
) -> None:
    _canary_first(env, "60s", "prod-latency")
    prod.client("cloudwatch").delete_alarms(AlarmNames=["prod-latency"])
    prod.requests.clear()
    res = run(["endpoint", "update", "prod", "--config", "prod-v1", "--retain-deployment-config", *WAIT], env)
    assert res.code == 252, res.stderr
    assert (
        "error: --retain-deployment-config reuses endpoint prod's LastDeploymentConfig: "
        "DeploymentConfig.AutoRollbackConfiguration.Alarms[0].AlarmName 'prod-latency': no such CloudWatch alarm"
    ) in res.stderr, res.stderr
    assert "or give a traffic policy instead of --retain-deployment-config" in res.stderr
    assert not any(k.startswith("sagemaker.Update") for k in prod.requests.counts())


def test_a_retained_policy_on_inf1_is_a_warning_not_a_refusal(
    prod: Emulator,  # noqa: F811
    env: dict[str, str],
) -> None:
    # --allow-all-at-once cannot go with --retain-deployment-config: what SageMaker ignores is said.
    for name in ("prod-inf1", "prod-inf1-b"):
        _config(prod, name, "ml.inf1.xlarge")
    first = ["--canary", "1", "--bake", "60s", "--allow-all-at-once", *WAIT]
    assert run(["endpoint", "update", "prod", "--config", "prod-inf1", *first], env).code == 0
    assert _described(prod)["LastDeploymentConfig"]
    res = run(["endpoint", "update", "prod", "--config", "prod-inf1-b", "--retain-deployment-config", *WAIT], env)
    assert res.code == 0, res.stderr
    assert "warning: variant main runs on ml.inf1.xlarge (Inf1): SageMaker ignores the traffic policy" in res.stderr
    assert _described(prod)["EndpointConfigName"] == "prod-inf1-b"
