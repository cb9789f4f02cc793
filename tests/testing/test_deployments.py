"""Safe endpoint deployments in the emulator: phased blue/green and rolling updates,
CloudWatch alarms that roll them back, InvokeEndpoint, endpoint logs and failures chosen
by tag, through boto3 clients at the emulator's URL (and the planner on its own, where
exact stage times matter)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from neoctl.testing import (
    ENDPOINT_FAIL_TAG,
    ENDPOINT_LOG_GROUP_PREFIX,
    INVOKE_FAIL_TAG,
    INVOKE_LATENCY_TAG,
    ROLLBACK_FAIL_TAG,
    Emulator,
)
from neoctl.testing import deployments as dp

ROLE = "arn:aws:iam::123456789012:role/SageMakerNeoRole"
# Phases long enough that polling every 10 ms sees each even on a loaded 2-core machine
# (at 0.1 s a step was missed once while two suites ran side by side).
TRANSITION = 1.0  # provisioning takes 0.5 s, each traffic step 0.25 s
SCALE = 0.0025  # a 300 s bake lasts 0.75 s
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})
PING = "The primary container for production variant AllTraffic did not pass the ping health check."


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(job_seconds=0, transition_seconds=TRANSITION, deployment_time_scale=SCALE) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(emulator: Emulator) -> Iterator[None]:
    emulator.reset()
    yield
    emulator.clear_faults()


@pytest.fixture
def sm(emulator: Emulator) -> Any:
    return emulator.client("sagemaker", config=NO_RETRIES)


@pytest.fixture
def cw(emulator: Emulator) -> Any:
    return emulator.client("cloudwatch", config=NO_RETRIES)


@pytest.fixture
def runtime(emulator: Emulator) -> Any:
    return emulator.client("sagemaker-runtime", config=NO_RETRIES)


@pytest.fixture
def logs(emulator: Emulator) -> Any:
    return emulator.client("logs", config=NO_RETRIES)


def tags(**values: str) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in values.items()]


def make_config(sm: Any, name: str, model: str, *, count: int = 4, config_tags: Any = (), model_tags: Any = ()) -> None:
    sm.create_model(
        ModelName=model,
        ExecutionRoleArn=ROLE,
        PrimaryContainer={
            "Image": f"763104351884.dkr.ecr.us-east-1.amazonaws.com/{model}:1",
            "ModelDataUrl": f"s3://b/{model}.tar.gz",
        },
        Tags=list(model_tags),
    )
    sm.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InitialInstanceCount": count,
                "InstanceType": "ml.c5.large",
            }
        ],
        Tags=list(config_tags),
    )


@pytest.fixture
def endpoint(sm: Any) -> str:
    """Endpoint `ep` InService on config v1 (4 instances of model m1); config v2 serves m2."""
    make_config(sm, "v1", "m1")
    make_config(sm, "v2", "m2")
    sm.create_endpoint(EndpointName="ep", EndpointConfigName="v1")
    return "ep"


def alarm(cw: Any, name: str) -> None:
    cw.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/SageMaker",
        MetricName="Invocation5XXErrors",
        Dimensions=[{"Name": "EndpointName", "Value": "ep"}, {"Name": "VariantName", "Value": "AllTraffic"}],
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        TreatMissingData="notBreaching",
    )


def canary(wait: int = 300, *alarms: str, termination: int = 0) -> dict[str, Any]:
    config: dict[str, Any] = {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {
                "Type": "CANARY",
                "CanarySize": {"Type": "INSTANCE_COUNT", "Value": 1},
                "WaitIntervalInSeconds": wait,
            },
            "TerminationWaitInSeconds": termination,
            "MaximumExecutionTimeoutInSeconds": 3600,
        }
    }
    if alarms:
        config["AutoRollbackConfiguration"] = {"Alarms": [{"AlarmName": name} for name in alarms]}
    return config


def variant_status(described: dict[str, Any]) -> dict[str, Any] | None:
    pending = described.get("PendingDeploymentSummary")
    if pending is None:
        return None
    [status] = pending["ProductionVariants"][0]["VariantStatus"]
    return dict(status)


def follow(
    sm: Any, name: str, on_each: Callable[[dict[str, Any]], None] | None = None, timeout: float = 30.0
) -> list[dict[str, Any]]:
    """DescribeEndpoint until the deployment is over; every answer, in order."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while True:
        described = sm.describe_endpoint(EndpointName=name)
        seen.append(described)
        if on_each is not None:
            on_each(described)
        if (
            described["EndpointStatus"] in {"InService", "Failed", "UpdateRollbackFailed"}
            and "PendingDeploymentSummary" not in described
        ):
            return seen
        if time.monotonic() > deadline:
            raise AssertionError(f"deployment not over in time: {described['EndpointStatus']}")
        time.sleep(0.01)


