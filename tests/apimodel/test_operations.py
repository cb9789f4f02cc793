"""The one list of SageMaker operations covers every call neoctl makes.

A SageMaker client is built from a cut-down model holding only the listed operations:
an operation the code calls but the list lacks would give a client without that
method (AttributeError at run time, exit 255), so this test reads the code instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import botocore.session
from botocore import xform_name

import neoctl
from neoctl.apimodel import operations
from neoctl.apimodel.operations import SAGEMAKER

PACKAGE = Path(neoctl.__file__).parent
# SageMaker operations whose Python name is also a common method (`pattern.search(...)`):
# as method calls they are not counted; named in a string they still are.
GENERIC_METHODS = {"search"}


def _own_functions() -> set[str]:
    return {
        node.name
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef)
    }


def _named_operations(source: str, names: dict[str, str], own: frozenset[str] = frozenset()) -> set[str]:
    """Operations named by a method call on an object (a client), a paginator name or an
    operation name in a string; calls on imported modules (`jmespath.search`), neoctl's
    own functions (`describe_job(...)`) and strings naming them (`__all__`) are not."""
    tree = ast.parse(source)
    modules = {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names:
            if node.value in own:
                continue
            found.add(names[node.value])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in names
            and node.func.attr not in GENERIC_METHODS
        ):
            receiver = node.func.value
            if not (isinstance(receiver, ast.Name) and receiver.id in modules):
                found.add(names[node.func.attr])
    return found


def _every_sagemaker_operation() -> dict[str, str]:
    model = botocore.session.get_session().get_service_model("sagemaker")
    names = {}
    for op in model.operation_names:
        names[op] = op
        names[xform_name(op)] = op
    return names


def test_every_operation_the_code_names_is_in_the_list() -> None:
    names = _every_sagemaker_operation()
    own = frozenset(_own_functions())
    used: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if "testing" in path.relative_to(PACKAGE).parts:
            continue  # the emulator's own clients use botocore's full model
        for op in _named_operations(path.read_text(encoding="utf-8"), names, own):
            used.setdefault(op, []).append(str(path.relative_to(PACKAGE)))
    missing = {op: files for op, files in used.items() if op not in SAGEMAKER}
    assert not missing, f"add these to neoctl/apimodel/operations.py: {missing}"
    assert "CreateCompilationJob" in used  # the scan does see calls


def test_the_scan_sees_method_calls_paginators_and_operation_names() -> None:
    names = _every_sagemaker_operation()
    code = (
        "sm.create_model(ModelName=n)\n"
        "sm.get_paginator('list_endpoints')\n"
        'check_name(x, "DescribeModel", "ModelName", "NAME")\n'
    )
    assert _named_operations(code, names) == {"CreateModel", "ListEndpoints", "DescribeModel"}


def test_the_cache_key_changes_with_the_list(monkeypatch, tmp_path: Path) -> None:
    module = tmp_path / "derive.py"
    module.write_text("x = 1\n")
    before = operations.cache_key(str(module))
    monkeypatch.setattr(operations, "SAGEMAKER", (*SAGEMAKER, "CreateModel"))
    assert operations.cache_key(str(module)) != before


def test_the_cache_key_changes_with_the_deriving_code(tmp_path: Path) -> None:
    module = tmp_path / "derive.py"
    module.write_text("x = 1\n")
    before = operations.cache_key(str(module))
    module.write_text("x = 2\n")
    assert operations.cache_key(str(module)) != before
