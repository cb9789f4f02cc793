"""Check a request against the API model: types, required and unknown members, enums,
patterns, lengths and ranges — everything botocore itself does not enforce."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from neoctl.apimodel import ApiModel
from neoctl.suggest import closest, did_you_mean, one_of

Path = tuple[str | int, ...]
Report = Callable[[Path, str, "str | None"], None]

# What a valid value looks like, for the hint under a pattern error (the rule
# itself always comes from the model).
_EXAMPLES = {
    "EntityName": "letters, digits and hyphens, starting and ending with a letter or digit, e.g. resnet50-c5",
    "RoleArn": "e.g. arn:aws:iam::123456789012:role/SageMakerRole",
    "S3Uri": "e.g. s3://bucket/models/model.tar.gz",
    "ModelPackageArn": "e.g. arn:aws:sagemaker:us-east-1:123456789012:model-package/name/1",
    "EndpointName": "letters, digits and hyphens, starting and ending with a letter or digit, e.g. resnet50-prod",
    "EndpointConfigName": "letters, digits and hyphens, starting and ending with a letter or digit, e.g. resnet50-v2",
    "ModelName": "letters, digits and hyphens, starting and ending with a letter or digit",
    "VariantName": "letters, digits and hyphens, starting and ending with a letter or digit, e.g. AllTraffic",
    "ExperimentEntityName": "letters, digits and hyphens, starting and ending with a letter or digit",
    "NameContains": "letters, digits and hyphens only",
    "ContainerImage": "an image URI without spaces, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/name:tag",
    "EnvironmentKey": "letters, digits and underscores, not starting with a digit, e.g. SAGEMAKER_PROGRAM",
}


@cache
def _compiled(pattern: str) -> Any:
    # AWS patterns are Java-style (\p{L} …) and anchored as a whole-value match.
    import regex

    return regex.compile(pattern)


def type_name(value: Any) -> str:
    """How a message names the type of a value: "a number", "text", "a mapping"..."""
    if value is None:
        return "nothing (null)"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


def check(model: ApiModel, shape_name: str, value: Any, path: Path, report: Report) -> None:
    """Report every way `value` breaks the shape `shape_name` of the model."""
    shape = model.shape(shape_name)
    kind = shape["type"]
    if kind == "structure":
        _structure(model, shape, value, path, report)
    elif kind == "list":
        _list(model, shape, value, path, report)
    elif kind == "string":
        _string(shape_name, shape, value, path, report)
    elif kind in ("integer", "long"):
        _integer(shape, value, path, report)
    elif kind == "boolean":
        if not isinstance(value, bool):
            report(path, f"must be true or false, not {type_name(value)}", None)
    elif kind == "map":
        _map(model, shape, value, path, report)


def _structure(model: ApiModel, shape: dict[str, Any], value: Any, path: Path, report: Report) -> None:
    if not isinstance(value, dict):
        report(path, f"must be a mapping, not {type_name(value)}", None)
        return
    members: dict[str, str] = shape["members"]
    meant: set[str] = set()
    for key, item in value.items():
        if key not in members:
            best = closest(str(key), members)
            if best is not None:
                meant.add(best)
            hint = f"did you mean {best}?" if best else f"known fields: {one_of(members)}"
            report((*path, str(key)), f"unknown field {key!s}", hint)
            continue
        check(model, members[key], item, (*path, key), report)
    for name in shape.get("required", []):
        if name not in value and name not in meant:  # a misspelling was already reported
            report((*path, name), f"{name} is required", None)


def _list(model: ApiModel, shape: dict[str, Any], value: Any, path: Path, report: Report) -> None:
    if not isinstance(value, list):
        report(path, f"must be a list, not {type_name(value)}", None)
        return
    if "max" in shape and len(value) > shape["max"]:
        report(path, f"has {len(value)} items; at most {shape['max']} are allowed", None)
    if "min" in shape and len(value) < shape["min"]:
        report(path, f"needs at least {shape['min']} item(s)", None)
    for i, item in enumerate(value):
        check(model, shape["member"], item, (*path, i), report)


def _map(model: ApiModel, shape: dict[str, Any], value: Any, path: Path, report: Report) -> None:
    if not isinstance(value, dict):
        report(path, f"must be a mapping, not {type_name(value)}", None)
        return
    if "max" in shape and len(value) > shape["max"]:
        report(path, f"has {len(value)} entries; at most {shape['max']} are allowed", None)
    # A key's problem and its value's are both reported at the key's path: that is how
    # a reader finds the entry (Environment.MY_KEY), whichever half is wrong.
    for key, item in value.items():
        check(model, shape["key"], key, (*path, str(key)), report)
        check(model, shape["value"], item, (*path, str(key)), report)


def _string(name: str, shape: dict[str, Any], value: Any, path: Path, report: Report) -> None:
    if not isinstance(value, str):
        report(path, f"must be text, not {type_name(value)}", None)
        return
    enum = shape.get("enum")
    if enum:
        if value not in enum:
            hint = did_you_mean(value, enum) or f"one of: {one_of(enum)}"
            report(path, f"{value!r} is not a valid value", hint)
        return
    if "min" in shape and len(value) < shape["min"]:
        report(path, f"{value!r} is too short: at least {shape['min']} characters", _EXAMPLES.get(name))
        return
    if "max" in shape and len(value) > shape["max"]:
        report(path, f"is {len(value)} characters long; at most {shape['max']} are allowed", None)
        return
    pattern = shape.get("pattern")
    if pattern and not _compiled(pattern).fullmatch(value):
        report(path, f"{_short(value)!r} does not match the pattern {pattern}", _EXAMPLES.get(name))


def _integer(shape: dict[str, Any], value: Any, path: Path, report: Report) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        report(path, f"must be a whole number, not {type_name(value)}", None)
        return
    if "min" in shape and value < shape["min"]:
        report(path, f"{value} is below the minimum {shape['min']}", None)
    if "max" in shape and value > shape["max"]:
        report(path, f"{value} is above the maximum {shape['max']}", None)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