def phases(seen: list[dict[str, Any]]) -> list[str]:
    """The distinct EndpointStatus/VariantStatus pairs, in the order they were seen."""
    out: list[str] = []
    for described in seen:
        status = variant_status(described)
        label = described["EndpointStatus"] + (f"/{status['Status']}" if status else "")
        if not out or out[-1] != label:
            out.append(label)
    return out


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    it = iter(whole)
    return all(item in it for item in part)


def error_of(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    return dict(caught.value.response)


def messages(logs: Any, endpoint: str) -> dict[str, list[str]]:
    group = f"{ENDPOINT_LOG_GROUP_PREFIX}{endpoint}"
    streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
    return {
        s["logStreamName"]: [
            e["message"] for e in logs.get_log_events(logGroupName=group, logStreamName=s["logStreamName"])["events"]
        ]
        for s in streams
    }


# --- blue/green and rolling deployments -------------------------------------


def test_canary_completes_through_its_phases(sm: Any, cw: Any, endpoint: str) -> None:
    alarm(cw, "errors")
    config = canary(300, "errors", termination=120)
    started = time.monotonic()
    sm.update_endpoint(EndpointName=endpoint, EndpointConfigName="v2", DeploymentConfig=config)
    seen = follow(sm, endpoint)
    assert time.monotonic() - started < 30  # scaled: unscaled, the bakes alone last 420 s

    expected = [
        "Updating/Creating",
        "Updating/ActivatingTraffic",
        "Updating/Baking",
        "Updating/ActivatingTraffic",
        "Updating/Baking",
        "Updating/Deleting",
        "InService",
    ]
    observed = phases(seen)
    assert is_subsequence(observed, expected), observed
    assert {"Updating/Creating", "Updating/Baking", "InService"} <= set(observed)

    updating = [d for d in seen if d["EndpointStatus"] == "Updating"]
    for described in updating:  # the old config serves until the switch
        assert described["EndpointConfigName"] == "v1"
        pending = described["PendingDeploymentSummary"]
        assert pending["EndpointConfigName"] == "v2" and "StartTime" in pending
        status = variant_status(described)
        assert status is not None and status["Status"] in dp.VARIANT_STATUSES and "StartTime" in status
    bakes = [variant_status(d)["StatusMessage"] for d in updating if variant_status(d)["Status"] == "Baking"]  # type: ignore[index]
    assert any("300 s" in m and "errors" in m for m in bakes)

    done = seen[-1]
    assert done["EndpointStatus"] == "InService" and done["EndpointConfigName"] == "v2"
    assert "FailureReason" not in done
    assert done["LastDeploymentConfig"] == config
    [running] = done["ProductionVariants"]
    assert running["CurrentInstanceCount"] == running["DesiredInstanceCount"] == 4


def test_alarm_in_alarm_during_the_bake_rolls_back(sm: Any, cw: Any, runtime: Any, endpoint: str) -> None:
    alarm(cw, "errors")
    alarm(cw, "latency")
    sm.update_endpoint(
        EndpointName=endpoint, EndpointConfigName="v2", DeploymentConfig=canary(3600, "latency", "errors")
    )
    fired = []

    def fire_in_bake(described: dict[str, Any]) -> None:
        status = variant_status(described)
        if not fired and status is not None and status["Status"] == "Baking":
            cw.set_alarm_state(AlarmName="errors", StateValue="ALARM", StateReason="5XX errors on the canary")
            fired.append(described)

    seen = follow(sm, endpoint, fire_in_bake)
    assert fired, "never saw the bake"
    assert is_subsequence(["Updating/Baking", "RollingBack/Deleting", "InService"], phases(seen)), phases(seen)
    rolling_back = next(d for d in seen if d["EndpointStatus"] == "RollingBack")
    assert "errors" in variant_status(rolling_back)["StatusMessage"]  # type: ignore[index]

    done = seen[-1]
    assert done["EndpointStatus"] == "InService"
    assert done["EndpointConfigName"] == "v1"
    assert "errors" in done["FailureReason"] and "latency" not in done["FailureReason"]
    assert "PendingDeploymentSummary" not in done
    answer = runtime.invoke_endpoint(EndpointName=endpoint, Body=b"{}")
    assert b'"EndpointConfigName": "v1"' in answer["Body"].read()
    assert [a["StateValue"] for a in cw.describe_alarms(AlarmNames=["errors"])["MetricAlarms"]] == ["ALARM"]

    # The FailureReason stays until the next update, which starts clean.
    cw.set_alarm_state(AlarmName="errors", StateValue="OK", StateReason="recovered")
    sm.update_endpoint(EndpointName=endpoint, EndpointConfigName="v2", RetainDeploymentConfig=True)
    assert "FailureReason" not in sm.describe_endpoint(EndpointName=endpoint)


def test_alarms_that_do_not_exist_are_refused(sm: Any, cw: Any, endpoint: str) -> None:
    alarm(cw, "errors")
    response = error_of(
        lambda: sm.update_endpoint(
            EndpointName=endpoint, EndpointConfigName="v2", DeploymentConfig=canary(60, "errors", "nope")
        )
    )
    assert response["Error"]["Code"] == "ValidationException"
    assert "nope" in response["Error"]["Message"]
    described = sm.describe_endpoint(EndpointName=endpoint)
    assert described["EndpointStatus"] == "InService" and "PendingDeploymentSummary" not in described


def test_rolling_update_goes_batch_by_batch(sm: Any, endpoint: str) -> None:
    config = {
        "RollingUpdatePolicy": {
            "MaximumBatchSize": {"Type": "CAPACITY_PERCENT", "Value": 50},
            "WaitIntervalInSeconds": 100,
            "MaximumExecutionTimeoutInSeconds": 1800,
        }
    }
    sm.update_endpoint(EndpointName=endpoint, EndpointConfigName="v2", DeploymentConfig=config)
    seen = follow(sm, endpoint)
    said = [variant_status(d)["StatusMessage"] for d in seen if variant_status(d)]  # type: ignore[index]
    assert any(m.startswith("Rolling batch 1 of 2") for m in said)
    assert any(m.startswith("Rolling batch 2 of 2") for m in said)
    assert is_subsequence(
        phases(seen),
        ["Updating/Creating", "Updating/ActivatingTraffic", "Updating/Baking", "Updating/Deleting"] * 2 + ["InService"],
    )
    assert seen[-1]["EndpointConfigName"] == "v2" and seen[-1]["LastDeploymentConfig"] == config


def test_deployment_config_is_checked(sm: Any, endpoint: str) -> None:
    def refused(config: dict[str, Any]) -> str:
        response = error_of(
            lambda: sm.update_endpoint(EndpointName=endpoint, EndpointConfigName="v2", DeploymentConfig=config)
        )
        assert response["Error"]["Code"] == "ValidationException"
        return str(response["Error"]["Message"])

    big = canary(60)
    big["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]["CanarySize"] = {"Type": "INSTANCE_COUNT", "Value": 3}
    assert "50%" in refused(big)
    long = canary(3601)
    assert "WaitIntervalInSeconds" in refused(long)
    both = {
        **canary(60),
        "RollingUpdatePolicy": {"MaximumBatchSize": {"Type": "INSTANCE_COUNT", "Value": 1}, "WaitIntervalInSeconds": 0},
    }
    assert "not both" in refused(both)
    short = canary(60)
    short["BlueGreenUpdatePolicy"]["MaximumExecutionTimeoutInSeconds"] = 30000  # botocore checks only the minimum
    assert "MaximumExecutionTimeoutInSeconds" in refused(short)
    assert sm.describe_endpoint(EndpointName=endpoint)["EndpointStatus"] == "InService"


def test_guardrails_fall_back_to_all_at_once_on_inf1(sm: Any, cw: Any) -> None:
    alarm(cw, "errors")
    for name in ("i1", "i2"):
        sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "img:1"})
        sm.create_endpoint_config(
            EndpointConfigName=name,
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": name,
                    "InitialInstanceCount": 2,
                    "InstanceType": "ml.inf1.xlarge",
                }
            ],
        )
    sm.create_endpoint(EndpointName="inf", EndpointConfigName="i1")
    sm.update_endpoint(EndpointName="inf", EndpointConfigName="i2", DeploymentConfig=canary(3600, "errors"))
    seen = follow(sm, "inf")
    assert "Updating/Baking" not in phases(seen)
    first = variant_status(seen[0])
    assert first is not None and "Inf1" in first["StatusMessage"]
    assert seen[-1]["EndpointConfigName"] == "i2"


