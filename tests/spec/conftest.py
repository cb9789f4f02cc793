"""Fixtures for the spec layer: spec files in a tmp dir, loading them, their problems."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from neoctl.apimodel import load_model
from neoctl.errors import Problem, SpecError
from neoctl.spec.batch import Batch, load_batch


@pytest.fixture(scope="session", autouse=True)
def _model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # The API model cache goes to a tmp dir, never to the home directory.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEOCTL_CACHE_DIR", str(tmp_path_factory.mktemp("neoctl-cache")))
        load_model.cache_clear()
        yield
    load_model.cache_clear()


@pytest.fixture
def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """Write spec text (dedented) or bytes to a file in a tmp working dir; return its name."""
    monkeypatch.chdir(tmp_path)

    def _write(content: str | bytes, name: str = "job.yaml") -> str:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return name

    return _write


@pytest.fixture
def load(write: Callable[..., str]) -> Callable[..., Batch]:
    """load_batch over one file per text given."""

    def _load(*texts: str | bytes) -> Batch:
        return load_batch([write(t, f"job{i}.yaml") for i, t in enumerate(texts)])

    return _load


@pytest.fixture
def problems(write: Callable[..., str]) -> Callable[..., list[Problem]]:
    """The problems load_batch reports for one file per text given (it must fail)."""

    def _problems(*texts: str | bytes) -> list[Problem]:
        paths = [write(t, f"job{i}.yaml") for i, t in enumerate(texts)]
        with pytest.raises(SpecError) as info:
            load_batch(paths)
        assert info.value.problems, "SpecError without problems"
        return info.value.problems

    return _problems
