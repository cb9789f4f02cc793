"""The one printer of a command, made from its -o/--query flags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from neoctl.cli.options import OutputFormat

if TYPE_CHECKING:
    from neoctl.output import Printer


def printer(output: OutputFormat | str = OutputFormat.table, query: str | None = None) -> Printer:
    """The one printer of this command. Every command makes it first, so a bad --query
    is refused here, before any request is sent."""
    from neoctl.output import Printer

    if query:
        from neoctl.output.printer import compile_query

        compile_query(query)
    fmt = output.value if isinstance(output, OutputFormat) else output
    return Printer(fmt, query)