# --- failures chosen by tag -------------------------------------------------------


def test_failed_update_ends_in_service_on_the_old_config_with_reason_and_logs(sm: Any, logs: Any) -> None:
    make_config(sm, "v1", "m1", count=2)
    make_config(sm, "v2", "m2", count=2, model_tags=tags(**{ENDPOINT_FAIL_TAG: "ping"}))
    sm.create_endpoint(EndpointName="ep", EndpointConfigName="v1")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName="v2")
    seen = follow(sm, "ep")
    assert is_subsequence(["Updating/Creating", "RollingBack/Deleting", "InService"], phases(seen)), phases(seen)
    done = seen[-1]
    assert done["EndpointStatus"] == "InService" and done["EndpointConfigName"] == "v1"
    assert done["FailureReason"].startswith(PING)

    streams = messages(logs, "ep")
    assert len(streams) == 4  # two instances of v1, two of v2 that never served
    failed = [lines for lines in streams.values() if any("Traceback" in line for line in lines)]
    assert len(failed) == 2
    assert all('"GET /ping HTTP/1.1" 500 0' in lines for lines in failed)


def test_failed_creation_ends_failed_with_the_kind_of_failure(sm: Any, runtime: Any, logs: Any) -> None:
    make_config(sm, "v1", "m1", count=1, config_tags=tags(**{ENDPOINT_FAIL_TAG: "out-of-memory"}))
    sm.create_endpoint(EndpointName="ep", EndpointConfigName="v1")
    assert sm.describe_endpoint(EndpointName="ep")["EndpointStatus"] == "Creating"
    seen = follow(sm, "ep")
    done = seen[-1]
    assert done["EndpointStatus"] == "Failed" and done["FailureReason"].startswith(PING)
    [lines] = messages(logs, "ep").values()
    assert any("not enough memory" in line for line in lines) and "Backend worker process died." in lines
    response = error_of(lambda: runtime.invoke_endpoint(EndpointName="ep", Body=b"x"))
    assert response["Error"]["Code"] == "ValidationError"


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("model-download", 'Failed to download model data for container "container_1" from URL: "s3://b/m1.tar.gz"'),
        ("image-pull", "Please make sure all images included in the model for the production variant AllTraffic exist"),
    ],
)
def test_failures_before_the_container_runs_leave_no_container_logs(sm: Any, logs: Any, kind: str, reason: str) -> None:
    make_config(sm, "v1", "m1", count=1, model_tags=tags(**{ENDPOINT_FAIL_TAG: kind}))
    sm.create_endpoint(EndpointName="ep", EndpointConfigName="v1")
    done = follow(sm, "ep")[-1]
    assert done["EndpointStatus"] == "Failed" and done["FailureReason"].startswith(reason)
    assert logs.describe_log_groups(logGroupNamePrefix=f"{ENDPOINT_LOG_GROUP_PREFIX}ep")["logGroups"] == []


