"""S3 transfers: uploads that skip what is already there, downloads that never leave half a file.

Uploads go through boto3's managed transfer (multipart above 8 MiB, so models over
5 GiB work); S3 objects appear whole or not at all, and an interrupted multipart
upload is aborted by s3transfer. Downloads are one streamed GetObject written to
`<dest>.part` (created exclusively, never through a symlink), renamed to `<dest>` only
once every byte has arrived (over an existing file only when asked); the `.part` is
removed on any exception, Ctrl-C included. One stream is slower than ranged
parallel GETs for very large files, but it is interruptible at any byte and compiled
artifacts are usually small.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from neoctl.api.session import AwsOptions, client
from neoctl.errors import ConnectionFailure, InvalidInput, NeoctlError, ServiceError

CHUNK = 1024 * 1024
# x-amz-meta-neoctl-input-sha256 on uploaded models: the input digest that names them
# (neoctl.models.pack.input_digest; for a user's own .tar.gz, the sha256 of its bytes).
SHA256_METADATA = "neoctl-input-sha256"


class Progress(Protocol):
    """What a transfer reports to (neoctl.output.transfer.TransferProgress is one)."""

    def start(self, total: int | None) -> None:
        """The transfer begins; `total` bytes are expected (None: unknown)."""

    def advance(self, amount: int) -> None:
        """`amount` more bytes went through (negative when a retry restarts a part)."""


@dataclass(frozen=True)
class Downloaded:
    """A complete downloaded file."""

    path: Path
    size: int
    sha256: str


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


def download_file(
    options: AwsOptions,
    bucket: str,
    key: str,
    dest: Path,
    progress: Progress | None = None,
    *,
    overwrite: bool = False,
) -> Downloaded:
    """Stream s3://bucket/key into `<dest>.part`, then rename it to `dest`.

    An existing `dest` is refused (InvalidInput, before any request) unless `overwrite`,
    and then replaced atomically. The `.part` is created exclusively and never through a
    link: a symlink planted there is refused, not written through. On any exception,
    KeyboardInterrupt included, the `.part` is removed and `dest` is left as it was
    (absent, or the previous complete file).
    """
    from botocore.exceptions import ClientError

    _check_destination(dest, overwrite)
    uri = f"s3://{bucket}/{key}"
    try:
        response = client(options, "s3").get_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in ("NoSuchKey", "NoSuchBucket", "404"):
            raise ServiceError(
                f"GetObject failed: {uri} does not exist ({code})",
                f"the object may have been moved or deleted; check with `aws s3 ls {uri}`",
                operation="GetObject",
                code=code,
            ) from None
        raise
    expected = int(response.get("ContentLength", -1))
    body = response["Body"]
    part = dest.with_name(dest.name + ".part")
    digest = hashlib.sha256()
    received = 0
    try:
        fd = _open_part(part)  # before the cleanup below: a refused `.part` is not ours to remove
        try:
            if progress is not None:
                progress.start(expected if expected >= 0 else None)
            with os.fdopen(fd, "wb") as out:
                for chunk in body.iter_chunks(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    received += len(chunk)
                    if progress is not None:
                        progress.advance(len(chunk))
                out.flush()
                os.fsync(out.fileno())  # the rename must not expose a file still in the page cache only
            if expected >= 0 and received != expected:
                raise ConnectionFailure(
                    f"download of {uri} ended after {received} of {expected} bytes", "run the command again"
                )
            _move_into_place(part, dest, overwrite)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    finally:
        body.close()
    return Downloaded(dest, received, digest.hexdigest())


def _exists_error(dest: Path) -> InvalidInput:
    return InvalidInput(f"{dest} already exists; nothing was downloaded", "pass --force to replace it")


def _check_destination(dest: Path, overwrite: bool) -> None:
    if dest.is_dir() and not dest.is_symlink():
        raise InvalidInput(f"{dest} is a directory; nothing was downloaded", "move it, or download to another --to")
    if not overwrite and os.path.lexists(dest):
        raise _exists_error(dest)


_PART_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _open_part(part: Path) -> int:
    """A new `.part` of our own (mode 0600): O_EXCL never opens what is there, symlinks included.

    A regular `.part` left by a run killed hard (SIGKILL, power loss) is removed first;
    removing a name never touches the file another link points to. Anything else
    (a symlink, a directory, a FIFO) is refused.
    """
    try:
        return os.open(part, _PART_FLAGS, 0o600)
    except FileExistsError:
        pass
    try:
        mode = os.lstat(part).st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG  # gone meanwhile: try again
    if not stat.S_ISREG(mode):
        raise InvalidInput(
            f"{part} exists and is not a regular file (a symlink?); nothing was downloaded",
            "remove it, or download to another --to directory",
        )
    part.unlink(missing_ok=True)
    try:
        return os.open(part, _PART_FLAGS, 0o600)
    except FileExistsError:
        raise InvalidInput(
            f"{part} was created again by someone else; nothing was downloaded",
            "download to a directory only you can write to",
        ) from None


def _move_into_place(part: Path, dest: Path, overwrite: bool) -> None:
    """The complete file under its name: replacing `dest` atomically only when `overwrite`;
    otherwise a hard link, which fails rather than replace a file that appeared meanwhile."""
    if overwrite:
        os.replace(part, dest)
        return
    try:
        os.link(part, dest)
    except FileExistsError:
        raise _exists_error(dest) from None
    except OSError:  # no hard links on this file system (FAT, some network mounts)
        if os.path.lexists(dest):
            raise _exists_error(dest) from None
        os.replace(part, dest)
        return
    part.unlink()
