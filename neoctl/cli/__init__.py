"""Typer commands: parse flags, call one function, hand the result to the printer."""