def test_instance_limit_is_refused_by_create_endpoint(sm: Any) -> None:
    make_config(sm, "v1", "m1", count=3, config_tags=tags(**{ENDPOINT_FAIL_TAG: "instance-limit"}))
    response = error_of(lambda: sm.create_endpoint(EndpointName="ep", EndpointConfigName="v1"))
    assert response["Error"]["Code"] == "ResourceLimitExceeded"
    assert "'ml.c5.large for endpoint usage' is 0 Instances" in response["Error"]["Message"]
    assert "request delta of 3 Instances" in response["Error"]["Message"]
    assert sm.list_endpoints()["Endpoints"] == []


def test_unknown_failure_kind_is_refused(sm: Any) -> None:
    make_config(sm, "v1", "m1", config_tags=tags(**{ENDPOINT_FAIL_TAG: "gremlins"}))
    response = error_of(lambda: sm.create_endpoint(EndpointName="ep", EndpointConfigName="v1"))
    assert response["Error"]["Code"] == "ValidationException"
    assert "missing-inference-script" in response["Error"]["Message"]


def test_rollback_that_fails_leaves_update_rollback_failed(sm: Any, endpoint: str) -> None:
    make_config(
        sm, "v3", "m3", config_tags=tags(**{ENDPOINT_FAIL_TAG: "missing-inference-script", ROLLBACK_FAIL_TAG: "yes"})
    )
    sm.update_endpoint(EndpointName=endpoint, EndpointConfigName="v3")
    done = follow(sm, endpoint)[-1]
    assert done["EndpointStatus"] == "UpdateRollbackFailed"
    assert done["FailureReason"].startswith(PING) and "rollback failed" in done["FailureReason"]
    sm.update_endpoint(EndpointName=endpoint, EndpointConfigName="v2")  # the way out: update again
    assert follow(sm, endpoint)[-1]["EndpointConfigName"] == "v2"


