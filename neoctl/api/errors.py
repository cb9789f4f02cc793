"""botocore exceptions turned into neoctl errors with exit codes and next steps."""

from __future__ import annotations

import os

from neoctl.errors import (
    ConfigError,
    ConnectionFailure,
    InvalidInput,
    NeoctlError,
    ServiceError,
)

_NEXT = {
    ("DescribeCompilationJob", "ResourceNotFound"): "list jobs with `neoctl list --name-contains ...`",
    ("StopCompilationJob", "ResourceNotFound"): "list jobs with `neoctl list --name-contains ...`",
    ("ThrottlingException", ""): "wait a little and run the command again; "
    "raise AWS_MAX_ATTEMPTS or set AWS_RETRY_MODE=adaptive to retry longer",
    ("AccessDeniedException", ""): "check the IAM permissions of the credentials in use "
    "(`aws sts get-caller-identity`)",
    ("DescribeEndpoint", "ValidationException"): "list endpoints with `neoctl endpoint list`",
}


def translate(exc: BaseException) -> NeoctlError | None:
    """The neoctl error for a botocore exception, or None when it is not one."""
    from botocore import exceptions as bx

    if isinstance(exc, bx.ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", "Unknown"))
        message = str(error.get("Message", "")).strip() or "no message"
        op = exc.operation_name
        hint = _NEXT.get((op, code)) or _NEXT.get((code, ""))
        if code in (
            "UnrecognizedClientException",
            "InvalidClientTokenId",
            "InvalidSignatureException",
            "ExpiredTokenException",
            "ExpiredToken",
        ):
            return ConfigError(
                f"{op}: the credentials were refused ({code}): {message}",
                "refresh them (`aws sso login`, new keys) or pick another --profile",
            )
        return ServiceError(f"{op} failed: {code}: {message}", hint, operation=op, code=code)
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
        return ConfigError(
            "no AWS credentials were found",
            "set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run "
            "`aws configure` (the local emulator accepts any values)",
        )
    if isinstance(exc, bx.ConfigParseError):
        path = exc.kwargs.get("path") or os.environ.get("AWS_CONFIG_FILE") or "~/.aws/config"
        return ConfigError(
            f"the AWS config file {path} cannot be read (not INI text with [profile] sections)",
            "fix or move it, or point AWS_CONFIG_FILE at a good one",
        )
    if isinstance(exc, bx.ProfileNotFound):
        return ConfigError(f"the AWS profile was not found: {exc}", "check --profile / AWS_PROFILE")
    if isinstance(exc, bx.InvalidRegionError):
        return ConfigError(f"the region is not valid: {exc}", "e.g. --region us-east-1")
    if isinstance(exc, bx.NoRegionError):
        return ConfigError("no AWS region is configured", "pass --region or set AWS_REGION")
    if isinstance(exc, bx.EndpointConnectionError | bx.ConnectionClosedError):
        return ConnectionFailure(
            f"could not reach the endpoint: {exc}", "check --endpoint-url / AWS_ENDPOINT_URL and the network"
        )
    if isinstance(exc, bx.ReadTimeoutError | bx.ConnectTimeoutError):
        return ConnectionFailure(
            f"the endpoint did not answer in time: {exc}", "the service may be slow or unreachable; try again"
        )
    if isinstance(exc, bx.ParamValidationError):
        return InvalidInput(f"invalid request parameters: {exc}")
    if isinstance(exc, bx.BotoCoreError):
        return NeoctlError(f"{type(exc).__name__}: {exc}")
    return None


THROTTLING = ("ThrottlingException", "Throttling", "TooManyRequestsException")


def is_throttling(exc: BaseException) -> bool:
    """Whether `exc` is SageMaker asking the caller to slow down."""
    from botocore.exceptions import ClientError

    return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in THROTTLING
