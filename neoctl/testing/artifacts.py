"""The compiled-model archive an emulated job leaves in the emulator's S3."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import tarfile
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from moto.s3.exceptions import MissingBucket
from moto.s3.models import s3_backends
from moto.sagemaker.models import CompilationJob
from moto.utilities.utils import get_partition

log = logging.getLogger(__name__)

_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")


def target_label(output_config: dict[str, Any]) -> str:
    """The target as Neo spells it in artifact names: a device, or OS_ARCH[_ACCELERATOR]
    as the platform's values are written (`model-LINUX_X86_64.tar.gz` is a real job's
    S3ModelArtifacts: neoctl.spec.artifact_key)."""
    if output_config.get("TargetDevice"):
        return str(output_config["TargetDevice"])
    platform = output_config.get("TargetPlatform") or {}
    parts = [platform.get("Os"), platform.get("Arch"), platform.get("Accelerator")]
    return "_".join(str(p) for p in parts if p) or "unknown"


def _model_stem(input_config: dict[str, Any] | None) -> str:
    uri = (input_config or {}).get("S3Uri", "")
    name = str(uri).rstrip("/").rsplit("/", 1)[-1]
    for suffix in _ARCHIVE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)] or "model"
    return name or "model"


def artifact_uri(job: CompilationJob) -> str:
    """<S3OutputLocation>/<model file stem>-<target>.tar.gz, as SageMaker Neo names its output."""
    location = str(job.output_config["S3OutputLocation"]).rstrip("/")
    stem = _model_stem(job.input_config)
    return f"{location}/{stem}-{target_label(job.output_config)}.tar.gz"


def artifact_bytes(job: CompilationJob) -> bytes:
    """A small but valid .tar.gz; deterministic so its digest is stable across calls."""
    manifest = {
        "CompilationJobName": job.compilation_job_name,
        "Target": target_label(job.output_config),
        "Framework": (job.input_config or {}).get("Framework"),
        "Source": (job.input_config or {}).get("S3Uri"),
        "Note": "Produced by the neoctl local SageMaker emulator, not by SageMaker Neo.",
    }
    payload = json.dumps(manifest, indent=2, sort_keys=True).encode()
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        info = tarfile.TarInfo("compiled_model.json")
        info.size = len(payload)
        info.mtime = 0
        archive.addfile(info, io.BytesIO(payload))
    return gzip.compress(tar_buffer.getvalue(), mtime=0)


def artifact_digest(job: CompilationJob) -> str:
    return hashlib.sha256(artifact_bytes(job)).hexdigest()


def upload_artifact(job: CompilationJob, completed: datetime | None = None) -> None:
    """Put the archive where ModelArtifacts points; failures are logged, never raised,
    because a broken output location must not break DescribeCompilationJob.

    `completed` (naive UTC: the job's CompilationEndTime) becomes the object's
    LastModified. Statuses advance lazily, on the first request after the end, so the
    write can come long after the job completed; Neo writes the archive just before it
    marks the job COMPLETED, and `deploy`/`download` take an artifact modified after that
    for one another job overwrote."""
    try:
        parsed = urlparse(artifact_uri(job))
        bucket, key = parsed.netloc, parsed.path.lstrip("/")
        # ARN: arn:<partition>:sagemaker:<region>:<account>:compilation-job/<name>
        _, _, _, region, account, _ = job.arn.split(":", 5)
        backend = s3_backends[account][get_partition(region)]
        try:
            backend.get_bucket(bucket)
        except MissingBucket:
            backend.create_bucket(bucket, region)
        stored = backend.put_object(bucket, key, artifact_bytes(job))
        if completed is not None:
            stored.last_modified = completed
    except Exception:  # the emulator keeps serving whatever the S3 layer thinks
        log.warning("could not write the emulated artifact for %s", job.arn, exc_info=True)
