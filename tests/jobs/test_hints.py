"""jobs.hints: FailureReason text → meaning and action, from facts/failure_hints.json."""

from __future__ import annotations

import re

import pytest

from neoctl.facts import failure_hints, failure_hints_document
from neoctl.jobs.hints import hint_for

# Realistic texts for each row of the fact sheet's §5, with a word the expected action holds.
CASES = [
    (
        "An error occurred (ValidationException) when calling the CreateCompilationJob operation: "
        "Unsupported framework version field for target. Framework version is supported for Target "
        "Platform configuration and only part of target devices.",
        "framework_version",
    ),
    (
        "ClientError: Could not assume role arn:aws:iam::123456789012:role/Neo. Please ensure that the role "
        "exists and allows principal 'sagemaker.amazonaws.com' to assume the role.",
        "trust policy",
    ),
    (
        "ClientError: An error occurred (AccessDenied) when calling the AssumeRole operation: Access Denied",
        "iam:PassRole",
    ),
    ("ClientError: S3 operation failed: 403 Forbidden for s3://bucket/model.tar.gz", "s3:GetObject"),
    (
        "User: arn:aws:iam::123456789012:user/me is not authorized to perform: iam:PassRole on resource: role",
        "iam:PassRole",
    ),
    (
        "ClientError: InputConfiguration: S3 object does not exist. Bucket: my-bucket, Key: models/model.tar.gz",
        "model.uri",
    ),
    (
        "ClientError: InputConfiguration: Bucket my-bucket is in region eu-west-1 which is different from "
        "AWS Sagemaker service region us-east-1",
        "region",
    ),
    (
        "ClientError: InputConfiguration: Unable to untar input model. Please confirm the model is a tar.gz file",
        ".tar.gz",
    ),
    ("ClientError: InputConfiguration: No pth file found in the model artifact", "archive"),
    ("ClientError: InputConfiguration: Exactly one .pth file is allowed for PyTorch models.", "archive"),
    ("ClientError: InputConfiguration: Multiple h5 files provided, only one is allowed", "archive"),
    ("ClientError: InputConfiguration: No h5 file provided in the model artifact", "archive"),
    (
        "ClientError: InputConfiguration: Input input_1 has wrong shape [1, 224, 224, 3]. Please give the input "
        "shape in NCHW format.",
        "NCHW",
    ),
    (
        "ClientError: InputConfiguration: Please specify all input layers in data_shape. Input layer (input_2) "
        "not specified.",
        "every model input",
    ),
    (
        "ClientError: InputConfiguration: TVM cannot convert the PyTorch model. Invalid model or input-shape "
        "mismatch. Make sure that inputs are lexically ordered and of the correct dimensionality.",
        "torch.jit.trace",
    ),
    (
        "ClientError: OperatorNotImplemented: TVM cannot convert the ONNX model. The following operators are not "
        "implemented: {'NonMaxSuppression'}",
        "output.target",
    ),
    (
        "ClientError: OperatorAttributeRequired: Required attribute 'axes' not found for operator 'Squeeze'.",
        "output.target",
    ),
    (
        "ClientError: InputConfiguration: Framework cannot load Tensorflow model: as_list() is not defined on an "
        "unknown TensorShape.",
        "static",
    ),
    (
        "ClientError: InputConfiguration: Treelite failed to convert XGBoost model. Please make sure the model "
        "was saved with Booster.save_model",
        "save_model",
    ),
    (
        "ClientError: InputConfiguration: Unable to load PyTorch model: PytorchStreamReader failed reading "
        "zip archive: attempted to read a PyTorch file with version 10, but the maximum supported version for "
        "reading is 6.",
        "torch 1.9",
    ),
    (
        "ClientError: CompilationError: Unable to compile model for ml_inf1: No operations were successfully "
        "partitioned and compiled to neuron for this model - aborting trace!",
        "model.eval()",
    ),
    (
        "CapacityError: Unable to provision requested ML compute capacity. Please retry using a different ML "
        "instance type.",
        "later",
    ),
    ("ServerError: There was an internal server error during the compilation job. Please try again.", "AWS support"),
    ("TimeOut: Compilation job exceeded MaxRuntimeInSeconds", "max_runtime"),
]


@pytest.mark.parametrize(("reason", "action_word"), CASES)
def test_each_documented_failure_has_a_hint(reason: str, action_word: str) -> None:
    hint = hint_for(reason)
    assert hint is not None
    assert set(hint) == {"Meaning", "Action", "Source"}
    assert action_word.lower() in hint["Action"].lower()


def test_every_row_is_matched_by_some_case() -> None:
    matched = {hint["Meaning"] for reason, _ in CASES if (hint := hint_for(reason))}
    assert matched == {row["meaning"] for row in failure_hints()}


def test_tvm_conversion_hint_names_inputs_tracing_and_lexical_order() -> None:
    hint = hint_for("TVM cannot convert the PyTorch model. Invalid model or input-shape mismatch.")
    assert hint is not None
    for words in ("model.inputs", "order", "layout", "torch.jit.trace", "input0, input1, input10, input2"):
        assert words in hint["Action"]


def test_matching_ignores_case() -> None:
    assert hint_for("s3 OBJECT DOES NOT EXIST. Bucket: b, Key: k") == hint_for("S3 object does not exist.")


@pytest.mark.parametrize("reason", ["", "Something nobody has seen before happened.", "Completed"])
def test_no_hint_for_an_unknown_reason(reason: str) -> None:
    assert hint_for(reason) is None


def test_the_table_names_its_sources_and_date() -> None:
    document = failure_hints_document()
    assert document["retrieved"] == "2026-11-29"
    assert "neo-support.md" in document["source"]
    for row in failure_hints():
        assert row["source"] and row["meaning"] and row["action"]
        re.compile(row["pattern"])
