"""modelcheck: a request against the installed botocore model (enums, patterns, ranges)."""

from __future__ import annotations

import copy
from typing import Any

import botocore.session
import pytest

from neoctl.apimodel import check as modelcheck
from neoctl.apimodel import load_model

OP = "CreateCompilationJob"
ROLE = "arn:aws:iam::123456789012:role/SageMakerNeoRole"
VALID: dict[str, Any] = {
    "CompilationJobName": "resnet50-c5",
    "RoleArn": ROLE,
    "InputConfig": {
        "S3Uri": "s3://my-bucket/m.tar.gz",
        "Framework": "PYTORCH",
        "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
    },
    "OutputConfig": {"S3OutputLocation": "s3://my-bucket/out/", "TargetDevice": "ml_c5"},
    "StoppingCondition": {"MaxRuntimeInSeconds": 900},
}

# The TargetDevice values of the 2020 API text: every one must still be accepted.
DEVICES_2020 = [
    "lambda",
    "ml_m4",
    "ml_m5",
    "ml_c4",
    "ml_c5",
    "ml_p2",
    "ml_p3",
    "ml_inf1",
    "jetson_tx1",
    "jetson_tx2",
    "jetson_nano",
    "jetson_xavier",
    "rasp3b",
    "imx8qm",
    "deeplens",
    "rk3399",
    "rk3288",
    "aisage",
    "sbe_c",
    "qcs605",
    "qcs603",
    "amba_cv22",
]


def botocore_input() -> Any:
    return botocore.session.get_session().get_service_model("sagemaker").operation_model(OP).input_shape


def run(request: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    found: list[tuple[str, str, str | None]] = []
    model = load_model()

    def report(path: tuple[str | int, ...], message: str, hint: str | None) -> None:
        found.append((".".join(map(str, path)), message, hint))

    modelcheck.check(model, model.inputs[OP], request, (), report)
    return found


def changed(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    request = copy.deepcopy(VALID)
    parent = request
    for key in path[:-1]:
        parent = parent.setdefault(key, {})
    if value is ...:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return request


def test_valid_request_has_no_problems() -> None:
    assert run(VALID) == []


def test_target_devices_are_botocores_not_a_constant() -> None:
    model = load_model()
    expected = list(botocore_input().members["OutputConfig"].members["TargetDevice"].enum)
    assert model.enum(OP, "OutputConfig", "TargetDevice") == expected
    assert set(DEVICES_2020) <= set(expected)
    assert "ml_inf" not in expected


@pytest.mark.parametrize("device", DEVICES_2020)
def test_every_2020_device_is_accepted(device: str) -> None:
    assert run(changed(("OutputConfig", "TargetDevice"), device)) == []


@pytest.mark.parametrize("device", ["rasp4b", "ml_inf2", "coreml", "x86_win64"])
def test_devices_added_since_2020_are_accepted(device: str) -> None:
    assert run(changed(("OutputConfig", "TargetDevice"), device)) == []


def test_unknown_device_suggests_the_near_one() -> None:
    assert run(changed(("OutputConfig", "TargetDevice"), "jetson_nanoo")) == [
        ("OutputConfig.TargetDevice", "'jetson_nanoo' is not a valid value", "did you mean jetson_nano?")
    ]


def test_ml_inf_is_not_a_device() -> None:
    [(path, message, _hint)] = run(changed(("OutputConfig", "TargetDevice"), "ml_inf"))
    assert path == "OutputConfig.TargetDevice"
    assert message == "'ml_inf' is not a valid value"


def test_framework_enum_from_the_model() -> None:
    frameworks = list(botocore_input().members["InputConfig"].members["Framework"].enum)
    assert load_model().enum(OP, "InputConfig", "Framework") == frameworks
    for framework in frameworks:
        assert run(changed(("InputConfig", "Framework"), framework)) == []
    [(_, _, hint)] = run(changed(("InputConfig", "Framework"), "pytorch"))
    assert hint == "did you mean PYTORCH?"


def test_target_platform_values_from_the_model() -> None:
    platform = botocore_input().members["OutputConfig"].members["TargetPlatform"]
    model = load_model()
    for member in ("Os", "Arch", "Accelerator"):
        assert model.enum(OP, "OutputConfig", "TargetPlatform", member) == list(platform.members[member].enum)
    request = changed(("OutputConfig", "TargetDevice"), ...)
    request["OutputConfig"]["TargetPlatform"] = {"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"}
    assert run(request) == []
    request["OutputConfig"]["TargetPlatform"] = {"Os": "Linux", "Arch": "ARM64"}
    assert run(request) == [("OutputConfig.TargetPlatform.Os", "'Linux' is not a valid value", "did you mean LINUX?")]
    request["OutputConfig"]["TargetPlatform"] = {"Os": "LINUX"}
    assert run(request) == [("OutputConfig.TargetPlatform.Arch", "Arch is required", None)]


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("a", True),
        ("a" * 63, True),
        ("a" * 64, False),
        ("resnet50--c5", True),
        ("resnet_50", False),
        ("-resnet", False),
        ("resnet-", False),
        ("resnet 50", False),
        ("", False),
    ],
)
def test_job_name_pattern_and_length(name: str, ok: bool) -> None:
    found = run(changed(("CompilationJobName",), name))
    assert (found == []) is ok, found
    if not ok:
        assert found[0][0] == "CompilationJobName"


