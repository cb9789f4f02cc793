"""Which AWS services creating a batch calls besides SageMaker."""

from __future__ import annotations

from pathlib import Path

from neoctl.jobs.create import services_for
from neoctl.spec.batch import Batch, load_batch


def _batch_with_a_local_model(root: Path) -> Batch:
    (root / "model").mkdir()
    (root / "model" / "model.pth").write_bytes(b"w" * 100)
    spec = root / "job.yaml"
    spec.write_text(
        "name: local\nrole: arn:aws:iam::123456789012:role/NeoRole\n"
        "model: {path: model, upload_to: 's3://b/m/', framework: xgboost}\n"
        "output: {uri: 's3://b/out/', target: ml_c5}\n",
        encoding="utf-8",
    )
    return load_batch([str(spec)], hash_models=False)


def test_preflight_calls_s3_and_iam() -> None:
    assert services_for(Batch(), preflight=True) == ["s3", "iam"]


def test_without_preflight_only_uploads_call_s3(tmp_path: Path) -> None:
    assert services_for(Batch(), preflight=False) == []
    batch = _batch_with_a_local_model(tmp_path)
    assert services_for(batch, preflight=False) == ["s3"]
    assert services_for(batch, preflight=True) == ["s3", "iam"]
