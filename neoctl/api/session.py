"""The lazy client factory: one boto3 session and one client per service per process.

Nothing here runs at import time: `--help` and Tab completion never pay for boto3,
and the region is fixed only after `--region` has been read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from neoctl.errors import ConfigError

if TYPE_CHECKING:
    import boto3

# Timeouts are documented in the README: a dead endpoint fails in seconds, not minutes.
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 60
DEFAULT_RETRY_MODE = "standard"  # the AWS CLI's; botocore's own default is still "legacy"
DEFAULT_MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class AwsOptions:
    """Where and as whom to call AWS, as given on the command line."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    debug: bool = False


def resolve_region(options: AwsOptions, profile_region: str | None) -> str | None:
    """--region > AWS_REGION > AWS_DEFAULT_REGION > the profile (botocore ignores AWS_REGION)."""
    return (
        options.region
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or profile_region
    )


def resolve_endpoint(options: AwsOptions, service: str) -> str | None:
    """--endpoint-url > AWS_ENDPOINT_URL_<SERVICE> > AWS_ENDPOINT_URL."""
    return (
        options.endpoint_url
        or os.environ.get(f"AWS_ENDPOINT_URL_{service.upper()}")
        or os.environ.get("AWS_ENDPOINT_URL")
    )


def retry_config(default_mode: str = DEFAULT_RETRY_MODE) -> dict[str, Any]:
    """Retries as the AWS CLI does them, honouring AWS_RETRY_MODE and AWS_MAX_ATTEMPTS."""
    mode = os.environ.get("AWS_RETRY_MODE", default_mode)
    if mode not in ("standard", "adaptive", "legacy"):
        raise ConfigError(f"AWS_RETRY_MODE={mode!r} is not a retry mode", "use standard, adaptive or legacy")
    raw = os.environ.get("AWS_MAX_ATTEMPTS", str(DEFAULT_MAX_ATTEMPTS))
    try:
        attempts = int(raw)
    except ValueError:
        raise ConfigError(f"AWS_MAX_ATTEMPTS={raw!r} is not a number", "e.g. AWS_MAX_ATTEMPTS=5") from None
    if attempts < 1:
        raise ConfigError("AWS_MAX_ATTEMPTS must be at least 1")
    return {"mode": mode, "total_max_attempts": attempts}


@cache
def _session(profile: str | None) -> boto3.Session:
    import boto3
    import botocore.exceptions

    try:
        return boto3.Session(profile_name=profile)
    except botocore.exceptions.ProfileNotFound:
        raise ConfigError(
            f"the AWS profile {profile!r} was not found",
            "check `aws configure list-profiles`, or drop --profile",
        ) from None


@cache
def client(options: AwsOptions, service: str = "sagemaker", retry_mode: str | None = None) -> Any:
    """The boto3 client for `service`, created on first use and reused after.

    `retry_mode` changes the default (not an explicit AWS_RETRY_MODE): a fan-out asks
    for "adaptive", which also slows the sending rate when SageMaker throttles.
    """
    from botocore.config import Config

    session = _session(options.profile or os.environ.get("AWS_PROFILE") or None)
    region = resolve_region(options, session.region_name)
    if not region:
        raise ConfigError(
            "no AWS region is configured",
            "pass --region, or set AWS_REGION, or `aws configure set region ...`",
        )
    config = Config(
        region_name=region,
        retries=retry_config(retry_mode or DEFAULT_RETRY_MODE),
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        user_agent_extra="neoctl",
        max_pool_connections=32,  # a fan-out sends from up to --concurrency threads
    )
    if options.debug:
        _register_credentials(session)
    return session.client(service, config=config, endpoint_url=resolve_endpoint(options, service))


def _register_credentials(session: boto3.Session) -> None:
    # Known values are masked wherever they turn up in the debug log.
    from neoctl.redact import register_secret

    creds = session.get_credentials()
    if creds is not None:
        frozen = creds.get_frozen_credentials()
        for value in (frozen.access_key, frozen.secret_key, frozen.token):
            register_secret(value)
