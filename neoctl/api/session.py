"""The lazy client factory: one boto3 session and one client per service per process.

Nothing here runs at import time: `--help` and Tab completion never pay for boto3,
and the region is fixed only after `--region` has been read.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from neoctl.errors import ConfigError

if TYPE_CHECKING:
    import boto3

# Timeouts are documented in the README: a dead endpoint fails in seconds, not minutes.
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 60
QUICK_TIMEOUT = 2  # Tab completion: a prompt that waits longer feels broken
# InvokeEndpoint: a model may take 60 s to answer, and the API reference asks for a socket
# timeout of 70 s then (InvokeEndpoint, "SDK socket timeout should be set to be 70 seconds").
INVOKE_READ_TIMEOUT = 70


def timeouts() -> tuple[float, float]:
    """Connect and read timeouts in seconds (NEOCTL_CONNECT_TIMEOUT / NEOCTL_READ_TIMEOUT)."""
    values = []
    for name, default in (("NEOCTL_CONNECT_TIMEOUT", CONNECT_TIMEOUT), ("NEOCTL_READ_TIMEOUT", READ_TIMEOUT)):
        raw = os.environ.get(name, "")
        try:
            value = float(raw) if raw else float(default)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not a number of seconds") from None
        if not math.isfinite(value) or value <= 0:  # nan would pass `<= 0`, and hang sockets
            raise ConfigError(f"{name}={raw!r}: must be a finite number of seconds, more than 0")
        values.append(value)
    return values[0], values[1]


DEFAULT_RETRY_MODE = "standard"  # the AWS CLI's; botocore's own default is still "legacy"
DEFAULT_MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class AwsOptions:
    """Where and as whom to call AWS, as given on the command line."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    debug: bool = False


def region_source(options: AwsOptions) -> str:
    """Where the region came from, in the words the user set it with."""
    if options.region:
        return "--region"
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        if os.environ.get(name):
            return name
    return "the profile's region"


def check_region(region: str, source: str) -> None:
    """Refuse a region name no AWS region can have, before anything is sent.

    AWS region names are lower case; botocore accepts US-EAST-1 and signs for it, and
    the service answers with an error that does not say the region was the problem.
    """
    if region != region.lower() or region != region.strip():
        raise ConfigError(
            f"{source} {region!r} is not an AWS region: region names are lower case"
            f" (did you mean {region.strip().lower()}?)"
        )


def check_region_known(session: boto3.Session, region: str, source: str) -> None:
    """Refuse a region no AWS partition can hold (`us-east1`), naming the nearest known one.

    botocore signs for any name and the request fails as an unreachable host (against AWS)
    or an internal error (an emulator), neither naming the region. Only names outside every
    partition's pattern in botocore's endpoint data are refused: a new region that fits
    the pattern (`eu-west-9`) but is not in the installed data yet still goes through.
    """
    from botocore.exceptions import UnknownRegionError

    core = session._session  # boto3 exposes no public accessor for the partition lookup
    try:
        core.get_partition_for_region(region)
    except UnknownRegionError:
        from neoctl.suggest import closest

        known = {
            name
            for partition in core.get_available_partitions()
            for name in core.get_available_regions("sagemaker", partition)
        }
        best = closest(region, known)
        raise ConfigError(
            f"{source} {region!r} is not an AWS region" + (f" (did you mean {best}?)" if best else ""),
            "e.g. --region us-east-1; `aws account list-regions` lists the regions of an account",
        ) from None


def resolve_region(options: AwsOptions, profile_region: str | None) -> str | None:
    """--region > AWS_REGION > AWS_DEFAULT_REGION > the profile (botocore ignores AWS_REGION)."""
    return options.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or profile_region


def resolve_endpoint(options: AwsOptions, service: str) -> str | None:
    """--endpoint-url (SageMaker only) > AWS_ENDPOINT_URL_<SERVICE> > AWS_ENDPOINT_URL.

    The flag names SageMaker's endpoint, as `aws sagemaker --endpoint-url` does: a
    SageMaker VPC endpoint must not receive the S3 and CloudWatch Logs calls of
    `download` and `logs`, which take their own AWS_ENDPOINT_URL_S3 / _LOGS.
    """
    flag = options.endpoint_url if service == "sagemaker" else None
    return flag or os.environ.get(_variable(service)) or os.environ.get("AWS_ENDPOINT_URL")


