"""A cut-down SageMaker model for botocore, so creating a client does not parse 2.4 MB.

botocore loads the whole SageMaker model (3,000+ shapes, mostly documentation) for every
client: ~40 ms and ~14 MiB in every AWS command. neoctl calls a handful of operations
(neoctl.apimodel.operations, the one list), so it writes their shape closure, without
documentation, once per botocore version and operations list, and puts it first on
botocore's data path. Paginators and endpoint rules still come from botocore's own
files (same API version directory). Any failure falls back to the full model: this is
a cost saving, never a behaviour change.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from neoctl.apimodel import botocore_version, cache_dir
from neoctl.apimodel.operations import SAGEMAKER as OPERATIONS
from neoctl.apimodel.operations import cache_key


def _closure(shapes: dict[str, Any], roots: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in shapes:
            continue
        seen.add(name)
        shape = shapes[name]
        refs = [m["shape"] for m in shape.get("members", {}).values()]
        refs += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
        todo.extend(refs)
    return seen


def _strip_docs(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_docs(v) for k, v in value.items() if k not in ("documentation", "documentationUrl")}
    if isinstance(value, list):
        return [_strip_docs(v) for v in value]
    return value


def data_path() -> Path | None:
    """The directory to put first on botocore's data path (written on first use)."""
    root = cache_dir() / f"botocore-data-{botocore_version()}-{cache_key(__file__)}"
    if any(root.glob("sagemaker/*/service-2.json")):
        return root
    try:
        import botocore.loaders

        loader = botocore.loaders.create_loader()
        version = loader.determine_latest_version("sagemaker", "service-2")
        full = loader.load_service_model("sagemaker", "service-2", version)
        ops = {name: full["operations"][name] for name in OPERATIONS if name in full["operations"]}
        roots = [
            ref["shape"]
            for op in ops.values()
            for ref in (op.get("input"), op.get("output"), *op.get("errors", []))
            if ref
        ]
        keep = _closure(full["shapes"], roots)
        slim = {
            "version": full.get("version", "2.0"),
            "metadata": full["metadata"],
            "operations": _strip_docs(ops),
            "shapes": _strip_docs({k: v for k, v in full["shapes"].items() if k in keep}),
        }
        target = root / "sagemaker" / version
        target.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target, prefix=".service-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(slim, fh)
        os.replace(tmp, target / "service-2.json")
        return root
    except Exception:
        return None


def install(botocore_session: Any) -> None:
    """Put the cut-down model first on this botocore session's data path."""
    path = data_path()
    if path is not None:
        loader = botocore_session.get_component("data_loader")
        loader.search_paths.insert(0, str(path))
