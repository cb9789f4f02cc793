"""Write the README's command reference from the app itself (`make reference`).

`--check` exits 1 when the README differs, which is what the test runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from neoctl.cli.main import app

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- reference:start -->", "<!-- reference:end -->"


def command_paths() -> list[list[str]]:
    """Every leaf command as its words, in the order `neoctl --help` lists them."""
    paths: list[list[str]] = []

    def walk(cmd: object, prefix: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if not subs:
            paths.append(prefix)
            return
        for name, sub in subs.items():
            walk(sub, [*prefix, name])

    walk(get_command(app), [])
    return paths


def reference() -> str:
    """The reference section: `neoctl --help`, then each command's --help."""
    runner = CliRunner()
    parts = [START, "", "Generated from the app by `make reference`; a test fails when it is stale.", ""]
    for words in [[], *command_paths()]:
        result = runner.invoke(app, [*words, "--help"], prog_name="neoctl", env={"COLUMNS": "90"},
                               terminal_width=90)
        title = " ".join(["neoctl", *words])
        parts += [f"### `{title}`", "", "```text", result.output.rstrip(), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def updated(text: str) -> str:
    """The README text with a fresh reference section."""
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return head + reference() + tail


def main() -> int:
    text = README.read_text(encoding="utf-8")
    fresh = updated(text)
    if "--check" in sys.argv:
        return 0 if fresh == text else 1
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
