"""deploy's rules in-process: which jobs can be served, instance families, names, the config copy."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from neoctl.endpoints.deploy import (
    JOB_TAG,
    PREVIOUS_TAG,
    check_instance_type,
    config_diff,
    config_fields,
    copy_config,
    hosting_target,
    model_request,
    pick_variant,
)
from neoctl.errors import EXIT_INVALID_INPUT, EXIT_SERVICE, InvalidInput, ServiceError

ROLE = "arn:aws:iam::123456789012:role/SageMakerNeoRole"


def _job(status: str = "COMPLETED", **output: Any) -> dict[str, Any]:
    return {
        "CompilationJobName": "rn50-ml-c5",
        "CompilationJobStatus": status,
        "RoleArn": ROLE,
        "OutputConfig": output or {"TargetDevice": "ml_c5", "S3OutputLocation": "s3://b/out/"},
        "ModelArtifacts": {"S3ModelArtifacts": "s3://b/out/model-ml_c5.tar.gz"},
        "InputConfig": {"Framework": "PYTORCH", "FrameworkVersion": "2.0"},
    }


def test_completed_cloud_job_gives_its_target() -> None:
    assert hosting_target(_job()) == "ml_c5"


@pytest.mark.parametrize("status", ["INPROGRESS", "STARTING"])
def test_running_job_is_refused_pointing_at_wait(status: str) -> None:
    with pytest.raises(ServiceError) as caught:
        hosting_target(_job(status))
    assert caught.value.exit_code == EXIT_SERVICE
    assert status in caught.value.message
    assert "neoctl wait rn50-ml-c5" in (caught.value.hint or "")


def test_failed_job_is_refused() -> None:
    with pytest.raises(ServiceError) as caught:
        hosting_target(_job("FAILED"))
    assert "FAILED, not COMPLETED" in caught.value.message


def test_edge_target_is_refused_pointing_at_download() -> None:
    with pytest.raises(InvalidInput) as caught:
        hosting_target(_job(TargetDevice="jetson_nano"))
    assert caught.value.exit_code == EXIT_INVALID_INPUT
    assert "jetson_nano" in caught.value.message
    assert "neoctl download rn50-ml-c5" in (caught.value.hint or "")


def test_target_platform_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        hosting_target(_job(TargetPlatform={"Os": "LINUX", "Arch": "ARM64"}))
    assert "TargetPlatform LINUX/ARM64" in caught.value.message


@pytest.mark.parametrize(
    ("target", "instance"),
    [
        ("ml_c5", "ml.c5.xlarge"),
        ("ml_inf1", "ml.inf1.2xlarge"),
        ("ml_g4dn", "ml.g4dn.xlarge"),
        ("ml_eia2", "ml.c5.large"),
    ],
)
def test_matching_family(target: str, instance: str) -> None:
    check_instance_type(target, instance)


@pytest.mark.parametrize(
    ("target", "instance", "family"),
    [("ml_c5", "ml.m5.large", "ml.c5."), ("ml_inf1", "ml.c5.xlarge", "ml.inf1."), ("ml_p3", "ml.p2.xlarge", "ml.p3.")],
)
def test_family_mismatch_names_the_right_family(target: str, instance: str, family: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_instance_type(target, instance)
    assert f"runs on {family}*" in caught.value.message


def test_model_name_is_job_and_digest_of_definition() -> None:
    env = {"SAGEMAKER_PROGRAM": "inference.py"}
    first = model_request(_job(), "img:1", None, env)
    assert first["ModelName"].startswith("rn50-ml-c5-")
    assert first == model_request(_job(), "img:1", None, dict(env))  # same definition, same name
    assert first["ExecutionRoleArn"] == ROLE
    assert first["PrimaryContainer"]["ModelDataUrl"] == "s3://b/out/model-ml_c5.tar.gz"
    others = [
        model_request(_job(), "img:2", None, env),
        model_request(_job(), "img:1", "arn:aws:iam::1:role/other", env),
        model_request(_job(), "img:1", None, {"SAGEMAKER_PROGRAM": "serve.py"}),
        model_request({**_job(), "VpcConfig": {"Subnets": ["s"], "SecurityGroupIds": ["g"]}}, "img:1", None, env),
    ]
    assert len({m["ModelName"] for m in [first, *others]}) == 5
    assert others[3]["VpcConfig"] == {"Subnets": ["s"], "SecurityGroupIds": ["g"]}


def _current() -> dict[str, Any]:
    return {
        "EndpointConfigName": "prod-v1",
        "EndpointConfigArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/prod-v1",
        "CreationTime": "2026-11-01T00:00:00Z",
        "ProductionVariants": [
            {
                "VariantName": "blue",
                "ModelName": "old-model",
                "InitialInstanceCount": 2,
                "InstanceType": "ml.c5.xlarge",
                "InitialVariantWeight": 0.7,
                "AcceleratorType": "ml.eia2.medium",
            },
            {
                "VariantName": "green",
                "ModelName": "other-model",
                "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5},
                "InitialVariantWeight": 0.3,
            },
        ],
        "DataCaptureConfig": {
            "EnableCapture": True,
            "InitialSamplingPercentage": 20,
            "DestinationS3Uri": "s3://b/capture/",
            "CaptureOptions": [{"CaptureMode": "Input"}],
        },
        "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/abc",
        "AsyncInferenceConfig": {"OutputConfig": {"S3OutputPath": "s3://b/async/"}},
    }


TAGS = [{"Key": "team", "Value": "vision"}, {"Key": PREVIOUS_TAG, "Value": "prod-v0"}, {"Key": "aws:x", "Value": "y"}]


def test_config_copy_keeps_every_field_but_the_variants_model() -> None:
    current = _current()
    new = copy_config(copy.deepcopy(current), TAGS, "blue", "new-model", "rn50-ml-c5")
    expected = {
        k: copy.deepcopy(v)
        for k, v in current.items()
        if k not in ("EndpointConfigName", "EndpointConfigArn", "CreationTime")
    }
    expected["ProductionVariants"][0]["ModelName"] = "new-model"
    assert {k: v for k, v in new.items() if k not in ("EndpointConfigName", "Tags")} == expected
    assert new["Tags"] == [
        {"Key": "team", "Value": "vision"},
        {"Key": PREVIOUS_TAG, "Value": "prod-v1"},
        {"Key": JOB_TAG, "Value": "rn50-ml-c5"},
    ]
    assert new["EndpointConfigName"] != "prod-v1"
    assert [(r["Where"], r["Field"]) for r in config_diff(current, new)] == [("blue", "ModelName")]


def test_config_copy_name_is_stable() -> None:
    args = (TAGS, "blue", "new-model", "rn50-ml-c5")
    assert copy_config(_current(), *args)["EndpointConfigName"] == copy_config(_current(), *args)["EndpointConfigName"]


def test_copied_fields_cover_the_described_ones() -> None:
    assert {"ProductionVariants", "DataCaptureConfig", "KmsKeyId", "AsyncInferenceConfig"} <= set(config_fields())


def test_variant_choice() -> None:
    with pytest.raises(InvalidInput) as caught:
        pick_variant(_current(), None)
    assert "--variant" in (caught.value.hint or "") and "blue, green" in caught.value.message
    with pytest.raises(InvalidInput):
        pick_variant(_current(), "red")
    assert pick_variant(_current(), "green") == "green"
    only = {"EndpointConfigName": "x", "ProductionVariants": [{"VariantName": "main"}]}
    assert pick_variant(only, None) == "main"
