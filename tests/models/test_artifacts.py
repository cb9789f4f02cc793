"""Rules of `neoctl download`: which jobs have a model, and the names used on disk."""

from __future__ import annotations

import pytest

from neoctl.errors import EXIT_SERVICE, ServiceError
from neoctl.models.artifacts import artifact_uri, extract_dir_name, local_name


def test_completed_job_gives_its_artifacts() -> None:
    job = {
        "CompilationJobName": "j",
        "CompilationJobStatus": "COMPLETED",
        "ModelArtifacts": {"S3ModelArtifacts": "s3://b/out/model-ml_c5.tar.gz"},
    }
    assert artifact_uri(job) == "s3://b/out/model-ml_c5.tar.gz"


@pytest.mark.parametrize(
    ("status", "hint"), [("INPROGRESS", "neoctl wait j"), ("FAILED", "neoctl logs j"), ("STOPPED", "neoctl describe j")]
)
def test_unfinished_or_failed_job_is_254_with_the_next_step(status: str, hint: str) -> None:
    with pytest.raises(ServiceError) as caught:
        artifact_uri({"CompilationJobName": "j", "CompilationJobStatus": status})
    assert caught.value.exit_code == EXIT_SERVICE
    assert status in caught.value.message and hint in (caught.value.hint or "")


def test_names_on_disk() -> None:
    assert local_name("compiled/model-ml_c5.tar.gz") == "model-ml_c5.tar.gz"
    assert local_name("compiled/..") == "model.tar.gz"
    assert local_name("weird\\name") == "model.tar.gz"
    assert extract_dir_name("model-ml_c5.tar.gz") == "model-ml_c5"
    assert extract_dir_name("model.TGZ") == "model"
    assert extract_dir_name("blob") == "blob.extracted"
