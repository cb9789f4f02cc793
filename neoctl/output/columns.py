"""Tables and lines that never break identifiers, whatever the terminal width.

Job names, endpoint names, ARNs and S3 URIs are what people copy into the next command,
so they are never cut with "…" nor folded at an arbitrary cell. When a table is too wide
for the terminal, prose columns wrap between words first; then the less important columns
give way, least important first, each shrinking to its floor (cut with "…") and then
dropped; a column that gave way is named on stderr (see `FittedTable.asides`). Then the
columns marked `refs` move their long words (a capture URI in the update preview) under
the table as "[1] s3://…", whole; then the columns marked `breaks` (the deploy plan's
model names) fold their long names after a boundary ("-", "/", ":", ...), each piece on
a line of its own in the same cell, so the table still fits. Other identifiers are never
folded: if they alone are wider than the terminal, the table is printed wider than the
terminal (the printer does not crop tables): a long line the terminal wraps on screen
still copies and greps whole, a broken one does not.

Prose (reasons, messages) wraps between words; a word inside it (an S3 URI in a failure
reason) is never folded either.

Rich alone cannot promise this: once a table is wider than the console, Table shrinks
every column evenly as a last resort (no_wrap ones too), and Console.print crops lines
to the console width. Hence the layout is decided here, at render time, when the width
is known, and the Table is given exact column widths and room enough to use them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rich.cells import cell_len
from rich.console import Group
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

_WORD = re.compile(r"\S+")
# The pieces a long name may fold into: each ends after a boundary character, so a folded
# line ends with "-", "/", ":" (a reader sees the name goes on) and no character is lost.
_BOUNDARY = "-_./:=,@+"
_PIECE = re.compile(rf"[^{re.escape(_BOUNDARY)}]*[{re.escape(_BOUNDARY)}]+|[^{re.escape(_BOUNDARY)}]+")
# A column that folds its names is not narrowed below this (or its natural width): a
# name cut into pieces of a few characters would no longer read as one.
FOLD_FLOOR = 12
# A word of a `refs` column at least this long may move under the table (see Col).
REF_MIN = 20


@dataclass(frozen=True)
class Col:
    """One column of a FittedTable.

    `gives_way`: 0 for a column that is always shown; otherwise the column may be
    dropped when the table does not fit, the highest number first. `identifier`: every
    cell is shown whole on one line (a single cell of another column can be marked so
    with `Text(..., no_wrap=True)`). `overflow="fold"`: the cells are prose that wraps
    between words (never inside one), at least `min_width` wide. `overflow="ellipsis"`:
    one line per cell, cut with "…" down to `min_width`; without `min_width` the column
    keeps its full width or is dropped. `width`: a fixed width (tables printed in chunks
    that must line up). `breaks`: as a last resort (every column that may give way is
    gone and the table is still too wide), a word longer than the column (a name, an ARN,
    an S3 URI) folds after a boundary character onto more lines of its own cell. `refs`:
    before that, words of at least REF_MIN cells (an S3 URI in a value) are replaced by
    "[n]" and printed whole under the table, "[n] s3://…", where they copy as one line.
    """

    header: str
    gives_way: int = 0
    identifier: bool = False
    min_width: int | None = None
    overflow: Literal["fold", "ellipsis"] = "ellipsis"
    width: int | None = None
    style: str = ""
    justify: Literal["left", "right"] = "left"
    breaks: bool = False
    refs: bool = False


def fit_columns(
    naturals: Sequence[int],
    floors: Sequence[int],
    gives_way: Sequence[int],
    wraps: Sequence[bool],
    available: int,
    chrome: Callable[[int], int],
    last_floors: Sequence[int] | None = None,
) -> list[int | None]:
    """The width of each column, None for a column that gives way.

    `naturals`: the width each column would like; `floors`: the narrowest it may be;
    `gives_way`: 0 for columns always shown, else the order in which columns give way
    (highest first, the rightmost first on ties); `wraps`: columns whose shrinking only
    wraps text between words (nothing is lost); `chrome(n)`: borders and padding of a
    table of n columns. Until the table fits: wrapping columns shrink to their floor;
    then the optional columns give way one after the other, each shrinking to its floor
    and then dropped; then the columns always shown shrink, the rightmost first; then,
    with `last_floors` (the narrowest a column folding its words may be), the widest of
    those columns shrinks, one cell at a time, until the table fits. The result is wider
    than `available` when the last floors of the columns always shown are.
    """
    widths: list[int | None] = list(naturals)
    count = len(naturals)
    optional = sorted((i for i in range(count) if gives_way[i] > 0), key=lambda i: (-gives_way[i], -i))
    kept = [i for i in reversed(range(count)) if gives_way[i] <= 0]
    steps = [(i, False) for i in reversed(range(count)) if wraps[i]]
    steps += [(i, drop) for i in optional for drop in (False, True)] + [(i, False) for i in kept]
    for i, drop in steps:
        shown = [w for w in widths if w is not None]
        excess = sum(shown) + chrome(len(shown)) - available
        if excess <= 0:
            break
        current = widths[i]
        if current is None:
            continue
        widths[i] = None if drop else max(floors[i], current - excess)
    if last_floors is not None:
        _fold(widths, last_floors, available, chrome)
    return widths


def _fold(widths: list[int | None], last_floors: Sequence[int], available: int, chrome: Callable[[int], int]) -> None:
    # The widest first, so that the columns folding their names end up alike in width
    # (two model names side by side fold alike) rather than one folded to its floor.
    shown = [w for w in widths if w is not None]
    excess = sum(shown) + chrome(len(shown)) - available
    while excess > 0:
        above = {i: w for i, w in enumerate(widths) if w is not None and w > last_floors[i]}
        if not above:
            return
        widest = max(above, key=lambda i: (above[i], i))  # on ties, the rightmost
        widths[widest] = above[widest] - 1
        excess -= 1


def _width(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)


def _longest_word(text: str) -> int:
    return max((cell_len(w) for w in text.split()), default=0)


class FittedTable:
    """A Rich table whose columns are chosen and sized when the width is known."""

    def __init__(
        self,
        columns: Sequence[Col],
        rows: Iterable[Sequence[Text]],
        title: str | Text | WordWrap | None = None,
        notes: dict[str, list[RenderableType]] | None = None,
        *,
        empty: str | None = None,
        tell_hidden: bool = True,
        **table_options: Any,
    ) -> None:
        """`title` wraps between words above the table; `notes`: renderables printed
        under the table when the named column gives way (e.g. the failure reasons that
        would have been in it). `empty`: with no rows, nothing is printed and this is
        said on stderr instead ("no compilation jobs match"). `tell_hidden`: the columns
        that gave way (without notes standing in for them) are named on stderr.
        `table_options` go to Rich's Table."""
        self.columns = list(columns)
        self.rows = [list(row) for row in rows]
        self.title = title
        self.notes = notes or {}
        self.empty = empty
        self.tell_hidden = tell_hidden
        self.table_options = table_options
        self.asides: list[str] = []
        self._chrome: dict[int, int] = {}

    # -- layout --------------------------------------------------------------------
    def _whole(self, col: Col, cell: Text) -> bool:
        return col.identifier or bool(cell.no_wrap)

    def _sizes(self, rows: list[list[Text]]) -> tuple[list[int], list[int], list[int]]:
        naturals, floors, last_floors = [], [], []
        for index, col in enumerate(self.columns):
            cells = [row[index] for row in rows]
            whole = [_width(c.plain) for c in cells if self._whole(col, c)]
            bendable = [c.plain for c in cells if not self._whole(col, c)]
            natural = max([_width(col.header), *whole, *(_width(b) for b in bendable)])
            if col.width is not None:
                natural = max([col.width, *whole])
            if col.overflow == "fold":
                words = max([_longest_word(col.header), *(_longest_word(b) for b in bendable)])
                floor = max([words, min(col.min_width or 0, natural), *whole])
            elif col.min_width is not None:
                floor = max([min(col.min_width, natural), *whole])
            else:
                floor = natural
            naturals.append(natural)
            floors.append(floor)
            last_floors.append(self._last_floor(col, cells, floor))
        return naturals, floors, last_floors

    def _last_floor(self, col: Col, cells: list[Text], floor: int) -> int:
        # A column that folds its names may go below its floor down to its longest piece
        # (never below FOLD_FLOOR); its header wraps between words.
        if not col.breaks:
            return floor
        pieces = [cell_len(p) for c in cells for w in c.plain.split() for p in _PIECE.findall(w)]
        least = max([_longest_word(col.header), FOLD_FLOOR, *pieces])
        return min(floor, least)

    def _chrome_of(self, console: Console, count: int) -> int:
        # Borders and padding as Rich draws them for these table options: measured on
        # a table of `count` one-cell-wide columns rather than recomputed here.
        if count not in self._chrome:
            probe = Table(**self.table_options)
            for _ in range(count):
                probe.add_column(width=1)
            wide = console.options.update_width(10_000)
            self._chrome[count] = Measurement.get(console, wide, probe).maximum - count if count else 0
        return self._chrome[count]

    def layout(
        self, console: Console, available: int, rows: list[list[Text]] | None = None, fold: bool = True
    ) -> list[int | None]:
        """Each column's width at this width, None for the columns that give way; `fold`:
        whether the columns marked `breaks` may fold their words to fit."""
        naturals, floors, last_floors = self._sizes(self.rows if rows is None else rows)
        return fit_columns(
            naturals,
            floors,
            [c.gives_way for c in self.columns],
            [c.overflow == "fold" for c in self.columns],
            available,
            lambda n: self._chrome_of(console, n),
            last_floors if fold else None,
        )

    def _total(self, console: Console, widths: Sequence[int | None]) -> int:
        shown = [w for w in widths if w is not None]
        return sum(shown) + self._chrome_of(console, len(shown))

    def _referenced(self, refs: list[str]) -> list[list[Text]]:
        # The rows with each long word of a `refs` column replaced by "[n]" (the same word,
        # the same n), the words appended to `refs` to be printed whole under the table.
        rows = []
        for row in self.rows:
            cells = []
            for col, cell in zip(self.columns, row, strict=True):
                if col.refs:
                    cell = _with_references(cell, refs)
                cells.append(cell)
            rows.append(cells)
        return rows

    def build(self, widths: Sequence[int | None], rows: list[list[Text]] | None = None) -> Table:
        """The Rich table for a layout."""
        table = Table(**self.table_options)
        shown = [i for i, w in enumerate(widths) if w is not None]
        for i in shown:
            col = self.columns[i]
            table.add_column(
                col.header,
                width=widths[i],
                no_wrap=col.overflow == "ellipsis" and not col.breaks,
                overflow=col.overflow,
                style=col.style,
                justify=col.justify,
            )
        for row in self.rows if rows is None else rows:
            cells = []
            for i in shown:
                cell, col, width = row[i], self.columns[i], widths[i] or 0
                if col.breaks and _width(cell.plain) > width:
                    cell = _unwrapped(folded(cell, width))
                elif self._whole(col, cell):
                    cell = cell.copy()
                    cell.no_wrap, cell.overflow = True, "ignore"
                cells.append(cell)
            table.add_row(*cells)
        return table

    # -- Rich protocol ---------------------------------------------------------------
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Learnt while laying out, for the person at the terminal; the printer says them
        # on stderr after the table (stdout keeps the data). Reset at each rendering, as a
        # live view renders the same table again and again.
        self.asides = []
        if not self.rows and self.empty is not None:
            self.asides.append(self.empty)
            return
        available = options.max_width
        rows = self.rows
        refs: list[str] = []
        if (
            any(c.refs for c in self.columns)
            and self._total(console, self.layout(console, available, fold=False)) > available
        ):
            rows = self._referenced(refs)
        widths = self.layout(console, available, rows)
        hidden = [
            c.header for c, w in zip(self.columns, widths, strict=True) if w is None and c.header not in self.notes
        ]
        if hidden and self.tell_hidden:
            self.asides.append(
                f"{_and(_short_header(h) for h in hidden)} hidden at {options.max_width} columns: "
                "-o json or a wider terminal shows them"
            )
        total = self._total(console, widths)
        if isinstance(self.title, WordWrap):
            yield self.title
        elif self.title is not None:
            yield WordWrap(Text.assemble(self.title, style="table.title"))
        yield from console.render(self.build(widths, rows), options.update_width(max(total, options.max_width)))
        for n, word in enumerate(refs, start=1):
            yield _unwrapped(Text.assemble((f"[{n}]", "dim"), " ", word))
        for index, col in enumerate(self.columns):
            if widths[index] is None:
                yield from self.notes.get(col.header, [])

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        naturals, _, last_floors = self._sizes(self.rows)
        must = [f for f, c in zip(last_floors, self.columns, strict=True) if not c.gives_way]
        return Measurement(
            sum(must) + self._chrome_of(console, len(must)), sum(naturals) + self._chrome_of(console, len(naturals))
        )


