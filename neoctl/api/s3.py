"""S3 uploads that skip what is already there (streamed packing: neoctl.api.s3upload;
downloads: neoctl.api.s3download).

Uploads go through boto3's managed transfer (multipart above 8 MiB, so models over
5 GiB work); S3 objects appear whole or not at all, and an interrupted multipart
upload is aborted by s3transfer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from neoctl.api.session import AwsOptions, client
from neoctl.errors import NeoctlError, ServiceError

# x-amz-meta-neoctl-input-sha256 on uploaded models: the input digest that names them
# (neoctl.models.pack.input_digest; for a user's own .tar.gz, the sha256 of its bytes).
SHA256_METADATA = "neoctl-input-sha256"


class Progress(Protocol):
    """What a transfer reports to (neoctl.output.transfer.TransferProgress is one)."""

    def start(self, total: int | None) -> None:
        """The transfer begins; `total` bytes are expected (None: unknown)."""

    def advance(self, amount: int) -> None:
        """`amount` more bytes went through (negative when a retry restarts a part)."""


def existing_object(options: AwsOptions, bucket: str, key: str) -> dict[str, Any] | None:
    """HeadObject's answer, or None when the object is not there (or may not be seen).

    A 403 counts as "not seen": credentials allowed to put but not to read a prefix
    are common for upload-only roles, and the upload that follows says clearly if
    it is refused too.
    """
    from botocore.exceptions import ClientError

    try:
        head: dict[str, Any] = client(options, "s3").head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in ("404", "NoSuchKey", "NotFound", "403", "AccessDenied", "Forbidden"):
            return None
        raise
    return head


def same_object(head: dict[str, Any], size: int | None, sha256: str) -> bool:
    """Whether the object HeadObject described holds the model of this input digest.

    With a `size` (a user's .tar.gz, sent as is) an object of that size without the
    metadata counts too; without one (a packed model, whose compressed size is unknown
    until packed) the recorded digest must match.
    """
    recorded = (head.get("Metadata") or {}).get(SHA256_METADATA)
    if size is None:
        return recorded == sha256
    if int(head.get("ContentLength", -1)) != size:
        return False
    return recorded is None or recorded == sha256


def stored_whole(options: AwsOptions, bucket: str, key: str, *, size: int | None, sha256: str) -> bool | None:
    """After an interrupted upload: whether s3://bucket/key now holds the model of this input
    digest whole (True), does not (False), or cannot be told (None: HeadObject refused or
    failed, or a second Ctrl-C cut it short).

    An object appears whole or not at all, but a Ctrl-C pressed as the last part goes out
    can land after CompleteMultipartUpload (or the one PutObject) has been answered: the
    transfer is past cancelling, and the object is there. Only asking tells; the digest
    recorded with the object (same_object) tells it is this model and not an older one.
    """
    from botocore.exceptions import ClientError

    try:
        head = client(options, "s3").head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        return False if code in ("404", "NoSuchKey", "NotFound") else None
    except (Exception, KeyboardInterrupt):  # the network, or Ctrl-C again: unknown, not "nothing"
        return None
    return same_object(head, size, sha256)


def upload_file(
    options: AwsOptions,
    path: Path,
    bucket: str,
    key: str,
    *,
    sha256: str,
    progress: Progress | None = None,
    skip_if_exists: bool = True,
) -> bool:
    """Upload `path` to s3://bucket/key; False (and nothing sent) when it is already there.

    "Already there" means an object of the same size whose recorded sha256, if it has
    one, matches. The digest is recorded as user metadata for the next run to compare.
    """
    from boto3.exceptions import S3UploadFailedError
    from boto3.s3.transfer import TransferConfig

    size = path.stat().st_size
    if skip_if_exists:
        head = existing_object(options, bucket, key)
        if head is not None and same_object(head, size, sha256):
            return False
    if progress is not None:
        progress.start(size)
    callback: Callable[[int], None] | None = progress.advance if progress is not None else None
    try:
        client(options, "s3").upload_file(
            str(path),
            bucket,
            key,
            ExtraArgs={"Metadata": {SHA256_METADATA: sha256}},
            Callback=callback,
            # 8 MiB parts (80 GiB objects within the 10,000-part limit), 4 in flight.
            Config=TransferConfig(multipart_chunksize=8 * 1024 * 1024, max_concurrency=4),
        )
    except S3UploadFailedError as exc:
        raise upload_error(exc, bucket, key) from None
    return True


def upload_error(exc: Exception, bucket: str, key: str) -> NeoctlError:
    """The error to report for a failed upload (a ClientError, or boto3's wrapper of one)."""
    # boto3 wraps the ClientError in a message string; the original is the context.
    from botocore.exceptions import ClientError

    from neoctl.api.errors import translate

    cause = exc if isinstance(exc, ClientError) else exc.__context__
    if isinstance(cause, ClientError):
        code = str(cause.response.get("Error", {}).get("Code", ""))
        if code == "NoSuchBucket":
            return ServiceError(
                f"upload to s3://{bucket}/{key} failed: the bucket {bucket} does not exist",
                "create it (`aws s3 mb s3://" + bucket + "`) or fix model.upload_to",
                operation="PutObject",
                code=code,
            )
        converted = translate(cause)
        if converted is not None:
            return converted
    return NeoctlError(f"upload to s3://{bucket}/{key} failed: {exc}")
