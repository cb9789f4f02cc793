"""A local model in a job spec (`model.path` + `model.upload_to`) planned as an S3 upload.

Pure (no network). Three steps, each only as costly as its command needs:

    upload = plan_upload("./resnet50", "s3://bucket/models/")  # lists names and sizes only (validate)
    upload.hash()                                  # reads every byte once (create, --dry-run)
    request = with_model_uri(request, upload)      # InputConfig.S3Uri = upload.s3_uri
    upload_model(options, upload, printer)         # HeadObject, then pack + upload unless there

The S3 key is content-addressed by the model's INPUTS, not by the archive:
`<upload_to prefix>/<first 16 hex of the input digest>/model.tar.gz` (see
neoctl.models.pack.input_digest: paths, normalised modes, sizes and contents; for a
user's own .tar.gz, the sha256 of its bytes). The same files are therefore uploaded
once, whatever the job, the machine, the mtimes or the compression library; a changed
model gets a new key, so a running job's input is never overwritten. The file is always
named model.tar.gz because SageMaker Neo names its output after the input
(`model-<target>.tar.gz`), which keeps output names stable.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neoctl.models.pack import LocalModel, input_digest, open_model
from neoctl.models.s3uri import parse_s3_uri

MODEL_FILE = "model.tar.gz"
HASH_CHARS = 16  # 64 bits: collisions are not a practical concern; the full digest is checked too
UNHASHED = "input-unhashed"  # the key segment until hash() ran (validate never hashes)


@dataclass
class Upload:
    """What would be uploaded where: the plan `--dry-run` shows and `upload_model` carries out."""

    source: str  # model.path as given
    model: LocalModel  # the listing (names, types, sizes)
    upload_to: str  # the S3 prefix
    digest: str | None = None  # the input digest, once hash() ran
    marks: list[str] = field(default_factory=list)  # the running digest after each entry (pack.input_digest)

    @property
    def path(self) -> Path:
        """The local model (directory, file, or the user's .tar.gz)."""
        return self.model.path

    @property
    def size(self) -> int:
        """Input bytes (the files' total; an archive's size)."""
        return self.model.size

    @property
    def sha256(self) -> str:
        """The hex input digest (ValueError before hash())."""
        if self.digest is None:
            raise ValueError(f"{self.source} has not been hashed yet: call Upload.hash()")
        return self.digest

    @property
    def s3_uri(self) -> str:
        """s3://bucket/prefix/<digest16>/model.tar.gz (a placeholder segment before hash())."""
        return model_uri(self.upload_to, self.digest or UNHASHED)

    def hash(self, advance: Callable[[int], None] | None = None) -> str:
        """Compute the input digest (reads every byte once; `advance(n)` reports progress)."""
        if self.digest is None:
            marks: list[str] = []
            self.digest = input_digest(self.model, advance, marks)
            self.marks = marks
        return self.digest

    def as_dict(self) -> dict[str, Any]:
        """The plan as data: Source, Package (archive|file|directory), Size (input bytes),
        Files, Sha256 (input digest, "" before hashing), S3Uri."""
        return {
            "Source": self.source,
            "Package": self.model.kind,
            "Size": self.size,
            "Files": self.model.files,
            "Sha256": self.digest or "",
            "S3Uri": self.s3_uri,
        }


def model_uri(upload_to: str, sha256: str) -> str:
    """The content-addressed S3 URI of a model under the `upload_to` prefix."""
    bucket, prefix = parse_s3_uri(upload_to)
    prefix = prefix.strip("/")
    key = f"{prefix}/" if prefix else ""
    return f"s3://{bucket}/{key}{sha256[:HASH_CHARS]}/{MODEL_FILE}"


def plan_upload(model_path: str | os.PathLike[str], upload_to: str) -> Upload:
    """List `model_path` (no contents read, no network) and plan its upload; InvalidInput if
    either is wrong. Call .hash() before using its s3_uri for a request."""
    parse_s3_uri(upload_to)
    return Upload(os.fspath(model_path), open_model(model_path), upload_to)


def with_model_uri(request: dict[str, Any], upload: Upload) -> dict[str, Any]:
    """A copy of a CreateCompilationJob request whose InputConfig.S3Uri is the upload's."""
    updated = copy.deepcopy(request)
    updated.setdefault("InputConfig", {})["S3Uri"] = upload.s3_uri
    return updated


def prepare(
    request: dict[str, Any], model_path: str | os.PathLike[str], upload_to: str
) -> tuple[Upload, dict[str, Any]]:
    """plan_upload + hash + with_model_uri for a single job."""
    upload = plan_upload(model_path, upload_to)
    upload.hash()
    return upload, with_model_uri(request, upload)