# --- InvokeEndpoint -----------------------------------------------------------------


def test_invoke_answers_with_a_canned_document(emulator: Emulator, runtime: Any, endpoint: str) -> None:
    answer = runtime.invoke_endpoint(
        EndpointName=endpoint, Body=b"12345", ContentType="text/csv", Accept="application/json"
    )
    assert answer["InvokedProductionVariant"] == "AllTraffic"
    assert answer["ContentType"] == "application/json"
    import json

    body = json.loads(answer["Body"].read())
    assert body["VariantName"] == "AllTraffic" and body["BodyLength"] == 5
    assert body["EndpointConfigName"] == "v1" and body["ModelName"] == "m1" and body["ContentType"] == "text/csv"
    assert re.fullmatch(r"i-[0-9a-f]{17}", body["InstanceId"])
    assert emulator.requests.counts()["sagemaker.InvokeEndpoint"] == 1

    missing = error_of(lambda: runtime.invoke_endpoint(EndpointName="nope", Body=b"x"))
    assert missing["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert missing["Error"] == {
        "Code": "ValidationError",
        "Message": "Endpoint nope of account 123456789012 not found.",
    }
    wrong = error_of(lambda: runtime.invoke_endpoint(EndpointName=endpoint, Body=b"x", TargetVariant="Shadow"))
    assert wrong["Error"]["Code"] == "ValidationError" and "Shadow" in wrong["Error"]["Message"]


def test_invoke_fails_as_a_model_error_when_tagged(sm: Any, runtime: Any, logs: Any, endpoint: str) -> None:
    arn = sm.describe_endpoint(EndpointName=endpoint)["EndpointArn"]
    sm.add_tags(ResourceArn=arn, Tags=tags(**{INVOKE_FAIL_TAG: "input tensor has the wrong shape"}))
    response = error_of(lambda: runtime.invoke_endpoint(EndpointName=endpoint, Body=b"x"))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 424
    assert response["Error"]["Code"] == "ModelError"
    assert response["Error"]["Message"].startswith(
        'Received server error (500) from primary with message "input tensor has the wrong shape". See https://'
    )
    assert "logEventViewer:group=/aws/sagemaker/Endpoints/ep in account 123456789012" in response["Error"]["Message"]
    assert response["OriginalStatusCode"] == 500
    assert response["OriginalMessage"] == "input tensor has the wrong shape"
    stream = response["LogStreamArn"].rsplit(":log-stream:", 1)[1]
    assert "Exception in the inference handler: input tensor has the wrong shape" in messages(logs, endpoint)[stream]


