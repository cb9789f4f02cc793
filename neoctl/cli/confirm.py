"""Asking before a change, on a terminal only."""

from __future__ import annotations


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
