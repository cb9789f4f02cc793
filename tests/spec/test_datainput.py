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


@pytest.mark.parametrize(
    "value",
    [
        {"data": [1, 20]},
        {"data": [1, 69]},  # the customer-churn notebook's input_shape, sent by the SDK; the job COMPLETED
        '{"data": [1, 69]}',
        "{'data': [1, 69]}",
        {"anything": "goes"},  # no shape rules are documented for XGBoost
        [[1, 20]],
    ],
)
def test_xgboost_with_a_data_input_config_is_accepted_as_given(value: Any) -> None:
    # Was "XGBOOST takes no DataInputConfig": the SageMaker Python SDK sends one whenever
    # input_shape is given, and such jobs completed (issue 21).
    assert check("XGBOOST", value) == ([], [])


def test_xgboost_data_input_config_must_still_parse() -> None:
    errors, _ = check("XGBOOST", '{"data": [1, 20]')
    assert [m.split(":")[0] for m, _ in errors] == ["DataInputConfig is not valid JSON"]


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
        ("TFLITE", [1, 1, 28, 28], [1, 28, 28, 1]),
        ("TFLITE", [1, 3, 224, 224], [1, 224, 224, 3]),
    ],
)
def test_layout_slips_are_warnings_with_the_likely_shape(framework: str, shape: list[int], meant: list[int]) -> None:
    errors, warnings = check(framework, {"x": shape})
    assert errors == []
    [(message, hint)] = warnings
    assert f"{shape}" in message and framework in message
    assert hint == f"did you mean {meant}?"


def test_tensorflow_channels_first_is_a_documented_form() -> None:
    # The Developer Guide's Edge Manager tutorial compiles a Keras .h5 as TENSORFLOW with
    # {"data":[1,3,224,224]} (edge-getting-started-step2.md): a public configuration, so no
    # warning (it used to warn, which failed `validate --strict`).
    assert check("TENSORFLOW", {"data": [1, 3, 224, 224]}) == ([], [])


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


# --- Python-style text (issue 21): parsed safely, sent as JSON ---------------------------


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("{'data':[1,3,224,224]}", '{"data": [1, 3, 224, 224]}'),  # every DG CLI example
        ("{'data': [1, 3, 300, 450]}", '{"data": [1, 3, 300, 450]}'),
        ("  {'a': True, 'b': None, 'c': 1.5, 'd': 'x'}\n", '{"a": true, "b": null, "c": 1.5, "d": "x"}'),
        ("[[1, 3, 224, 224], [1, 3, 160, 160]]", "[[1, 3, 224, 224], [1, 3, 160, 160]]"),  # JSON: verbatim
        ('{"data":[1,3,224,224]}', '{"data":[1,3,224,224]}'),  # JSON: verbatim, spacing kept
        ("{'entrée': [1, 3]}", '{"entrée": [1, 3]}'),
    ],
)
def test_python_style_text_is_sent_as_json(text: str, sent: str) -> None:
    assert datainput.as_json(text) == sent
    assert json.loads(datainput.as_json(text)) == datainput.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('touch pwned')",  # a call: literal_eval never runs it
        "{'data': open('/etc/passwd').read()}",
        "{'data': (1, 3, 224, 224)}",  # a tuple is not JSON
        "{'data': {1, 3}}",  # a set
        "{1: [1, 3]}",  # a key that is not text
        "{'data': b'bytes'}",
        "{'data': 1+2j}",
        "{'data': 1e999}",  # infinity
        "{'data': [1, 3,",  # broken in both forms
        "{data: [1, 3]}",
        "[" * 10_000 + "]" * 10_000,  # nesting beyond the parser
        "{'data': [" + "1, " * 8000 + "1]}",  # longer than the member's 16384 characters
        "{'a': 1}\x00",
        "",
    ],
)
def test_anything_else_is_no_python_literal_and_stays_as_given(text: str) -> None:
    assert datainput.python_literal(text) is None
    assert datainput.as_json(text) == text
    with pytest.raises(ValueError):
        datainput.parse(text)


def test_python_style_data_input_config_is_checked_like_json() -> None:
    assert check("MXNET", "{'data': [1, 3, 224, 224]}") == ([], [])
    errors, _ = check("MXNET", "{'data': [1, 3, 0, 224]}")
    assert errors == [("DataInputConfig input 'data': dimension 0 must be a positive whole number", None)]
    errors, _ = check("MXNET", "{'data': [1, 3, 224, 224]")  # invalid in both forms: still refused
    assert errors[0][0].startswith("DataInputConfig is not valid JSON")
