"""Glue every command shares: the printer, loading a batch, reporting its warnings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from neoctl.api.session import AwsOptions
from neoctl.cli.options import OutputFormat

if TYPE_CHECKING:
    from rich.console import RenderableType

    from neoctl.jobs.wait import WaitResult
    from neoctl.output import Printer
    from neoctl.spec.batch import Batch

    View = Callable[[Any], RenderableType]

Result = TypeVar("Result")


def printer(output: OutputFormat | str = OutputFormat.table, query: str | None = None) -> Printer:
    """The one printer of this command. Every command makes it first, so a bad --query
    is refused here, before any request is sent."""
    from neoctl.output import Printer

    if query:
        from neoctl.output.printer import compile_query

        compile_query(query)
    fmt = output.value if isinstance(output, OutputFormat) else output
    return Printer(fmt, query)


def load_jobs(files: list[str], out: Printer, strict: bool = False) -> Batch:
    """Validate the whole batch (SpecError if anything is wrong); print its warnings,
    or with `strict` refuse them as errors. Local models are listed, not read: see
    hash_models."""
    from neoctl.errors import SpecError, UsageError
    from neoctl.output.transfer import archive_reading
    from neoctl.spec.batch import load_batch

    if not files:
        raise UsageError("no job spec given", "pass one or more with -f FILE (see examples/)")
    if files.count("-") > 1:
        # The second read of stdin would be empty: one spec would silently vanish.
        raise UsageError("-f - is given more than once: standard input can be read only once, pass it once")
    batch = load_batch(files, hash_models=False, reading=archive_reading(out))
    if strict and batch.warnings:
        raise SpecError(problems=batch.warnings)
    for warning in batch.warnings:
        out.warning(warning.render())
    return batch


def hash_models(out: Printer, batch: Batch, options: AwsOptions | None = None, *services: str) -> None:
    """Hash the batch's local models (progress on stderr) so requests carry their S3 URIs.

    With `options`, the clients of `services` are made in a background thread meanwhile
    (api.session.warm_up): the two overlap on two cores instead of one waiting for the other.
    """
    from neoctl.models.upload import hash_upload

    if options is None or not batch.uploads():
        batch.hash_models(lambda upload: hash_upload(upload, out))
        return
    from neoctl.api.session import warm_up

    ready = warm_up(options, *services)
    batch.hash_models(lambda upload: hash_upload(upload, out))
    ready()


def preflight(out: Printer, options: AwsOptions, batch: Batch, strict: bool) -> None:
    """The online checks before anything is sent; their warnings printed (errors raise)."""
    from neoctl.jobs.preflight import check_batch

    for finding in check_batch(options, batch, strict=strict):
        out.warning(finding.render())


def confirm(question: str, yes: bool) -> None:
    """Ask on a terminal; never ask when stdin is not one (scripts, CI) or with --yes."""
    import sys

    if yes or not sys.stdin.isatty():
        return
    import typer

    from neoctl.errors import Interrupted

    try:
        answer = typer.confirm(question, default=False, err=True)
    except (typer.Abort, EOFError):  # Ctrl-C or Ctrl-D at the prompt
        answer = False
    if not answer:
        raise Interrupted("cancelled; nothing was changed")


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


def warn_unredirected(out: Printer, endpoint_url: str | None, *services: str) -> None:
    """--endpoint-url names SageMaker's endpoint only: say so when this command also calls
    S3 or CloudWatch Logs and nothing redirects those (they would go to AWS itself)."""
    import os

    if not endpoint_url or os.environ.get("AWS_ENDPOINT_URL"):
        return
    missing = [s for s in services if not os.environ.get(f"AWS_ENDPOINT_URL_{s.upper()}")]
    if missing:
        names = ", ".join(f"AWS_ENDPOINT_URL_{s.upper()}" for s in missing)
        out.warning(
            f"--endpoint-url applies to SageMaker only; {' and '.join(missing)} requests go to AWS "
            f"unless {names} or AWS_ENDPOINT_URL is set"
        )


def report_wait(out: Printer, result: WaitResult) -> None:
    """Print how a wait ended (one result, one JSON document), then exit 1/124 if it did not end well."""
    from neoctl.output.waiting import outcome_view

    out.data(result.rows, outcome_view)
    result.check()
