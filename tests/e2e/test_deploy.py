"""`neoctl deploy`, `endpoint rollback` and `endpoint history` through the installed CLI
against the emulator: what is created, what survives, refusals, idempotency, partial failure."""

from __future__ import annotations

import time
from typing import Any

import pytest

from neoctl.testing import Emulator

from .conftest import NEOCTL, ROLE, run

PREVIOUS = "neoctl:previous-config"
CAPTURE = {
    "EnableCapture": True,
    "InitialSamplingPercentage": 20,
    "DestinationS3Uri": "s3://demo-models/capture/",
    "CaptureOptions": [{"CaptureMode": "Input"}],
}
KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def compile_job(emu: Emulator, name: str, target: str = "ml_c5", seconds: str = "0", **tags: str) -> None:
    """A PyTorch 2.0 job straight through the emulator (COMPLETED at once by default)."""
    emu.client("sagemaker").create_compilation_job(
        CompilationJobName=name,
        RoleArn=ROLE,
        InputConfig={
            "S3Uri": "s3://demo-models/resnet50/model.tar.gz",
            "Framework": "PYTORCH",
            "FrameworkVersion": "2.0",
            "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
        },
        OutputConfig={"S3OutputLocation": "s3://demo-models/compiled/", "TargetDevice": target},
        StoppingCondition={"MaxRuntimeInSeconds": 900},
        Tags=[{"Key": k, "Value": v} for k, v in {"neoctl-emulator:duration": seconds, **tags}.items()],
    )


@pytest.fixture
def prod(clean_emulator: Emulator) -> Emulator:
    """Endpoint `prod`: one variant on ml.c5 with data capture, a KMS key and tags,
    autoscaled from 1 to 3 instances; a COMPLETED ml_c5 job `rn50-c5`."""
    sm = clean_emulator.client("sagemaker")
    sm.create_model(
        ModelName="old-model",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/old:1"},
    )
    sm.create_endpoint_config(
        EndpointConfigName="prod-v1",
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": "old-model",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.c5.xlarge",
                "InitialVariantWeight": 1.0,
            }
        ],
        DataCaptureConfig=CAPTURE,
        KmsKeyId=KMS,
        Tags=[{"Key": "team", "Value": "vision"}],
    )
    sm.create_endpoint(EndpointName="prod", EndpointConfigName="prod-v1")
    clean_emulator.set_variant_instance_count("prod", "main", 3)
    compile_job(clean_emulator, "rn50-c5")
    clean_emulator.requests.clear()
    return clean_emulator


def _settled(emu: Emulator, name: str = "prod") -> dict[str, Any]:
    sm = emu.client("sagemaker")
    for _ in range(50):
        endpoint: dict[str, Any] = sm.describe_endpoint(EndpointName=name)
        if endpoint["EndpointStatus"] == "InService":
            return endpoint
        time.sleep(0.1)
    raise AssertionError(f"endpoint {name} never came back InService")


def _created(emu: Emulator) -> dict[str, int]:
    deploying = ("sagemaker.CreateModel", "sagemaker.CreateEndpoint", "sagemaker.UpdateEndpoint")
    return {k: v for k, v in emu.requests.counts().items() if k.startswith(deploying) and v}


def test_deploy_swaps_only_the_model_and_keeps_the_autoscaled_count(prod: Emulator, env: dict[str, str]) -> None:
    res = run(["deploy", "rn50-c5", "--endpoint", "prod", "--yes", "-o", "json"], env)
    assert res.code == 0, res.stderr
    done = res.json()
    assert done["Action"] == "UpdateEndpoint" and done["ModelCreated"] and done["EndpointConfigCreated"]
    assert done["PreviousEndpointConfig"] == "prod-v1"
    assert _created(prod) == {
        "sagemaker.CreateModel": 1,
        "sagemaker.CreateEndpointConfig": 1,
        "sagemaker.UpdateEndpoint": 1,
    }
    sm = prod.client("sagemaker")
    endpoint = _settled(prod)
    assert endpoint["EndpointConfigName"] == done["EndpointConfigName"]
    assert endpoint["ProductionVariants"][0]["DesiredInstanceCount"] == 3  # retain-all
    old = sm.describe_endpoint_config(EndpointConfigName="prod-v1")
    new = sm.describe_endpoint_config(EndpointConfigName=done["EndpointConfigName"])
    assert new["ProductionVariants"][0].pop("ModelName") == done["ModelName"]
    assert old["ProductionVariants"][0].pop("ModelName") == "old-model"
    for key in ("ProductionVariants", "DataCaptureConfig", "KmsKeyId"):
        assert new.get(key) == old.get(key), key
    tags = {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=new["EndpointConfigArn"])["Tags"]}
    assert tags["team"] == "vision" and tags[PREVIOUS] == "prod-v1"
    model = sm.describe_model(ModelName=done["ModelName"])
    container = model["PrimaryContainer"]
    # The emulator reports InferenceImage for cloud targets as SageMaker does; deploy uses it.
    assert container["Image"] == "763104351884.dkr.ecr.us-east-1.amazonaws.com/sagemaker-neo-pytorch:2.0-cpu-py3"
    assert container["ModelDataUrl"].startswith("s3://demo-models/compiled/")
    assert container["Environment"]["SAGEMAKER_REGION"] == "us-east-1"
    assert container["Environment"]["MMS_DEFAULT_RESPONSE_TIMEOUT"] == "500"
    assert model["ExecutionRoleArn"] == ROLE