def _variable(service: str) -> str:
    """AWS_ENDPOINT_URL_<SERVICE>, as botocore spells it (sagemaker-runtime: SAGEMAKER_RUNTIME)."""
    return f"AWS_ENDPOINT_URL_{service.upper().replace('-', '_')}"


def endpoint_url_warning(options: AwsOptions, *services: str) -> str | None:
    """What to warn when --endpoint-url is given to a command that also calls `services`
    (e.g. "s3", "logs"): the flag redirects SageMaker only (see resolve_endpoint), so their
    requests go to AWS itself unless AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL is set.
    None when every one of them is redirected, or without --endpoint-url."""
    if not options.endpoint_url or os.environ.get("AWS_ENDPOINT_URL"):
        return None
    missing = [s for s in services if not os.environ.get(_variable(s))]
    if not missing:
        return None
    names = ", ".join(_variable(s) for s in missing)
    return (
        f"--endpoint-url applies to SageMaker only; {' and '.join(missing)} requests go to AWS "
        f"unless {names} or AWS_ENDPOINT_URL is set"
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


def _timestamp(value: Any) -> Any:
    # SageMaker's JSON protocol sends epoch seconds. botocore's default parser builds a
    # new tzlocal() per value (~14 MiB for 10,000 jobs); one shared UTC zone is enough.
    import datetime as dt

    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(float(value), dt.UTC)
    from botocore.utils import parse_timestamp

    return parse_timestamp(value)


@cache
def _session(profile: str | None) -> boto3.Session:
    import boto3
    import botocore.exceptions
    import botocore.session

    from neoctl.api import slim_model

    core = botocore.session.Session()
    slim_model.install(core)
    core.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=_timestamp)
    try:
        return boto3.Session(botocore_session=core, profile_name=profile)
    except botocore.exceptions.ProfileNotFound:
        raise ConfigError(
            f"the AWS profile {profile!r} was not found",
            "check `aws configure list-profiles`, or drop --profile",
        ) from None


@cache
def client(options: AwsOptions, service: str = "sagemaker", retry_mode: str | None = None, quick: bool = False) -> Any:
    """The boto3 client for `service`, created on first use and reused after.

    `retry_mode` changes the default (not an explicit AWS_RETRY_MODE): a fan-out asks
    for "adaptive", which also slows the sending rate when SageMaker throttles.
    `quick` is for Tab completion, where the user is waiting at the prompt: one attempt,
    QUICK_TIMEOUT seconds to connect and to read.
    """
    from botocore.config import Config
    from botocore.exceptions import InvalidRegionError

    session = _session(options.profile or os.environ.get("AWS_PROFILE") or None)
    region = resolve_region(options, session.region_name)
    if not region:
        raise ConfigError(
            "no AWS region is configured",
            "pass --region, or set AWS_REGION, or `aws configure set region ...`",
        )
    check_region(region, region_source(options))
    check_region_known(session, region, region_source(options))
    connect_timeout, read_timeout = (QUICK_TIMEOUT, QUICK_TIMEOUT) if quick else timeouts()
    if service == "sagemaker-runtime" and not quick and not os.environ.get("NEOCTL_READ_TIMEOUT"):
        read_timeout = max(read_timeout, INVOKE_READ_TIMEOUT)
    retries = {"mode": "standard", "total_max_attempts": 1} if quick else retry_config(retry_mode or DEFAULT_RETRY_MODE)
    endpoint = resolve_endpoint(options, service)
    check_endpoints(options)
    config = Config(
        region_name=region,
        retries=retries,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        user_agent_extra="neoctl",
        max_pool_connections=32,  # a fan-out sends from up to --concurrency threads
        s3=_s3_config(service, endpoint),
    )
    if options.debug:
        _register_credentials(session)
    try:
        made = session.client(service, config=config, endpoint_url=endpoint)
    except InvalidRegionError as exc:  # a ValueError too: tell them apart first
        raise ConfigError(f"the region {region!r} is not valid: {exc}", "e.g. --region us-east-1") from None
    except ValueError as exc:  # botocore's word for a malformed endpoint URL, e.g. one in ~/.aws/config
        from neoctl.errors import InvalidInput

        where = _endpoint_source(options, service) if endpoint else "the profile's endpoint_url"
        raise InvalidInput(
            f"{where}: the endpoint URL is not valid: {exc}",
            "e.g. --endpoint-url https://api.sagemaker.us-east-1.amazonaws.com",
        ) from None
    made.meta.events.register(f"after-call.{made.meta.service_model.endpoint_prefix}.*", _complete_response)
    made.meta.events.register("before-call", _note_change)
    return made


