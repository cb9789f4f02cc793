"""Progress bars on a terminal, read back as a terminal shows them (neoctl.output.progress).

A bar is drawn and redrawn in place with cursor moves; what the user sees depends on what
the terminal does with them and with what it echoes itself (`^C`). `_Screen` replays the
bytes Rich wrote, plus that echo, the way an 80-column terminal (xterm, tmux) lays them out.
"""

from __future__ import annotations

import io
import re
import time
from types import SimpleNamespace

import pytest
from rich.console import Console

from neoctl.output.progress import CountProgress
from neoctl.output.transfer import TransferProgress

WIDTH = 80
_CSI = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")


class _Screen:
    """The few things a terminal does that a Rich progress bar relies on."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[list[str]] = [[]]
        self.row = 0
        self.col = 0
        self.wrap_pending = False  # the cursor sits past the last column until the next character

    def feed(self, text: str) -> None:
        at = 0
        while at < len(text):
            csi = _CSI.match(text, at)
            if csi:
                self._control(csi[1], csi[2])
                at = csi.end()
                continue
            char = text[at]
            at += 1
            if char == "\r":
                self.col, self.wrap_pending = 0, False
            elif char == "\n":  # the tty's onlcr: a newline returns the carriage too
                self._down()
                self.col, self.wrap_pending = 0, False
            elif char >= " ":
                self._put(char)

    def _put(self, char: str) -> None:
        if self.wrap_pending:
            self._down()
            self.col, self.wrap_pending = 0, False
        line = self.rows[self.row]
        line.extend(" " * (self.col + 1 - len(line)))
        line[self.col] = char
        if self.col == self.width - 1:
            self.wrap_pending = True
        else:
            self.col += 1

    def _down(self) -> None:
        self.row += 1
        if self.row == len(self.rows):
            self.rows.append([])

    def _control(self, params: str, final: str) -> None:
        if final == "A":  # cursor up
            self.row = max(0, self.row - int(params or 1))
            self.wrap_pending = False
        elif final == "K" and params == "2":  # erase the whole line
            self.rows[self.row] = []
        elif final == "G":  # cursor to a column
            self.col, self.wrap_pending = int(params or 1) - 1, False
        # colours, cursor show/hide: nothing to lay out

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.rows]


def _terminal() -> tuple[SimpleNamespace, io.StringIO]:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=WIDTH, color_system=None, highlight=False)
    return SimpleNamespace(err_console=console), stream


@pytest.mark.parametrize("echo", ["^C", ""], ids=["ctrl-c-echoed", "sigterm-no-echo"])
def test_an_interrupted_transfer_bar_is_shown_once_at_80_columns(echo: str) -> None:
    printer, stream = _terminal()
    label = "packing and uploading examples/local-model"
    with pytest.raises(KeyboardInterrupt), TransferProgress(printer, label, "done") as progress:  # type: ignore[arg-type]
        progress.start(300_000_000)
        progress.advance(300_000_000)
        assert progress._bar is not None
        progress._bar.refresh()
        time.sleep(0.05)
        stream.write(echo)  # what the terminal itself prints when Ctrl-C is pressed
        raise KeyboardInterrupt
    screen = _Screen(WIDTH)
    screen.feed(stream.getvalue())
    shown = [line for line in screen.lines() if line.startswith("packing and uploading")]
    assert len(shown) == 1, screen.lines()
    assert "300.0/300.0 MB" in shown[0]  # the numbers whole; a long label gives way (…)
    assert all(len(line) <= WIDTH - 2 for line in screen.lines())


def test_a_count_bar_leaves_nothing_once_interrupted() -> None:
    printer, stream = _terminal()
    with pytest.raises(KeyboardInterrupt), CountProgress(printer, "Stopping " + "x" * 70, 200) as count:  # type: ignore[arg-type]
        count.advance()
        assert count._bar is not None
        count._bar.refresh()
        stream.write("^C")
        raise KeyboardInterrupt
    screen = _Screen(WIDTH)
    screen.feed(stream.getvalue())
    assert not any("Stopping" in line for line in screen.lines()), screen.lines()
