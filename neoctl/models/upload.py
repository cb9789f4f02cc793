"""Carry out a planned model upload (neoctl.models.plan): HeadObject, then upload unless the
same bytes are already there, with progress on stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING

from neoctl.models.plan import Upload
from neoctl.models.s3uri import parse_s3_uri

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.output import Printer


def upload_model(options: AwsOptions, upload: Upload, printer: Printer | None = None) -> bool:
    """Upload unless the same bytes are already at upload.s3_uri; True when sent.

    With a printer: a progress bar on stderr (one line when not a terminal) or a line
    saying the upload was skipped. Ctrl-C becomes Interrupted (exit 130); S3 then
    holds nothing at the key (objects appear whole; s3transfer aborts multipart uploads).
    """
    from neoctl.api.s3 import upload_file
    from neoctl.errors import Interrupted

    bucket, key = parse_s3_uri(upload.s3_uri)
    try:
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
    except KeyboardInterrupt:
        raise Interrupted(f"upload interrupted; nothing was stored at {upload.s3_uri}") from None
