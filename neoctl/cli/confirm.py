"""Asking before a change: on a terminal only; off one, --yes is required instead."""

from __future__ import annotations


def _interactive() -> bool:
    import sys

    # A closed stdin (`<&-`) leaves sys.stdin None: nobody to ask there either.
    return sys.stdin is not None and sys.stdin.isatty()


def require_yes(command: str, yes: bool, *, dry_run: bool = False) -> None:
    """Refuse a change off a terminal without --yes (exit 2), before anything is looked up
    or sent: a script or CI job that forgot --yes must not change production, and must
    learn so on its first run whatever the state of the jobs or endpoint (hence before
    the look-ups that could find nothing to change). As apt-get, terraform apply and
    npm init do: asking is for terminals, scripts say yes explicitly."""
    if yes or dry_run or _interactive():
        return
    from neoctl.errors import UsageError

    hint = "add --yes (-y) to go ahead without asking"
    raise UsageError(
        f"{command} changes AWS resources and stdin is not a terminal to ask for confirmation on",
        f"{hint}, or --dry-run to see what it would do" if command != "stop" else hint,
    )


def confirm(question: str, yes: bool) -> None:
    """Ask on a terminal unless --yes. Off a terminal, require_yes has already refused a
    command without --yes; this returns so that a Python caller is never blocked on input."""
    if yes or not _interactive():
        return
    import typer

    from neoctl.errors import Interrupted

    try:
        answer = typer.confirm(question, default=False, err=True)
    except (typer.Abort, EOFError):  # Ctrl-C or Ctrl-D at the prompt
        answer = False
    if not answer:
        raise Interrupted("cancelled; nothing was changed")
