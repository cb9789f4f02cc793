"""One printer per command: json, yaml or Rich tables, with --query applied first.

JSON never goes through Rich (it would wrap at the terminal width and eat `[bold]` in
job names); it is written to stdout directly, so it parses whatever the terminal.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from neoctl.errors import QueryFailed

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from neoctl.api.calls import Listing

# The last words of a command whose --query failed on its result (see Printer.data).
QUERY_FAILED = "--query failed on the result, which is printed without it"
QUERY_HINT = "fix the expression against the result printed (see https://jmespath.org)"

TABLE_CHUNK = 500  # rows per table: Rich holds every cell of a table while it renders


def to_jsonable(value: Any) -> Any:
    """Datetimes as ISO 8601, bytes as text; everything else as JSON has it."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


_CONTROL: dict[int, str] = {
    c: f"\\x{c:02x}" for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0))
}
# Bidi embeddings, overrides and isolates reorder what people read (a name can show as
# another); the Unicode line and paragraph separators break a line where none is seen.
_INVISIBLE = (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)
_CONTROL.update({c: f"\\u{c:04x}" for c in _INVISIBLE})
# Raw in json.dumps(ensure_ascii=False) output (C0 is escaped by json itself); always
# inside a JSON string there, so `\\uXXXX` keeps the same data and valid JSON.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def printable(text: str) -> str:
    """Control characters shown as \\xNN, bidi controls and line separators as \\uXXXX: a
    failure reason or a log line from the service must not send escape sequences to the
    terminal (titles, colours, clipboard, links) nor reorder or break what people read."""
    return text.translate(_CONTROL)


