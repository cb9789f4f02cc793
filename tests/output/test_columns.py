"""The layout helpers: which columns give way, and text that wraps between words only."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from neoctl.output.columns import Col, FittedTable, KeyValues, WordWrap, fit_columns, folded, word_lines


def _chrome(n: int) -> int:
    return 3 * n + 1  # a boxed table: a border and a space either side of each cell


def _render(thing: object, width: int) -> str:
    out = io.StringIO()
    Console(width=width, file=out, no_color=True, highlight=False).print(thing, crop=False)
    return out.getvalue()


def test_everything_fits_at_natural_width() -> None:
    assert fit_columns([10, 5, 8], [10, 5, 8], [0, 0, 1], [False] * 3, 100, _chrome) == [10, 5, 8]


def test_optional_columns_go_highest_first() -> None:
    naturals = [30, 9, 13, 19, 8]
    gives_way = [0, 0, 1, 2, 3]
    fits = {
        width: fit_columns(naturals, naturals, gives_way, [False] * 5, width, _chrome) for width in (95, 94, 75, 60, 10)
    }
    assert fits[95] == [30, 9, 13, 19, 8]
    assert fits[94] == [30, 9, 13, 19, None]  # Duration first
    assert fits[75] == [30, 9, 13, None, None]  # then Created
    assert fits[60] == [30, 9, None, None, None]  # then Target
    assert fits[10] == [30, 9, None, None, None]  # the kept columns never give way: wider than asked


def test_a_column_shrinks_to_its_floor_before_it_is_dropped() -> None:
    # 20 + 30 + chrome 7 = 57: at 50 the optional column shrinks by 7; at 38 its floor (12) no longer fits.
    assert fit_columns([20, 30], [20, 12], [0, 1], [False, False], 50, _chrome) == [20, 23]
    assert fit_columns([20, 30], [20, 12], [0, 1], [False, False], 38, _chrome) == [20, None]


def test_wrapping_prose_comes_before_dropping_a_column() -> None:
    widths = fit_columns([20, 40, 10], [20, 15, 10], [0, 0, 1], [False, True, False], 60, _chrome)
    assert widths == [20, 20, 10]


def test_word_lines_never_split_a_word() -> None:
    uri = "s3://bucket-with-a-long-name/models/" + "x" * 40 + ".tar.gz"
    lines = [line.plain for line in word_lines(Text(f"cannot load {uri} now"), 20)]
    assert lines == ["cannot load", uri, "now"]


def test_word_wrap_joined_keeps_parts_whole() -> None:
    shown = _render(WordWrap.joined("endpoint-name", "InService", "config endpoint-config"), 30)
    assert shown.splitlines() == ["endpoint-name  InService", "config endpoint-config"]


def test_fitted_table_prints_an_identifier_wider_than_the_terminal_whole() -> None:
    name = "n" * 70
    table = FittedTable([Col("Name", identifier=True), Col("Note", gives_way=1)], [(Text(name), Text("x"))])
    shown = _render(table, 40)
    assert any(name in line for line in shown.splitlines())
    assert "Note" not in shown


def test_notes_stand_in_for_a_column_that_gave_way() -> None:
    table = FittedTable(
        [Col("Name", identifier=True), Col("Why", gives_way=1, overflow="fold")],
        [(Text("a" * 30), Text("because " * 3))],
        notes={"Why": [Text("a: because")]},
    )
    assert "a: because" not in _render(table, 80)
    assert "a: because" in _render(table, 40)


def test_key_values_keep_whole_values_on_their_line_and_wrap_prose() -> None:
    arn = "arn:aws:iam::123456789012:role/" + "r" * 60
    shown = _render(KeyValues([("Role", Text(arn), True), ("Note", Text("word " * 20), False)]), 40)
    lines = shown.splitlines()
    assert lines[0] == "Role  " + arn
    assert all(len(line) <= 40 for line in lines[1:]) and len(lines) > 2


def test_as_a_last_resort_the_widest_folding_column_shrinks_first() -> None:
    # 10 + 40 + 30 + chrome 10 = 90: at 70 the folding columns give 20 between them,
    # the widest first, ending alike; never below their last floors.
    widths = fit_columns([10, 40, 30], [10, 40, 30], [0, 0, 0], [False] * 3, 70, _chrome, [10, 12, 12])
    assert widths == [10, 25, 25]
    assert fit_columns([10, 40, 30], [10, 40, 30], [0, 0, 0], [False] * 3, 30, _chrome, [10, 12, 12]) == [10, 12, 12]
    assert fit_columns([10, 40, 30], [10, 40, 30], [0, 0, 0], [False] * 3, 70, _chrome) == [10, 40, 30]


def test_folded_breaks_long_words_after_a_boundary_and_keeps_every_character() -> None:
    name = "yolo-v8-detector-ml-c5-1a2b3c4d"
    lines = [line.plain for line in folded(Text(name), 20).split()]
    assert lines == ["yolo-v8-detector-ml-", "c5-1a2b3c4d"]  # as much as fits, ending at a "-"
    uri = "s3://capture-bucket/endpoints/capture/"
    lines = [line.plain for line in folded(Text(f"on 100% → {uri}"), 16).split()]
    assert lines == ["on 100% →", "s3://capture-", "bucket/", "endpoints/", "capture/"]
    assert "".join(lines[1:]) == uri


def test_a_breaking_column_folds_only_when_the_table_does_not_fit() -> None:
    names = ("yolo-v8-detector-ml-c5-1a2b3c4d", "yolo-v8-detector-ml-c5-8f7f2424")
    columns = [Col("Field"), Col("Current", breaks=True), Col("New", breaks=True)]
    table = FittedTable(columns, [(Text("ModelName"), Text(names[0]), Text(names[1]))])
    wide = _render(table, 120)
    assert all(any(n in line for line in wide.splitlines()) for n in names)
    narrow = _render(table, 50)
    assert all(len(line) <= 50 for line in narrow.splitlines()), narrow
    rows = [line.strip("│").split("│") for line in narrow.splitlines() if line.startswith("│")]
    assert ["".join(r[i].strip() for r in rows) for i in (1, 2)] == list(names), narrow
    assert all(r[1].strip().endswith("-") for r in rows[:-1]) and "…" not in narrow


def test_long_words_of_a_refs_column_move_under_the_table_whole() -> None:
    uri = "s3://demo-models/endpoints/capture/yolo-v8-detector/"
    columns = [Col("Property"), Col("New config", overflow="fold", refs=True), Col("After", overflow="fold", refs=True)]
    table = FittedTable(columns, [(Text("DataCaptureConfig"), Text(f"on → {uri}"), Text(f"on → {uri}"))])
    assert "[1]" not in _render(table, 200)
    narrow = _render(table, 60)
    assert all(len(line) <= 60 for line in narrow.splitlines() if line[:1] in "┏┃│└"), narrow
    assert narrow.count("on → [1]") == 2 and f"[1] {uri}" in narrow.splitlines()


def test_asides_name_the_hidden_columns_and_an_empty_table() -> None:
    columns = [Col("Name", identifier=True), Col("Created (UTC)", gives_way=1), Col("Duration", gives_way=2)]
    table = FittedTable(columns, [(Text("n" * 50), Text("2026-01-02 03:04:05"), Text("5m00s"))])
    _render(table, 60)
    assert table.asides == ["Created and Duration hidden at 60 columns: -o json or a wider terminal shows them"]
    _render(table, 200)
    assert table.asides == []
    empty = FittedTable(columns, [], empty="no compilation jobs match")
    assert _render(empty, 80) == "" and empty.asides == ["no compilation jobs match"]
