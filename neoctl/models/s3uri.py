"""`s3://bucket/key` URIs, parsed without the network (the spec layer and the API layer both need it)."""

from __future__ import annotations

from neoctl.errors import InvalidInput


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """`s3://bucket/key` as (bucket, key); the key may be empty or a prefix."""
    if not uri.startswith("s3://"):
        raise InvalidInput(f"{uri!r} is not an s3:// URI", "write it as s3://bucket/prefix/")
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket:
        raise InvalidInput(f"{uri!r} names no bucket", "write it as s3://bucket/prefix/")
    return bucket, key
