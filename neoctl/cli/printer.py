"""The one printer of a command, made from its -o/--query flags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from neoctl.cli import state
from neoctl.cli.options import OutputFormat

if TYPE_CHECKING:
    from neoctl.output import Printer


def printer(output: OutputFormat | str = OutputFormat.table, query: str | None = None) -> Printer:
    """The one printer of this command. Every command makes it first, so a bad --query
    is refused here, before any request is sent; one that fails on a result is QueryFailed
    (exit 255), never a usage error, since by then the command may have changed something."""
    from neoctl.output import Printer

    if query:
        from neoctl.output.printer import compile_query

        compile_query(query)
    fmt = output.value if isinstance(output, OutputFormat) else output
    made = Printer(fmt, query)
    # In an AWS command, a --query that fails on a result lets the command go on (its wait,
    # its own exit code); options.aws_command turns the failure into exit 255 at the end.
    made.defer_query_failure = bool(query) and state.track(made)
    return made
