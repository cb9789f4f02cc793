"""Typer commands: parse flags, call one function, hand the result to the printer."""

from neoctl import stdio

# Before anything opens a file: a descriptor the shell closed must not be reused (stdio.py).
stdio.guard()
