"""How a wait on compilation jobs ended: printed, then turned into the exit code."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neoctl.jobs.wait import WaitResult
    from neoctl.output import Printer


def report_wait(out: Printer, result: WaitResult) -> None:
    """Print how a wait ended (one result, one JSON document), then exit 1/124 if it did not end well."""
    from neoctl.output.waiting import outcome_view

    out.data(result.rows, outcome_view)
    result.check()
