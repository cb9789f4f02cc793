"""No import cycles among neoctl's modules: each arrow runs one way (docs/development.md).

The graph is read from the source with `ast`, nothing is imported, so a cycle shows
here even where Python would happen to tolerate it. Every module under neoctl/ is a
node (a package is its `__init__`), none excluded: the emulator (neoctl/testing/) and
`__main__` follow the same rule. Every `import` and `from ... import` is an edge,
those inside functions included (a function-level import that points back up is still
a knot, only a later one); relative imports are resolved against the importing module.
`import a.b.c` and `from a.b import c` go to `a.b.c` when it is a module, else to the
longest prefix that is one (`a.b`); imports of anything outside neoctl are dropped.

Left out, each for a reason:
- imports under `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`): they never run, and
  annotations naming a type of a layer above are how a lower layer says what it is
  handed (their `else:` branch runs, and counts);
- the parent packages Python initialises on the way to a submodule (`neoctl`,
  `neoctl.api` for `neoctl.api.s3`): they are always initialised first, so they close
  no cycle, and counting them would tie every lazy `__init__` to its own submodules;
- dynamic imports (importlib, the lazy `neoctl.__getattr__` table): strings, not imports.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "neoctl"


def module_name(path: Path, root: Path) -> str:
    """`neoctl/api/s3.py` -> `neoctl.api.s3`; `neoctl/api/__init__.py` -> `neoctl.api`."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: anywhere, but not under `if TYPE_CHECKING:`."""
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            todo.extend(node.orelse)
        else:
            todo.extend(ast.iter_child_nodes(node))


def _existing(name: str, modules: set[str]) -> str | None:
    """`name` if it is one of `modules`, else its longest prefix that is."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _targets(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool, modules: set[str]) -> Iterator[str]:
    """The modules among `modules` that one import statement of `importer` runs."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            found = _existing(alias.name, modules)
            if found is not None:
                yield found
        return
    if node.level:
        # `from . import x` in a package's __init__ is relative to the package itself.
        anchor = importer.split(".") if is_package else importer.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, node.module] if node.module else anchor)
    else:
        base = node.module or ""
    for alias in node.names:
        found = _existing(f"{base}.{alias.name}", modules) if alias.name != "*" else None
        found = found or _existing(base, modules)
        if found is not None:
            yield found


def import_graph(sources: dict[str, tuple[str, bool]]) -> dict[str, dict[str, int]]:
    """module -> {module it imports: line of the first such import}, from
    `sources` = {module name: (its source text, whether it is a package's __init__)}."""
    modules = set(sources)
    graph: dict[str, dict[str, int]] = {name: {} for name in modules}
    for name, (text, is_package) in sources.items():
        for node in _imports(ast.parse(text, filename=name)):
            for target in _targets(node, name, is_package, modules):
                if target != name:
                    edges = graph[name]
                    edges[target] = min(edges.get(target, node.lineno), node.lineno)
    return graph


def package_sources(root: Path) -> dict[str, tuple[str, bool]]:
    """Every module under `root` (a package directory), by dotted name."""
    return {
        module_name(path, root): (path.read_text(encoding="utf-8"), path.name == "__init__.py")
        for path in sorted(root.rglob("*.py"))
    }


def _components(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _shortest_cycle(graph: dict[str, dict[str, int]], start: str, within: set[str]) -> list[str]:
    """The shortest path start -> ... -> start inside one component."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph[node]):
            if child not in within:
                continue
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if child not in came_from:
                came_from[child] = node
                queue.append(child)
    raise AssertionError(f"{start} is in a component but on no cycle")


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """For every module on a cycle, the shortest cycle through it, each cycle once
    (rotated to start at its smallest module), e.g. [["a", "b", "a"]]."""
    found: dict[tuple[str, ...], list[str]] = {}
    for component in _components(graph):
        for start in component:
            cycle = _shortest_cycle(graph, start, set(component))
            ring = cycle[:-1]
            first = ring.index(min(ring))
            ring = ring[first:] + ring[:first]
            found.setdefault(tuple(ring), [*ring, ring[0]])
    return sorted(found.values())


def describe(graph: dict[str, dict[str, int]], cycle: list[str]) -> str:
    """`a -> b -> a`, then where each arrow is (module:line)."""
    where = ", ".join(f"{a}:{graph[a][b]} imports {b}" for a, b in pairwise(cycle))
    return f"{' -> '.join(cycle)}\n    ({where})"


def test_neoctl_has_no_import_cycles() -> None:
    graph = import_graph(package_sources(PACKAGE))
    # The graph is the package's (a wrong root or a resolver that drops edges would pass vacuously).
    assert "neoctl.api.s3download" in graph and "neoctl.polling" in graph
    assert "neoctl.api.s3ranges" in graph["neoctl.api.s3download"]  # a function-level import
    found = cycles(graph)
    assert not found, f"{len(found)} import cycle(s) among neoctl's modules:\n" + "\n".join(
        describe(graph, c) for c in found
    )


def test_the_graph_sees_function_level_and_relative_imports_but_not_type_checking() -> None:
    sources = {
        "pkg": ("from . import low\n", True),
        "pkg.low": ("def f():\n    from pkg.high import g\n", False),
        "pkg.high": ("from .low import f\nimport pkg.sub.leaf\n", False),
        "pkg.sub": ("", True),
        "pkg.sub.leaf": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import high\n"
            "else:\n    import os\nfrom .. import low\n",
            False,
        ),
    }
    graph = import_graph(sources)
    assert graph == {
        "pkg": {"pkg.low": 1},
        "pkg.low": {"pkg.high": 2},
        "pkg.high": {"pkg.low": 1, "pkg.sub.leaf": 2},
        "pkg.sub": {},
        "pkg.sub.leaf": {"pkg.low": 6},
    }
    assert cycles(graph) == [["pkg.high", "pkg.low", "pkg.high"], ["pkg.high", "pkg.sub.leaf", "pkg.low", "pkg.high"]]
    assert describe(graph, ["pkg.high", "pkg.low", "pkg.high"]) == (
        "pkg.high -> pkg.low -> pkg.high\n    (pkg.high:1 imports pkg.low, pkg.low:2 imports pkg.high)"
    )
