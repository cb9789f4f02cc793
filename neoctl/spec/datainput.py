"""DataInputConfig per framework: built from YAML, checked, and turned into the JSON
text SageMaker expects (a JSON document inside the JSON request)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Path = tuple[str | int, ...]
Report = Callable[[Path, str, "str | None"], None]

# Frameworks whose shapes the docs give channels-last (NHWC); the other image
# frameworks take channels-first (NCHW). Which frameworks exist comes from the model.
NHWC = frozenset({"TENSORFLOW", "TFLITE"})
NCHW = frozenset({"KERAS", "MXNET", "ONNX", "PYTORCH", "DARKNET"})
# The docs: "You must specify the name and shape" for these.
REQUIRED = NHWC | (NCHW - {"PYTORCH"})
NO_INPUTS = frozenset({"XGBOOST"})
LIST_FORM = frozenset({"PYTORCH"})
CHANNELS = (1, 3, 4)


def encode(value: Any) -> str:
    """JSON text for a YAML structure, key order kept (MXNet/ONNX inputs are ordered).

    json.dumps's default separators match the SageMaker docs and the Python SDK.
    """
    return json.dumps(value, ensure_ascii=False)


def check(framework: str, text: str | None, path: Path, report: Report, warn: Report) -> None:
    """Report what is wrong with a DataInputConfig for `framework`; warn on layout slips."""
    if text is None:
        if framework in REQUIRED:
            report(
                path,
                f"DataInputConfig is required for {framework}",
                'give each input\'s name and shape, e.g. {"data": [1, 3, 224, 224]}',
            )
        return
    if framework in NO_INPUTS:
        report(path, f"{framework} takes no DataInputConfig", "remove it")
        return
    try:
        value = json.loads(text)
    except ValueError as exc:
        report(
            path,
            f"DataInputConfig is not valid JSON: {exc}",
            "write it as YAML instead of a JSON string, or check the brackets and quotes",
        )
        return
    if isinstance(value, list):
        if framework not in LIST_FORM:
            report(
                path,
                f"the list form of DataInputConfig is for PyTorch only, not {framework}",
                'name each input: {"input0": [1, 224, 224, 3]}',
            )
            return
        if not value:
            report(path, "DataInputConfig lists no inputs", None)
        for i, item in enumerate(value):
            _input(framework, f"input {i}", item, path, report, warn)
        return
    if not isinstance(value, dict):
        report(path, "DataInputConfig must map input names to shapes", '{"input0": [1, 3, 224, 224]}')
        return
    if not value:
        report(path, "DataInputConfig names no inputs", None)
    for name, item in value.items():
        _input(framework, f"input {name!r}", item, path, report, warn)


def _input(framework: str, label: str, item: Any, path: Path, report: Report, warn: Report) -> None:
    if isinstance(item, dict):
        # The extended form (CoreML, PyTorch 2): {"shape": ..., "default_shape": ..., "type": ...}
        if "shape" not in item:
            report(path, f"DataInputConfig {label} has no shape", 'e.g. {"shape": [1, 3, 224, 224]}')
            return
        shapes = item["shape"]
        if isinstance(shapes, list) and shapes and all(isinstance(s, list) for s in shapes):
            for s in shapes:
                _shape(framework, label, s, path, report, warn, ranges=True)
        else:
            _shape(framework, label, shapes, path, report, warn, ranges=True)
        if "default_shape" in item:
            _shape(framework, label + " default_shape", item["default_shape"], path, report, warn)
        return
    _shape(framework, label, item, path, report, warn)


def _is_dim(dim: Any, ranges: bool) -> bool:
    if isinstance(dim, int) and not isinstance(dim, bool):
        return dim > 0
    if ranges and isinstance(dim, str):  # CoreML range dimension "1..10"
        low, sep, high = dim.partition("..")
        return bool(sep) and low.isdigit() and (high.isdigit() or high == "-1")
    return False


def _shape(
    framework: str,
    label: str,
    shape: Any,
    path: Path,
    report: Report,
    warn: Report,
    ranges: bool = False,
) -> None:
    if not isinstance(shape, list) or not shape:
        report(path, f"DataInputConfig {label}: the shape must be a list of dimensions", "e.g. [1, 3, 224, 224]")
        return
    bad = [d for d in shape if not _is_dim(d, ranges)]
    if bad:
        report(path, f"DataInputConfig {label}: dimension {bad[0]!r} must be a positive whole number", None)
        return
    if len(shape) == 4 and all(isinstance(d, int) for d in shape):
        _layout(framework, label, shape, path, warn)


def _layout(framework: str, label: str, shape: list[int], path: Path, warn: Report) -> None:
    first, last = shape[1], shape[3]
    if framework in NHWC and first in CHANNELS and last not in CHANNELS:
        warn(
            path,
            f"DataInputConfig {label} {shape} looks channels-first (NCHW), but {framework} expects NHWC",
            f"did you mean {[shape[0], shape[2], shape[3], first]}?",
        )
    elif framework in NCHW and last in CHANNELS and first not in CHANNELS:
        warn(
            path,
            f"DataInputConfig {label} {shape} looks channels-last (NHWC), but {framework} expects NCHW",
            f"did you mean {[shape[0], last, shape[1], shape[2]]}?",
        )


def console_form(text: str) -> str:
    """The form the SageMaker console takes: the JSON as is."""
    return text


def cli_form(text: str) -> str:
    """The escaped form the SageMaker docs show for the CLI: quotes backslashed."""
    return json.dumps(text)[1:-1]
