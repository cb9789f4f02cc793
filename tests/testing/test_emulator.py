"""The local SageMaker emulator, exercised over real HTTP with real boto3 clients."""

from __future__ import annotations

import hashlib
import io
import os
import select
import signal
import socket
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from neoctl.testing import DURATION_TAG, FAIL_TAG, LOG_GROUP, Emulator

REPO_ROOT = Path(__file__).resolve().parents[2]
ROLE = "arn:aws:iam::123456789012:role/neo"
JOB_SECONDS = 0.6
TRANSITION_SECONDS = 0.5
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(job_seconds=JOB_SECONDS, transition_seconds=TRANSITION_SECONDS) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(emulator: Emulator) -> Iterator[None]:
    emulator.reset()
    yield
    emulator.clear_faults()


def make_client(emulator: Emulator, service: str, config: Config = NO_RETRIES) -> Any:
    return boto3.client(
        service,
        endpoint_url=emulator.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=config,
    )


@pytest.fixture
def sm(emulator: Emulator) -> Any:
    return make_client(emulator, "sagemaker")


def create_job(
    sm: Any,
    name: str,
    *,
    tags: dict[str, str] | None = None,
    target: dict[str, Any] | None = None,
    model_uri: str = "s3://models/resnet50.tar.gz",
) -> None:
    output: dict[str, Any] = {"S3OutputLocation": "s3://neo-out/compiled/"}
    output.update(target or {"TargetDevice": "ml_c5"})
    sm.create_compilation_job(
        CompilationJobName=name,
        RoleArn=ROLE,
        InputConfig={
            "S3Uri": model_uri,
            "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
            "Framework": "PYTORCH",
        },
        OutputConfig=output,
        StoppingCondition={"MaxRuntimeInSeconds": 900},
        Tags=[{"Key": key, "Value": value} for key, value in (tags or {}).items()],
    )


def wait_until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


def status(sm: Any, name: str) -> str:
    return str(sm.describe_compilation_job(CompilationJobName=name)["CompilationJobStatus"])