def test_invoke_latency_tag_delays_the_answer(sm: Any, runtime: Any) -> None:
    make_config(sm, "v1", "m1", count=1, model_tags=tags(**{INVOKE_LATENCY_TAG: "0.3"}))
    sm.create_endpoint(EndpointName="ep", EndpointConfigName="v1")
    started = time.monotonic()
    runtime.invoke_endpoint(EndpointName="ep", Body=b"x")
    assert time.monotonic() - started >= 0.3


def test_canary_share_of_invocations_reaches_the_new_fleet(sm: Any, runtime: Any) -> None:
    make_config(sm, "v1", "m1")
    make_config(sm, "v2", "m2", model_tags=tags(**{INVOKE_FAIL_TAG: "canary is broken"}))
    sm.create_endpoint(EndpointName="ep", EndpointConfigName="v1")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName="v2", DeploymentConfig=canary(3600))
    deadline = time.monotonic() + 5
    while (variant_status(sm.describe_endpoint(EndpointName="ep")) or {}).get("Status") != "Baking":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    failures = 0
    for _ in range(8):
        try:
            runtime.invoke_endpoint(EndpointName="ep", Body=b"x")
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ModelError"
            failures += 1
    assert failures == 2  # the canary: 1 of 4 instances, a quarter of the requests


def test_invoke_takes_injected_faults(emulator: Emulator, runtime: Any, endpoint: str) -> None:
    emulator.inject_fault("InvokeEndpoint", "503", 1)
    response = error_of(lambda: runtime.invoke_endpoint(EndpointName=endpoint, Body=b"x"))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 503
    runtime.invoke_endpoint(EndpointName=endpoint, Body=b"x")


# --- endpoint logs -----------------------------------------------------------------


def test_endpoint_logs_one_stream_per_variant_and_instance(sm: Any, logs: Any, endpoint: str) -> None:
    created = messages(logs, endpoint)
    assert len(created) == 4
    assert all(re.fullmatch(r"AllTraffic/i-[0-9a-f]{17}", name) for name in created)
    assert all(
        lines[0].startswith("Starting the inference container") and "v1" in lines[0] for lines in created.values()
    )

    sm.update_endpoint(EndpointName=endpoint, EndpointConfigName="v2")
    follow(sm, endpoint)
    updated = messages(logs, endpoint)
    assert len(updated) == 8
    for name in created:  # the old fleet was terminated
        assert updated[name][-1].startswith("Received SIGTERM")
    fresh = [lines for name, lines in updated.items() if name not in created]
    assert all("v2" in lines[0] for lines in fresh)


# --- the planner on its own -----------------------------------------------------------

NOW = datetime(2026, 1, 1, 12, 0, 0)
FLEET = dp.Fleet("AllTraffic", 4, "ml.c5.large", "img", "m2", "s3://b/m2.tar.gz", ROLE)


def plan(
    config: dict[str, Any] | None, *, failure: str | None = None, unit: float = 1.0, scale: float = 0.01
) -> dp.Deployment:
    return dp.plan_update(
        now=NOW,
        timing=dp.Timing(unit=unit, scale=scale),
        seed="ep",
        old_config="v1",
        new_config="v2",
        fleets=[FLEET],
        old_streams={"AllTraffic": [f"AllTraffic/i-{n}" for n in range(4)]},
        variants=[{"VariantName": "AllTraffic"}],
        data_capture_config={},
        policy=dp.parse_policy(config),
        failure=failure,
        rollback_fails=False,
    )


def shape(deployment: dp.Deployment) -> list[tuple[str, float, float]]:
    return [(s.status, (s.end - s.start).total_seconds(), s.new_share) for s in deployment.stages]


def test_plan_default_update_lasts_transition_seconds() -> None:
    deployment = plan(None)
    assert shape(deployment) == [("Creating", 2.0, 0.0), ("ActivatingTraffic", 1.0, 1.0), ("Deleting", 1.0, 1.0)]
    assert deployment.done_at == NOW + timedelta(seconds=4)  # 4 units: transition_seconds


