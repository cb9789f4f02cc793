"""Container log lines of emulated endpoints, where SageMaker keeps them: the CloudWatch
Logs group /aws/sagemaker/Endpoints/<endpoint>, one stream per variant and instance,
named <variant>/<instance-id> (as in the logs users post, e.g. AllTraffic/i-03af43d35aa1655b6).

The lines themselves are the emulator's: a model server starting, answering /ping and
/invocations, failing in the ways the failure tags name, and stopping.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from moto.logs.models import logs_backends

from neoctl.testing.clock import epoch_millis

log = logging.getLogger(__name__)

LOG_GROUP_PREFIX = "/aws/sagemaker/Endpoints/"


@dataclass(frozen=True)
class LogEvent:
    """Lines one instance writes at one instant."""

    at: datetime  # naive UTC, as moto keeps time
    stream: str
    lines: tuple[str, ...]


def log_group(endpoint_name: str) -> str:
    return f"{LOG_GROUP_PREFIX}{endpoint_name}"


def instance_ids(seed: str, count: int) -> list[str]:
    """`count` EC2-style instance ids (i- and 17 hex digits), stable for a seed."""
    return [f"i-{hashlib.sha256(f'{seed}#{index}'.encode()).hexdigest()[:17]}" for index in range(count)]


def stream_name(variant: str, instance: str) -> str:
    return f"{variant}/{instance}"


def startup_lines(image: str, instance_type: str, variant: str, config: str) -> tuple[str, ...]:
    return (
        f"Starting the inference container {image} on {instance_type} (variant {variant}, endpoint config {config}).",
        "Loading the model from /opt/ml/model.",
        "Model server started; listening on port 8080.",
        '"GET /ping HTTP/1.1" 200 0',
    )


SHUTDOWN_LINES = ("Received SIGTERM: the instance is being terminated; stopping the model server.",)


def write(region: str, account: str, endpoint_name: str, events: Iterable[LogEvent]) -> None:
    """Append the events to their streams (created as needed); errors are logged, never raised."""
    group = log_group(endpoint_name)
    try:
        backend = logs_backends[account][region]
        if group not in backend.groups:
            backend.create_log_group(group, {})
        by_stream: dict[str, list[dict[str, object]]] = {}
        for event in events:
            stamp = epoch_millis(event.at)
            by_stream.setdefault(event.stream, []).extend({"timestamp": stamp, "message": line} for line in event.lines)
        for stream, rows in by_stream.items():
            if stream not in backend.groups[group].streams:
                backend.create_log_stream(group, stream)
            if rows:
                backend.put_log_events(group, stream, rows)
    except Exception:  # logs are a convenience; the endpoint itself must keep working
        log.warning("could not write emulated logs for endpoint %s", endpoint_name, exc_info=True)
