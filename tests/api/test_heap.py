"""glibc's malloc thresholds are fixed for a transfer, unless the user set them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from neoctl.api import heap

PROBE = "from neoctl.api import heap; print(heap.steady_for_transfers(), heap.steady_for_transfers())"


def _probe(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")}
    clean.pop("GLIBC_TUNABLES", None)
    done = subprocess.run([sys.executable, "-c", PROBE], env=clean | env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.mark.skipif(not (sys.platform.startswith("linux") and heap.is_glibc()), reason="glibc only")
def test_on_glibc_the_thresholds_are_fixed_once_per_process() -> None:
    assert _probe() == "True True"


@pytest.mark.skipif(not (sys.platform.startswith("linux") and heap.is_glibc()), reason="glibc only")
@pytest.mark.parametrize(
    "setting",
    [
        {"MALLOC_MMAP_THRESHOLD_": "131072"},
        {"MALLOC_TRIM_THRESHOLD_": "0"},
        {"GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=131072"},
    ],
)
def test_a_users_own_malloc_setting_is_left_alone(setting: dict[str, str]) -> None:
    assert _probe(**setting) == "False False"


def test_other_tunables_are_not_malloc_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.pthread.rseq=0")
    assert not heap.user_tuned()
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.pthread.rseq=0:glibc.malloc.trim_threshold=0")
    assert heap.user_tuned()
