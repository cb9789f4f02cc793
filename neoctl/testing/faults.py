"""Injected failures for reliability tests: throttling, 5xx errors and slow answers."""

from __future__ import annotations

import threading
from dataclasses import dataclass

THROTTLE = "throttle"
SLOW_PREFIX = "slow:"
# The request is carried out, then the answer is lost (an HTTP 500 instead): what a
# client sees when the network drops after SageMaker acted.
LOST = "lost"

# kind -> (HTTP status, error code, message); the codes are the ones SageMaker
# returns, so botocore's retry rules treat them as it would in production.
ERRORS: dict[str, tuple[int, str, str]] = {
    THROTTLE: (400, "ThrottlingException", "Rate exceeded"),
    "500": (500, "InternalFailure", "An internal error occurred (injected by the emulator)."),
    "503": (503, "ServiceUnavailable", "Service is unavailable (injected by the emulator)."),
    "limit": (
        400,
        "ResourceLimitExceeded",
        "The account-level service limit for concurrent compilation jobs was reached (injected).",
    ),
    LOST: (500, "InternalFailure", "The response was lost (injected by the emulator)."),
}


@dataclass(frozen=True)
class Fault:
    action: str | None
    kind: str

    @property
    def delay(self) -> float:
        return float(self.kind[len(SLOW_PREFIX) :]) if self.is_slow else 0.0

    @property
    def is_slow(self) -> bool:
        return self.kind.startswith(SLOW_PREFIX)


def validate_kind(kind: str) -> str:
    if kind in ERRORS:
        return kind
    if kind.startswith(SLOW_PREFIX):
        try:
            seconds = float(kind[len(SLOW_PREFIX) :])
        except ValueError:
            seconds = -1.0
        if seconds >= 0:
            return kind
    raise ValueError(f"unknown fault kind {kind!r}: use 'throttle', '500', '503', 'limit', 'lost' or 'slow:<seconds>'")


@dataclass
class _Pending:
    fault: Fault
    left: int


class FaultPlan:
    """Faults waiting to hit requests; each matching request uses up one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[_Pending] = []

    def add(self, action: str | None, kind: str, count: int) -> None:
        if count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        fault = Fault(action=action, kind=validate_kind(kind))
        with self._lock:
            self._pending.append(_Pending(fault, count))

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def remaining(self) -> int:
        with self._lock:
            return sum(entry.left for entry in self._pending)

    def take(self, action: str) -> Fault | None:
        """The first pending fault for `action` (in the order they were added), used up."""
        with self._lock:
            for entry in self._pending:
                if entry.fault.action in (None, action):
                    entry.left -= 1
                    if entry.left == 0:
                        self._pending.remove(entry)
                    return entry.fault
        return None