def dumps(value: Any, indent: int | None = 2) -> str:
    """JSON for stdout: non-ASCII kept readable, but C1 controls, DEL, bidi controls and
    U+2028/U+2029 written as \\uXXXX (json.dumps escapes only C0 with ensure_ascii=False)."""
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def yaml_dump(value: Any) -> str:
    """YAML for stdout: non-ASCII kept readable, but a text holding a C1 control, DEL, a bidi
    control or U+2028/U+2029 is written double-quoted with every non-ASCII character as an
    escape (PyYAML's allow_unicode writes these raw). yaml.safe_load gives back the same data."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def write_double_quoted(self, text: str, split: bool = True) -> None:
            # The emitter escapes non-ASCII only when allow_unicode is off: off for this text.
            keep = self.allow_unicode
            self.allow_unicode = bool(keep) and not _UNSAFE_IN_YAML.search(text)
            try:
                super().write_double_quoted(text, split)
            finally:
                self.allow_unicode = keep

    def represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
        style = '"' if _UNSAFE_IN_YAML.search(data) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, represent_str)
    return yaml.dump(value, Dumper=Dumper, sort_keys=False, allow_unicode=True)


# As in JSON, plus U+0085 (NEL), a line break to YAML as U+2028/U+2029 are.
_UNSAFE_IN_YAML = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _printable_tree(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {k: _printable_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable_tree(v) for v in value]
    return value


def escape(text: object) -> str:
    """A user-sourced string made safe for Rich markup and the terminal (names, reasons)."""
    from rich.markup import escape as rich_escape

    return rich_escape(printable(str(text)))


class Printer:
    """Writes a command's result in the chosen format, and its messages to stderr."""

    def __init__(
        self,
        output: str = "table",
        query: str | None = None,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
    ) -> None:
        self.output = output
        self.query = query
        self._stdout = stdout
        self._stderr = stderr
        self._out_console: Console | None = None
        self._err_console: Console | None = None
        # A --query that failed on a result: the result was printed without it. With
        # `defer_query_failure` the command goes on (a wait, a later exit code) and its caller
        # raises this at the end; otherwise `data` raises it once the result is out.
        self.query_failure: QueryFailed | None = None
        self.defer_query_failure = False

    # -- streams -------------------------------------------------------------------
    @property
    def stdout(self) -> IO[str]:
        """The data stream (looked up late so test runners can swap sys.stdout).

        OutputClosed (exit 141) when stdout was closed at start (`>&-`): as with a
        pipe whose reader left, the result has nowhere to go."""
        out = self._stdout or sys.stdout
        if out is None:
            from neoctl.errors import OutputClosed

            raise OutputClosed("stdout is closed: there is nowhere to write the result")
        return out

    @property
    def stderr(self) -> IO[str]:
        """The message stream; when stderr is closed (`2>&-`), one that drops them:
        messages never move to stdout, which may hold JSON."""
        err = self._stderr or sys.stderr
        if err is None:
            err = self._stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
        return err

    def _console(self, err: bool) -> Console:
        if err:
            if self._err_console is None:
                self._err_console = _sane_width(
                    _console_class(err=True)(file=self.stderr, no_color=_no_color(), highlight=False)
                )
            return self._err_console
        if self._out_console is None:
            self._out_console = _sane_width(
                _console_class(err=False)(file=self.stdout, no_color=_no_color(), highlight=False)
            )
        return self._out_console

    @property
    def err_console(self) -> Console:
        """The stderr console, for live views and progress bars."""
        return self._console(err=True)

    # -- data ----------------------------------------------------------------------
    def data(self, value: Any, table: Callable[[Any], RenderableType] | None = None) -> None:
        """Print a result: as JSON/YAML (after --query), or as a table for people.

        With --query, table output shows the query's result as JSON, as the AWS CLI does
        for text it cannot tabulate.
        """
        value = to_jsonable(value)
        queried = bool(self.query)
        if self.query:
            try:
                value = apply_query(self.query, value)
            except QueryFailed as failure:
                # The command's work is done (jobs created, an endpoint updated): its result
                # is the record of it, so it is printed as if there were no --query.
                self.warning(f"{failure.message}; the result is printed without --query")
                self.query_failure = self.query_failure or failure
                queried = False
        with _stdout_guard():
            if self.output == "yaml":
                self.stdout.write(yaml_dump(value))
            elif self.output == "json" or table is None or queried:
                self.stdout.write(dumps(value) + "\n")
            else:
                view = table(_printable_tree(value))
                # A long list comes as several tables: Rich holds one table's cells at once.
                for part in view if isinstance(view, list | Iterator) else [view]:
                    self._print_view(part)
            self.stdout.flush()
        if self.query_failure is not None and not self.defer_query_failure:
            raise QueryFailed(QUERY_FAILED, QUERY_HINT)  # the warning above named the reason

    def listing(
        self,
        listing: Listing,
        table: Callable[[Any], Any],
        chunk: Callable[[list[dict[str, Any]], bool], Any] | None = None,
        noun: str = "item(s)",
    ) -> None:
        """A paged list, streamed where the format allows (flat memory for 10,000 items):
        JSON page by page; a table, with `chunk`, CHUNK rows at a time once the list is
        longer than one chunk. YAML and --query need the whole list first."""
        if self.output == "table" and not self.query and chunk is not None:
            self._stream_table(listing, table, chunk, noun)
            return
        if self.output != "json" or self.query:
            result = listing.result()
            self.data(result, table)
            self.paging_hint(result)
            return
        items = iter(listing)
        first = next(items, None)  # the first page is fetched before anything is written
        with _stdout_guard():
            out = self.stdout
            out.write("{\n  " + dumps(listing.key) + ": [")
            if first is not None:
                out.write("\n" + _indent(first))
                for item in items:
                    out.write(",\n" + _indent(item))
                out.write("\n  ")
            out.write("]")
            if listing.next_token:
                out.write(',\n  "NextToken": ' + dumps(listing.next_token))
            out.write("\n}\n")
            out.flush()

    def _stream_table(
        self,
        listing: Listing,
        table: Callable[[Any], Any],
        chunk: Callable[[list[dict[str, Any]], bool], Any],
        noun: str,
    ) -> None:
        rows: list[dict[str, Any]] = []
        count, streaming = 0, False
        with _stdout_guard():
            for item in listing:
                rows.append(_printable_tree(to_jsonable(item)))
                count += 1
                if len(rows) == TABLE_CHUNK:
                    self._print_view(chunk(rows, not streaming))
                    rows, streaming = [], True
            if not streaming:  # short: one table, with its count in the title
                self._print_view(table({listing.key: rows}))
            else:
                if rows:
                    self._print_view(chunk(rows, False))
                self._console(err=True).print(f"{count} {noun}", highlight=False)
            self.stdout.flush()
        self.paging_hint({"NextToken": listing.next_token})

    def _print_view(self, view: RenderableType) -> None:
        # Not cropped to the terminal: a view may be wider than the terminal when one
        # identifier is (see output/columns.py); a long line still copies whole.
        self._console(err=False).print(view, crop=False)
        # What a table learnt while laid out at this width (the columns it hid, that it had
        # no rows) is for the person at the terminal: stderr, so stdout keeps the data.
        for note in getattr(view, "asides", []):
            self._console(err=True).print(note, soft_wrap=True, markup=False, highlight=False)

    def paging_hint(self, result: dict[str, Any]) -> None:
        """After a table cut short by --max-items: how to go on, on stderr, never wrapped."""
        if self.output == "table" and not self.query and result.get("NextToken"):
            self._console(err=True).print(
                f"more: --starting-token {result['NextToken']}", soft_wrap=True, markup=False, highlight=False
            )

    def text(self, line: str) -> None:
        """A plain line of data on stdout (e.g. an `aws` command line), never wrapped."""
        with _stdout_guard():
            self.stdout.write(line + "\n")
            self.stdout.flush()

    def binary(self, data: bytes) -> None:
        """Bytes on stdout exactly as given (an endpoint's answer): nothing decoded, no
        newline added."""
        with _stdout_guard():
            out = self.stdout
            out.flush()  # what text went before goes first
            buffer = getattr(out, "buffer", None)
            if buffer is None:  # a text-only stream (a test's StringIO): the bytes as Latin-1, one char each
                out.write(data.decode("latin-1"))
            else:
                buffer.write(data)
                buffer.flush()
            out.flush()

    def aside(self, thing: RenderableType) -> None:
        """A Rich renderable for the person at the terminal, on stderr (e.g. a preview
        before a question), so stdout keeps only the command's result. Not cropped, as
        `_print_view`."""
        self._console(err=True).print(thing, crop=False)

    # -- messages ------------------------------------------------------------------
    def message(self, markup: str) -> None:
        """A message for people on stderr; callers escape user-sourced parts."""
        self._say("", markup)

    def _say(self, prefix: str, markup: str) -> None:
        """`prefix` and `markup` on stderr. Piped: one line, never wrapped (grep). On a
        terminal: wrapped between words to its width, continuation lines indented under the
        text after the prefix; a word longer than the line (a URI, an ARN) stays whole on a
        line of its own, never folded."""
        console = self._console(err=True)
        if not console.is_terminal:
            console.print(prefix + markup, soft_wrap=True)
            return
        from rich.text import Text

        from neoctl.output.columns import word_lines

        head = Text.from_markup(prefix)
        indent = head.cell_len
        for source in Text.from_markup(markup).split("\n", allow_blank=True):
            lead = len(source.plain) - len(source.plain.lstrip(" "))  # a line's own indent stays
            room = max(console.width - indent - lead, 20)
            for n, line in enumerate(word_lines(source[lead:], room)):
                start = Text.assemble(head, " " * lead) if n == 0 else Text(" " * (indent + lead))
                console.print(Text.assemble(start, line), soft_wrap=True)
            head = Text(" " * indent)

    def raw_lines(self, lines: list[str], prefix: str = "") -> None:
        """Lines on stderr exactly as given (never wrapped: one problem per line stays
        greppable), control characters neutralised."""
        try:
            for line in lines:
                self.stderr.write(prefix + printable(line) + "\n")
            self.stderr.flush()
        except BrokenPipeError:
            _drop_stream(self.stderr)

    def warning(self, text: str) -> None:
        """A warning on stderr (`text` is escaped)."""
        self._say("[yellow]warning:[/yellow] ", escape(text))

    def error(self, text: str, hint: str | None = None) -> None:
        """An error on stderr (`text` and `hint` are escaped)."""
        self._say("[bold red]error:[/bold red] ", escape(text))
        if hint:
            self._say("[dim]hint:[/dim] ", escape(hint))


