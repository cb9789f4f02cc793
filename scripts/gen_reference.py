"""Write docs/cli-reference.md from the app itself (`make reference`).

`--check` writes nothing and exits 1 when the file is missing or differs from what the
app prints now, which is what the test runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from neoctl.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "cli-reference.md"
WIDTH = 90  # fixed, so the file does not depend on the terminal that ran `make reference`


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
    """The whole file: a title, then `neoctl --help`, then each command's --help."""
    runner = CliRunner()
    parts = [
        "# Command reference",
        "",
        "Generated from the app by `make reference` (scripts/gen_reference.py); do not edit it by hand.",
        "A test fails when it is stale. Options and environment variables every AWS command reads:",
        "[configuration.md](configuration.md); job specs: [specs.md](specs.md);",
        "exit codes: [README](../README.md#exit-codes).",
        "",
    ]
    for words in [[], *command_paths()]:
        result = runner.invoke(
            app, [*words, "--help"], prog_name="neoctl", env={"COLUMNS": str(WIDTH)}, terminal_width=WIDTH
        )
        if result.exit_code != 0:
            raise SystemExit(f"`neoctl {' '.join(words)} --help` failed: {result.output}")
        title = " ".join(["neoctl", *words])
        parts += [f"## `{title}`", "", "```text", result.output.rstrip(), "```", ""]
    return "\n".join(parts)


def main() -> int:
    fresh = reference()
    if "--check" in sys.argv:
        current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else None
        if current == fresh:
            return 0
        sys.stderr.write(f"{REFERENCE.relative_to(ROOT)} is stale: run `make reference`\n")
        return 1
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