def _with_references(cell: Text, refs: list[str]) -> Text:
    plain = cell.plain
    long_words = [m for m in _WORD.finditer(plain) if cell_len(m.group()) >= REF_MIN]
    if not long_words:
        return cell
    out = Text(style=cell.style, justify=cell.justify)
    at = 0
    for match in long_words:
        word = match.group()
        if word not in refs:
            refs.append(word)
        out.append_text(cell[at : match.start()])
        out.append(f"[{refs.index(word) + 1}]")
        at = match.end()
    out.append_text(cell[at:])
    return out


def _short_header(header: str) -> str:
    # "Created (UTC)" → "Created": what the column holds, not its unit.
    return re.sub(r"\s*\(.*\)$", "", header) or header


def _and(items: Iterable[str]) -> str:
    names = list(items)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class Parts(Group):
    """Rich's Group, with the asides of the tables among its parts (FittedTable.asides)
    for the printer to say on stderr once the parts are printed."""

    @property
    def asides(self) -> list[str]:
        """What the tables among the parts learnt while they were rendered."""
        return [note for part in self.renderables for note in getattr(part, "asides", [])]


def folded(text: Text, width: int) -> Text:
    """`text` in lines of at most `width` cells: between words, and a word longer than
    `width` (a name, a URI) after a boundary character ("-", "/", ":", ...), so that each
    line but the last of a folded word ends with the boundary it was folded at. A piece
    longer than `width` stays whole on a line of its own."""
    lines: list[Text] = []
    for line in word_lines(text, width):
        plain = line.plain
        if cell_len(plain) <= width:
            lines.append(line)
            continue
        start = end = 0
        for piece in _PIECE.finditer(plain):
            if end > start and cell_len(plain[start : piece.end()]) > width:
                lines.append(line[start:end])
                start = end
            end = piece.end()
        lines.append(line[start:end])
    return Text("\n").join(lines)


