"""The flow of a command that changes something after showing it: plan, confirm, apply, wait."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from neoctl.cli.confirm import confirm

if TYPE_CHECKING:
    from rich.console import RenderableType

    from neoctl.output import Printer

    View = Callable[[Any], RenderableType]

Result = TypeVar("Result")


def run_change(
    out: Printer,
    plan: dict[str, Any],
    view: View,
    question: str,
    *,
    yes: bool,
    dry_run: bool,
    apply: Callable[[], Result],
    result_view: View,
    started: Callable[[Result], str | None],
    wait: Callable[[Result], Any] | None,
    waited_view: View | None = None,
    unchanged: str | None = None,
) -> None:
    """The flow of a command that changes something after showing it (deploy, endpoint
    update and rollback), so that each of them behaves the same way.

    Prints the plan's "Warnings"; with `dry_run` prints the plan (`view`) and stops. Otherwise,
    on a terminal and without `yes`, shows the plan and asks `question` (no answer: exit 130,
    nothing sent) — unless `unchanged` says why there is nothing to change, which is printed
    instead. Then `apply()`; without `wait` its result is printed with `result_view`; with it,
    `started(result)` is said (when not None), then what `wait(result)` returns is printed
    with `waited_view` (default: `result_view`).
    """
    import sys

    for warning in plan["Warnings"]:
        out.warning(warning)
    if dry_run:
        out.data(plan, view)
        out.message("dry run: nothing was sent")
        return
    if unchanged:
        out.message(unchanged)
    else:
        if not yes and sys.stdin.isatty():
            out.aside(view(plan))
        confirm(question, yes)
    result = apply()
    if wait is None:
        out.data(result, result_view)
        return
    message = started(result)
    if message is not None:
        out.message(message)
    out.data(wait(result), waited_view or result_view)