def test_second_deploy_creates_nothing(prod: Emulator, env: dict[str, str]) -> None:
    assert run(["deploy", "rn50-c5", "--endpoint", "prod", "--yes", "--wait", "--poll", "0.2"], env).code == 0
    prod.requests.clear()
    res = run(["deploy", "rn50-c5", "--endpoint", "prod", "--yes"], env)
    assert res.code == 0, res.stderr
    assert "already serves" in res.stderr
    assert _created(prod) == {}


def test_dry_run_shows_the_plan_and_sends_nothing(prod: Emulator, env: dict[str, str]) -> None:
    res = run(["deploy", "rn50-c5", "--endpoint", "prod", "--dry-run"], env)
    assert res.code == 0, res.stderr
    for text in ("the job's InferenceImage", "UpdateEndpoint", "ModelName", "old-model", "prod-v1"):
        assert text in res.stdout, text
    assert "nothing was sent" in res.stderr
    assert _created(prod) == {}


def test_fallback_image_when_the_job_reports_none(prod: Emulator, env: dict[str, str]) -> None:
    compile_job(prod, "rn50-noimg", **{"neoctl-emulator:no-inference-image": "1"})
    res = run(["deploy", "rn50-noimg", "--endpoint", "prod", "--dry-run", "-o", "json"], env)
    assert res.code == 0, res.stderr
    image = res.json()["Image"]
    assert image["Uri"] == "785573368785.dkr.ecr.us-east-1.amazonaws.com/sagemaker-inference-pytorch:2.0-cpu-py3"
    assert "documented" in image["Source"]


def test_no_image_match_is_refused_naming_the_lookup(prod: Emulator, env: dict[str, str]) -> None:
    compile_job(prod, "rn50-inf2", target="ml_inf2", **{"neoctl-emulator:no-inference-image": "1"})
    res = run(["deploy", "rn50-inf2", "--endpoint", "fresh", "--instance-type", "ml.inf2.xlarge", "--yes"], env)
    assert res.code == 252
    assert "PYTORCH 2.0 on ml_inf2" in res.stderr and "--image" in res.stderr
    assert _created(prod) == {}
    ok = run(
        [
            "deploy",
            "rn50-inf2",
            "--endpoint",
            "fresh",
            "--instance-type",
            "ml.inf2.xlarge",
            "--image",
            "my:1",
            "--dry-run",
        ],
        env,
    )
    assert ok.code == 0, ok.stderr


def test_unfinished_job_is_refused(prod: Emulator, env: dict[str, str]) -> None:
    compile_job(prod, "rn50-slow", seconds="600")
    res = run(["deploy", "rn50-slow", "--endpoint", "prod", "--yes"], env)
    assert res.code == 254
    assert "not COMPLETED" in res.stderr and "neoctl wait rn50-slow" in res.stderr
    assert _created(prod) == {}


def test_edge_job_is_refused(prod: Emulator, env: dict[str, str]) -> None:
    compile_job(prod, "rn50-jetson", target="jetson_nano")
    res = run(["deploy", "rn50-jetson", "--endpoint", "prod", "--yes"], env)
    assert res.code == 252
    assert "jetson_nano" in res.stderr and "neoctl download rn50-jetson" in res.stderr
    assert _created(prod) == {}


def test_new_endpoint_family_mismatch_is_refused(prod: Emulator, env: dict[str, str]) -> None:
    res = run(["deploy", "rn50-c5", "--endpoint", "fresh", "--instance-type", "ml.m5.large", "--yes"], env)
    assert res.code == 252
    assert "ml.c5.*" in res.stderr
    assert _created(prod) == {}


