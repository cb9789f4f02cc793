"""Messages on stderr (warning, error, hint, message): wrapped between words on a terminal,
continuation lines under the text after the prefix; one line each when piped (grep)."""

from __future__ import annotations

import io
import re

import pytest

from neoctl.output.printer import Printer

URI = "s3://demo-models/compiled/a-very-long-prefix/" + "x" * 60 + "/model-ml_inf1.tar.gz"
LONG = (
    "FrameworkVersion 2.0 is newer than ml_inf1 supports (Neo compiles PyTorch 1.5 to 1.13 for Inferentia 1): "
    f"the job will fail with a ClientError after minutes in the queue; the model at {URI} must be traced "
    "with torch 1.13 or older, or compiled for ml_inf2 (Inferentia 2) or a GPU target such as ml_g4dn instead "
    "of ml_inf1, whose runtime neuron-rtd only loads models made by neuron-cc 1.x."
)


@pytest.fixture(autouse=True)
def eighty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize(
    ("say", "prefix"),
    [
        (lambda p, t: p.warning(t), "warning: "),
        (lambda p, t: p.error(t), "error: "),
        (lambda p, t: p.error("failed", t), "hint: "),
        (lambda p, t: p.message(t), ""),
    ],
)
def test_terminal_wraps_between_words_under_the_text(say, prefix: str) -> None:  # type: ignore[no-untyped-def]
    err = Terminal()
    say(Printer(stderr=err), LONG)
    text = re.sub(r"\x1b\[[0-9;]*m", "", err.getvalue())
    lines = [line.rstrip() for line in text.splitlines()]
    ours = lines[[line.startswith(prefix) for line in lines].index(True) :]
    assert len(ours) > 3
    assert ours[0].startswith(prefix)
    for line in ours[1:]:
        assert line.startswith(" " * len(prefix)) and line[len(prefix)] != " "
    for line in ours:
        assert len(line) <= 80 or line.strip() == URI  # only the URI is longer, alone on its line
    assert URI in [line.strip() for line in ours]
    assert _words(" ".join(line[len(prefix) :] for line in ours)) == _words(LONG)  # no word split or lost


def test_piped_messages_stay_one_line() -> None:
    err = io.StringIO()
    printer = Printer(stderr=err)
    printer.warning(LONG)
    printer.error(LONG, LONG)
    printer.message(LONG)
    assert err.getvalue().splitlines() == [f"warning: {LONG}", f"error: {LONG}", f"hint: {LONG}", LONG]
