"""Constraints read from the installed botocore SageMaker model.

Nothing here hard-codes an enum, a pattern or a range: a botocore upgrade brings new
target devices with no change to neoctl. Importing botocore and loading its model
costs ~150 ms, so what we derive is cached as a small JSON file keyed by the botocore
version; later runs read only that file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from neoctl.apimodel.operations import SAGEMAKER as OPERATIONS
from neoctl.apimodel.operations import cache_key


@dataclass(frozen=True)
class ApiModel:
    """Shape descriptions by name, and each operation's input shape name."""

    botocore_version: str
    shapes: dict[str, dict[str, Any]]
    inputs: dict[str, str]

    def shape(self, name: str) -> dict[str, Any]:
        """The description of one shape: type, and enum/min/max/pattern/members."""
        return self.shapes[name]

    def input_shape(self, operation: str) -> dict[str, Any]:
        """The input structure of an operation."""
        return self.shapes[self.inputs[operation]]

    def member(self, operation: str, *path: str) -> dict[str, Any]:
        """The shape at a member path of an operation's input, e.g. ("OutputConfig", "TargetDevice")."""
        shape = self.input_shape(operation)
        for name in path:
            if shape["type"] == "list":
                shape = self.shapes[shape["member"]]
            shape = self.shapes[shape["members"][name]]
        return shape

    def enum(self, operation: str, *path: str) -> list[str]:
        """The allowed values of an enum member (empty when it is not an enum)."""
        return list(self.member(operation, *path).get("enum", []))


def botocore_version() -> str:
    """The installed botocore's version, read without importing botocore."""
    return metadata.version("botocore")


def _describe(shape: Any, out: dict[str, dict[str, Any]]) -> str:
    name: str = shape.name
    if name in out:
        return name
    desc: dict[str, Any] = {"type": shape.type_name}
    out[name] = desc  # before recursing: shapes may refer to themselves
    for key in ("min", "max", "pattern"):
        if key in shape.metadata:
            desc[key] = shape.metadata[key]
    enum = getattr(shape, "enum", None)
    if enum:
        desc["enum"] = list(enum)
    if shape.type_name == "structure":
        desc["members"] = {m: _describe(s, out) for m, s in shape.members.items()}
        desc["required"] = list(shape.required_members)
    elif shape.type_name == "list":
        desc["member"] = _describe(shape.member, out)
    elif shape.type_name == "map":
        desc["key"] = _describe(shape.key, out)
        desc["value"] = _describe(shape.value, out)
    return name


def _derive(version: str) -> ApiModel:
    import botocore.session  # deferred: the cache makes this a first-run-only cost

    service = botocore.session.get_session().get_service_model("sagemaker")
    shapes: dict[str, dict[str, Any]] = {}
    inputs = {op: _describe(service.operation_model(op).input_shape, shapes) for op in OPERATIONS}
    return ApiModel(version, shapes, inputs)


def cache_dir() -> Path:
    """Where neoctl keeps what it derives from botocore (NEOCTL_CACHE_DIR, XDG_CACHE_HOME, ~/.cache)."""
    base = os.environ.get("NEOCTL_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "neoctl" if base else Path.home() / ".cache" / "neoctl"


def cache_path(version: str) -> Path:
    """The cache file for a botocore version; its name changes with the operations list."""
    return cache_dir() / f"sagemaker-{version}-{cache_key(__file__)}.json"


def _complete(shapes: Any, inputs: Any, operations: tuple[str, ...] = OPERATIONS) -> bool:
    """Whether a cached model has every operation's input and every shape it refers to,
    each a description with a type (what ApiModel's readers index without checking)."""
    if not isinstance(shapes, dict) or not isinstance(inputs, dict):
        return False
    if not all(isinstance(inputs.get(op), str) and inputs[op] in shapes for op in operations):
        return False
    for desc in shapes.values():
        if not isinstance(desc, dict) or not isinstance(desc.get("type"), str):
            return False
        refs: list[Any] = [desc[k] for k in ("member", "key", "value") if k in desc]
        if desc["type"] == "structure":
            members = desc.get("members")
            if not isinstance(members, dict) or not isinstance(desc.get("required", []), list):
                return False
            refs.extend(members.values())
        elif desc["type"] == "list" and "member" not in desc:
            return False
        if not all(isinstance(ref, str) and ref in shapes for ref in refs):
            return False
    return True


@cache
def load_model() -> ApiModel:
    """The API model for the installed botocore, from the cache when it is fresh."""
    version = botocore_version()
    return cached_model(cache_path(version), version, _complete, _derive, ".model-")


def cached_model(
    path: Path,
    version: str,
    complete: Callable[[Any, Any], bool],
    derive: Callable[[str], ApiModel],
    prefix: str,
) -> ApiModel:
    """The model cached at `path` when `complete(shapes, inputs)` accepts it; else
    `derive(version)`, written back for the next run (SageMaker's and sagemaker-runtime's)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        shapes, inputs = raw["shapes"], raw["inputs"]
        # Valid JSON of the wrong shape (truncated by hand, another tool's file) is
        # as bad as garbage: re-derive instead of failing later with a KeyError.
        if complete(shapes, inputs):
            return ApiModel(version, shapes, inputs)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    model = derive(version)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a concurrent neoctl never reads half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"shapes": model.shapes, "inputs": model.inputs}, fh)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs speed
    return model