def word_lines(text: Text, width: int, pieces: Sequence[tuple[int, int]] | None = None) -> list[Text]:
    """`text` cut into lines of at most `width` cells between words, never inside one: a
    word longer than `width` gets a line of its own, longer than `width`. `pieces`: the
    (start, end) spans that must stay whole (default: the words of each line)."""
    lines: list[Text] = []
    offset = 0
    for source in text.split("\n", allow_blank=True):
        plain = source.plain
        if pieces is None:
            spans = [(m.start(), m.end()) for m in _WORD.finditer(plain)]
        else:
            spans = [
                (max(a - offset, 0), min(b - offset, len(plain)))
                for a, b in pieces
                if a - offset < len(plain) and b - offset > 0
            ]
        offset += len(plain) + 1
        start: int | None = None
        end = 0
        for w_start, w_end in spans:
            if start is None:
                start, end = w_start, w_end
            elif cell_len(plain[start:w_end]) <= width:
                end = w_end
            else:
                lines.append(source[start:end])
                start, end = w_start, w_end
        lines.append(source[start:end] if start is not None else Text(""))
    return lines


def _unwrapped(line: Text) -> Text:
    line.no_wrap, line.overflow, line.end = True, "ignore", "\n"
    return line


class WordWrap:
    """Text that wraps between words only: a word (a name, an ARN, an S3 URI) is never
    folded; one longer than the width stays whole on a line of its own."""

    def __init__(self, text: Text, pieces: Sequence[tuple[int, int]] | None = None) -> None:
        """`pieces`: (start, end) spans kept whole (default: each word); see `joined`."""
        self.text = text
        self.pieces = pieces

    @classmethod
    def joined(cls, *parts: Text | str, sep: str = "  ") -> WordWrap:
        """Parts kept whole (each may hold spaces), wrapped only between parts."""
        text, pieces = Text(), []
        for n, part in enumerate(parts):
            if n:
                text.append(sep)
            start = len(text.plain)
            text.append(part)
            pieces.append((start, len(text.plain)))
        return cls(text, pieces)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        unwrapped = options.update(no_wrap=True, overflow="ignore")
        for line in word_lines(self.text, options.max_width, self.pieces):
            yield from console.render(_unwrapped(line), unwrapped)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        return Measurement(_longest_word(plain), _width(plain))


