"""The only code that prints: data to stdout, messages and progress to stderr."""

from neoctl.output.printer import Printer, to_jsonable

__all__ = ["Printer", "to_jsonable"]
