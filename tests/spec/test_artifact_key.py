"""artifact_key: where Neo writes a job's compiled model, from the request alone."""

from __future__ import annotations

from typing import Any

import pytest

from neoctl.models.plan import UNHASHED, model_uri
from neoctl.spec.artifact_key import artifact_key


def job(uri: str, location: str, target: str | dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"S3OutputLocation": location}
    out["TargetDevice" if isinstance(target, str) else "TargetPlatform"] = target
    return {"InputConfig": {"S3Uri": uri, "Framework": "PYTORCH"}, "OutputConfig": out}


@pytest.mark.parametrize(
    ("uri", "location", "target", "key"),
    [
        # research21-keys §1a: a real account's S3ModelArtifacts
        (
            "s3://sagemaker-us-east-1-025066243062/neuron-experiments/bert-seq-classification/traced-model/traced_model.tar.gz",
            "s3://sagemaker-us-east-1-025066243062/paraphrase-bert-en/inf1-model/",
            "ml_inf1",
            "s3://sagemaker-us-east-1-025066243062/paraphrase-bert-en/inf1-model/traced_model-ml_inf1.tar.gz",
        ),
        # §1b: the input folder does not appear in the key
        (
            "s3://ml-gg/models/mobilenet-keras/model.tar.gz",
            "s3://ml-gg/models/mobilenet-neo/",
            "ml_c5",
            "s3://ml-gg/models/mobilenet-neo/model-ml_c5.tar.gz",
        ),
        # §2a: no trailing slash, a platform without accelerator
        (
            "s3://b/neo-demo/output/x/output/model.tar.gz",
            "s3://b/neo-demo/neo-output",
            {"Os": "LINUX", "Arch": "X86_64"},
            "s3://b/neo-demo/neo-output/model-LINUX_X86_64.tar.gz",
        ),
        # §2b: inner dots kept, accelerator appended
        (
            "s3://object-det-neo/input/body_detector_yolo3_mobilenet1.0_coco.tar.gz",
            "s3://object-det-neo/output/",
            {"Os": "LINUX", "Arch": "X86_64", "Accelerator": "NVIDIA"},
            "s3://object-det-neo/output/body_detector_yolo3_mobilenet1.0_coco-LINUX_X86_64_NVIDIA.tar.gz",
        ),
    ],
)
def test_the_published_keys(uri: str, location: str, target: str | dict[str, str], key: str) -> None:
    assert artifact_key(job(uri, location, target)) == key


def test_a_trailing_slash_makes_no_difference() -> None:
    keys = {artifact_key(job("s3://b/m/model.tar.gz", loc, "ml_c5")) for loc in ("s3://b/out", "s3://b/out/")}
    assert keys == {"s3://b/out/model-ml_c5.tar.gz"}


@pytest.mark.parametrize(
    "request_",
    [
        {"ModelPackageVersionArn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/m/1"},
        job("s3://b/m/model.tgz", "s3://b/out/", "ml_c5"),  # the output name of a .tgz is unverified
        job("s3://b/m/train", "s3://b/out/", "ml_c5"),
        job("s3://b/m/.tar.gz", "s3://b/out/", "ml_c5"),
        job("s3://b/m/model.tar.gz", "s3://b/out/", {"Os": "LINUX"}),
        job("s3://b/m/model.tar.gz", "", "ml_c5"),
        {"InputConfig": {"S3Uri": "s3://b/model.tar.gz"}, "OutputConfig": {"S3OutputLocation": "s3://b/o/"}},
        {},
    ],
)
def test_unknowable_keys_are_none(request_: dict[str, Any]) -> None:
    assert artifact_key(request_) is None


def test_a_local_model_is_known_before_it_is_hashed() -> None:
    # model.path is uploaded as <upload_to>/<digest>/model.tar.gz whatever the digest.
    unhashed = job(model_uri("s3://b/uploads/", UNHASHED), "s3://b/out/", "rasp4b")
    hashed = job(model_uri("s3://b/uploads/", "ab" * 32), "s3://b/out/", "rasp4b")
    assert artifact_key(unhashed) == artifact_key(hashed) == "s3://b/out/model-rasp4b.tar.gz"