def error_of(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    return dict(caught.value.response)


# --- server ---------------------------------------------------------------


def test_listens_on_loopback_only(emulator: Emulator) -> None:
    host, port = emulator.address
    assert host == "127.0.0.1"
    assert port == emulator.port != 0
    assert emulator.endpoint_url == f"http://127.0.0.1:{port}"
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


def test_second_emulator_on_a_taken_port_fails_loudly(emulator: Emulator) -> None:
    with pytest.raises(OSError):
        Emulator(port=emulator.port).start()


def test_sequential_emulators_and_reset(emulator: Emulator, sm: Any) -> None:
    # Long enough to be still running however slowly the second emulator starts (with the
    # module's 0.6 s it had COMPLETED by then once, in a full run on a loaded machine).
    create_job(sm, "survives-restart", tags={"neoctl-emulator:duration": "60"})
    with Emulator(job_seconds=0) as second:
        other = make_client(second, "sagemaker")
        assert second.port != emulator.port
        # moto's state is process-wide, as the Emulator docstring warns.
        assert status(other, "survives-restart") in {"STARTING", "INPROGRESS"}
        create_job(other, "instant")
        assert status(other, "instant") == "COMPLETED"
        second.reset()
    assert not second.running
    code = error_of(lambda: sm.describe_compilation_job(CompilationJobName="instant"))
    assert code["Error"]["Code"] == "ResourceNotFound"


def test_in_process_moto_mocks_keep_stock_behaviour(emulator: Emulator) -> None:
    """The patches live on moto's shared class; mock_aws users elsewhere must not notice."""
    from moto import mock_aws

    assert emulator.running  # the patches are installed
    with mock_aws():
        mocked = boto3.client(
            "sagemaker",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        create_job(mocked, "mocked", tags={DURATION_TAG: "30"})
        assert status(mocked, "mocked") == "COMPLETED"  # moto's instant completion


# --- compilation job lifecycle --------------------------------------------


def test_job_goes_starting_inprogress_completed(sm: Any) -> None:
    create_job(sm, "life", tags={DURATION_TAG: "1.0"})
    seen: dict[str, dict[str, Any]] = {}
    order: list[str] = []

    def observe() -> bool:
        described = sm.describe_compilation_job(CompilationJobName="life")
        current = described["CompilationJobStatus"]
        if current not in seen:
            seen[current] = described
            order.append(current)
        return bool(current == "COMPLETED")

    wait_until(observe)
    assert order == ["STARTING", "INPROGRESS", "COMPLETED"]

    starting, running, done = seen["STARTING"], seen["INPROGRESS"], seen["COMPLETED"]
    for absent in ("CompilationStartTime", "CompilationEndTime", "ModelArtifacts", "FailureReason"):
        assert absent not in starting
    assert starting["LastModifiedTime"] == starting["CreationTime"]

    assert running["CompilationStartTime"] == running["LastModifiedTime"]
    assert "CompilationEndTime" not in running and "ModelArtifacts" not in running

    started = done["CompilationStartTime"]
    ended = done["CompilationEndTime"]
    assert started == running["CompilationStartTime"]
    assert done["LastModifiedTime"] == ended
    assert 0.9 <= (ended - done["CreationTime"]).total_seconds() <= 1.1
    assert 0.15 <= (started - done["CreationTime"]).total_seconds() <= 0.25
    assert done["ModelArtifacts"] == {"S3ModelArtifacts": "s3://neo-out/compiled/resnet50-ml_c5.tar.gz"}
    assert "FailureReason" not in done


def test_default_duration_comes_from_job_seconds(sm: Any) -> None:
    create_job(sm, "default-duration")
    started = time.monotonic()
    wait_until(lambda: status(sm, "default-duration") == "COMPLETED")
    assert time.monotonic() - started >= JOB_SECONDS * 0.8


def test_fail_tag_ends_failed_with_reason_and_logs(emulator: Emulator, sm: Any) -> None:
    reason = "ClientError: Unsupported operator aten::frobnicate"
    create_job(sm, "doomed", tags={DURATION_TAG: "0", FAIL_TAG: reason})
    described = sm.describe_compilation_job(CompilationJobName="doomed")
    assert described["CompilationJobStatus"] == "FAILED"
    assert described["FailureReason"] == reason
    assert "ModelArtifacts" not in described
    assert "CompilationEndTime" in described

    logs = make_client(emulator, "logs")
    streams = logs.describe_log_streams(logGroupName=LOG_GROUP)["logStreams"]
    names = [stream["logStreamName"] for stream in streams]
    assert len(names) == 1 and names[0].startswith("doomed/")
    events = logs.get_log_events(logGroupName=LOG_GROUP, logStreamName=names[0])["events"]
    messages = [event["message"] for event in events]
    assert len(messages) >= 3
    assert any(reason in message for message in messages)


def test_bad_duration_tag_is_rejected_without_creating_a_job(sm: Any) -> None:
    response = error_of(lambda: create_job(sm, "bad-tag", tags={DURATION_TAG: "soon"}))
    assert response["Error"]["Code"] == "ValidationException"
    assert DURATION_TAG in response["Error"]["Message"]
    missing = error_of(lambda: sm.describe_compilation_job(CompilationJobName="bad-tag"))
    assert missing["Error"]["Code"] == "ResourceNotFound"


def test_completed_job_leaves_a_valid_archive_in_s3(emulator: Emulator, sm: Any) -> None:
    create_job(sm, "artifact", tags={DURATION_TAG: "0"}, model_uri="s3://models/bert.tgz")
    described = sm.describe_compilation_job(CompilationJobName="artifact")
    uri = described["ModelArtifacts"]["S3ModelArtifacts"]
    assert uri == "s3://neo-out/compiled/bert-ml_c5.tar.gz"

    bucket, key = uri.removeprefix("s3://").split("/", 1)
    body = make_client(emulator, "s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    assert described["ModelDigests"]["ArtifactDigest"] == hashlib.sha256(body).hexdigest()
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as archive:
        assert "compiled_model.json" in archive.getnames()


# --- stop and delete ------------------------------------------------------


def test_stop_goes_stopping_then_stopped(sm: Any) -> None:
    create_job(sm, "halt", tags={DURATION_TAG: "30"})
    sm.stop_compilation_job(CompilationJobName="halt")
    described = sm.describe_compilation_job(CompilationJobName="halt")
    assert described["CompilationJobStatus"] == "STOPPING"
    assert "CompilationEndTime" not in described

    stopping = error_of(lambda: sm.stop_compilation_job(CompilationJobName="halt"))
    assert stopping["Error"]["Code"] == "ValidationException"
    assert "STOPPING" in stopping["Error"]["Message"]

    busy = error_of(lambda: sm.delete_compilation_job(CompilationJobName="halt"))
    assert busy["Error"]["Code"] == "ValidationException"

    wait_until(lambda: status(sm, "halt") == "STOPPED", timeout=3)
    described = sm.describe_compilation_job(CompilationJobName="halt")
    assert described["CompilationEndTime"] == described["LastModifiedTime"]
    assert "ModelArtifacts" not in described
    sm.delete_compilation_job(CompilationJobName="halt")


def test_stop_of_finished_job_is_a_validation_error(sm: Any) -> None:
    create_job(sm, "finished", tags={DURATION_TAG: "0"})
    response = error_of(lambda: sm.stop_compilation_job(CompilationJobName="finished"))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Code"] == "ValidationException"
    assert "'finished'" in response["Error"]["Message"]
    assert "COMPLETED" in response["Error"]["Message"]


@pytest.mark.parametrize("action", ["describe_compilation_job", "stop_compilation_job"])
def test_unknown_job_is_resource_not_found(sm: Any, action: str) -> None:
    response = error_of(lambda: getattr(sm, action)(CompilationJobName="ghost"))
    assert response["Error"]["Code"] == "ResourceNotFound"
    assert response["Error"]["Message"] == "Could not find compilation job 'ghost'."


# --- ListCompilationJobs --------------------------------------------------


def test_list_handles_platform_targets_with_and_without_accelerator(sm: Any) -> None:
    create_job(sm, "cpu", target={"TargetPlatform": {"Os": "LINUX", "Arch": "X86_64"}})
    create_job(
        sm,
        "gpu",
        target={"TargetPlatform": {"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"}},
    )
    summaries = {s["CompilationJobName"]: s for s in sm.list_compilation_jobs()["CompilationJobSummaries"]}
    assert summaries["cpu"]["CompilationTargetPlatformOs"] == "LINUX"
    assert summaries["cpu"]["CompilationTargetPlatformArch"] == "X86_64"
    assert "CompilationTargetPlatformAccelerator" not in summaries["cpu"]
    assert summaries["gpu"]["CompilationTargetPlatformAccelerator"] == "NVIDIA"
    assert "CompilationTargetDevice" not in summaries["gpu"]


def test_list_reports_and_filters_by_computed_status(sm: Any) -> None:
    create_job(sm, "slow-job", tags={DURATION_TAG: "30"})
    create_job(sm, "fast-job", tags={DURATION_TAG: "0"})
    rows = sm.list_compilation_jobs()["CompilationJobSummaries"]
    assert {r["CompilationJobName"]: r["CompilationJobStatus"] for r in rows} == {
        "slow-job": "STARTING",
        "fast-job": "COMPLETED",
    }
    fast = next(r for r in rows if r["CompilationJobName"] == "fast-job")
    assert "CompilationEndTime" in fast and "CompilationTargetDevice" in fast

    def names(**filters: Any) -> list[str]:
        page = sm.list_compilation_jobs(**filters)["CompilationJobSummaries"]
        return [row["CompilationJobName"] for row in page]

    assert names(StatusEquals="COMPLETED") == ["fast-job"]
    assert names(StatusEquals="STARTING") == ["slow-job"]
    assert names(StatusEquals="FAILED") == []
    sm.stop_compilation_job(CompilationJobName="slow-job")
    assert names(StatusEquals="STOPPING") == ["slow-job"]
    assert names(SortBy="Status") == ["fast-job", "slow-job"]  # COMPLETED < STOPPING


def test_list_filters_sorting_and_pagination(sm: Any) -> None:
    names = ["resnet-a", "resnet-b", "bert-c", "resnet-d", "bert-e"]
    created = {}
    for name in names:
        create_job(sm, name, tags={DURATION_TAG: "30"})
        created[name] = sm.describe_compilation_job(CompilationJobName=name)["CreationTime"]
        time.sleep(0.02)

    def listed(**kwargs: Any) -> list[str]:
        page = sm.list_compilation_jobs(**kwargs)["CompilationJobSummaries"]
        return [row["CompilationJobName"] for row in page]

    assert listed() == names  # CreationTime, Ascending by default
    assert listed(SortOrder="Descending") == names[::-1]
    assert listed(SortBy="Name") == sorted(names)
    assert listed(SortBy="Name", SortOrder="Descending") == sorted(names, reverse=True)
    assert listed(NameContains="resnet") == ["resnet-a", "resnet-b", "resnet-d"]
    assert listed(CreationTimeAfter=created["bert-c"]) == ["resnet-d", "bert-e"]
    assert listed(CreationTimeBefore=created["bert-c"]) == ["resnet-a", "resnet-b"]
    assert listed(LastModifiedTimeAfter=created["resnet-d"]) == ["bert-e"]
    assert listed(LastModifiedTimeBefore=created["resnet-b"]) == ["resnet-a"]
    assert listed(NameContains="bert", SortBy="Name", SortOrder="Descending") == [
        "bert-e",
        "bert-c",
    ]

    pages: list[list[str]] = []
    token: str | None = None
    while True:
        kwargs: dict[str, Any] = {"MaxResults": 2, "SortBy": "Name"}
        if token:
            kwargs["NextToken"] = token
        response = sm.list_compilation_jobs(**kwargs)
        pages.append([row["CompilationJobName"] for row in response["CompilationJobSummaries"]])
        token = response.get("NextToken")
        if not token:
            break
    assert pages == [["bert-c", "bert-e"], ["resnet-a", "resnet-b"], ["resnet-d"]]

    first = sm.list_compilation_jobs(MaxResults=2, SortBy="Name")
    foreign = error_of(
        lambda: sm.list_compilation_jobs(MaxResults=2, SortBy="CreationTime", NextToken=first["NextToken"])
    )
    assert foreign["Error"]["Code"] == "ValidationException"
    invalid = error_of(lambda: sm.list_compilation_jobs(SortBy="Size"))
    assert invalid["Error"]["Code"] == "ValidationException"


# --- endpoints ------------------------------------------------------------


@pytest.fixture
def endpoint(sm: Any) -> str:
    """An InService endpoint on config v1 (2 instances, weight 1.0, data capture on);
    config v2 has 3 instances and weight 0.5 and no data capture."""
    sm.create_model(
        ModelName="m",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/neo:latest"},
    )
    sm.create_endpoint_config(
        EndpointConfigName="v1",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "m",
                "InitialInstanceCount": 2,
                "InstanceType": "ml.m5.large",
            }
        ],
        DataCaptureConfig={
            "EnableCapture": True,
            "InitialSamplingPercentage": 20,
            "DestinationS3Uri": "s3://capture/ep",
            "CaptureOptions": [{"CaptureMode": "Input"}],
        },
    )
    sm.create_endpoint_config(
        EndpointConfigName="v2",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "m",
                "InitialInstanceCount": 3,
                "InitialVariantWeight": 0.5,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sm.create_endpoint(EndpointName="ep", EndpointConfigName="v1")
    return "ep"


def variant(sm: Any, name: str) -> dict[str, Any]:
    described = sm.describe_endpoint(EndpointName=name)
    [only] = described["ProductionVariants"]
    return dict(only)


def wait_in_service(sm: Any, name: str) -> None:
    wait_until(lambda: sm.describe_endpoint(EndpointName=name)["EndpointStatus"] == "InService", 3)


def test_describe_endpoint_reports_variant_counts_weights_and_capture(sm: Any, endpoint: str) -> None:
    described = sm.describe_endpoint(EndpointName=endpoint)
    assert described["EndpointStatus"] == "InService"
    assert described["ProductionVariants"] == [
        {
            "VariantName": "AllTraffic",
            "CurrentInstanceCount": 2,
            "DesiredInstanceCount": 2,
            "CurrentWeight": 1.0,
            "DesiredWeight": 1.0,
        }
    ]
    assert described["DataCaptureConfig"] == {
        "EnableCapture": True,
        "CaptureStatus": "Started",
        "CurrentSamplingPercentage": 20,
        "DestinationS3Uri": "s3://capture/ep",
    }


def test_update_with_retain_all_keeps_autoscaled_count(emulator: Emulator, sm: Any, endpoint: str) -> None:
    emulator.set_variant_instance_count(endpoint, "AllTraffic", 5)
    assert variant(sm, endpoint)["CurrentInstanceCount"] == 5
    sm.update_endpoint(EndpointName=endpoint, EndpointConfigName="v2", RetainAllVariantProperties=True)
    during = sm.describe_endpoint(EndpointName=endpoint)
    assert during["EndpointStatus"] == "Updating"
    # The running deployment stays in place until the new one is up.
    assert during["EndpointConfigName"] == "v1"
    pending = during["PendingDeploymentSummary"]
    assert pending["EndpointConfigName"] == "v2"
    assert pending["ProductionVariants"][0]["DesiredInstanceCount"] == 5

    updating = error_of(lambda: sm.update_endpoint(EndpointName=endpoint, EndpointConfigName="v1"))
    assert updating["Error"]["Code"] == "ValidationException"

    wait_in_service(sm, endpoint)
    after = sm.describe_endpoint(EndpointName=endpoint)
    assert after["EndpointConfigName"] == "v2"
    assert "PendingDeploymentSummary" not in after
    assert after["DataCaptureConfig"]["DestinationS3Uri"] == "s3://capture/ep"
    [running] = after["ProductionVariants"]
    assert running["DesiredInstanceCount"] == running["CurrentInstanceCount"] == 5
    assert running["DesiredWeight"] == running["CurrentWeight"] == 1.0


def test_update_excluding_instance_count_takes_it_from_the_new_config(
    emulator: Emulator, sm: Any, endpoint: str
) -> None:
    emulator.set_variant_instance_count(endpoint, "AllTraffic", 5)
    sm.update_endpoint(
        EndpointName=endpoint,
        EndpointConfigName="v2",
        RetainAllVariantProperties=True,
        ExcludeRetainedVariantProperties=[{"VariantPropertyType": "DesiredInstanceCount"}],
    )
    during = sm.describe_endpoint(EndpointName=endpoint)
    [pending] = during["PendingDeploymentSummary"]["ProductionVariants"]
    assert pending["DesiredInstanceCount"] == 3
    assert pending["CurrentInstanceCount"] == 5  # the old fleet serves until the update ends
    assert pending["DesiredWeight"] == 1.0  # still retained
    assert variant(sm, endpoint)["DesiredInstanceCount"] == 5
    wait_in_service(sm, endpoint)
    after = variant(sm, endpoint)
    assert after["DesiredInstanceCount"] == after["CurrentInstanceCount"] == 3
    assert after["CurrentWeight"] == 1.0


def test_update_without_retain_applies_the_new_config(emulator: Emulator, sm: Any, endpoint: str) -> None:
    emulator.set_variant_instance_count(endpoint, "AllTraffic", 5)
    sm.update_endpoint(EndpointName=endpoint, EndpointConfigName="v2")
    wait_in_service(sm, endpoint)
    described = sm.describe_endpoint(EndpointName=endpoint)
    assert described["EndpointConfigName"] == "v2"
    assert "DataCaptureConfig" not in described
    [after] = described["ProductionVariants"]
    assert after["DesiredInstanceCount"] == after["CurrentInstanceCount"] == 3
    assert after["DesiredWeight"] == after["CurrentWeight"] == 0.5


def test_update_with_unknown_names_is_a_validation_error(sm: Any, endpoint: str) -> None:
    config = error_of(lambda: sm.update_endpoint(EndpointName=endpoint, EndpointConfigName="v9"))
    assert config["Error"]["Code"] == "ValidationException"
    assert "Could not find endpoint configuration" in config["Error"]["Message"]
    assert sm.describe_endpoint(EndpointName=endpoint)["EndpointConfigName"] == "v1"

    missing = error_of(lambda: sm.update_endpoint(EndpointName="nope", EndpointConfigName="v2"))
    assert missing["Error"]["Code"] == "ValidationException"
    assert "Could not find endpoint" in missing["Error"]["Message"]


# --- trials ---------------------------------------------------------------


def test_list_trials_filters_and_sorts(sm: Any) -> None:
    sm.create_experiment(ExperimentName="exp-a")
    sm.create_experiment(ExperimentName="exp-b")
    created = {}
    for name, experiment in [("t-2", "exp-a"), ("t-1", "exp-a"), ("t-3", "exp-b")]:
        sm.create_trial(TrialName=name, ExperimentName=experiment)
        created[name] = sm.describe_trial(TrialName=name)["CreationTime"]
        time.sleep(0.02)
    sm.create_trial_component(TrialComponentName="tc")
    sm.associate_trial_component(TrialComponentName="tc", TrialName="t-1")

    def listed(**kwargs: Any) -> list[str]:
        return [t["TrialName"] for t in sm.list_trials(**kwargs)["TrialSummaries"]]

    assert listed() == ["t-3", "t-1", "t-2"]  # newest first by default
    assert listed(SortOrder="Ascending") == ["t-2", "t-1", "t-3"]
    assert listed(SortBy="Name", SortOrder="Ascending") == ["t-1", "t-2", "t-3"]
    assert listed(CreatedAfter=created["t-2"]) == ["t-3", "t-1"]
    assert listed(CreatedBefore=created["t-3"], SortBy="Name") == ["t-2", "t-1"]
    assert listed(ExperimentName="exp-a", SortBy="Name", SortOrder="Ascending") == [
        "t-1",
        "t-2",
    ]
    assert listed(TrialComponentName="tc") == ["t-1"]

    first = sm.list_trials(MaxResults=2, SortBy="Name", SortOrder="Ascending")
    assert [t["TrialName"] for t in first["TrialSummaries"]] == ["t-1", "t-2"]
    rest = sm.list_trials(MaxResults=2, SortBy="Name", SortOrder="Ascending", NextToken=first["NextToken"])
    assert [t["TrialName"] for t in rest["TrialSummaries"]] == ["t-3"]
    assert "NextToken" not in rest


# --- fault injection ------------------------------------------------------


def test_single_throttle_is_retried_by_a_standard_mode_client(emulator: Emulator) -> None:
    standard = make_client(emulator, "sagemaker", Config(retries={"mode": "standard", "max_attempts": 3}))
    emulator.inject_fault("ListCompilationJobs", "throttle", 1)
    response = standard.list_compilation_jobs()
    assert response["ResponseMetadata"]["RetryAttempts"] == 1
    assert emulator.pending_faults() == 0


def test_throttle_body_is_parsed_as_throttling_exception(emulator: Emulator, sm: Any) -> None:
    emulator.inject_fault(None, "throttle", 1)
    response = error_of(sm.list_compilation_jobs)
    assert response["Error"]["Code"] == "ThrottlingException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_500_faults_are_visible_until_used_up(emulator: Emulator, sm: Any) -> None:
    emulator.inject_fault(None, "500", 2)
    for _ in range(2):
        response = error_of(sm.list_compilation_jobs)
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 500
        assert response["Error"]["Code"] == "InternalFailure"
    assert sm.list_compilation_jobs()["CompilationJobSummaries"] == []


def test_faults_only_hit_the_named_action(emulator: Emulator, sm: Any) -> None:
    create_job(sm, "target")
    emulator.inject_fault("DescribeCompilationJob", "503", 1)
    sm.list_compilation_jobs()
    assert emulator.pending_faults() == 1
    response = error_of(lambda: sm.describe_compilation_job(CompilationJobName="target"))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert emulator.pending_faults() == 0


def test_slow_fault_delays_the_answer(emulator: Emulator, sm: Any) -> None:
    emulator.inject_fault("ListCompilationJobs", "slow:1", 1)
    started = time.monotonic()
    sm.list_compilation_jobs()
    assert time.monotonic() - started >= 1
    assert emulator.pending_faults() == 0
    started = time.monotonic()
    sm.list_compilation_jobs()
    assert time.monotonic() - started < 1  # one fault, one late answer (a loaded machine answers in ~0.1 s)


def test_unknown_fault_kind_is_refused(emulator: Emulator) -> None:
    with pytest.raises(ValueError, match="fault kind"):
        emulator.inject_fault(None, "teapot", 1)
    with pytest.raises(ValueError, match="count"):
        emulator.inject_fault(None, "500", 0)


# --- python -m neoctl.testing -----------------------------------------------


def test_module_cli_prints_url_serves_and_exits_cleanly_on_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "neoctl.testing", "--port", "0", "--job-seconds", "0.5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        assert ready, "the emulator printed no URL"
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert int(url.rsplit(":", 1)[1]) > 0
        client = boto3.client(
            "sagemaker",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=NO_RETRIES,
        )
        assert client.list_compilation_jobs()["CompilationJobSummaries"] == []
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert f"neoctl emulator listening on {url} (local SageMaker emulator, not AWS)" in stderr
    assert "Traceback" not in stderr


def test_a_server_failure_is_an_api_error_botocore_parses_not_html(emulator: Emulator) -> None:
    # moto has no SageMaker backend for US-EAST-1 and fails inside; Flask's answer was an HTML page.
    client = emulator.client("sagemaker", region="US-EAST-1", config=NO_RETRIES)
    with pytest.raises(ClientError) as info:
        client.list_compilation_jobs()
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert info.value.response["Error"] == {
        "Code": "InternalFailure",
        "Message": "the emulator failed on this request (its log has the traceback)",
    }