def test_plan_canary_and_linear_scale_their_waits() -> None:
    assert shape(plan(canary(600, termination=300))) == [
        ("Creating", 2.0, 0.0),
        ("ActivatingTraffic", 1.0, 0.25),
        ("Baking", 6.0, 0.25),
        ("ActivatingTraffic", 1.0, 1.0),
        ("Baking", 6.0, 1.0),
        ("Deleting", 3.0, 1.0),
        ("Deleting", 1.0, 1.0),
    ]
    linear = canary(100)
    linear["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"] = {
        "Type": "LINEAR",
        "LinearStepSize": {"Type": "CAPACITY_PERCENT", "Value": 50},
        "WaitIntervalInSeconds": 100,
    }
    assert [(s, share) for s, _, share in shape(plan(linear))] == [
        ("Creating", 0.0),
        ("ActivatingTraffic", 0.5),
        ("Baking", 0.5),
        ("ActivatingTraffic", 1.0),
        ("Baking", 1.0),
        ("Deleting", 1.0),
    ]


def test_plan_rolls_back_from_the_instant_an_alarm_fired() -> None:
    deployment = plan(canary(600, "errors"))
    bake = deployment.stages[2]
    fired_at = bake.start + timedelta(seconds=1)
    assert deployment.alarm_fired(bake.start, lambda name: ("ALARM", fired_at)) is None  # not yet
    assert deployment.alarm_fired(fired_at, lambda name: ("OK", fired_at)) is None
    # An alarm already in ALARM when the bake starts fires at its start.
    assert deployment.alarm_fired(bake.end, lambda name: ("ALARM", NOW)) == (bake.start, "errors")
    found = deployment.alarm_fired(bake.end, lambda name: ("ALARM", fired_at))
    assert found == (fired_at, "errors")
    deployment.roll_back(fired_at, "alarm errors", "alarm errors is in ALARM")
    assert [s.endpoint_status for s in deployment.stages][-1] == "RollingBack"
    assert deployment.stages[2].end == fired_at and deployment.outcome == dp.ROLLED_BACK
    assert deployment.done_at == fired_at + timedelta(seconds=2)


def test_plan_rolling_rollback_goes_in_rollback_batches() -> None:
    config = {
        "RollingUpdatePolicy": {
            "MaximumBatchSize": {"Type": "INSTANCE_COUNT", "Value": 2},
            "WaitIntervalInSeconds": 600,
            "RollbackMaximumBatchSize": {"Type": "INSTANCE_COUNT", "Value": 1},
        },
        "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "errors"}]},
    }
    deployment = plan(config)
    second_bake = [s for s in deployment.stages if s.bake][1]
    deployment.roll_back(second_bake.start, "alarm", "alarm errors is in ALARM")
    rollback = [s for s in deployment.stages if s.endpoint_status == "RollingBack"]
    assert len(rollback) == 4  # 4 new instances were up, restored one at a time
    assert [s.new_share for s in rollback] == [0.75, 0.5, 0.25, 0.0]


def test_plan_timeout_rolls_back_when_the_waits_exceed_it() -> None:
    config = canary(3600)
    config["BlueGreenUpdatePolicy"]["MaximumExecutionTimeoutInSeconds"] = 5000
    deployment = plan(config)
    assert deployment.outcome == dp.ROLLED_BACK
    assert "MaximumExecutionTimeoutInSeconds (5000 s)" in str(deployment.failure_reason)
    bakes = [s for s in deployment.stages if s.bake]
    assert (bakes[-1].end - bakes[-1].start).total_seconds() == pytest.approx((5000 - 3600) * 0.01)


def test_plan_of_a_failing_fleet_rolls_back_after_provisioning() -> None:
    deployment = plan(canary(600), failure="ping")
    assert [s.status for s in deployment.stages] == ["Creating", "Deleting"]
    assert deployment.failure_reason == dp.PING_REASON.format(variant="AllTraffic")
    assert all(event.lines == dp.FAILURE_KINDS["ping"].lines for event in deployment.events)


def test_module_cli_takes_the_time_scale() -> None:
    from neoctl.testing.__main__ import build_parser

    assert build_parser().parse_args([]).deployment_time_scale == 0.01
    assert build_parser().parse_args(["--deployment-time-scale", "0.5"]).deployment_time_scale == 0.5
    with pytest.raises(ValueError, match="deployment_time_scale"):
        Emulator(deployment_time_scale=-1)
