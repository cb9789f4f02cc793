"""Safe YAML loading that remembers where every value came from.

PyYAML's `safe_load` keeps the last of duplicate keys silently, expands alias bombs
when the result is walked, and forgets line numbers. We compose nodes with the safe
loader (no object construction from tags) and build plain Python values ourselves,
so that every value's line and column, and the original text of every scalar, stay
available for error messages.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from typing import Any

import yaml

from neoctl.errors import Problem

Path = tuple[str | int, ...]

# An alias bomb composes in milliseconds (aliases share nodes) but expands
# exponentially; a real job spec has a few hundred values at most.
MAX_VALUES = 100_000
MAX_FILE_BYTES = 4 * 1024 * 1024
# A spec is a handful of levels deep. PyYAML composes and we build recursively, so
# deeper nesting (or an alias inside its own anchor) would hit Python's recursion limit.
MAX_DEPTH = 64
_MERGE = "tag:yaml.org,2002:merge"

_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class Document:
    """One YAML document of a spec file, with the position of each value."""

    file: str
    index: int  # 0-based position of the document in its file
    data: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)  # path → (line, col), 1-based
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    raw: dict[Path, str] = field(default_factory=dict)  # path → scalar text as written
    plain: set[Path] = field(default_factory=set)  # paths of unquoted scalars
    broken: bool = False  # the YAML itself had problems: its values are not checked further

    def where(self, path: Path, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of `path`, or of its nearest ancestor that has one."""
        table = self.key_marks if key else self.marks
        if path not in table and path not in self.marks:
            # Mapping keys that are not text (tags: {1.5: x}) are stored under their text.
            as_text = tuple(p if isinstance(p, str) else str(p) for p in path)
            if as_text in table or as_text in self.marks:
                path = as_text
        p = path
        while True:
            if p in table:
                return table[p]
            if key and p in self.marks:
                return self.marks[p]
            if not p:
                return (None, None)
            p = p[:-1]