def test_instance_flags_change_the_copied_variant_and_show_in_the_plan(prod: Emulator, env: dict[str, str]) -> None:
    """Issue 23 item 5: --instance-type / --instance-count on an existing endpoint are applied
    to the copied config's variant, shown in the plan's changes, and the count is not retained."""
    flags = ["--instance-type", "ml.c5.4xlarge", "--instance-count", "2"]
    dry = run(["deploy", "rn50-c5", "--endpoint", "prod", *flags, "--dry-run", "-o", "json"], env)
    assert dry.code == 0, dry.stderr
    changes = {(row["Field"], row["Current"], row["New"]) for row in dry.json()["EndpointConfig"]["Diff"]}
    assert ("InstanceType", "ml.c5.xlarge", "ml.c5.4xlarge") in changes
    assert ("InitialInstanceCount", 1, 2) in changes
    assert {"VariantPropertyType": "DesiredInstanceCount"} in dry.json()["Call"]["Request"][
        "ExcludeRetainedVariantProperties"
    ]
    shown = run(["deploy", "rn50-c5", "--endpoint", "prod", *flags, "--dry-run"], env)
    assert "ml.c5.4xlarge" in shown.stdout and "InitialInstanceCount" in shown.stdout
    res = run(["deploy", "rn50-c5", "--endpoint", "prod", *flags, "--yes", "-o", "json"], env)
    assert res.code == 0, res.stderr
    new = prod.client("sagemaker").describe_endpoint_config(EndpointConfigName=res.json()["EndpointConfigName"])
    variant = new["ProductionVariants"][0]
    assert (variant["InstanceType"], variant["InitialInstanceCount"]) == ("ml.c5.4xlarge", 2)
    assert _settled(prod)["ProductionVariants"][0]["DesiredInstanceCount"] == 2


def test_instance_type_on_an_existing_endpoint_is_checked_against_the_target(
    prod: Emulator, env: dict[str, str]
) -> None:
    res = run(["deploy", "rn50-c5", "--endpoint", "prod", "--instance-type", "ml.m5.large", "--yes"], env)
    assert res.code == 252
    assert "ml_c5" in res.stderr and "ml.m5.large" in res.stderr
    assert _created(prod) == {}


def test_existing_endpoint_family_mismatch_is_refused_with_the_ways_on(prod: Emulator, env: dict[str, str]) -> None:
    """Issue 23 item 6: a model compiled for ml_p3 on an endpoint running ml.c5.xlarge is
    refused (252) naming both, as for a new endpoint; --instance-type or
    --allow-target-mismatch go on."""
    compile_job(prod, "rn50-p3", target="ml_p3")
    res = run(["deploy", "rn50-p3", "--endpoint", "prod", "--yes"], env)
    assert res.code == 252, res.stderr
    assert "ml_p3" in res.stderr and "ml.c5.xlarge" in res.stderr
    assert "--allow-target-mismatch" in res.stderr and "--instance-type ml.p3.xlarge" in res.stderr
    assert _created(prod) == {}
    moved = run(["deploy", "rn50-p3", "--endpoint", "prod", "--instance-type", "ml.p3.2xlarge", "--dry-run"], env)
    assert moved.code == 0, moved.stderr
    forced = run(["deploy", "rn50-p3", "--endpoint", "prod", "--allow-target-mismatch", "--yes"], env)
    assert forced.code == 0, forced.stderr
    assert "compiled for ml_p3" in forced.stderr


def test_new_endpoint_is_created_and_waited_for(prod: Emulator, env: dict[str, str]) -> None:
    res = run(
        [
            *("deploy", "rn50-c5", "--endpoint", "fresh", "--instance-type", "ml.c5.large", "--instance-count", "2"),
            *("--yes", "--wait", "--poll", "0.2", "-o", "json"),
        ],
        env,
    )
    assert res.code == 0, res.stderr
    assert res.json()["Action"] == "CreateEndpoint" and res.json()["EndpointStatus"] == "InService"
    variant = _settled(prod, "fresh")["ProductionVariants"][0]
    assert variant["DesiredInstanceCount"] == 2


def test_partial_failure_says_what_exists_and_how_to_finish(prod: Emulator, env: dict[str, str]) -> None:
    prod.inject_fault("UpdateEndpoint", "500", count=10)
    res = run(["deploy", "rn50-c5", "--endpoint", "prod", "--yes"], env)
    assert res.code != 0
    assert "exists now: model rn50-c5-" in res.stderr and "endpoint config rn50-c5-" in res.stderr
    assert "neoctl deploy rn50-c5 --endpoint prod" in res.stderr
    assert "delete-model" in res.stderr
    assert _settled(prod)["EndpointConfigName"] == "prod-v1"
    prod.clear_faults()
    prod.requests.clear()
    again = run(["deploy", "rn50-c5", "--endpoint", "prod", "--yes", "-o", "json"], env)
    assert again.code == 0, again.stderr
    assert not again.json()["ModelCreated"] and not again.json()["EndpointConfigCreated"]
    assert _created(prod) == {"sagemaker.UpdateEndpoint": 1}


