"""A request, or the values that will fill one, judged against the installed API model
before anything is sent: the one check every command's values go through.

botocore checks types and required members only; SageMaker refuses the rest (patterns,
enums, lengths, ranges) once the request arrives — for a multi-step command, after the
earlier steps created something. Here every problem is found at once and named by the
flag or argument that filled the member (`origin`), with the fix when there is one.

`origin` maps member paths to what filled them, the longest matching path winning:
("EndpointName",) → "--endpoint". "*" in a path stands for every item of a list. A
source of None marks a part copied from what SageMaker returned (a config deploy copies):
the service accepted it once, so it is not judged again here — the installed botocore
may predate a value the service has since added.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from neoctl.apimodel import ApiModel, load_model
from neoctl.apimodel import check as modelcheck
from neoctl.errors import InvalidInput

Path = tuple[str | int, ...]
Origin = Mapping[Path, str | None]
EACH = "*"  # in an origin path: every item of a list


@dataclass(frozen=True)
class Refusal:
    """One value the model refuses: where it would go, what filled it, why, and the fix."""

    operation: str
    path: Path
    source: str | None  # the flag or argument, or None when neoctl or SageMaker filled it
    message: str
    hint: str | None = None
    entry: str | None = None  # within what the source filled: the map key (--env KEY)

    def render(self, *, with_hint: bool = False) -> str:
        """One line: `--endpoint 'bad!' does not match … (CreateEndpoint EndpointName)`."""
        where = f"{self.operation} {dotted(self.path)}"
        if self.source is None:
            text = f"{where}: {self.message}"
        else:
            # check's messages start with the value or a verb: read on from the flag's name.
            joined = self.message.startswith(("'", '"', "is ", "has ", "must ", "needs "))
            label = self.source
            if self.entry is not None and not self.message.startswith(repr(self.entry)):
                label += f" {self.entry}"
            text = f"{label}{' ' if joined else ': '}{self.message} ({where})"
        return text + (f" ({self.hint})" if with_hint and self.hint else "")


def dotted(path: Path) -> str:
    """ProductionVariants[0].InstanceType; [] for EACH."""
    text = ""
    for part in path:
        if isinstance(part, int) or part == EACH:
            text += f"[{'' if part == EACH else part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _matches(pattern: Path, path: Path) -> bool:
    if len(pattern) > len(path):
        return False
    return all(p == q or (p == EACH and isinstance(q, int)) for p, q in zip(pattern, path, strict=False))


def _source(origin: Origin, path: Path) -> tuple[Path | None, str | None]:
    """(the longest origin path that `path` starts with, its source)."""
    best: Path | None = None
    for pattern in origin:
        if _matches(pattern, path) and (best is None or len(pattern) > len(best)):
            best = pattern
    return (None, None) if best is None else (best, origin[best])


def _entry(base: Path, path: Path) -> str | None:
    # A map key below what the source filled: the entry a reader looks for (--env KEY).
    rest = path[len(base) :]
    return rest[-1] if len(rest) == 1 and isinstance(rest[-1], str) else None


def model_for(operation: str) -> ApiModel:
    """The model that judges `operation`: SageMaker's, or sagemaker-runtime's for an
    operation named with its prefix ("sagemaker-runtime.InvokeEndpoint")."""
    from neoctl.apimodel.runtime import is_runtime, load_runtime_model

    return load_runtime_model() if is_runtime(operation) else load_model()


def refusals(operation: str, request: Mapping[str, Any], origin: Origin) -> list[Refusal]:
    """Every way `request` breaks `operation`'s input shape (required members included),
    each named by its source in `origin`; parts whose source is None are not judged."""
    model = model_for(operation)
    found: list[Refusal] = []

    def report(path: Path, message: str, hint: str | None) -> None:
        base, source = _source(origin, path)
        if base is not None and source is None:
            return
        entry = _entry(base, path) if base is not None else None
        found.append(Refusal(operation, path, source, message, hint, entry))

    modelcheck.check(model, model.inputs[operation], dict(request), (), report)
    return found


def value_refusals(operation: str, values: Iterable[tuple[Path, str, Any]]) -> list[Refusal]:
    """Each (member path, source, value) judged against the shape of the member it will fill,
    for a request that cannot be built yet (its other members come from a lookup). A list
    given for a member that is not a list is judged item by item (`stop A B C`)."""
    model = model_for(operation)
    found: list[Refusal] = []
    for path, source, value in values:
        shape_name = member_shape(operation, path)
        items = value if isinstance(value, list) and model.shape(shape_name)["type"] != "list" else [value]

        def report(at: Path, message: str, hint: str | None, source: str = source, path: Path = path) -> None:
            found.append(Refusal(operation, at, source, message, hint, _entry(path, at)))

        for item in items:
            modelcheck.check(model, shape_name, item, path, report)
    return found


def member_shape(operation: str, path: Path) -> str:
    """The name of the shape at a member path of `operation`'s input: through structures,
    list items (an index or EACH) and map entries (a key)."""
    model = model_for(operation)
    shape_name: str = model.inputs[operation]
    for part in path:
        shape = model.shape(shape_name)
        if shape["type"] == "list":
            shape_name = shape["member"]
            if part == EACH or isinstance(part, int):
                continue
            shape = model.shape(shape_name)
        shape_name = shape["value"] if shape["type"] == "map" else shape["members"][part]
    return shape_name


def refuse(found: list[Refusal]) -> None:
    """InvalidInput (exit 252) naming every refusal; nothing when there is none."""
    unique = list(dict.fromkeys(found))
    if not unique:
        return
    if len(unique) == 1:
        raise InvalidInput(unique[0].render(), unique[0].hint)
    raise InvalidInput("; ".join(r.render(with_hint=True) for r in unique), "nothing was sent: fix each of them")


def check_request(operation: str, request: Mapping[str, Any], origin: Origin) -> None:
    """InvalidInput (252) unless the model accepts the whole request (see refusals)."""
    refuse(refusals(operation, request, origin))


def check_values(operation: str, values: Iterable[tuple[Path, str, Any]]) -> None:
    """InvalidInput (252) unless the model accepts each value for its member (see value_refusals)."""
    refuse(value_refusals(operation, values))