class _TooBig(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark | None, why: str = "") -> None:
        super().__init__(why)
        self.mark = mark
        self.why = why


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing to compose nodes nested deeper than MAX_DEPTH."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.count = 0
        self.problems: list[Problem] = []
        self._scalar = yaml.SafeLoader("")  # only its scalar constructors are used

    def _mark(self, node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def _problem(self, node: yaml.Node, path: Path, message: str, hint: str | None = None) -> None:
        line, col = self._mark(node)
        self.problems.append(Problem(self.doc.file, dotted(path), message, line=line, column=col, hint=hint))

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig
        if len(path) > MAX_DEPTH:  # only an alias used inside its own anchor gets here
            raise _TooDeep(node.start_mark, " (an alias used inside its own anchor?)")
        self.doc.marks.setdefault(path, self._mark(node))
        if node.tag not in _SAFE_TAGS:
            self._problem(
                node,
                path,
                f"the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed",
                "job specs hold plain data only; remove the tag",
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        self.doc.raw[path] = node.value
        if node.style is None:
            self.doc.plain.add(path)
        value = self._scalar.construct_object(node, deep=True)
        if node.tag == "tag:yaml.org,2002:timestamp":
            # YAML 1.1 turns 2024-01-01 into a date; a spec wants the text.
            return node.value
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        explicit = {id(k) for k, _ in node.value if k.tag != _MERGE}
        try:
            self._scalar.flatten_mapping(node)  # resolves `<<` merge keys, merged pairs first
        except yaml.constructor.ConstructorError as exc:
            bad = exc.problem_mark or node.start_mark
            self.problems.append(
                Problem(
                    self.doc.file,
                    dotted((*path, "<<")),
                    "a merge key (<<) takes a mapping or a list of mappings",
                    line=bad.line + 1,
                    column=bad.column + 1,
                    hint="write <<: *name, where &name marks a mapping",
                )
            )
            node.value = [(k, v) for k, v in node.value if k.tag != _MERGE]
        pairs: list[tuple[yaml.Node, yaml.Node, Any, bool]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, path, "a mapping key must be a plain value")
                continue
            key = key_node.value if key_node.tag == "tag:yaml.org,2002:str" else self.build(key_node, (*path, "<key>"))
            if not isinstance(key, str | int | float | bool) and key is not None:
                self._problem(key_node, path, "a mapping key must be a plain value")
                continue
            pairs.append((key_node, value_node, key, id(key_node) not in explicit))
        # YAML merge keys: a key written in this mapping overrides a merged one, and the
        # first merged mapping that has a key wins; neither is a duplicate.
        written = {key for _, _, key, merged in pairs if not merged}
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node, key, merged in pairs:
            if merged and (key in written or key in first_line):
                continue
            line = key_node.start_mark.line + 1
            if key in first_line:
                self._problem(
                    key_node,
                    (*path, str(key)),
                    f"duplicate key {key!s} on lines {first_line[key]} and {line}",
                    "keep one of them",
                )
                continue
            first_line[key] = line
            child = (*path, key if isinstance(key, str) else str(key))
            self.doc.key_marks[child] = self._mark(key_node)
            result[key] = self.build(value_node, child)
        return result


def dotted(path: Path) -> str:
    """`("OutputConfig", "TargetDevice")` → `OutputConfig.TargetDevice`; indices as `[0]`.

    Keys that are not text (a number or boolean written as a mapping key) show as `[1.5]`.
    """
    out = ""
    for part in path:
        if isinstance(part, str):
            out += ("." if out else "") + part
        else:
            out += f"[{part}]"
    return out


def decode(data: bytes, file: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text of a spec file (BOM allowed), or the problem that prevents it."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(
            file,
            "",
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            line=line,
            hint="save the file as UTF-8",
        )


def load_documents(text: str, file: str) -> tuple[list[Document], list[Problem]]:
    """Every document of a YAML stream, with positions, or the problems found."""
    docs: list[Document] = []
    problems: list[Problem] = []
    try:
        loader = _Loader(text)  # a str input is checked for unprintable characters here
    except yaml.reader.ReaderError as exc:
        return docs, [_unprintable(text, file, exc)]
    try:
        index = 0
        while loader.check_node():
            node = loader.get_node()
            doc = Document(file=file, index=index, data=None)
            index += 1
            if node is None:
                continue
            builder = _Builder(doc)
            try:
                doc.data = builder.build(node, ())
            except _TooBig:
                line = node.start_mark.line + 1
                problems.append(
                    Problem(
                        file,
                        "",
                        f"the document expands to more than {MAX_VALUES:,} values (an alias bomb?)",
                        line=line,
                        hint="remove the repeated aliases (*name)",
                    )
                )
                continue
            except _TooDeep as exc:
                problems.append(_too_deep(file, exc))
                continue
            problems.extend(builder.problems)
            doc.broken = bool(builder.problems)
            docs.append(doc)
    except _TooDeep as exc:
        problems.append(_too_deep(file, exc))
    except yaml.reader.ReaderError as exc:
        problems.append(_unprintable(text, file, exc))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        hint = "check the indentation and brackets on this line and the one above"
        if "'\\t'" in what:
            hint = "indent with spaces: YAML does not allow tabs there"
        problems.append(
            Problem(
                file,
                "",
                f"YAML syntax error: {what}",
                line=line,
                column=col,
                hint=hint,
            )
        )
    except yaml.YAMLError as exc:
        problems.append(Problem(file, "", f"YAML error: {exc}"))
    finally:
        loader.dispose()
    return docs, problems


def _unprintable(text: str, file: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML refuses (a raw escape or control byte), with its line and column."""
    position = exc.position if isinstance(exc.position, int) and 0 <= exc.position <= len(text) else 0
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(text[position]) if position < len(text) else 0
    kind = "control character" if code < 0x20 or 0x7F <= code <= 0x9F else "character"
    name = f"0x{code:02x}" if code < 0x100 else f"U+{code:04X}"
    escape = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return Problem(
        file,
        "",
        f"{kind} {name} is not allowed in YAML",
        line=line,
        column=column,
        hint=f'remove it, or write it as an escape inside double quotes ("{escape}")',
    )


def _too_deep(file: str, exc: _TooDeep) -> Problem:
    mark = exc.mark
    return Problem(
        file,
        "",
        f"the document is nested more than {MAX_DEPTH} levels deep{exc.why}",
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
        hint="a job spec is a few levels deep; check the brackets and aliases here",
    )
