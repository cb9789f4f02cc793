"""`deploy --code DIR`: the inference code a served model archive carries in `code/`.

The Neo inference images for PyTorch and MXNet run `code/<SAGEMAKER_PROGRAM>` of the
archive the endpoint serves; the SageMaker Python SDK attaches it by repacking the
compiled archive (neoctl/facts/inference_code.json). Here the folder is listed and hashed
(no contents packed yet): the digest, with the compiled archive's ETag, names the
repacked object, so the same code on the same compiled model is repacked once.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path

from neoctl.errors import InvalidInput
from neoctl.models.pack import LocalModel, entries, input_digest

DEFAULT_ENTRY_POINT = "inference.py"  # what the Developer Guide and the SDK's examples name it
REPACK_SCHEME = "neoctl-repack-v1"  # change it when the repacked layout changes: keys change with it


@dataclass(frozen=True)
class CodeDir:
    """A listed and hashed --code folder."""

    tree: LocalModel  # its files, as a model folder is listed (links, special files refused)
    entry_point: str
    digest: str  # pack.input_digest of the folder: names, modes, sizes and bytes
    marks: tuple[str, ...] = ()  # the running digest after each entry: a file changed later is named

    @property
    def path(self) -> Path:
        return self.tree.path

    @property
    def files(self) -> list[str]:
        """The files' names relative to the folder, sorted."""
        return [e.name for e in self.tree.entries if e.source is not None]


def open_code(path: str, entry_point: str = DEFAULT_ENTRY_POINT) -> CodeDir:
    """List and hash --code DIR; InvalidInput (252) naming --code when it is not a folder,
    holds no files, or lacks the entry point at its top (the endpoint would fail its ping
    health check importing a script that is not there)."""
    if not entry_point or "/" in entry_point or entry_point in (".", ".."):
        raise InvalidInput(
            f"--entry-point {entry_point!r} is not a file name",
            "name the script at the top of --code DIR, e.g. --entry-point inference.py",
        )
    given = Path(path)
    try:
        info = given.stat()
    except FileNotFoundError:
        raise InvalidInput(f"--code {path} does not exist", f"give the folder that holds {entry_point}") from None
    except OSError as exc:
        raise InvalidInput(f"--code {path} cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise InvalidInput(
            f"--code {path} is not a folder",
            f"give the folder that holds {entry_point} (its files go into code/ of the served archive)",
        )
    try:
        members = tuple(entries(given, "directory"))
    except InvalidInput as exc:  # the listing rules of a model folder, said of this folder
        said = exc.message.replace("the model directory", "the --code folder").replace("a model archive", "code/")
        hint = (exc.hint or "").replace("the model directory", "the --code folder") or None
        raise InvalidInput(f"--code {path}: {said}", hint) from None
    tree = LocalModel(given, "directory", members, sum(e.size for e in members))
    names = {e.name for e in members if e.source is not None}
    if entry_point not in names:
        near = sorted(n for n in names if "/" not in n and n.endswith(".py"))
        found = f" (it has {', '.join(near[:5])})" if near else ""
        raise InvalidInput(
            f"--code {path} has no {entry_point} at its top{found}: the endpoint runs code/{entry_point}",
            f"add {entry_point} to {path}, or name the script with --entry-point NAME",
        )
    marks: list[str] = []
    digest = input_digest(tree, marks=marks)
    return CodeDir(tree, entry_point, digest, tuple(marks))


def repacked_key(artifact_key: str, artifact_etag: str, code: CodeDir) -> str:
    """The S3 key of the compiled archive `artifact_key` (of that ETag) repacked with `code`:
    beside it, named by a digest of both, so a re-run finds it and other code gets another key.
    s3://b/compiled/model-ml_c5.tar.gz → s3://b/compiled/model-ml_c5-code-<16 hex>.tar.gz"""
    name = hashlib.sha256(f"{REPACK_SCHEME}\n{artifact_key}\n{artifact_etag}\n{code.digest}".encode()).hexdigest()
    stem = artifact_key.removesuffix(".tar.gz").removesuffix(".tgz")
    return f"{stem}-code-{name[:16]}.tar.gz"
