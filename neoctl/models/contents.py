"""What a model archive holds, checked against what SageMaker Neo's loader looks for.

Pure (no AWS, no file contents read): run before anything is packed or uploaded, so a
model Neo would refuse ("No pth file found", "Exactly one .pth file is allowed", ...)
is caught in seconds instead of after an upload and a queued job.

    members = list_model("./resnet50")              # what the .tar.gz would hold
    problems = check_contents("PYTORCH", members)   # [] when Neo's loader would find its files

The rules follow Neo's open loader (neo-ai/neo-loader, NL below) and the developer
guide (DG); docs/neo-support.md section 3 has the sources. NL extracts the archive,
takes every member name at any depth (folders too), drops names whose *basename*
starts with "." and matches by suffix, case-sensitively. Where the sources disagree
neoctl is conservative: it warns where NL would accept what DG forbids (or the reverse),
and refuses only what a source says fails.

Two rules of neoctl's own, on top of NL:
- the DG wants model files at the archive root (a `code/` folder of inference code is
  allowed). NL searches every folder, so a model file found only deeper (the user
  packed the parent folder) is a warning naming where it is, not an error;
- members under `code/` are not counted as model files (DG's inference-code layout).
"""

from __future__ import annotations

import io
import os
import posixpath
import stat
import tarfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, TypeAlias

from neoctl.errors import InvalidInput
from neoctl.models.pack import ARCHIVE_SUFFIXES, entries, stat_model_path
from neoctl.models.tarstream import gzip_tar, read_errors

MemberKind = Literal["file", "dir", "link", "other"]
Level = Literal["error", "warning"]

CODE_DIR = "code"
SHOWN = 5  # names listed in a message before "and N more"
ROOT_RULE = "at the archive root; code/ allowed"
# The hint when there are several: the message has already named them and said the rule.
KEEP_ONE = "remove all but the one to compile"
# MXNet .json files that are not the symbol file (NL mxnet_model_loader.py).
MXNET_AUX_JSON = frozenset({"model-shapes.json", "hyperparams.json", "amba_config.json", "model-metadata.json"})
MXNET_CROSS_VALIDATION_PREFIX = "model0"  # SageMaker Autopilot: several models, the model0* one is used
XGBOOST_CROSS_VALIDATION_SUFFIX = "xgboost-model-0"


@dataclass(frozen=True)
class Member:
    """One entry of the archive Neo would receive: POSIX name relative to its root."""

    name: str  # "model.pth", "code/inference.py", "saved/variables" (no "./", no trailing "/")
    kind: MemberKind  # "link": a symlink or hard link inside a user's own .tar.gz
    size: int = 0  # bytes (0 for folders and links)

    @property
    def basename(self) -> str:
        """The last part of the name."""
        return posixpath.basename(self.name)

    @property
    def at_root(self) -> bool:
        """True when the member sits directly at the archive root."""
        return "/" not in self.name


@dataclass(frozen=True)
class ContentProblem:
    """Something in the archive Neo's loader would refuse (error) or might trip on (warning)."""

    level: Level
    message: str  # what was found and what was expected
    hint: str  # the fix


# -- listing ------------------------------------------------------------------------

# reading(path, size) is entered before a .tar.gz of `size` bytes is read to list it (the
# one kind of model whose listing reads every byte); what it gives is called with each
# number of bytes read. The CLI shows a progress bar with it (neoctl.output.transfer).
Reading: TypeAlias = Callable[[Path, int], AbstractContextManager[Callable[[int], None]]]


def list_model(path: str | os.PathLike[str], reading: Reading | None = None) -> list[Member]:
    """What the .tar.gz built from `path` (neoctl.models.pack) would hold, sorted by name.

    A directory is walked with pack's own rules (links to files inside it are listed as
    the files they point to; links leaving it, dangling links and special files raise
    InvalidInput exactly as packing would). A single file is one member named after it.
    A .tar.gz / .tgz is listed from its tar headers in one streaming pass: contents are
    decompressed to be skipped but never extracted or kept. Raises InvalidInput for a
    path that cannot be read and for an archive that is not a gzip tar.
    """
    given = Path(path)
    info = stat_model_path(given)  # as pack does
    if stat.S_ISDIR(info.st_mode):
        return _list_directory(given)
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"model path {given} is not a regular file or a directory")
    if given.name.lower().endswith(ARCHIVE_SUFFIXES):
        try:
            with given.open("rb") as stream:
                if reading is None:
                    return list_archive(stream, f"model path {given}")
                with reading(given, info.st_size) as advance:
                    return list_archive(_Counted(stream, advance), f"model path {given}")
        except OSError as exc:
            raise InvalidInput(f"model path {given} cannot be read: {exc.strerror or exc}") from None
    if given.name.lower().endswith(".tar"):  # refused by pack too: Neo needs gzip
        raise InvalidInput(
            f"model path {given} is an uncompressed tar; SageMaker Neo needs a .tar.gz",
            f"compress it (`gzip {given}`) or give the directory it was made from",
        )
    return [Member(given.name, "file", info.st_size)]