class Boxed:
    """A panel around prose (a failure reason) that wraps between words: the panel grows
    wider than the terminal rather than fold a word that does not fit in it."""

    def __init__(self, text: Text, title: str, border_style: str = "") -> None:
        self.text = text
        self.title = title
        self.border_style = border_style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.panel import Panel

        width = max(options.max_width, _longest_word(self.text.plain) + 4)  # borders and padding
        panel = Panel(WordWrap(self.text), title=self.title, border_style=self.border_style, width=width)
        yield from console.render(panel, options.update_width(width))


class KeyValues:
    """Field/value lines (describe, download): values marked whole stay on their field's
    line; other values wrap between words under themselves."""

    def __init__(self, rows: Iterable[tuple[str, Text, bool]], field_style: str = "bold", gap: int = 2) -> None:
        self.rows = list(rows)
        self.field_style = field_style
        self.gap = gap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = max((cell_len(field) for field, _, _ in self.rows), default=0) + self.gap
        room = max(options.max_width - indent, 16)
        unwrapped = options.update(no_wrap=True, overflow="ignore")
        for field, value, whole in self.rows:
            head = Text(field.ljust(indent), style=self.field_style)
            for n, piece in enumerate([value] if whole else word_lines(value, room)):
                yield from console.render(_unwrapped(Text.assemble(head if n == 0 else " " * indent, piece)), unwrapped)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = max((cell_len(field) for field, _, _ in self.rows), default=0) + self.gap
        least = max([_width(v.plain) if whole else _longest_word(v.plain) for _, v, whole in self.rows] + [16])
        return Measurement(indent + least, indent + max([_width(v.plain) for _, v, _ in self.rows], default=0))
