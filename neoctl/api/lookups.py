"""Read-only lookups the pre-flight checks make (S3 objects and buckets, IAM roles),
answered as plain outcomes instead of botocore exceptions.

Each answer is one of: found (with what was read), missing (the service said the
resource does not exist), denied (the caller may not look: the check cannot be made),
or failed (anything else: unreachable, throttled after retries …).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from neoctl.api.session import AwsOptions, client

Outcome = Literal["found", "missing", "denied", "failed"]
_MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchBucket", "NoSuchEntity", "NoSuchEntityException"}
_DENIED = {"403", "AccessDenied", "AccessDeniedException", "Forbidden", "UnauthorizedOperation", "AllAccessDisabled"}


@dataclass(frozen=True)
class Lookup:
    """The answer to one lookup."""

    outcome: Outcome
    value: dict[str, Any] = field(default_factory=dict)
    detail: str = ""  # the service's code and message, or the transport error


def _look(call: Callable[[], dict[str, Any]]) -> Lookup:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return Lookup("found", call())
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        detail = f"{code}: {error.get('Message', '')}".rstrip(": ")
        if code in _MISSING:
            return Lookup("missing", detail=detail)
        if code in _DENIED:
            return Lookup("denied", detail=detail)
        return Lookup("failed", detail=detail)
    except BotoCoreError as exc:
        return Lookup("failed", detail=f"{type(exc).__name__}: {exc}")


def head_object(options: AwsOptions, bucket: str, key: str) -> Lookup:
    """HeadObject (needs s3:GetObject)."""
    return _look(lambda: client(options, "s3").head_object(Bucket=bucket, Key=key))


def bucket_region(options: AwsOptions, bucket: str) -> Lookup:
    """GetBucketLocation (needs s3:GetBucketLocation); value {"Region": …}, us-east-1 for None."""

    def call() -> dict[str, Any]:
        answer = client(options, "s3").get_bucket_location(Bucket=bucket)
        # S3 answers null for us-east-1 and "EU" for the oldest eu-west-1 buckets.
        region = answer.get("LocationConstraint") or "us-east-1"
        return {"Region": "eu-west-1" if region == "EU" else region}

    return _look(call)


def get_role(options: AwsOptions, name: str) -> Lookup:
    """GetRole (needs iam:GetRole); value {"Arn", "TrustPolicy": the parsed trust document}."""

    def call() -> dict[str, Any]:
        role = client(options, "iam").get_role(RoleName=name)["Role"]
        trust = role.get("AssumeRolePolicyDocument") or {}
        if isinstance(trust, str):  # URL-encoded JSON when the SDK did not decode it
            trust = json.loads(urllib.parse.unquote(trust))
        return {"Arn": role.get("Arn", ""), "TrustPolicy": trust}

    return _look(call)


def region_of(options: AwsOptions) -> str:
    """The region SageMaker calls go to (where the jobs would run)."""
    return str(client(options).meta.region_name)