def test_rollback_restores_the_previous_config_with_retain_all(prod: Emulator, env: dict[str, str]) -> None:
    assert run(["deploy", "rn50-c5", "--endpoint", "prod", "--yes", "--wait", "--poll", "0.2"], env).code == 0
    history = run(["endpoint", "history", "prod", "-o", "json"], env).json()
    assert [c["Name"] for c in history["Configs"]][1] == "prod-v1"
    assert history["Configs"][0]["Current"] and history["Configs"][1]["Models"] == {"main": "old-model"}
    dry = run(["endpoint", "rollback", "prod", "--dry-run", "-o", "json"], env)
    assert dry.json()["Request"] == {
        "EndpointName": "prod",
        "EndpointConfigName": "prod-v1",
        "RetainAllVariantProperties": True,
    }
    res = run(["endpoint", "rollback", "prod", "--yes", "--wait", "--poll", "0.2"], env)
    assert res.code == 0, res.stderr
    endpoint = _settled(prod)
    assert endpoint["EndpointConfigName"] == "prod-v1"
    assert endpoint["ProductionVariants"][0]["DesiredInstanceCount"] == 3


def test_rollback_without_recorded_config_is_refused(prod: Emulator, env: dict[str, str]) -> None:
    res = run(["endpoint", "rollback", "prod", "--yes"], env)
    assert res.code == 252
    assert "no previous config" in res.stderr and "endpoint history prod" in res.stderr
    assert _created(prod) == {}


def test_sigterm_mid_deploy_says_what_exists_as_a_failed_step_does(prod: Emulator, env: dict[str, str]) -> None:
    """SIGTERM while CreateEndpointConfig is in flight (the emulator holds it 3 s), after
    CreateModel: exit 143 in a failed step's words — what exists now, what the request in
    flight may have made — and the commands that finish or undo it."""
    import signal
    import subprocess

    prod.inject_fault("CreateEndpointConfig", "slow:3")
    proc = subprocess.Popen(
        [NEOCTL, "deploy", "rn50-c5", "--endpoint", "prod", "--yes"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not prod.requests.counts()["sagemaker.CreateEndpointConfig"]:  # the step is in flight
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "CreateEndpointConfig was never sent"
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 143, err
    assert "Traceback" not in err
    models = [m["ModelName"] for m in prod.client("sagemaker").list_models()["Models"]]
    (model,) = [m for m in models if m.startswith("rn50-c5-")]  # CreateModel was done
    assert f"interrupted during CreateEndpointConfig; exists now: model {model}; endpoint config rn50-c5-" in err
    assert "may exist (the request was sent)" in err
    assert "finish with `neoctl deploy rn50-c5 --endpoint prod` and the same options" in err
    assert "aws sagemaker delete-endpoint-config --endpoint-config-name rn50-c5-" in err
    assert f"then `aws sagemaker delete-model --model-name {model}`" in err
    assert _settled(prod)["EndpointConfigName"] == "prod-v1"  # the endpoint was not touched


def test_ctrl_c_in_any_step_says_what_exists_and_the_way_out() -> None:
    """The words of an interruption, step by step (in-process: Ctrl-C is a KeyboardInterrupt)."""
    from neoctl.endpoints.deploy import Steps
    from neoctl.errors import Interrupted

    def interrupt() -> dict[str, Any]:
        raise KeyboardInterrupt

    steps = Steps("neoctl deploy j --endpoint e", {"model": "m", "config": "c", "endpoint": "e"})
    with pytest.raises(Interrupted) as first:
        steps.run("CreateModel", interrupt)
    assert first.value.message == "interrupted during CreateModel; model m may exist (the request was sent)"
    assert first.value.hint == (
        "finish with `neoctl deploy j --endpoint e` and the same options (it reuses what exists); "
        "or undo with `aws sagemaker delete-model --model-name m`"
    )
    steps.exists("model m", "aws sagemaker delete-model --model-name m")
    steps.exists("endpoint config c", "aws sagemaker delete-endpoint-config --endpoint-config-name c")
    with pytest.raises(Interrupted) as last:
        steps.run("UpdateEndpoint", interrupt)
    assert last.value.message == (
        "interrupted during UpdateEndpoint; exists now: model m, endpoint config c; "
        "endpoint e may be updating to endpoint config c (the request was sent)"
    )
    assert last.value.hint is not None
    assert last.value.hint.endswith(
        "or undo with `neoctl endpoint rollback e` then `aws sagemaker delete-endpoint-config "
        "--endpoint-config-name c` then `aws sagemaker delete-model --model-name m`"
    )
