"""apimodel: constraints from botocore, cached per botocore version."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import botocore
import pytest

from neoctl import apimodel
from neoctl.apimodel import cache_key, load_model
from neoctl.apimodel.operations import SAGEMAKER as OPERATIONS


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache dir, and a count of how often the model is derived from botocore."""
    monkeypatch.setenv("NEOCTL_CACHE_DIR", str(tmp_path))
    load_model.cache_clear()
    yield tmp_path / "neoctl"
    load_model.cache_clear()  # later tests re-read the session cache


@pytest.fixture
def derived(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = apimodel._derive

    def counting(version: str) -> apimodel.ApiModel:
        calls.append(version)
        return real(version)

    monkeypatch.setattr(apimodel, "_derive", counting)
    return calls


def cache_file(folder: Path) -> Path:
    return folder / f"sagemaker-{botocore.__version__}-{cache_key(apimodel.__file__)}.json"


def test_cache_is_written_once_keyed_by_botocore_version_and_reused(cache: Path, derived: list[str]) -> None:
    first = load_model()
    assert derived == [botocore.__version__]
    assert first.botocore_version == botocore.__version__
    assert [p.name for p in cache.iterdir()] == [cache_file(cache).name]
    written = cache_file(cache).stat().st_mtime_ns

    load_model.cache_clear()  # a new process
    second = load_model()
    assert derived == [botocore.__version__]  # read from the file, not derived again
    assert second == first
    assert cache_file(cache).stat().st_mtime_ns == written


def test_a_cache_for_another_botocore_version_is_not_used(cache: Path, derived: list[str]) -> None:
    cache.mkdir(parents=True)
    (cache / f"sagemaker-0.0.1-{cache_key(apimodel.__file__)}.json").write_text(
        json.dumps({"shapes": {}, "inputs": {}}), encoding="utf-8"
    )
    model = load_model()
    assert derived == [botocore.__version__]
    assert "ml_c5" in model.enum("CreateCompilationJob", "OutputConfig", "TargetDevice")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00",
        b"[]",
        b'{"shapes": {}}',
        b'{"shapes": {}, "inputs": {}}',
        b'{"shapes": [], "inputs": []}',
        b'{"shapes": {"X": 1}, "inputs": {"CreateCompilationJob": "X"}}',
        # Every operation present, but the shapes are not descriptions, or refer to missing ones.
        json.dumps({"shapes": {"X": 1}, "inputs": dict.fromkeys(OPERATIONS, "X")}).encode(),
        json.dumps({"shapes": {"X": {"type": "structure"}}, "inputs": dict.fromkeys(OPERATIONS, "X")}).encode(),
        json.dumps(
            {
                "shapes": {"X": {"type": "structure", "members": {"OutputConfig": "Gone"}, "required": []}},
                "inputs": dict.fromkeys(OPERATIONS, "X"),
            }
        ).encode(),
        json.dumps(
            {
                "shapes": {"X": {"type": "list", "member": "Gone"}},
                "inputs": dict.fromkeys(OPERATIONS, "X"),
            }
        ).encode(),
    ],
)
def test_a_corrupt_cache_file_is_replaced(cache: Path, derived: list[str], content: bytes) -> None:
    cache.mkdir(parents=True)
    cache_file(cache).write_bytes(content)
    model = load_model()
    assert derived == [botocore.__version__]
    assert "jetson_nano" in model.enum("CreateCompilationJob", "OutputConfig", "TargetDevice")
    # ... and repaired, so the next process reads it.
    repaired = json.loads(cache_file(cache).read_text(encoding="utf-8"))
    assert repaired["inputs"]["CreateCompilationJob"] in repaired["shapes"]


def test_an_unwritable_cache_dir_only_costs_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, derived: list[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("NEOCTL_CACHE_DIR", str(blocker))
    load_model.cache_clear()
    try:
        model = load_model()
    finally:
        load_model.cache_clear()
    assert derived == [botocore.__version__]
    assert model.enum("CreateCompilationJob", "InputConfig", "Framework")


def test_xdg_cache_home_is_used_without_neoctl_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEOCTL_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_model.cache_clear()
    try:
        load_model()
    finally:
        load_model.cache_clear()
    assert cache_file(tmp_path / "neoctl").is_file()


def test_member_and_enum_lookups(cache: Path) -> None:
    model = load_model()
    assert model.member("CreateCompilationJob", "CompilationJobName")["max"] == 63
    assert model.member("CreateCompilationJob", "Tags", "Key")["max"] == 128
    assert model.enum("CreateCompilationJob", "CompilationJobName") == []
    for operation in apimodel.OPERATIONS:
        assert model.input_shape(operation)["type"] == "structure"
