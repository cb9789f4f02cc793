"""DataInputConfig per framework: built from YAML, checked, and turned into the JSON
text SageMaker expects (a JSON document inside the JSON request).

A text member (DataInputConfig, CompilerOptions) may also be written Python-style, with
single quotes — `"{'data': [1, 3, 224, 224]}"`, as every Developer Guide CLI example
writes it (fact sheet §4). Such a text is parsed safely (ast.literal_eval, never eval)
and sent as JSON: see `as_json`.
"""

from __future__ import annotations

import ast
import json
import math
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
# XGBoost needs none, but one given is sent as given: the SageMaker Python SDK sends
# input_shape whenever it is set, and such jobs COMPLETED (fact sheet §4).
NO_INPUTS = frozenset({"XGBOOST"})
LIST_FORM = frozenset({"PYTORCH"})
CHANNELS = (1, 3, 4)
# No channels-first warning for these: the Developer Guide's own Edge Manager tutorial
# (doc_source/edge-getting-started-step2.md) compiles a Keras .h5 model as TENSORFLOW with
# {"data":[1,3,224,224]}, and Neo reads Keras models NCHW (fact sheet §4).
CHANNELS_FIRST_DOCUMENTED = frozenset({"TENSORFLOW"})
# The longest text member of CreateCompilationJob (DataInputConfig, botocore's model):
# nothing longer is parsed as a Python literal.
MAX_TEXT = 16384


def encode(value: Any) -> str:
    """JSON text for a YAML structure, key order kept (MXNet/ONNX inputs are ordered).

    json.dumps's default separators match the SageMaker docs and the Python SDK.
    """
    return json.dumps(value, ensure_ascii=False)


def parse(text: str) -> Any:
    """The value of a JSON text, or of a Python-style literal (dicts, lists, strings,
    numbers, True/False/None); ValueError (JSON's message) when it is neither."""
    try:
        return _json(text)
    except ValueError as exc:
        value = python_literal(text)
        if value is None:
            raise exc from None
        return value


def _json(text: str) -> Any:
    """json.loads, with nesting too deep for it (RecursionError) as a ValueError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def python_literal(text: str) -> Any:
    """The value of a Python-style literal of JSON's kinds — dicts with text keys, lists,
    strings, finite numbers, True/False/None — or None when `text` is not one.

    Safe on any input: the length is bounded first (MAX_TEXT) and only ast.literal_eval
    runs, which evaluates no names and calls nothing. JSON's `null` is a name, so a JSON
    text never parses here (json.loads comes first). A literal that is just None gives
    None too: it is no DataInputConfig or CompilerOptions either way.
    """
    if len(text) > MAX_TEXT:
        return None
    try:
        value = ast.literal_eval(text.strip())
        return value if _json_kind(value) else None
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _json_kind(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | str):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_json_kind(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_kind(v) for k, v in value.items())
    return False  # tuples, sets, bytes, complex numbers: not JSON


def as_json(text: str) -> str:
    """The text to send for a text member: JSON as is (verbatim), a Python-style literal
    as its JSON (`encode`), anything else unchanged (the checks report it)."""
    try:
        _json(text)
    except ValueError:
        value = python_literal(text)
        return text if value is None else encode(value)
    return text


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
    try:
        value = parse(text)
    except ValueError as exc:
        report(
            path,
            f"DataInputConfig is not valid JSON: {exc}",
            "write it as YAML instead of a JSON string, or check the brackets and quotes",
        )
        return
    if framework in NO_INPUTS:
        return  # sent as given: no shape rules are documented for it
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
    if framework in NHWC - CHANNELS_FIRST_DOCUMENTED and first in CHANNELS and last not in CHANNELS:
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
