"""Log events as `logs` and `endpoint logs` print them, in every output format."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neoctl.output.printer import Printer


def print_log_events(
    out: Printer,
    events: Iterable[dict[str, Any]],
    line: Callable[[dict[str, Any]], str],
    *,
    follow: bool,
    query: str | None,
) -> int:
    """Print `events` as they come: a `line` each (table output, no --query); with -o
    json/yaml one document of them all at the end, or with --follow one document per
    event as it comes (JSON Lines; --query is refused with --follow). How many there were."""
    from neoctl.output.jobs import log_document, log_record

    lines = out.output == "table" and not query
    records: list[dict[str, object]] = []  # for one document at the end (not when following)
    seen = 0
    for event in events:
        seen += 1
        if lines:
            out.text(line(event))
        elif follow:
            out.text(log_document(event, out.output))
        else:
            records.append(log_record(event))
    if not (lines or follow):
        out.data(records)
    return seen
