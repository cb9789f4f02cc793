"""The floor of any Typer CLI: an app with neoctl's settings and trivial commands.

`python bench/bare_typer.py --help` is what `neoctl --help` is compared with, and
`python bench/bare_typer.py list -o json` (the options of `neoctl list`, no work) what
any neoctl command pays to Typer before it starts: whatever neoctl costs above these is
neoctl's own.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

app = typer.Typer(
    name="bare",
    help="A bare Typer app.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.command()
def hello(name: str = typer.Argument("world", help="Who to greet.")) -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


@app.command()
def bye(name: str = typer.Option("world", help="Who to see off.")) -> None:
    """Say goodbye."""
    typer.echo(f"bye {name}")


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"


Text = Annotated[str | None, typer.Option(help="A text option.")]


@app.command("list")
def list_(
    status: Text = None,
    name_contains: Text = None,
    created_after: Text = None,
    created_before: Text = None,
    modified_after: Text = None,
    modified_before: Text = None,
    sort_by: Text = None,
    sort_order: Text = None,
    max_items: Annotated[int | None, typer.Option(min=1, help="A number.")] = None,
    page_size: Annotated[int | None, typer.Option(help="A number.")] = None,
    starting_token: Text = None,
    output: Annotated[OutputFormat, typer.Option("--output", "-o", help="Format.")] = OutputFormat.table,
    query: Text = None,
    profile: Text = None,
    region: Text = None,
    endpoint_url: Text = None,
    debug: Annotated[bool, typer.Option("--debug", help="A flag.")] = False,
) -> None:
    """The options of `neoctl list`, and no work."""
    typer.echo("[]")


if __name__ == "__main__":
    app(prog_name="bare")
