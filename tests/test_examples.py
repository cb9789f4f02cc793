"""Every example in examples/ validates and dry-runs through the installed CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

if TYPE_CHECKING:  # fixtures' types; conftest itself is pytest's to import
    from conftest import EndpointSink, Runner

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FILES = sorted(EXAMPLES.glob("*.yaml"))
FRAMEWORKS = {"TENSORFLOW", "KERAS", "MXNET", "ONNX", "PYTORCH", "XGBOOST", "TFLITE", "DARKNET"}


def dry_run(offline_neoctl: Runner, tmp_path: Path, *files: Path) -> list[dict[str, Any]]:
    result = offline_neoctl(
        "create", "--dry-run", "-o", "json", *[a for f in files for a in ("-f", str(f))], cwd=tmp_path
    )
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "warning" not in result.stderr.casefold(), "examples should not need warnings"
    data = json.loads(result.stdout)
    return data if isinstance(data, list) else [data]


def test_the_examples_the_docs_name_exist() -> None:
    names = {f.name for f in FILES}
    assert {"pytorch.yaml", "fanout.yaml"} <= names
    assert len(FILES) >= 12


def test_every_example_validates(offline_neoctl: Runner, tmp_path: Path) -> None:
    result = offline_neoctl("validate", *[a for f in FILES for a in ("-f", str(f))], cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    for f in FILES:
        assert f"({f}:" in result.stdout, f"{f.name} produced no job"


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_every_example_dry_runs(
    offline_neoctl: Runner, tmp_path: Path, path: Path, endpoint_sink: EndpointSink
) -> None:
    result = offline_neoctl("create", "--dry-run", "-o", "json", "-f", str(path), cwd=tmp_path)
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    jobs = data if isinstance(data, list) else [data]
    # One job prints an object, several an array.
    assert isinstance(data, dict) == (len(jobs) == 1)
    assert "dry run" in result.stderr and "nothing sent" in result.stderr
    for job in jobs:
        assert isinstance(job, dict)
        assert {"CompilationJobName", "RoleArn", "OutputConfig", "StoppingCondition"} <= set(job)
        assert job["RoleArn"] == "arn:aws:iam::123456789012:role/SageMakerNeoRole"
        assert ("InputConfig" in job) != ("ModelPackageVersionArn" in job)
        assert job["InputConfig"]["S3Uri"].startswith("s3://my-bucket/")
        assert job["OutputConfig"]["S3OutputLocation"].startswith("s3://my-bucket/")
        text = job["InputConfig"].get("DataInputConfig")
        if text is not None:
            json.loads(text)  # JSON text inside the JSON request
    assert endpoint_sink.connections == 0


def test_all_examples_together_have_distinct_names_and_cover_every_framework(
    offline_neoctl: Runner, tmp_path: Path
) -> None:
    jobs = dry_run(offline_neoctl, tmp_path, *FILES)
    names = [str(job["CompilationJobName"]) for job in jobs]
    assert len(names) == len(set(names))
    frameworks = {job["InputConfig"]["Framework"] for job in jobs}
    assert frameworks >= FRAMEWORKS
    assert any("TargetPlatform" in job["OutputConfig"] and "CompilerOptions" in job["OutputConfig"] for job in jobs)


def test_main_example_is_pytorch_dict_form_on_ml_c5(offline_neoctl: Runner, tmp_path: Path) -> None:
    [job] = dry_run(offline_neoctl, tmp_path, EXAMPLES / "pytorch.yaml")
    assert job["InputConfig"] == {
        "S3Uri": "s3://my-bucket/models/resnet50/model.tar.gz",
        "Framework": "PYTORCH",
        "FrameworkVersion": "2.0",
        "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
    }
    assert job["OutputConfig"] == {"S3OutputLocation": "s3://my-bucket/compiled/resnet50/", "TargetDevice": "ml_c5"}
    assert job["StoppingCondition"] == {"MaxRuntimeInSeconds": 900}


def test_fanout_example_makes_one_job_per_target(offline_neoctl: Runner, tmp_path: Path) -> None:
    jobs = dry_run(offline_neoctl, tmp_path, EXAMPLES / "fanout.yaml")
    assert [(j["CompilationJobName"], j["OutputConfig"]["TargetDevice"]) for j in jobs] == [
        ("mobilenet-v2-ml-c5", "ml_c5"),
        ("mobilenet-v2-ml-inf1", "ml_inf1"),
        ("mobilenet-v2-jetson-nano", "jetson_nano"),
        ("mobilenet-v2-rasp4b", "rasp4b"),
    ]


def test_local_model_example_is_named_by_its_packed_bytes(offline_neoctl: Runner, tmp_path: Path) -> None:
    from models.packing import package

    from neoctl.models.plan import model_uri

    packed = package(EXAMPLES / "local-model", tmp_path)
    try:
        expected = model_uri("s3://my-bucket/models/uploads/", packed.sha256)
    finally:
        packed.path.unlink(missing_ok=True)
    result = offline_neoctl("create", "--dry-run", "-o", "json", "-f", str(EXAMPLES / "local-model.yaml"), cwd=tmp_path)
    assert result.code == 0, result.stderr
    job = json.loads(result.stdout)
    assert job["InputConfig"]["S3Uri"] == expected
    assert job["InputConfig"]["Framework"] == "PYTORCH"
    assert "would upload" in result.stderr and expected in result.stderr
    assert (EXAMPLES / "local-model" / "model.pth").stat().st_size < 1024, "keep the placeholder tiny"


def test_api_form_example_is_sent_as_written(offline_neoctl: Runner, tmp_path: Path) -> None:
    [job] = dry_run(offline_neoctl, tmp_path, EXAMPLES / "api-form.yaml")
    assert job == yaml.safe_load((EXAMPLES / "api-form.yaml").read_text(encoding="utf-8"))
