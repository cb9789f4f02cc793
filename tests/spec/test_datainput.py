"""datainput: DataInputConfig per framework — encoding, shapes, layouts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from neoctl.spec import datainput
from neoctl.spec.datainput import cli_form, encode

Found = list[tuple[str, str | None]]


def check(framework: str, value: Any) -> tuple[Found, Found]:
    """Errors and warnings for a DataInputConfig given as YAML (encoded) or as text."""
    errors: Found = []
    warnings: Found = []
    text = value if value is None or isinstance(value, str) else encode(value)
    datainput.check(
        framework,
        text,
        ("DataInputConfig",),
        lambda _p, m, h: errors.append((m, h)),
        lambda _p, m, h: warnings.append((m, h)),
    )
    return errors, warnings


def test_encode_gives_the_json_text_sagemaker_documents() -> None:
    assert encode({"input0": [1, 3, 224, 224]}) == '{"input0": [1, 3, 224, 224]}'
    assert encode([[1, 3, 224, 224], [1, 3, 160, 160]]) == "[[1, 3, 224, 224], [1, 3, 160, 160]]"


def test_encode_keeps_key_order_for_multi_input_models() -> None:
    text = encode({"data": [1, 3, 600, 800], "im_info": [1, 3], "anchors": [9, 4]})
    assert text == '{"data": [1, 3, 600, 800], "im_info": [1, 3], "anchors": [9, 4]}'
    assert list(json.loads(text)) == ["data", "im_info", "anchors"]


def test_encode_keeps_non_ascii_names_readable() -> None:
    assert encode({"entrée": [1, 3]}) == '{"entrée": [1, 3]}'


def test_cli_form_backslashes_the_quotes() -> None:
    assert cli_form('{"input0": [1, 3, 224, 224]}') == '{\\"input0\\": [1, 3, 224, 224]}'


@pytest.mark.parametrize(
    ("framework", "shapes"),
    [
        ("TENSORFLOW", {"input": [1, 224, 224, 3]}),
        ("TFLITE", {"input": [1, 224, 224, 3]}),
        ("KERAS", {"input_1": [1, 3, 224, 224]}),
        ("MXNET", {"data": [1, 3, 224, 224]}),
        ("ONNX", {"data_0": [1, 3, 224, 224]}),
        ("DARKNET", {"data": [1, 3, 416, 416]}),
        ("PYTORCH", {"input0": [1, 3, 224, 224]}),
        ("PYTORCH", [[1, 3, 224, 224], [1, 3, 160, 160]]),
        ("PYTORCH", None),
        ("XGBOOST", None),
        ("MXNET", {"data": [1, 3, 600, 800], "im_info": [1, 3]}),
        ("PYTORCH", {"input0": {"shape": [[1, 3, 224, 224], [1, 3, 160, 160]], "default_shape": [1, 3, 224, 224]}}),
        ("PYTORCH", {"input0": {"shape": [1, 3, "64..512", "64..512"]}}),
    ],
)
def test_valid_configs_pass_silently(framework: str, shapes: Any) -> None:
    assert check(framework, shapes) == ([], [])


@pytest.mark.parametrize("framework", ["TENSORFLOW", "TFLITE", "KERAS", "MXNET", "ONNX", "DARKNET"])
def test_image_frameworks_require_inputs(framework: str) -> None:
    errors, _ = check(framework, None)
    assert [m for m, _ in errors] == [f"DataInputConfig is required for {framework}"]


def test_xgboost_takes_no_inputs() -> None:
    assert check("XGBOOST", {"data": [1, 20]}) == ([("XGBOOST takes no DataInputConfig", "remove it")], [])


@pytest.mark.parametrize("framework", ["TENSORFLOW", "MXNET", "ONNX", "KERAS", "TFLITE", "DARKNET"])
def test_list_form_is_pytorch_only(framework: str) -> None:
    errors, _ = check(framework, [[1, 3, 224, 224]])
    assert [m for m, _ in errors] == [f"the list form of DataInputConfig is for PyTorch only, not {framework}"]


@pytest.mark.parametrize(
    ("shape", "bad"),
    [
        ([1, 3, 0, 224], "0"),
        ([1, -3, 224, 224], "-3"),
        ([1, 3, True, 224], "True"),
        ([1, 3.5, 224, 224], "3.5"),
        ([1, "3", 224, 224], "'3'"),
        ([1, None], "None"),
        ([1, [3], 224], "[3]"),
    ],
)
def test_dimensions_must_be_positive_whole_numbers(shape: list[Any], bad: str) -> None:
    errors, _ = check("MXNET", {"data": shape})
    assert errors == [(f"DataInputConfig input 'data': dimension {bad} must be a positive whole number", None)]


def test_ranges_only_in_the_extended_form() -> None:
    errors, _ = check("PYTORCH", {"input0": [1, 3, "64..512", 224]})
    assert "dimension '64..512'" in errors[0][0]
    errors, _ = check("PYTORCH", {"input0": {"shape": [1, 3, "64-512", 224]}})
    assert "dimension '64-512'" in errors[0][0]


@pytest.mark.parametrize("value", ["{}", "[]", '"input0"', "7", '{"input0": []}', '{"input0": "1,3"}'])
def test_empty_or_shapeless_configs(value: str) -> None:
    errors, _ = check("PYTORCH", value)
    assert len(errors) == 1


def test_extended_form_needs_a_shape() -> None:
    errors, _ = check("PYTORCH", {"input0": {"default_shape": [1, 3, 224, 224]}})
    assert errors == [("DataInputConfig input 'input0' has no shape", 'e.g. {"shape": [1, 3, 224, 224]}')]


def test_text_that_is_not_json() -> None:
    errors, _ = check("MXNET", '{"data": [1, 3, 224, 224]')
    assert errors[0][0].startswith("DataInputConfig is not valid JSON: Expecting ',' delimiter")


def test_every_bad_input_is_reported() -> None:
    errors, _ = check("ONNX", {"a": [1, 0, 2, 2], "b": [1, 3, -1, 2]})
    assert len(errors) == 2


@pytest.mark.parametrize(
    ("framework", "shape", "meant"),
    [
        ("PYTORCH", [1, 224, 224, 3], [1, 3, 224, 224]),
        ("MXNET", [8, 299, 299, 3], [8, 3, 299, 299]),
        ("ONNX", [1, 224, 224, 1], [1, 1, 224, 224]),
        ("KERAS", [1, 224, 224, 4], [1, 4, 224, 224]),
        ("DARKNET", [1, 416, 416, 3], [1, 3, 416, 416]),
        ("TENSORFLOW", [1, 3, 224, 224], [1, 224, 224, 3]),
        ("TFLITE", [1, 1, 28, 28], [1, 28, 28, 1]),
    ],
)
def test_layout_slips_are_warnings_with_the_likely_shape(framework: str, shape: list[int], meant: list[int]) -> None:
    errors, warnings = check(framework, {"x": shape})
    assert errors == []
    [(message, hint)] = warnings
    assert f"{shape}" in message and framework in message
    assert hint == f"did you mean {meant}?"


@pytest.mark.parametrize(
    ("framework", "shape"),
    [
        ("PYTORCH", [1, 3, 3, 3]),
        ("TENSORFLOW", [1, 3, 224, 3]),
        ("MXNET", [1, 64, 56, 56]),
        ("PYTORCH", [1, 224, 224]),
        ("ONNX", [1, 3, 224, 224, 1]),
    ],
)
def test_no_layout_warning_when_it_cannot_tell(framework: str, shape: list[int]) -> None:
    assert check(framework, {"x": shape}) == ([], [])


def test_pytorch_list_form_shapes_get_layout_warnings_too() -> None:
    errors, warnings = check("PYTORCH", [[1, 3, 224, 224], [1, 160, 160, 3]])
    assert errors == []
    assert len(warnings) == 1
    assert "input 1" in warnings[0][0]
