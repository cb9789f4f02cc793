"""Process-wide pieces shared by the emulator's patched handlers.

moto keeps every backend in module globals, so the emulator's extra state
(lifecycle plans, pending endpoint updates) is process-global too and is
guarded by one lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

# Re-entrant because handlers that hold it call helpers that take it again.
STATE_LOCK = threading.RLock()


@dataclass(frozen=True)
class EmulatorSettings:
    """Timings of the emulator that is serving the current request."""

    job_seconds: float = 3.0
    transition_seconds: float = 1.0
    # Multiplies every wait a DeploymentConfig asks for (bakes, termination waits, the
    # execution timeout): at 0.01 a 600 s bake lasts 6 s.
    deployment_time_scale: float = 0.01


# A context variable rather than a module global so that two emulators in one
# process each apply their own timings to the requests they serve.
_current: ContextVar[EmulatorSettings | None] = ContextVar("neoctl_emulator_settings", default=None)
_DEFAULT_SETTINGS = EmulatorSettings()


def current_settings() -> EmulatorSettings:
    return _current.get() or _DEFAULT_SETTINGS


def serving_emulator() -> bool:
    """True while handling a request that arrived through an Emulator's server;
    False for moto used in-process (mock_aws), which must keep stock behaviour."""
    return _current.get() is not None


@contextmanager
def using_settings(settings: EmulatorSettings) -> Iterator[None]:
    token = _current.set(settings)
    try:
        yield
    finally:
        _current.reset(token)
