"""`neoctl endpoint logs`: an endpoint's container logs, every instance interleaved by time,
optionally followed until Ctrl-C.

SageMaker writes each instance's output to the endpoint's CloudWatch Logs group
/aws/sagemaker/Endpoints/<endpoint>, one stream per variant and instance
(`<variant>/<instance id>`); `--variant` reads the streams of one variant.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from neoctl.errors import Interrupted, ServiceError

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions

DEFAULT_SINCE = "10m"  # as `aws logs tail`
# CloudWatch may store an event a little after its timestamp: each read while following
# starts this far before the newest event seen, and what was already printed is skipped.
LOOKBACK_MS = 60_000
STOPPED = "stopped following the logs of endpoint {endpoint}; nothing was changed"


def check_values(endpoint: str, variant: str | None, since: str | None) -> int:
    """Every value judged before anything is sent (InvalidInput, 252, naming the flag): the
    endpoint's name and the variant's by their SageMaker rules, --since as a time or an age.
    Returns --since (default 10m) as epoch milliseconds."""
    from neoctl.apimodel.inputs import check_inputs
    from neoctl.apimodel.requests import EACH, check_values
    from neoctl.flags import timestamp

    check_inputs("endpoint logs", {"ENDPOINT": endpoint})
    if variant is not None:
        check_values("CreateEndpointConfig", [(("ProductionVariants", EACH, "VariantName"), "--variant", variant)])
    start = timestamp(since or DEFAULT_SINCE, "--since")
    return int(start.timestamp() * 1000)


def endpoint_log_events(
    options: AwsOptions,
    endpoint: str,
    variant: str | None = None,
    since: str | None = None,
    follow: bool = False,
    poll: float = 5.0,
    tail: int | None = None,
) -> Iterator[dict[str, Any]]:
    """The endpoint's log events since `since` (an ISO 8601 time or an age; default 10m),
    oldest first, each with its logStreamName; with `follow`, keep reading every `poll`
    seconds until Ctrl-C (Interrupted, exit 130: nothing was changed). `tail`: of the
    events already written, only the last `tail` (with `follow`, then every new one).

    ServiceError (254) when there is neither a log group nor an endpoint of that name."""
    from neoctl.api.endpoint_logs import events

    start_ms = check_values(endpoint, variant, since)
    prefix = f"{variant}/" if variant else None
    seen: dict[str, int] = {}  # event id → timestamp, for the events a re-read may return
    newest: int | None = None
    checked = read = False
    try:
        while True:
            since_ms = start_ms if newest is None else max(start_ms, newest - LOOKBACK_MS)
            found = events(options, endpoint, prefix, since_ms)
            if found is None and not checked:
                _exists(options, endpoint)
                checked = True
            fresh = []
            for event in found or []:
                key = str(
                    event.get("eventId") or (event.get("logStreamName"), event.get("timestamp"), event.get("message"))
                )
                if key in seen:
                    continue
                stamp = int(event.get("timestamp") or 0)
                seen[key] = stamp
                newest = stamp if newest is None else max(newest, stamp)
                fresh.append(event)
            if tail is not None and not read:  # --tail: of what was written before, the last N
                fresh = fresh[-tail:]
            read = True
            yield from fresh
            if not follow:
                return
            if newest is not None:  # forget what no later read can return
                seen = {k: t for k, t in seen.items() if t >= newest - LOOKBACK_MS}
            time.sleep(poll)
    except KeyboardInterrupt:
        raise Interrupted(STOPPED.format(endpoint=endpoint)) from None


def _exists(options: AwsOptions, endpoint: str) -> None:
    from neoctl.api.endpoints import find_endpoint

    if find_endpoint(options, endpoint) is None:
        raise ServiceError(
            f"there is no endpoint {endpoint} and no log group /aws/sagemaker/Endpoints/{endpoint}",
            "list endpoints with `neoctl endpoint list`",
            operation="DescribeEndpoint",
            code="ValidationException",
        )


def last_lines(
    options: AwsOptions, endpoint: str, since: dt.datetime | None = None, count: int = 10
) -> tuple[list[str], list[str]]:
    """(the last `count` lines of the endpoint's log since `since`, each as "<stream> <message>";
    every message read, for matching a hint). Empty when there is no log group."""
    from neoctl.api.endpoint_logs import events

    start_ms = int(since.timestamp() * 1000) if since is not None else None
    found = events(options, endpoint, None, start_ms) or []
    messages = [str(e.get("message", "")).rstrip("\n") for e in found]
    shown = [f"{e.get('logStreamName', '')} {m}" for e, m in zip(found, messages, strict=True)]
    return shown[-count:], messages