def test_name_too_long_says_the_limit() -> None:
    assert run(changed(("CompilationJobName",), "a" * 64)) == [
        ("CompilationJobName", "is 64 characters long; at most 63 are allowed", None)
    ]


def test_role_arn_pattern_has_an_example_hint() -> None:
    [(path, message, hint)] = run(changed(("RoleArn",), "arn:aws:iam::12345:role/NeoRole"))
    assert path == "RoleArn"
    assert "does not match the pattern" in message
    assert hint == "e.g. arn:aws:iam::123456789012:role/SageMakerRole"


@pytest.mark.parametrize("key", ["Küche", "チーム", "cost center", "a_b.c:d/e=f+g-h@i", "x" * 128])
def test_tag_keys_use_the_models_unicode_pattern(key: str) -> None:
    assert run(changed(("Tags",), [{"Key": key, "Value": "Ünïcödé 値"}])) == []


@pytest.mark.parametrize(
    ("key", "value"), [("cost$center", "x"), ("ok", "v%"), ("x" * 129, "v"), ("", "v"), ("ok", "x" * 257)]
)
def test_bad_tags_are_refused(key: str, value: str) -> None:
    found = run(changed(("Tags",), [{"Key": key, "Value": value}]))
    assert len(found) == 1
    assert found[0][0] in ("Tags.0.Key", "Tags.0.Value")


def test_too_many_tags() -> None:
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    assert run(changed(("Tags",), tags)) == [("Tags", "has 51 items; at most 50 are allowed", None)]
    assert run(changed(("Tags",), tags[:50])) == []


def test_unknown_member_suggests_and_does_not_also_say_required() -> None:
    request = changed(("RoleArn",), ...)
    request["RoleARN"] = ROLE
    assert run(request) == [("RoleARN", "unknown field RoleARN", "did you mean RoleArn?")]


def test_missing_required_member() -> None:
    assert run(changed(("RoleArn",), ...)) == [("RoleArn", "RoleArn is required", None)]


def test_number_where_text_is_needed() -> None:
    assert run(changed(("InputConfig", "FrameworkVersion"), 1.1)) == [
        ("InputConfig.FrameworkVersion", "must be text, not a number", None)
    ]


@pytest.mark.parametrize(
    ("value", "ok"), [("1.10", True), ("2.0", True), ("10", False), ("v1.10", False), ("1.10.0.0.0.0", False)]
)
def test_framework_version_pattern_and_length(value: str, ok: bool) -> None:
    assert (run(changed(("InputConfig", "FrameworkVersion"), value)) == []) is ok


@pytest.mark.parametrize("value", [True, "900", 9.5])
def test_integers_must_be_whole_numbers_not_bools_or_text(value: Any) -> None:
    [(path, message, _)] = run(changed(("StoppingCondition", "MaxRuntimeInSeconds"), value))
    assert path == "StoppingCondition.MaxRuntimeInSeconds"
    assert message.startswith("must be a whole number")


def test_integer_range_from_the_model() -> None:
    shape = botocore_input().members["StoppingCondition"].members["MaxPendingTimeInSeconds"]
    low, high = shape.metadata["min"], shape.metadata["max"]
    assert run(changed(("StoppingCondition", "MaxPendingTimeInSeconds"), low)) == []
    assert run(changed(("StoppingCondition", "MaxPendingTimeInSeconds"), high)) == []
    assert run(changed(("StoppingCondition", "MaxPendingTimeInSeconds"), low - 1)) == [
        ("StoppingCondition.MaxPendingTimeInSeconds", f"{low - 1} is below the minimum {low}", None)
    ]
    assert run(changed(("StoppingCondition", "MaxPendingTimeInSeconds"), high + 1)) == [
        ("StoppingCondition.MaxPendingTimeInSeconds", f"{high + 1} is above the maximum {high}", None)
    ]


def test_structure_and_list_types() -> None:
    assert run(changed(("OutputConfig",), "ml_c5")) == [("OutputConfig", "must be a mapping, not text", None)]
    assert run(changed(("Tags",), {"Key": "a"})) == [("Tags", "must be a list, not a mapping", None)]


def test_long_value_is_shortened_in_pattern_messages() -> None:
    [(_, message, _)] = run(changed(("OutputConfig", "S3OutputLocation"), "x" * 1000))
    assert len(message) < 200
    assert "…" in message
