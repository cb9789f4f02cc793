"""Request bodies that are not UTF-8 (an image, as real users send) reach the emulator's
InvokeEndpoint intact: `endpoint invoke` and `deploy --smoke` get the canned answer."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from neoctl.testing import Emulator

from .conftest import run
from .test_invoke_logs import served  # noqa: F401 (the fixture)

# A JPEG's start (SOI + APP0 marker) and bytes that are not UTF-8 in any order.
JPEG = b"\xff\xd8\xff\xe0" + os.urandom(2048) + b"\x80\xfe\xff"


@pytest.fixture
def cat(tmp_path: Path) -> Path:
    path = tmp_path / "cat.jpg"
    path.write_bytes(JPEG)
    with pytest.raises(UnicodeDecodeError):
        JPEG.decode("utf-8")
    return path


def test_invoke_with_a_jpeg_body_gets_the_answer(
    served: Emulator,  # noqa: F811
    env: dict[str, str],
    cat: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    res = run(["endpoint", "invoke", "prod", "--body", str(cat), "--content-type", "image/jpeg"], env)
    assert res.code == 0, res.stderr
    answer = json.loads(res.stdout)
    assert answer["EndpointName"] == "prod" and answer["VariantName"] == "AllTraffic"
    assert answer["ContentType"] == "image/jpeg" and answer["BodyLength"] == len(JPEG)
    assert served.requests.counts() == {"sagemaker.InvokeEndpoint": 1}
    # The emulator runs in this process: a failed request prints its traceback here.
    assert "Traceback" not in capfd.readouterr().err


def test_deploy_smoke_with_a_jpeg_body_passes(
    served: Emulator,  # noqa: F811
    env: dict[str, str],
    cat: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    argv = ["deploy", "rn50-c5", "--endpoint", "prod", "--yes", "--wait", "--poll", "0.1"]
    res = run([*argv, "--smoke", str(cat), "--smoke-content-type", "image/jpeg", "-o", "json"], env)
    assert res.code == 0, res.stderr
    smoke = res.json()["SmokeTest"]
    assert smoke["Passed"] is True and smoke["Answer"]["InvokedProductionVariant"] == "AllTraffic"
    assert "smoke test passed: invoked prod (variant AllTraffic)" in res.stderr
    assert "Traceback" not in capfd.readouterr().err
