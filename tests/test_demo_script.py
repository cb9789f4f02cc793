"""scripts/demo.sh (`make demo`) says only what is true: no text in it runs by accident."""

from __future__ import annotations

import re
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "scripts" / "demo.sh"


def unquoted_heredocs(text: str) -> list[tuple[int, str]]:
    """(line, body) of each here-document whose delimiter is not quoted: the shell expands
    `$(...)`, backticks and $variables in those bodies."""
    lines = text.splitlines()
    found = []
    for number, line in enumerate(lines, 1):
        match = re.search(r"<<-?\s*([A-Za-z_]+)\s*$", line)
        if not match:
            continue
        end = match[1]
        body = []
        for following in lines[number:]:
            if following.strip() == end:
                break
            body.append(following)
        found.append((number, "\n".join(body)))
    return found


def test_no_command_substitution_hides_in_an_unquoted_heredoc() -> None:
    # A comment in the job spec's heredoc once held `neoctl validate` in backticks: the shell
    # ran it, and a successful demo printed "error: no job spec given".
    for line, body in unquoted_heredocs(DEMO.read_text(encoding="utf-8")):
        assert "`" not in body and "$(" not in body, f"scripts/demo.sh:{line}: quote the delimiter (<<'END')"


def test_the_check_finds_a_backtick_in_an_unquoted_heredoc() -> None:
    script = "cat <<SPEC\nkey: 1   # see `neoctl validate`\nSPEC\ncat <<'OK'\n`fine`\nOK\n"
    assert unquoted_heredocs(script) == [(1, "key: 1   # see `neoctl validate`")]
