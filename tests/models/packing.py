"""Test helper: a model packed to a file through the production path (list, hash, write_archive)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from neoctl.models.pack import Kind, input_digest, open_model, write_archive


@dataclass(frozen=True)
class Packed:
    path: Path  # the .tar.gz written (or the user's own archive)
    sha256: str  # the input digest that names it
    kind: Kind


def package(source: str | os.PathLike[str], workdir: str | os.PathLike[str] | None = None) -> Packed:
    """List, hash and pack `source` into `workdir`/packed-N.tar.gz (an archive is returned as is)."""
    model = open_model(source)
    digest = input_digest(model)
    if model.kind == "archive":
        return Packed(model.path, digest, "archive")
    folder = Path(workdir if workdir is not None else Path(source).parent)
    out = folder / f"packed-{len(list(folder.glob('packed-*.tar.gz')))}.tar.gz"
    with out.open("wb") as sink:
        write_archive(model, sink, digest)
    return Packed(out, digest, model.kind)
