"""A local model in a job spec (`model.path` + `model.upload_to`) planned as an S3 upload.

Pure (no network): `--dry-run` shows the plan, neoctl.models.upload carries it out:

    with plan_upload("./resnet50", "s3://bucket/models/") as upload:   # local only
        request = with_model_uri(request, upload)    # InputConfig.S3Uri = upload.s3_uri
        upload_model(options, upload, printer)       # HeadObject, then upload unless there

The S3 key is content-addressed: `<upload_to prefix>/<first 16 hex of sha256>/model.tar.gz`,
the sha256 being that of the exact bytes uploaded (see neoctl.models.pack for why the
same files give the same bytes). The same model is therefore uploaded once, whatever
the job or the machine; a changed model gets a new key, so a running job's input is
never overwritten. The file is always named model.tar.gz because SageMaker Neo names
its output after the input (`model-<target>.tar.gz`), which keeps output names stable.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from neoctl.models.pack import Package, package
from neoctl.models.s3uri import parse_s3_uri

MODEL_FILE = "model.tar.gz"
HASH_CHARS = 16  # 64 bits: collisions are not a practical concern; size and sha256 are checked too


@dataclass(frozen=True)
class Upload:
    """What would be uploaded where: the plan `--dry-run` shows and `upload_model` carries out."""

    source: str  # model.path as given
    package: Package  # the .tar.gz (temp file, or the user's own archive) with size and sha256
    s3_uri: str  # s3://bucket/prefix/<sha16>/model.tar.gz

    @property
    def path(self) -> Path:
        """The local .tar.gz that is sent."""
        return self.package.path

    @property
    def size(self) -> int:
        """Bytes to send."""
        return self.package.size

    @property
    def sha256(self) -> str:
        """Hex sha256 of the bytes sent."""
        return self.package.sha256

    def as_dict(self) -> dict[str, Any]:
        """The plan as data: Source, Package (archive|file|directory), Size, Sha256, S3Uri."""
        return {
            "Source": self.source,
            "Package": self.package.kind,
            "Size": self.size,
            "Sha256": self.sha256,
            "S3Uri": self.s3_uri,
        }

    def cleanup(self) -> None:
        """Remove the packed temp file (never the user's own .tar.gz); safe to call twice."""
        self.package.cleanup()

    def __enter__(self) -> Upload:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.cleanup()


def model_uri(upload_to: str, sha256: str) -> str:
    """The content-addressed S3 URI of a model under the `upload_to` prefix."""
    bucket, prefix = parse_s3_uri(upload_to)
    prefix = prefix.strip("/")
    key = f"{prefix}/" if prefix else ""
    return f"s3://{bucket}/{key}{sha256[:HASH_CHARS]}/{MODEL_FILE}"


def plan_upload(
    model_path: str | os.PathLike[str], upload_to: str, workdir: str | os.PathLike[str] | None = None
) -> Upload:
    """Pack `model_path` (no network) and name its S3 object; InvalidInput if either is wrong.

    Call it once per distinct model: the jobs of a fan-out share one Upload. The caller
    owns the temp file: use the Upload as a context manager, or call cleanup().
    """
    parse_s3_uri(upload_to)  # a bad prefix fails before minutes of packing
    packed = package(model_path, workdir)
    try:
        return Upload(os.fspath(model_path), packed, model_uri(upload_to, packed.sha256))
    except BaseException:
        packed.cleanup()
        raise


def with_model_uri(request: dict[str, Any], upload: Upload) -> dict[str, Any]:
    """A copy of a CreateCompilationJob request whose InputConfig.S3Uri is the upload's."""
    updated = copy.deepcopy(request)
    updated.setdefault("InputConfig", {})["S3Uri"] = upload.s3_uri
    return updated


def prepare(
    request: dict[str, Any], model_path: str | os.PathLike[str], upload_to: str
) -> tuple[Upload, dict[str, Any]]:
    """plan_upload + with_model_uri for a single job."""
    upload = plan_upload(model_path, upload_to)
    return upload, with_model_uri(request, upload)
