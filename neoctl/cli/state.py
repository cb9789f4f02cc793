"""Process-wide CLI state that the error handler needs before a command returns."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neoctl.output import Printer

_debug = False
_terminated = False
# The printers of the AWS command now running (see options.aws_command), so that a --query
# that failed on a result can decide the exit code once the command has ended; None outside one.
_printers: list[Printer] | None = None


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


def begin_command() -> None:
    """An AWS command starts: the printers made from now on defer a failed --query to it."""
    global _printers
    _printers = []


def end_command() -> list[Printer]:
    """The command has ended (returned or raised): the printers it made, then forgotten."""
    global _printers
    made, _printers = _printers or [], None
    return made


def track(printer: Printer) -> bool:
    """Keep `printer` for the running AWS command; False when none is running."""
    if _printers is None:
        return False
    _printers.append(printer)
    return True
