"""Carry out a planned model upload (neoctl.models.plan): hash, HeadObject, then pack and
upload in one streamed pass unless the same inputs are already there, with progress on stderr."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from neoctl.errors import Interrupted
from neoctl.models.plan import Upload
from neoctl.models.s3uri import parse_s3_uri

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.output import Printer
    from neoctl.spec.batch import Batch


def hash_upload(upload: Upload, printer: Printer | None = None) -> str:
    """The upload's input digest, with a progress bar (input bytes) on a terminal."""
    if upload.digest is not None or printer is None:
        return upload.hash()
    from neoctl.output.transfer import TransferProgress

    progress = TransferProgress(printer, f"hashing {upload.source}", f"hashed {upload.source}")
    try:
        with progress:
            progress.start(upload.size)
            return upload.hash(progress.advance)
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted while hashing {upload.source}; nothing was sent") from None


def hash_models(
    batch: Batch, printer: Printer | None = None, options: AwsOptions | None = None, services: Sequence[str] = ()
) -> None:
    """Hash the batch's local models (progress on `printer`) so requests carry their S3 URIs.

    With `options`, the clients of `services` are made in a background thread meanwhile
    (api.session.warm_up): the two overlap on two cores instead of one waiting for the other.
    """
    if options is None or not batch.uploads():
        batch.hash_models(lambda upload: hash_upload(upload, printer))
        return
    from neoctl.api.session import warm_up

    ready = warm_up(options, *services)
    batch.hash_models(lambda upload: hash_upload(upload, printer))
    ready()


def upload_model(options: AwsOptions, upload: Upload, printer: Printer | None = None) -> bool:
    """Upload unless the same inputs are already at upload.s3_uri; True when sent.

    A user's .tar.gz is sent as is (multipart file upload); a file or directory is
    packed and sent in one streamed pass (neoctl.api.s3upload), no temp file. With a
    printer: a progress bar on stderr (one line when not a terminal) or a line saying
    the upload was skipped. Ctrl-C becomes Interrupted (exit 130) saying what S3 holds
    then, asked with a HeadObject: the model whole (the interruption came after S3 stored
    it; the next run reuses it) or nothing (objects appear whole or not at all, and an
    unfinished multipart upload is aborted).
    A file that changed since it was hashed raises InvalidInput (252), nothing stored.
    """
    from neoctl.api.s3 import SHA256_METADATA, existing_object, same_object, upload_file

    hash_upload(upload, printer)
    bucket, key = parse_s3_uri(upload.s3_uri)
    progress = None
    try:
        if upload.model.kind == "archive":
            if printer is None:
                return upload_file(options, upload.path, bucket, key, sha256=upload.sha256)
            from neoctl.output.transfer import TransferProgress, upload_skipped_message

            progress = TransferProgress(
                printer, f"uploading {upload.source}", f"uploaded {upload.source} to {upload.s3_uri}"
            )
            with progress:
                sent = upload_file(options, upload.path, bucket, key, sha256=upload.sha256, progress=progress)
            if not sent:
                printer.message(upload_skipped_message(upload.as_dict()))
            return sent
        head = existing_object(options, bucket, key)
        if head is not None and same_object(head, None, upload.sha256):
            if printer is not None:
                from neoctl.output.transfer import upload_skipped_message

                printer.message(upload_skipped_message(upload.as_dict()))
            return False
        _pack_and_send(options, upload, bucket, key, {SHA256_METADATA: upload.sha256}, printer)
        return True
    except KeyboardInterrupt:
        raise _interrupted(options, upload, bucket, key) from None


def _interrupted(options: AwsOptions, upload: Upload, bucket: str, key: str) -> Interrupted:
    """What an interrupted upload left, found out rather than assumed (api.s3.stored_whole):
    Ctrl-C once the bar is full often lands after S3 has stored the object whole."""
    from neoctl.api.s3 import stored_whole

    size = upload.size if upload.model.kind == "archive" else None  # a packed size is unknown
    stored = stored_whole(options, bucket, key, size=size, sha256=upload.sha256)
    if stored:
        return Interrupted(
            f"upload interrupted after the model was stored whole at {upload.s3_uri}; the next run reuses it",
            "run the command again: it finds the model there and does not send it again",
        )
    if stored is None:
        return Interrupted(
            f"upload interrupted; whether {upload.s3_uri} was stored could not be checked",
            "run the command again: it looks at the key first and sends the model only if it is not there whole",
        )
    return Interrupted(f"upload interrupted; nothing was stored at {upload.s3_uri}")


def _pack_and_send(
    options: AwsOptions, upload: Upload, bucket: str, key: str, metadata: dict[str, str], printer: Printer | None
) -> None:
    from neoctl.api.s3upload import upload_stream
    from neoctl.models.pack import write_archive

    if printer is None:
        upload_stream(
            options,
            lambda sink: write_archive(upload.model, sink, upload.sha256, marks=upload.marks or None),
            bucket,
            key,
            metadata=metadata,
        )
        return
    from neoctl.output.transfer import TransferProgress

    progress = TransferProgress(
        printer, f"packing and uploading {upload.source}", f"packed and uploaded {upload.source} to {upload.s3_uri}"
    )
    with progress:
        progress.start(upload.size)  # input bytes: the compressed size is unknown until the end
        upload_stream(
            options,
            lambda sink: write_archive(upload.model, sink, upload.sha256, progress.advance, upload.marks or None),
            bucket,
            key,
            metadata=metadata,
        )
