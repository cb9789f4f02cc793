"""`python -m neoctl` runs the CLI."""

from neoctl.cli.main import run

run()