def check_endpoints(options: AwsOptions) -> None:
    """--endpoint-url and every AWS_ENDPOINT_URL* variable of a service neoctl calls, each
    refused (exit 252, naming it) when malformed. Called before a client is made, so a
    command stops before its first request, not between two services."""
    from neoctl.api.endpoint_url import check_endpoint_url, check_environment

    if options.endpoint_url is not None:
        check_endpoint_url(options.endpoint_url, "--endpoint-url")
    check_environment()


# Requests that may change something (anything but Describe/List/Get/Head), by operation,
# since forget_changes(): the CLI's edge reads them to say what a command did before it
# failed, and never to end with exit 2 ("nothing sent") once one went out.
_READ_ONLY = ("Describe", "List", "Get", "Head")
_changes: dict[str, int] = {}
_changes_lock = threading.Lock()


def _note_change(model: Any, **_: Any) -> None:
    # before-call: once per call (not per retry), before the request is sent, in the
    # calling thread (a fan-out sends from several).
    if not model.name.startswith(_READ_ONLY):
        with _changes_lock:
            _changes[model.name] = _changes.get(model.name, 0) + 1


def changes_sent() -> dict[str, int]:
    """The requests that may change something sent since forget_changes(), by operation."""
    with _changes_lock:
        return dict(_changes)


def forget_changes() -> None:
    """Start counting afresh (each command run, even several in one process)."""
    with _changes_lock:
        _changes.clear()


def _s3_config(service: str, endpoint: str | None) -> dict[str, Any] | None:
    """S3 over plain HTTP to this machine sends payloads unsigned, as S3 over HTTPS does.

    Over HTTPS botocore already skips the SHA-256 of upload bodies (TLS and the CRC32
    checksum protect them); over plain HTTP it hashes every byte once more to sign it,
    0.2-0.4 s per 256 MiB. On a loopback address (the local emulator) there is no
    network to protect, so uploads behave as they do against AWS. Plain HTTP to any
    other host keeps signed payloads: there a signature is all that stops tampering.
    """
    if service != "s3" or endpoint is None:
        return None
    return {"payload_signing_enabled": False} if is_loopback_http(endpoint) else None


def is_loopback_http(url: str) -> bool:
    """Whether `url` is plain http:// to localhost or a loopback address (127.0.0.0/8, ::1)."""
    import ipaddress
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme.lower() != "http" or not parts.hostname:
        return False
    if parts.hostname.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:  # a host name: it may resolve anywhere
        return False


def warm_up(options: AwsOptions, *services: str) -> Callable[[], None]:
    """Make these clients in a background thread; returns the function that waits for it.

    Importing boto3 and loading the service models takes ~0.4 s of CPU, which `create`
    spends while it hashes a local model (sha256 and file reads leave the GIL free).
    A failure is dropped here: the caller's own `client()` call, after the wait, raises it
    where it always did (clients are cached, errors are not).
    """
    import threading

    def make() -> None:
        for service in services:
            try:
                client(options, service)
            except Exception:  # raised again by the caller's own call
                return

    thread = threading.Thread(target=make, name="neoctl-warm-up", daemon=True)
    thread.start()
    return thread.join


def _endpoint_source(options: AwsOptions, service: str) -> str:
    if service == "sagemaker" and options.endpoint_url:
        return "--endpoint-url"
    specific = _variable(service)
    return specific if os.environ.get(specific) else "AWS_ENDPOINT_URL"


def _complete_response(http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
    # A connection cut mid-response can reach botocore as "200 with an empty body",
    # which it parses as {} without complaint: `list` would then report zero jobs.
    # (Only an empty answer is refused: the service omits some members the model
    # calls required, e.g. FailureReason of a running job.)
    shape = model.output_shape
    if shape is None or not 200 <= getattr(http_response, "status_code", 200) < 300:
        return
    missing = list(shape.required_members)
    if missing and not any(k != "ResponseMetadata" for k in parsed):
        from neoctl.errors import ConnectionFailure

        raise ConnectionFailure(
            f"{model.name}: the response was incomplete (no {', '.join(missing)}); the connection may have been cut",
            "run the command again; if it persists, check the endpoint and the network",
        )


def _register_credentials(session: boto3.Session) -> None:
    # Known values are masked wherever they turn up in the debug log.
    from neoctl.redact import register_secret

    creds = session.get_credentials()
    if creds is not None:
        frozen = creds.get_frozen_credentials()
        for value in (frozen.access_key, frozen.secret_key, frozen.token):
            register_secret(value)
