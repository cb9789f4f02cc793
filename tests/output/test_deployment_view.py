"""The live view of a deployment (neoctl/output/deployment.py) at 80 columns: on a terminal
its lines redrawn, then only its title line saying how it ended; elsewhere one line per change."""

from __future__ import annotations

import io
import re

import pytest

from neoctl.output import Printer
from neoctl.output.deployment import DeploymentView, progress_line
from neoctl.waitstate import DeploymentProgress, JobView, WaitState

from .test_screens import Terminal, screen


@pytest.fixture(autouse=True)
def eighty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")


BAKING = DeploymentProgress(
    "prod",
    status="Updating",
    serving="resnet50-prod-config-2026-12-01-a1b2c3d4",
    target="resnet50-prod-config-2026-12-05-e5f6a7b8",
    policy="canary",
    phase="baking the canary",
    step=1,
    steps=2,
    new_share=0.25,
    bake_left=412.0,
    alarms={"prod-5xx": "OK", "prod-latency-p99-over-250-ms": "INSUFFICIENT_DATA"},
)


def _state() -> WaitState:
    return WaitState.watching(["prod"], frozenset({"InService"}), frozenset())


def test_on_a_terminal_the_lines_fit_and_end_as_the_title_saying_how() -> None:
    err = Terminal()
    progress = BAKING
    view = DeploymentView(Printer(stdout=io.StringIO(), stderr=err), lambda: progress)
    with view:
        view.tick(_state())
        drawn = screen(err.getvalue())
        assert drawn[0].startswith("endpoint prod: canary deployment of resnet50-prod-config-2026-12-05-e5f6a7b8")
        assert drawn[1].startswith("phase     baking the canary, 6 min ") and drawn[1].endswith(" s left")
        assert drawn[2:] == [
            "serving   resnet50-prod-config-2026-12-01-a1b2c3d4",
            "traffic   new fleet 25%, old fleet 75%",
            "alarms    prod-5xx OK, prod-latency-p99-over-250-ms INSUFFICIENT_DATA",
        ]
        assert all(len(line) <= 80 for line in drawn)
        progress = DeploymentProgress(
            "prod", status="InService", serving=BAKING.target, target=BAKING.target, policy="canary"
        )
        progress.phase = f"serving {BAKING.target}"
        view.tick(_state())
    ended = screen(err.getvalue())
    assert ended[0] == "endpoint prod: canary deployment of resnet50-prod-config-2026-12-05-e5f6a7b8,"
    assert " ".join(ended).endswith(": serving resnet50-prod-config-2026-12-05-e5f6a7b8"), ended
    assert not any(line.startswith(("phase", "traffic", "alarms")) for line in ended), ended


def test_elsewhere_one_line_per_change() -> None:
    err = io.StringIO()
    view = DeploymentView(Printer(stdout=io.StringIO(), stderr=err), lambda: BAKING)
    with view:
        view.changed(JobView("prod", "x"), _state())
        view.tick(_state())
    line = err.getvalue().strip()
    assert re.fullmatch(r"\d\d:\d\d:\d\dZ prod Updating: baking the canary, 6 min 52 s left; .*", line), line
    assert line.endswith(
        "new fleet 25%, old fleet 75%; alarms prod-5xx OK, prod-latency-p99-over-250-ms INSUFFICIENT_DATA"
    )
    assert progress_line(DeploymentProgress("prod", status="RollingBack", phase="rolling back")).plain == (
        "prod RollingBack: rolling back"
    )
