"""The GetObject pieces both downloads share: a ranged GET of one version of an object,
and what a GetObject error means for a download.

They live below the two downloads so the imports run one way: neoctl.api.s3download
(one stream) and neoctl.api.s3ranges (parallel ranges) both use them, and so does
neoctl.api.s3resume, which asks for the rest of a body again when a read fails midway.
"""

from __future__ import annotations

from typing import Any

from neoctl.errors import ConnectionFailure, ServiceError


def raise_get_error(exc: Any, uri: str) -> None:
    """Raise the ServiceError that says what a GetObject error means for this download."""
    code = str(exc.response.get("Error", {}).get("Code", ""))
    if code in ("NoSuchKey", "NoSuchBucket", "404"):
        raise ServiceError(
            f"GetObject failed: {uri} does not exist ({code})",
            f"the object may have been moved or deleted; check with `aws s3 ls {uri}`",
            operation="GetObject",
            code=code,
        ) from None
    if code in ("PreconditionFailed", "412"):
        raise ServiceError(
            f"{uri} was replaced while it was being downloaded (its ETag changed); nothing was kept",
            "run the command again once the object is no longer being written",
            operation="GetObject",
            code=code,
        ) from None


def ranged_body(s3: Any, bucket: str, key: str, span: tuple[int, int, int], etag: str | None) -> Any:
    """The body of a GET of bytes [at, end) of s3://bucket/key, `span` = (at, end, size of
    the object), checked to be that range; with `etag`, of that version only (If-Match)."""
    from botocore.exceptions import ClientError

    at, end, size = span
    uri = f"s3://{bucket}/{key}"
    extra = {"IfMatch": etag} if etag else {}
    try:
        response = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes={at}-{end - 1}", **extra)
    except ClientError as exc:
        raise_get_error(exc, uri)
        raise
    body = response["Body"]
    if response.get("ContentRange") != f"bytes {at}-{end - 1}/{size}":
        body.close()
        raise ConnectionFailure(
            f"GetObject of {uri} answered {response.get('ContentRange') or 'the whole object'} "
            f"for bytes {at}-{end - 1}/{size}",
            "run the command again",
        )
    return body
