"""The root app: composes the command modules and maps errors to exit codes."""

from __future__ import annotations

import gc
import sys
from typing import Annotated

import typer

from neoctl.cli import create, deploy, download, endpoint, invoke, jobs, specs, trials

app = typer.Typer(
    name="neoctl",
    help="Validated SageMaker Neo compilation jobs and endpoint updates.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _alias_help(command: str, function: object) -> str:
    """The help of an alias: what it is an alias of, then that command's own help (its
    purpose and examples), so `--help` of either shows how to use it."""
    import inspect

    own = inspect.cleandoc(getattr(function, "__doc__", None) or "")
    return f"Alias of `neoctl {command}` (the AWS CLI's name).\n\n{own}"


def _version(value: bool) -> None:
    if value:
        from neoctl import __version__
        from neoctl.apimodel import botocore_version
        from neoctl.cli.printer import printer

        printer().text(f"neoctl {__version__} (validates against the botocore {botocore_version()} SageMaker model)")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print neoctl's and botocore's versions.", callback=_version, is_eager=True),
    ] = False,
) -> None:
    """Validated SageMaker Neo compilation jobs and endpoint updates.

    Start with `neoctl validate -f job.yaml`, then `neoctl create -f job.yaml --dry-run`.
    """


app.command("validate")(specs.validate)
app.command("create")(create.create)
app.command("describe")(jobs.describe)
app.command("list")(jobs.list_)
app.command("stop")(jobs.stop)
app.command("wait")(jobs.wait)
app.command("logs")(jobs.logs)
app.command("download")(download.download)
app.command("trials")(trials.trials)
app.command("deploy")(deploy.deploy)
endpoint.app.command("invoke")(invoke.invoke)
endpoint.app.command("logs")(invoke.logs)
app.add_typer(endpoint.app, name="endpoint")
app.command("devices")(specs.devices)
app.command("schema")(specs.schema)
# `endpoint update` is the command; this is the AWS CLI's name for it, kept for muscle
# memory: the same function (so the same flags and behaviour), listed last as an alias.
app.command("update-endpoint", help=_alias_help("endpoint update", endpoint.update))(endpoint.update)


# Start-up parses botocore's JSON models into tens of thousands of dicts and lists; at
# Python's default first threshold (700 new containers) the collector runs ~150 times
# doing it, rescanning the growing heap: ~0.1 s of a 0.7 s `describe` on the project
# machine (bench/RESULTS.md). Refcounting still frees everything that is not a cycle at
# once; cycles wait for 50,000 new containers instead of 700.
GC_FIRST_THRESHOLD = 50_000


def run() -> None:
    """Console-script entry point: run the app, turn any error into an exit code."""
    threshold = gc.get_threshold()
    gc.set_threshold(GC_FIRST_THRESHOLD, *threshold[1:])
    try:
        _run()
    finally:
        # Interpreter teardown garbage-collects every object left, botocore's models and
        # all, several times over: ~0.3 s after the last byte of every AWS command on the
        # project machine (bench/RESULTS.md). Frozen objects are skipped by those passes;
        # they are freed all the same when the process ends.
        gc.freeze()
        gc.set_threshold(*threshold)  # as it was, for a caller that goes on (tests)


def _run() -> None:
    from neoctl import stdio
    from neoctl.cli import state
    from neoctl.cli.errors import handle
    from neoctl.errors import EXIT_INTERRUPTED, Terminated

    stdio.guard()  # before anything opens a file: a descriptor the shell closed is not reused
    state.on_sigterm()  # `timeout`, CI runners and `docker stop` clean up as Ctrl-C does
    try:
        app(prog_name="neoctl")
    except BaseException as exc:
        if isinstance(exc, SystemExit):
            # Typer turns a KeyboardInterrupt no command caught into a silent exit 130.
            if state.terminated() and exc.code == EXIT_INTERRUPTED:
                sys.exit(handle(Terminated()))
            raise
        sys.exit(handle(exc))