def _indent(item: Any) -> str:
    text = dumps(to_jsonable(item))
    return "\n".join("    " + line for line in text.splitlines())


def compile_query(expression: str) -> Any:
    """A JMESPath expression parsed, so a bad one is a usage error before anything is sent:
    its syntax, and the names and argument counts of its functions, which JMESPath itself
    would only check on the result (`Jobs[].lenght(@)` fails only once there is a job)."""
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        compiled = jmespath.compile(expression)
    except JMESPathError as exc:
        raise _query_error(str(exc)) from None
    for name, count in _function_calls(compiled.parsed):
        if problem := _call_problem(name, count):
            raise _query_error(problem)
    return compiled


def apply_query(expression: str, value: Any) -> Any:
    """A JMESPath expression applied to a result. A bad expression is a usage error; one
    that fails on this result (`abs(@)` on an object) is QueryFailed."""
    from jmespath.exceptions import JMESPathError

    compiled = compile_query(expression)
    try:
        return compiled.search(value)
    except JMESPathError as exc:
        raise QueryFailed(f"--query {expression!r} failed on the result: {_runtime_reason(exc)}") from None


def _function_calls(node: Any) -> Iterator[tuple[str, int]]:
    # The parsed AST is nested dicts: {"type", "children", "value"}; slices hold ints.
    if not isinstance(node, dict):
        return
    if node.get("type") == "function_expression":
        yield str(node["value"]), len(node.get("children", []))
    for child in node.get("children", []):
        yield from _function_calls(child)


