"""Process-wide CLI state that the error handler needs before a command returns."""

from __future__ import annotations

import logging

_debug = False


def enable_debug() -> None:
    """Turn on tracebacks and botocore's (redacted) wire log for this process."""
    global _debug
    _debug = True
    from neoctl.redact import install_redacting_log_handler

    install_redacting_log_handler(logging.DEBUG)


def debug_enabled() -> bool:
    """Whether --debug was given."""
    return _debug
