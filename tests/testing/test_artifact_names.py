"""The emulator names a job's compiled model as neoctl predicts Neo does (artifact_key)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from neoctl.spec.artifact_key import artifact_key
from neoctl.testing.artifacts import artifact_uri


@pytest.mark.parametrize(
    "output",
    [
        {"S3OutputLocation": "s3://b/out/", "TargetDevice": "ml_c5"},
        {"S3OutputLocation": "s3://b/out", "TargetPlatform": {"Os": "LINUX", "Arch": "X86_64"}},
        {
            "S3OutputLocation": "s3://b/out/",
            "TargetPlatform": {"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"},
        },
    ],
)
def test_the_emulator_writes_where_artifact_key_says(output: dict[str, Any]) -> None:
    inputs = {"S3Uri": "s3://b/models/traced_model.tar.gz", "Framework": "PYTORCH"}
    job: Any = SimpleNamespace(input_config=inputs, output_config=output)
    assert artifact_uri(job) == artifact_key({"InputConfig": inputs, "OutputConfig": output})
