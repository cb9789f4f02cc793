"""The one place exceptions become exit codes and one-line messages."""

from __future__ import annotations

import os
import traceback

from neoctl.cli import state
from neoctl.errors import (
    EXIT_INTERRUPTED,
    EXIT_OTHER,
    EXIT_TERMINATED,
    Interrupted,
    NeoctlError,
    OutputClosed,
    PreflightFailed,
    SpecError,
)


def handle(exc: BaseException) -> int:
    """Report `exc` on stderr and return the exit code for it."""
    from neoctl.cli.printer import printer

    out = printer()
    if state.debug_enabled():
        from neoctl.redact import redact

        out.raw_lines(redact("".join(traceback.format_exception(exc))).splitlines())
    if isinstance(exc, OutputClosed):
        # Python would complain again when it flushes stdout at exit: point it at nothing.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        return exc.exit_code
    if isinstance(exc, SpecError | PreflightFailed):
        details = exc.details if isinstance(exc, PreflightFailed) else [p.render() for p in exc.problems]
        out.raw_lines(details, prefix="error: ")
        out.error(exc.message, exc.hint)
        return exc.exit_code
    if isinstance(exc, NeoctlError):
        out.error(exc.message, exc.hint)
        # The cleanup paths raise Interrupted for Ctrl-C and SIGTERM alike; the exit code tells them apart.
        return EXIT_TERMINATED if isinstance(exc, Interrupted) and state.terminated() else exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        if state.terminated():
            out.error("terminated (SIGTERM)")
            return EXIT_TERMINATED
        out.error("interrupted")
        return EXIT_INTERRUPTED
    converted = _from_aws(exc) or _local_file(exc)
    if converted is not None:
        return handle(converted)
    from neoctl.redact import redact

    # Any text can be in an unexpected exception's message: a key or token among it.
    out.error(
        redact(f"unexpected error: {type(exc).__name__}: {exc}"),
        None if state.debug_enabled() else "run again with --debug to see the traceback",
    )
    return EXIT_OTHER


def _local_file(exc: BaseException) -> NeoctlError | None:
    # A file or folder on this machine (download --to a read-only folder, or onto a
    # file): the user's to fix, so 252 naming the path, not an "unexpected error".
    # Network errors are OSErrors too, but carry no file name.
    if not isinstance(exc, OSError) or isinstance(exc, ConnectionError | TimeoutError):
        return None
    if exc.filename is None or exc.errno is None:
        return None
    from neoctl.errors import InvalidInput

    where = str(exc.filename) + (f" -> {exc.filename2}" if exc.filename2 is not None else "")
    hint = _FILE_HINTS.get(type(exc), "check the path and its permissions")
    return InvalidInput(f"{where}: {exc.strerror or os.strerror(exc.errno)}", hint)


_FILE_HINTS: dict[type[OSError], str] = {
    PermissionError: "pick a folder you can write to, or change its permissions",
    IsADirectoryError: "name a file, not a folder",
    NotADirectoryError: "a part of the path is a file, not a folder: pick another path",
    FileExistsError: "remove it or pick another name",
    FileNotFoundError: "check the path",
}


def _from_aws(exc: BaseException) -> NeoctlError | None:
    # botocore is only imported when an AWS call was made, so this check is free otherwise.
    import sys

    if "botocore" not in sys.modules:
        return None
    from neoctl.api.errors import translate

    return translate(exc)
