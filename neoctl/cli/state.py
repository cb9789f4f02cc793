"""Process-wide CLI state that the error handler needs before a command returns."""

from __future__ import annotations

import logging

_debug = False
_terminated = False


def enable_debug() -> None:
    """Turn on tracebacks and botocore's (redacted) wire log for this process."""
    global _debug
    _debug = True
    from neoctl.redact import install_redacting_log_handler

    install_redacting_log_handler(logging.DEBUG)


def debug_enabled() -> bool:
    """Whether --debug was given."""
    return _debug


def on_sigterm() -> None:
    """Treat SIGTERM as Ctrl-C: raise Terminated (a KeyboardInterrupt) in the main thread,
    once; a second SIGTERM during the cleanup is ignored so the cleanup can finish."""
    import signal
    from types import FrameType

    from neoctl.errors import Terminated

    def handler(signum: int, frame: FrameType | None) -> None:
        global _terminated
        if _terminated:
            return
        _terminated = True
        raise Terminated()

    signal.signal(signal.SIGTERM, handler)


def terminated() -> bool:
    """Whether a SIGTERM was received: an interruption then ends with 143, not 130."""
    return _terminated
