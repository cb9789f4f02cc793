"""rules: what CreateCompilationJob requires beyond what its model can say."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from neoctl.spec import rules

FRAMEWORKS = ["TENSORFLOW", "KERAS", "MXNET", "ONNX", "PYTORCH", "XGBOOST", "TFLITE", "DARKNET", "SKLEARN"]
VALID: dict[str, Any] = {
    "CompilationJobName": "resnet50-c5",
    "RoleArn": "arn:aws:iam::123456789012:role/SageMakerNeoRole",
    "InputConfig": {
        "S3Uri": "s3://my-bucket/m.tar.gz",
        "Framework": "PYTORCH",
        "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
    },
    "OutputConfig": {"S3OutputLocation": "s3://my-bucket/out/", "TargetDevice": "ml_c5"},
    "StoppingCondition": {"MaxRuntimeInSeconds": 900},
}
PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/resnet50/1"

Found = list[tuple[str, str, str | None]]


def run(request: dict[str, Any]) -> tuple[Found, Found]:
    errors: Found = []
    warnings: Found = []
    rules.check(
        request,
        FRAMEWORKS,
        lambda p, m, h: errors.append((".".join(map(str, p)), m, h)),
        lambda p, m, h: warnings.append((".".join(map(str, p)), m, h)),
    )
    return errors, warnings


def request(**changes: Any) -> dict[str, Any]:
    """VALID with top-level members replaced (None deletes) or nested ones as 'A__B'."""
    out = copy.deepcopy(VALID)
    for key, value in changes.items():
        parent, _, child = key.partition("__")
        target, name = (out[parent], child) if child else (out, parent)
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
    return out


def errors_of(req: dict[str, Any]) -> Found:
    return run(req)[0]


def test_valid_request_passes() -> None:
    assert run(VALID) == ([], [])


def test_input_config_and_model_package_are_exclusive() -> None:
    assert errors_of(request(ModelPackageVersionArn=PACKAGE)) == [
        (
            "ModelPackageVersionArn",
            "give InputConfig or ModelPackageVersionArn, not both",
            "a model package already says where the model is and how it was trained",
        )
    ]
    assert errors_of(request(ModelPackageVersionArn=PACKAGE, InputConfig=None)) == []
    assert errors_of(request(InputConfig=None)) == [
        ("InputConfig", "InputConfig is required (or ModelPackageVersionArn)", None)
    ]


def test_target_device_and_platform_are_exclusive() -> None:
    platform = {"Os": "LINUX", "Arch": "ARM64"}
    [(path, message, _)] = errors_of(request(OutputConfig__TargetPlatform=platform))
    assert (path, message) == ("OutputConfig.TargetPlatform", "give TargetDevice or TargetPlatform, not both")
    assert errors_of(request(OutputConfig__TargetPlatform=platform, OutputConfig__TargetDevice=None)) == []
    [(path, message, hint)] = errors_of(request(OutputConfig__TargetDevice=None))
    assert (path, message) == ("OutputConfig.TargetDevice", "TargetDevice or TargetPlatform is required")
    assert hint is not None and "neoctl devices" in hint


def test_max_runtime_is_at_most_28_days() -> None:
    assert errors_of(request(StoppingCondition={"MaxRuntimeInSeconds": 28 * 86400})) == []
    assert errors_of(request(StoppingCondition={"MaxRuntimeInSeconds": 28 * 86400 + 1})) == [
        (
            "StoppingCondition.MaxRuntimeInSeconds",
            "2419201 seconds is more than 28 days (2419200)",
            "use at most 2419200",
        )
    ]


@pytest.mark.parametrize(
    "stop",
    [
        {"MaxRuntimeInSeconds": 900, "MaxWaitTimeInSeconds": 60},  # the public job (issue 21)
        {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 600},
        {"MaxWaitTimeInSeconds": 3600},  # below the default day
        {"MaxRuntimeInSeconds": 900, "MaxWaitTimeInSeconds": 900},
    ],
)
def test_max_wait_below_max_runtime_is_neither_error_nor_warning(stop: dict[str, int]) -> None:
    # Was a refusal: "MaxWait >= MaxRuntime" is documented for managed Spot training, and a
    # public compilation job ran with MaxWaitTimeInSeconds 60 < MaxRuntimeInSeconds 900.
    assert run(request(StoppingCondition=stop)) == ([], [])


def test_non_numbers_are_left_to_the_model_check() -> None:
    assert errors_of(request(StoppingCondition={"MaxRuntimeInSeconds": "15m", "MaxWaitTimeInSeconds": True})) == []


@pytest.mark.parametrize(
    ("uri", "suffix"),
    [
        ("s3://b/model.tar.gz", None),
        ("s3://b/model.tgz", None),  # ran in public (issue 21): once refused
        ("s3://b/mobilenet_v2_1.0_224_quant.tgz", None),
        ("s3://b/MODEL.TAR.GZ", None),
        ("s3://b/sagemaker/neo-compilation-job-demo-data/train", None),  # no extension: the DG CLI example
        ("s3://b/resnet_v1.5_50", None),  # a dot, but no extension
        ("s3://b/model.zip", ".zip"),
        ("s3://b/model.tar", ".tar"),
        ("s3://b/model.pth", ".pth"),
        ("s3://b/model.tar.bz2", ".tar.bz2"),
        ("s3://b/model.tar.gz.zip", ".zip"),
    ],
)
def test_model_artifact_must_be_tar_gz_or_tgz(uri: str, suffix: str | None) -> None:
    found = errors_of(request(InputConfig__S3Uri=uri))
    if suffix is None:
        assert found == []
    else:
        assert found[0][:2] == (
            "InputConfig.S3Uri",
            f"the model artifact must be a .tar.gz (or .tgz) archive, not {suffix}",
        )


def test_compiler_options_must_be_json_or_a_python_literal() -> None:
    assert errors_of(request(OutputConfig__CompilerOptions='{"gpu-code": "sm_72"}')) == []
    # Python-style, as the Developer Guide's CLI examples write it: accepted (sent as JSON).
    assert errors_of(request(OutputConfig__CompilerOptions="{'dtype': 'long'}")) == []
    [(path, message, _)] = errors_of(request(OutputConfig__CompilerOptions="{gpu-code: sm_72}"))
    assert path == "OutputConfig.CompilerOptions"
    assert message.startswith("CompilerOptions is not valid JSON")


def test_python_style_nvidia_options_count_as_given() -> None:
    options = "{'cuda-ver': '10.0', 'trt-ver': '6.0.1', 'gpu-code': 'sm_70'}"  # the DG CLI platform example
    assert run(_nvidia(options)) == ([], [])
    errors, _ = run(_nvidia("{'gpu-code': 'sm_70'}"))
    assert [e[1] for e in errors] == ["compiler options missing for an NVIDIA accelerator: trt-ver, cuda-ver"]


def test_data_input_config_is_checked_for_the_framework() -> None:
    assert errors_of(request(InputConfig__DataInputConfig="[[1, 3, 224, 224]]")) == []
    [(path, message, _)] = errors_of(
        request(InputConfig__Framework="MXNET", InputConfig__DataInputConfig="[[1, 3, 224, 224]]")
    )
    assert path == "InputConfig.DataInputConfig"
    assert "PyTorch only" in message


def test_layout_slip_is_a_warning_not_an_error() -> None:
    errors, warnings = run(request(InputConfig__DataInputConfig='{"input0": [1, 224, 224, 3]}'))
    assert errors == []
    assert warnings == [
        (
            "InputConfig.DataInputConfig",
            "DataInputConfig input 'input0' [1, 224, 224, 3] looks channels-last (NHWC), but PYTORCH expects NCHW",
            "did you mean [1, 3, 224, 224]?",
        )
    ]


def test_unknown_framework_skips_the_data_input_check() -> None:
    # The model check already reports the framework; no second, confusing message.
    assert errors_of(request(InputConfig__Framework="TORCH", InputConfig__DataInputConfig="{")) == []


def _nvidia(options: str | None) -> dict[str, Any]:
    request = copy.deepcopy(VALID)
    out = request["OutputConfig"]
    del out["TargetDevice"]
    out["TargetPlatform"] = {"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"}
    if options is not None:
        out["CompilerOptions"] = options
    return request


@pytest.mark.parametrize(
    ("options", "missing"),
    [
        (None, "gpu-code, trt-ver, cuda-ver"),
        ('{"gpu-code": "sm_72"}', "trt-ver, cuda-ver"),
        ('{"gpu-code": "sm_72", "trt-ver": "7.1.3"}', "cuda-ver"),
    ],
)
def test_nvidia_platform_needs_its_compiler_options(options: str | None, missing: str) -> None:
    errors, _ = run(_nvidia(options))
    assert len(errors) == 1 and errors[0][1].endswith(missing), errors


@pytest.mark.parametrize("gpu", ["gpu-code", "gpu_code"])  # botocore's docs spell it both ways
def test_nvidia_platform_with_its_options_is_valid(gpu: str) -> None:
    assert run(_nvidia(f'{{"{gpu}": "sm_72", "trt-ver": "7.1.3", "cuda-ver": "10.2"}}')) == ([], [])


@pytest.mark.parametrize("key", ["aws:owner", "AWS:cost", "Aws:x"])
def test_tag_key_with_the_reserved_aws_prefix(key: str) -> None:
    request = copy.deepcopy(VALID) | {"Tags": [{"Key": "team", "Value": "a"}, {"Key": key, "Value": "b"}]}
    errors, _ = run(request)
    assert [e[0] for e in errors] == ["Tags.1"] and key in errors[0][1]


def test_tag_key_merely_containing_aws_is_fine() -> None:
    assert run(copy.deepcopy(VALID) | {"Tags": [{"Key": "team-aws:x", "Value": "a"}]}) == ([], [])
