"""deploy's plan, result and history views: names stay whole, the plan says where the image came from."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, RenderableType

from neoctl.output.endpoints import deploy_plan_view, deployed_view, history_view

MODEL = "resnet50-pytorch-ml-c5-with-a-long-name-8f7f2424"
CONFIG = "resnet50-pytorch-ml-c5-with-a-long-na-8f7f2424-1f4a4ae1"


def render(view: RenderableType, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, no_color=True, highlight=False)
    console.print(view, crop=False)  # as Printer prints views: an identifier may be wider
    out = console.file
    assert isinstance(out, io.StringIO)
    return out.getvalue()


def _plan(already: bool = False) -> dict[str, Any]:
    request = {"EndpointName": "prod", "EndpointConfigName": CONFIG, "RetainAllVariantProperties": True}
    return {
        "Job": "resnet50-ml-c5",
        "Target": "ml_c5",
        "Endpoint": "prod",
        "Image": {
            "Uri": "785573368785.dkr.ecr.us-east-1.amazonaws.com/sagemaker-inference-pytorch:2.0-cpu-py3",
            "Source": "documented Neo image for PYTORCH 2.0 cpu in us-east-1",
        },
        "Model": {"Name": MODEL, "Exists": False},
        "EndpointConfig": {
            "Name": CONFIG,
            "Previous": "prod-v1",
            "Exists": True,
            "Diff": [{"Where": "main", "Field": "ModelName", "Current": "old", "New": MODEL}],
        },
        "Call": {"Operation": "UpdateEndpoint", "Request": request},
        "Variants": [],
        "AlreadyServing": already,
        "Warnings": [],
    }


def test_plan_names_stay_whole_when_narrow() -> None:
    text = render(deploy_plan_view(_plan()), 80)
    for name in (MODEL, CONFIG, "prod-v1"):
        assert name in text
    assert "documented Neo image" in text
    assert "(to create)" in text and "(exists, reused)" in text


def test_plan_says_when_nothing_is_to_do() -> None:
    assert "already serves this model" in render(deploy_plan_view(_plan(already=True)), 120)


def test_result_and_history() -> None:
    result = {
        "Endpoint": "prod",
        "ModelName": MODEL,
        "ModelCreated": True,
        "EndpointConfigName": CONFIG,
        "EndpointConfigCreated": False,
        "Image": "img:1",
        "Action": "UpdateEndpoint",
        "PreviousEndpointConfig": "prod-v1",
    }
    text = render(deployed_view(result), 80)
    assert f"{MODEL} (created)" in text and f"{CONFIG} (reused)" in text
    assert "neoctl endpoint rollback prod" in text
    chain = {
        "Endpoint": "prod",
        "Configs": [
            {"Name": CONFIG, "Created": "2026-11-29", "Current": True, "Models": {"main": MODEL}, "Previous": "v1"},
            {"Name": "prod-v1", "Created": "2026-11-01", "Current": False, "Models": {"main": "old"}, "Previous": None},
        ],
    }
    text = render(history_view(chain), 80)
    # At 80 columns the two long names fold after a "-", each in its own cell; the marker,
    # the creation time and the job stay.
    assert "* current" in text and "prod-v1" in text and "2026-11-29" in text
    assert "*" in _column(text, 0) and CONFIG in _column(text, 1) and f"main:{MODEL}" in _column(text, 4)
    assert all(len(line) <= 80 for line in text.splitlines())
    wide = render(history_view(chain), 160)
    assert CONFIG in wide and f"main: {MODEL}" in wide and "prod-v1" in wide


def _column(text: str, index: int) -> str:
    """A table column's cell lines joined: a name folded in its cell reads whole again."""
    return "".join(line.strip("│").split("│")[index].strip() for line in text.splitlines() if line.startswith("│"))
