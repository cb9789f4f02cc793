"""suggest: near-miss hints ("did you mean jetson_nano?")."""

from __future__ import annotations

import pytest

from neoctl.apimodel import load_model
from neoctl.suggest import closest, did_you_mean, one_of


@pytest.fixture(scope="module")
def devices() -> list[str]:
    return load_model().enum("CreateCompilationJob", "OutputConfig", "TargetDevice")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("jetson_nanoo", "jetson_nano"),
        ("jetson-nano", "jetson_nano"),
        ("JetsonNano", "jetson_nano"),
        ("ml.c5", "ml_c5"),
        ("ML_C5", "ml_c5"),
        ("rasp4", "rasp4b"),
        ("jetson_xaviar", "jetson_xavier"),
        ("mlinf2", "ml_inf2"),
    ],
)
def test_near_misses_of_devices(devices: list[str], typed: str, meant: str) -> None:
    assert closest(typed, devices) == meant
    assert did_you_mean(typed, devices) == f"did you mean {meant}?"


def test_nothing_near_gives_no_suggestion(devices: list[str]) -> None:
    assert closest("completely-different", devices) is None
    assert did_you_mean("completely-different", devices) is None


def test_an_exact_value_needs_no_suggestion() -> None:
    assert did_you_mean("ml_c5", ["ml_c5", "ml_c4"]) is None


def test_field_names() -> None:
    fields = ["name", "role", "model", "output", "vpc", "max_runtime", "max_wait", "max_pending", "tags"]
    assert did_you_mean("framwork", ["uri", "framework", "framework_version", "inputs", "package"]) == (
        "did you mean framework?"
    )
    assert did_you_mean("max_runtimes", fields) == "did you mean max_runtime?"
    assert did_you_mean("StopingCondition", ["StoppingCondition", "RoleArn"]) == ("did you mean StoppingCondition?")


def test_one_of_shortens_long_lists() -> None:
    assert one_of(["a", "b"]) == "a, b"
    assert one_of([f"d{i}" for i in range(37)], limit=3) == "d0, d1, d2, … (37 in all)"