def _call_problem(name: str, count: int) -> str | None:
    from jmespath.functions import Functions

    from neoctl.suggest import closest

    table: dict[str, Any] = Functions.FUNCTION_TABLE
    if name not in table:
        best = closest(name, list(table))
        return f"unknown function {name}()" + (f" (did you mean {best}()?)" if best else "")
    signature = table[name]["signature"]
    if signature and signature[-1].get("variadic"):
        if count < len(signature):
            return f"{name}() takes at least {len(signature)} argument(s), {count} given"
    elif count != len(signature):
        return f"{name}() takes {len(signature)} argument(s), {count} given"
    return None


def _runtime_reason(exc: Exception) -> str:
    # JMESPath's own message quotes the whole value it was given: a full result, possibly
    # thousands of lines. The function, the types it takes and the type it got say enough.
    from jmespath.exceptions import JMESPathTypeError

    if isinstance(exc, JMESPathTypeError):
        expected = " or ".join(exc.expected_types)
        return f"{exc.function_name}() takes {expected}, and was given {exc.actual_type}"
    text = str(exc)
    return text if len(text) <= 200 else text[:200] + "…"


def _query_error(reason: str) -> Exception:
    from neoctl.errors import UsageError

    return UsageError(f"invalid --query: {reason}", "see https://jmespath.org for the syntax")


@contextmanager
def _stdout_guard() -> Iterator[None]:
    # `neoctl list | head -1`: the reader left. Say so with one exception the error
    # handler turns into exit 141 (128 + SIGPIPE, as shell tools end), never a traceback.
    try:
        yield
    except BrokenPipeError:
        from neoctl.errors import OutputClosed

        raise OutputClosed("stdout was closed before the output was written") from None


# Narrower than this, a table keeps one column and Rich prints nothing at width 0
# (COLUMNS=0 hid even the errors): a smaller width, from COLUMNS or the terminal, is
# taken as this one. Rich itself ignores a COLUMNS that is not a whole number.
MIN_WIDTH = 40


def _sane_width(console: Console) -> Console:
    if console.width < MIN_WIDTH:
        console.width = MIN_WIDTH
    return console


_CONSOLES: dict[bool, type[Console]] = {}


def _console_class(err: bool) -> type[Console]:
    """Rich's Console, except on a broken pipe: Rich's own handler exits 1 (stdout) or
    points the wrong descriptor at /dev/null (stderr). Here a closed stdout is the
    OutputClosed of `_stdout_guard` (exit 141), and a closed stderr drops messages."""
    if not _CONSOLES:  # made once, after Rich is imported
        from rich.console import Console

        class _OutConsole(Console):
            def on_broken_pipe(self) -> None:
                self.quiet = True
                raise BrokenPipeError

        class _ErrConsole(Console):
            def on_broken_pipe(self) -> None:
                self.quiet = True
                _drop_stream(self.file)

        _CONSOLES.update({False: _OutConsole, True: _ErrConsole})
    return _CONSOLES[err]


def _drop_stream(stream: IO[str]) -> None:
    # The reader of stderr left: later messages, and Python's flush at exit, go nowhere.
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _no_color() -> bool:
    return "NO_COLOR" in os.environ and os.environ["NO_COLOR"] != ""
