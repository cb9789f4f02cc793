"""Rules of a batch submission: when an existing job is "the same job", and how a
batch's per-job outcomes add up to an exit code."""

from __future__ import annotations

import json
from typing import Any

from neoctl.errors import EXIT_OK, EXIT_SERVICE

CREATED, EXISTED, CONFLICT, REFUSED, UNKNOWN = "created", "existed", "conflict", "refused", "unknown"
# Members DescribeCompilationJob echoes back; Tags are not among them.
_COMPARED = (
    "RoleArn",
    "ModelPackageVersionArn",
    "InputConfig",
    "OutputConfig",
    "StoppingCondition",
    "VpcConfig",
)
_JSON_TEXT = ("DataInputConfig", "CompilerOptions")


def differences(request: dict[str, Any], existing: dict[str, Any]) -> list[str]:
    """Field paths where an existing job differs from what the request asks for."""
    diffs: list[str] = []
    for member in _COMPARED:
        if member in request or (member in existing and member in ("ModelPackageVersionArn",)):
            _diff(member, request.get(member), existing.get(member), diffs)
    return diffs


def _diff(path: str, want: Any, have: Any, out: list[str]) -> None:
    if isinstance(want, dict):
        have = have if isinstance(have, dict) else {}
        for key, value in want.items():
            _diff(f"{path}.{key}", value, have.get(key), out)
        return
    if path.rsplit(".", 1)[-1] in _JSON_TEXT and isinstance(want, str) and isinstance(have, str):
        try:
            if json.loads(want) == json.loads(have):
                return
        except ValueError:
            pass
    if want != have:
        out.append(path)


def batch_exit_code(rows: list[dict[str, Any]]) -> int:
    """0 when every job was created or already existed identically; 254 otherwise."""
    bad = [r for r in rows if r["Result"] not in (CREATED, EXISTED)]
    return EXIT_SERVICE if bad else EXIT_OK