class _Counted(io.RawIOBase):
    """A file read through, telling `advance` how many bytes each read gave."""

    def __init__(self, raw: IO[bytes], advance: Callable[[int], None]) -> None:
        self._raw = raw
        self._advance = advance

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._raw.read(-1 if size is None else size)
        self._advance(len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        got = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        self._advance(got or 0)
        return int(got or 0)


def _list_directory(root: Path) -> list[Member]:
    # pack's own walk (sizes from its stat), so the listing can never disagree with what is packed.
    return [
        Member(entry.name, "dir") if entry.source is None else Member(entry.name, "file", entry.size)
        for entry in entries(root, "directory")
    ]


def list_archive(stream: IO[bytes] | io.RawIOBase, label: str = "the model archive") -> list[Member]:
    """The members of the gzip tar read from `stream`, from their headers, sorted by name.

    Reads the stream once, front to back, in bounded memory (neoctl.models.tarstream:
    zlib-ng; 249 MB of weights inflated in ~1.2 s, 1.3-1.5 s with ISA-L): member data is
    decompressed only to be skipped, and the gzip trailer's CRC is checked. Names are
    normalised the way an extraction sees them ("./model.pth" is "model.pth"; the "."
    entry is dropped). Raises InvalidInput "not a gzip tar" for anything tar cannot walk
    to its end.
    """
    unreadable = f"{label} is not a gzip tar; SageMaker Neo would fail with 'Unable to untar input model'"
    hint = "pack the model with `tar czf model.tar.gz -C MODEL_DIR .`, or give the directory itself"
    members: dict[str, Member] = {}
    try:
        with gzip_tar(stream) as archive:
            for info in archive:
                name = _normalise(info.name)
                if name:
                    members[name] = Member(name, *_kind(info))  # a later header wins, as on extraction
    except read_errors() as exc:
        raise InvalidInput(f"{unreadable} ({exc})", hint) from None
    return [members[name] for name in sorted(members)]


def _normalise(name: str) -> str:
    name = posixpath.normpath(name.replace("\\", "/")).lstrip("/")
    while name.startswith("./"):
        name = name[2:]
    return "" if name in (".", "..") else name


def _kind(info: tarfile.TarInfo) -> tuple[MemberKind, int]:
    if info.isdir():
        return "dir", 0
    if info.isreg():
        return "file", info.size
    if info.issym() or info.islnk():
        return "link", 0
    return "other", 0


# -- checking -----------------------------------------------------------------------


def check_contents(framework: str, members: Sequence[Member]) -> list[ContentProblem]:
    """What Neo's loader for `framework` would refuse (errors) or might trip on (warnings).

    `framework` is the API's Framework value, any case. An unknown framework gives no
    problems (the spec checks report it). Errors come first.
    """
    name = framework.upper()
    checker = _CHECKERS.get(name)
    if checker is None:
        return []
    view = _View(members)
    problems = checker(view, name)
    return sorted(problems, key=lambda p: p.level != "error")  # stable: errors, then warnings


class _View:
    """The members NL counts: hidden basenames dropped; code/ set apart (neoctl's rule)."""

    def __init__(self, members: Iterable[Member]) -> None:
        visible = [m for m in members if not m.basename.startswith(".")]
        self.code = [m for m in visible if _in_code(m.name)]
        self.counted = [m for m in visible if not _in_code(m.name)]
        self.files = [m for m in self.counted if m.kind in ("file", "link")]

    def with_suffix(self, *suffixes: str) -> list[Member]:
        """Files whose last suffix is one of `suffixes` (case-sensitive, as NL's Path.suffix)."""
        return [m for m in self.files if posixpath.splitext(m.basename)[1] in suffixes]

    def near_misses(self, *suffixes: str) -> list[Member]:
        """Files with one of `suffixes` in another case (NL would not see them)."""
        lowered = {s.lower() for s in suffixes}
        return [
            m
            for m in self.files
            if posixpath.splitext(m.basename)[1].lower() in lowered
            and posixpath.splitext(m.basename)[1] not in suffixes
        ]


_Checker: TypeAlias = Callable[[_View, str], list[ContentProblem]]


def _in_code(name: str) -> bool:
    return name == CODE_DIR or name.startswith(CODE_DIR + "/")


def _names(members: Iterable[Member]) -> str:
    names = sorted(m.name + ("/" if m.kind == "dir" else "") for m in members)
    if not names:
        return "nothing"
    shown = ", ".join(names[:SHOWN])
    return shown if len(names) <= SHOWN else f"{shown} and {len(names) - SHOWN} more"


def _found(view: _View) -> str:
    """What the archive holds, for a 'none found' message."""
    if view.counted:
        return f"found {_names(view.files or view.counted)}"
    if view.code:
        return "found only code/"
    return "found nothing; names starting with '.' are not counted"


def _exactly_one(view: _View, framework: str, suffixes: tuple[str, ...], what: str) -> list[ContentProblem]:
    """The common rule: exactly one file named *<suffix>, ideally at the archive root."""
    matches = view.with_suffix(*suffixes)
    if not matches:
        hint = f"add the model's {what} file"
        if misses := view.near_misses(*suffixes):
            hint = f"rename {_names(misses)}: Neo matches the suffix {what} case-sensitively"
        return [
            ContentProblem(
                "error",
                f"no {what} file in the {framework} model ({_found(view)}); Neo needs exactly one, {ROOT_RULE}",
                hint,
            )
        ]
    if len(matches) > 1:
        return [
            ContentProblem(
                "error",
                f"{len(matches)} {what} files in the {framework} model ({_names(matches)}); "
                f"Neo needs exactly one, {ROOT_RULE}",
                KEEP_ONE,
            )
        ]
    return _nested(matches[0], posixpath.splitext(matches[0].basename)[1])


def _nested(member: Member, what: str) -> list[ContentProblem]:
    if member.at_root:
        return []
    folder = posixpath.dirname(member.name)
    return [
        ContentProblem(
            "warning",
            f"the {what} file is at {member.name}: Neo wants model files {ROOT_RULE} "
            "(its open loader searches folders, so this may still work)",
            f"pack the contents of {folder}/ rather than the folder: point model.path at it, "
            f"or `tar czf model.tar.gz -C {folder} .`",
        )
    ]


def _simple(suffix: str) -> _Checker:
    def check(view: _View, framework: str) -> list[ContentProblem]:
        return _exactly_one(view, framework, (suffix,), suffix)

    return check


def _pytorch(view: _View, framework: str) -> list[ContentProblem]:
    # DG allows .pt or .pth; NL and DG troubleshooting only .pth: accept both, warn on .pt.
    problems = _exactly_one(view, framework, (".pth", ".pt"), ".pt/.pth")
    if problems and problems[0].level == "error":
        return problems
    (model,) = view.with_suffix(".pth", ".pt")
    if model.name.endswith(".pt"):
        problems.append(
            ContentProblem(
                "warning",
                f"the PyTorch model is {model.name}: the developer guide accepts .pt, "
                "but Neo's open loader looks for .pth",
                f"rename it to {model.name[:-3]}.pth if the job fails with 'No pth file found'",
            )
        )
    return problems


def _darknet(view: _View, framework: str) -> list[ContentProblem]:
    return _exactly_one(view, framework, (".cfg",), ".cfg") + _exactly_one(view, framework, (".weights",), ".weights")


def _mxnet(view: _View, framework: str) -> list[ContentProblem]:
    symbols = [m for m in view.with_suffix(".json") if m.basename not in MXNET_AUX_JSON]
    params = view.with_suffix(".params")
    if not symbols:
        return [
            ContentProblem(
                "error",
                f"no MXNet symbol file (*-symbol.json) in the {framework} model ({_found(view)}); "
                f"Neo needs one, {ROOT_RULE}",
                "export the model with HybridBlock.export(), which writes NAME-symbol.json and "
                "NAME-0000.params, and add both",
            )
        ]
    if len(symbols) > 1:
        preferred = [m for m in symbols if m.basename.startswith(MXNET_CROSS_VALIDATION_PREFIX)]
        if len(preferred) != 1:
            return [
                ContentProblem(
                    "error",
                    f"{len(symbols)} MXNet symbol files (.json) in the {framework} model "
                    f"({_names(symbols)}); Neo needs exactly one, {ROOT_RULE} "
                    f"(other than {', '.join(sorted(MXNET_AUX_JSON))})",
                    KEEP_ONE,
                )
            ]
        symbols = preferred
    symbol = symbols[0]
    prefix = (
        symbol.basename.replace("-symbol.json", "")
        if "-symbol.json" in symbol.basename
        else symbol.basename.replace(".json", "")
    )
    problems = _nested(symbol, "MXNet symbol")
    if not params:
        return [
            ContentProblem(
                "error",
                f"no MXNet parameter file (.params) in the {framework} model ({_found(view)}); "
                f"Neo needs {prefix}-NNNN.params beside {symbol.name}",
                f"add the {prefix}-0000.params written by HybridBlock.export() {ROOT_RULE}",
            )
        ]
    matching = [m for m in params if m.basename.startswith(prefix)]
    if not matching:
        return [
            ContentProblem(
                "error",
                f"no MXNet parameter file starts with the symbol file's prefix '{prefix}' "
                f"(symbol {symbol.name}; found {_names(params)})",
                f"rename the parameter file to {prefix}-0000.params, the name HybridBlock.export() gives it",
            )
        ]
    if len(matching) > 1:
        problems.append(
            ContentProblem(
                "warning",
                f"{len(matching)} MXNet parameter files for '{prefix}' ({_names(matching)}): "
                "Neo's open loader uses the highest epoch, the developer guide says only one is allowed",
                f"keep only the {prefix}-NNNN.params you mean to compile",
            )
        )
    else:
        problems += _nested(matching[0], "MXNet parameter")
    return problems


def _tensorflow(view: _View, framework: str) -> list[ContentProblem]:
    folders = _saved_model_folders(view.counted)
    graphs = view.with_suffix(".pb", ".pbtxt")
    checkpoints = [m for m in view.counted if m.basename == "checkpoint" and not m.at_root]
    problems = (
        [
            ContentProblem(
                "error",
                f"TensorFlow checkpoints are not supported (found {_names(checkpoints)})",
                "export a SavedModel (tf.saved_model.save) or a frozen graph (.pb) instead",
            )
        ]
        if checkpoints
        else []
    )
    if len(folders) > 1:
        shown = ", ".join(f"{f}/" if f else "the archive root" for f in folders)
        return [
            *problems,
            ContentProblem(
                "error",
                f"{len(folders)} SavedModel folders in the {framework} model ({shown}); Neo needs exactly one",
                f"{KEEP_ONE}, {ROOT_RULE}",
            ),
        ]
    if len(graphs) > 1:
        # NL counts every .pb/.pbtxt before it looks for a SavedModel folder.
        return [
            *problems,
            ContentProblem(
                "error",
                f"{len(graphs)} .pb/.pbtxt files in the {framework} model ({_names(graphs)}); "
                "Neo needs one SavedModel folder or exactly one frozen graph",
                f"{KEEP_ONE} (a SavedModel's saved_model.pb counts), {ROOT_RULE}",
            ),
        ]
    if not folders and not graphs:
        return [
            *problems,
            ContentProblem(
                "error",
                f"no SavedModel folder and no .pb/.pbtxt file in the {framework} model ({_found(view)}); "
                "Neo needs one or the other",
                f"put a SavedModel (saved_model.pb + variables/) or one frozen .pb {ROOT_RULE}",
            ),
        ]
    if not folders:
        problems += _nested(graphs[0], posixpath.splitext(graphs[0].basename)[1])
    return problems


def _saved_model_folders(members: Sequence[Member]) -> list[str]:
    """Folders ("" for the root) holding saved_model.pb or variables/, as listed or implied."""
    folders = set()
    for m in members:
        if m.basename == "saved_model.pb" and m.kind in ("file", "link"):
            folders.add(posixpath.dirname(m.name))
        parts = m.name.split("/")
        if "variables" in parts[:-1] or (m.basename == "variables" and m.kind == "dir"):
            folders.add("/".join(parts[: parts.index("variables")]))
    return sorted(folders)


def _xgboost(view: _View, framework: str) -> list[ContentProblem]:
    # NL: every member counts (folders too), whatever its extension.
    problems = []
    if view.code:
        problems.append(
            ContentProblem(
                "warning",
                f"the archive has code/ ({_names(m for m in view.code if m.kind != 'dir')}): "
                "Neo's open loader counts every member of an XGBoost archive, code/ included",
                "leave code/ out if the job fails with 'only one XGBoost model file is allowed'",
            )
        )
    if not view.files:
        return [
            ContentProblem(
                "error",
                f"no model file in the {framework} model ({_found(view)}); Neo needs exactly one",
                f"put the file Booster.save_model() wrote {ROOT_RULE}",
            ),
            *problems,
        ]
    if len(view.counted) > 1:
        chosen = [m for m in view.counted if m.name.endswith(XGBOOST_CROSS_VALIDATION_SUFFIX)]
        if len(chosen) != 1:
            return [
                ContentProblem(
                    "error",
                    f"{len(view.counted)} members in the {framework} model ({_names(view.counted)}); "
                    "Neo takes exactly one file, whatever its name (folders count)",
                    "keep only the model file, at the archive root",
                ),
                *problems,
            ]
        return problems + _nested(chosen[0], "XGBoost model")
    return problems + _nested(view.files[0], "XGBoost model")


_CHECKERS: dict[str, _Checker] = {
    "PYTORCH": _pytorch,
    "ONNX": _simple(".onnx"),
    "TFLITE": _simple(".tflite"),
    "KERAS": _simple(".h5"),
    "SKLEARN": _simple(".joblib"),
    "DARKNET": _darknet,
    "MXNET": _mxnet,
    "TENSORFLOW": _tensorflow,
    "XGBOOST": _xgboost,
}
