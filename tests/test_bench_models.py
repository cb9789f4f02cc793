"""The big-model bench (bench/models.py) measures what users pack: weights, not zeros.

Its figures mean something only while its data compresses as real float32 checkpoints do
(gzip keeps ~92%): zeros would make any compressor look fast, random bytes any
compressor look useless. And its model directory must pass neoctl's archive rules, or
every big-model case would stop at validation.
"""

from __future__ import annotations

import gzip
import importlib.util
import statistics
import sys
from array import array
from pathlib import Path
from types import ModuleType

import pytest

from neoctl.models.contents import check_contents, list_model

BENCH = Path(__file__).resolve().parents[1] / "bench"
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def bench_models() -> ModuleType:
    sys.path.insert(0, str(BENCH))  # bench/models.py imports its sibling measure.py
    try:
        spec = importlib.util.spec_from_file_location("bench_models", BENCH / "models.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    # A 1 MiB block instead of 16: the same generator, drawn in a 16th of the time.
    module.BLOCK_BYTES = MIB
    return module


def test_bench_weights_are_normal_float32_that_compress_like_checkpoints(
    bench_models: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "weights"
    tile = bench_models.BLOCK_BYTES
    size = 3 * tile + 4  # several tiles, and not a whole number of them
    bench_models.write_weights(path, size)
    data = path.read_bytes()
    assert len(data) == size

    floats = array("f", data[: 256 * 1024])
    mean = statistics.fmean(floats)
    assert abs(mean) < 0.001
    assert 0.019 < statistics.fmean((x - mean) ** 2 for x in floats) ** 0.5 < 0.021

    ratio = len(gzip.compress(data[:MIB], compresslevel=6)) / MIB
    assert 0.85 < ratio < 0.97  # zeros: ~0.001; random bytes: > 1.0

    assert data[:tile] != data[tile : 2 * tile]  # each tile varied, not a plain repeat


def test_bench_model_directory_passes_neoctl_pytorch_rules(bench_models: ModuleType, tmp_path: Path) -> None:
    root = bench_models.make_model(tmp_path / "model", 3 * MIB)

    members = list_model(root)

    assert sum(m.size for m in members) == 3 * MIB
    assert [p for p in check_contents("PYTORCH", members) if p.level == "error"] == []
