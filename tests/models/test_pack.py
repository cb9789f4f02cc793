"""Packing a local model: a content address from the inputs, normalised metadata, refused inputs."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
from pathlib import Path

import pytest

from neoctl.errors import InvalidInput

from .packing import package


def _model_dir(root: Path) -> Path:
    model = root / "model"
    (model / "sub" / "deeper").mkdir(parents=True)
    (model / "empty").mkdir()
    (model / "model.pth").write_bytes(b"weights" * 1000)
    (model / "sub" / "code.py").write_text("print('hi')\n")
    (model / "sub" / "deeper" / "run.sh").write_text("#!/bin/sh\n")
    (model / "sub" / "deeper" / "run.sh").chmod(0o700)
    (model / "a-b.txt").write_text("dash sorts before slash\n")
    return model


def _members(path: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(path, "r:gz") as archive:
        return archive.getmembers()


def test_directory_is_packed_sorted_with_normalised_metadata(tmp_path: Path) -> None:
    packed = package(_model_dir(tmp_path), workdir=tmp_path)
    try:
        members = _members(packed.path)
        assert [m.name for m in members] == [
            "a-b.txt",
            "empty",
            "model.pth",
            "sub",
            "sub/code.py",
            "sub/deeper",
            "sub/deeper/run.sh",
        ]
        by_name = {m.name: m for m in members}
        assert all(m.mtime == 0 and m.uid == 0 and m.gid == 0 for m in members)
        assert all(m.uname == "" and m.gname == "" for m in members)
        assert by_name["model.pth"].mode == 0o644 and by_name["model.pth"].isreg()
        assert by_name["sub/deeper/run.sh"].mode == 0o755  # executable stays executable
        assert by_name["sub"].mode == 0o755 and by_name["sub"].isdir()
        assert packed.kind == "directory"
    finally:
        packed.path.unlink()


def test_gzip_header_has_no_name_and_no_time(tmp_path: Path) -> None:
    packed = package(_model_dir(tmp_path), workdir=tmp_path)
    try:
        header = packed.path.read_bytes()[:10]
        assert header[:3] == b"\x1f\x8b\x08"
        assert header[3] == 0  # FLG: no FNAME, no comment, no extra
        assert header[4:8] == b"\x00\x00\x00\x00"  # MTIME
    finally:
        packed.path.unlink()


def test_same_files_give_same_address_despite_mtime_mode_and_creation_order(tmp_path: Path) -> None:
    first = package(_model_dir(tmp_path / "one"), workdir=tmp_path)
    # The same content created in another order, with other mtimes and permissions.
    other = tmp_path / "two" / "model"
    (other / "sub" / "deeper").mkdir(parents=True)
    (other / "sub" / "deeper" / "run.sh").write_text("#!/bin/sh\n")
    (other / "sub" / "deeper" / "run.sh").chmod(0o755)
    (other / "a-b.txt").write_text("dash sorts before slash\n")
    (other / "sub" / "code.py").write_text("print('hi')\n")
    (other / "sub" / "code.py").chmod(0o600)
    (other / "model.pth").write_bytes(b"weights" * 1000)
    (other / "empty").mkdir()
    for path in other.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    second = package(other, workdir=tmp_path)
    try:
        assert first.sha256 == second.sha256
        assert first.path.read_bytes() == second.path.read_bytes()  # same library: same bytes too
    finally:
        first.path.unlink()
        second.path.unlink()


def test_a_changed_byte_changes_the_digest(tmp_path: Path) -> None:
    model = _model_dir(tmp_path)
    before = package(model, workdir=tmp_path)
    (model / "model.pth").write_bytes(b"weights" * 999 + b"weightS")
    after = package(model, workdir=tmp_path)
    assert before.sha256 != after.sha256


def test_single_file_is_packed_at_the_archive_root(tmp_path: Path) -> None:
    model = tmp_path / "deep" / "resnet50.onnx"
    model.parent.mkdir()
    model.write_bytes(b"onnx")
    packed = package(model, workdir=tmp_path)
    try:
        members = _members(packed.path)
        assert [(m.name, m.mode) for m in members] == [("resnet50.onnx", 0o644)]
        with tarfile.open(packed.path, "r:gz") as archive:
            stream = archive.extractfile("resnet50.onnx")
            assert stream is not None and stream.read() == b"onnx"
        assert packed.kind == "file"
    finally:
        packed.path.unlink()


def test_existing_targz_is_used_byte_for_byte(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:  # a real mtime in the header
        info = tarfile.TarInfo("model.pth")
        info.size = 3
        archive.addfile(info, io.BytesIO(b"abc"))
    given = tmp_path / "mine.tar.gz"
    given.write_bytes(buffer.getvalue())
    packed = package(given)
    assert packed.path == given and packed.kind == "archive"
    assert packed.sha256 == hashlib.sha256(buffer.getvalue()).hexdigest()


# gzip.compress stamps the current time: named ids keep test ids equal across xdist workers.
@pytest.mark.parametrize(
    "content",
    [b"plain text, not gzip", gzip.compress(b"gzip but not a tar" * 50)],
    ids=["not-gzip", "gzip-not-tar"],
)
def test_targz_that_is_not_one_is_refused(tmp_path: Path, content: bytes) -> None:
    given = tmp_path / "model.tgz"
    given.write_bytes(content)
    with pytest.raises(InvalidInput, match=r"model\.tgz"):
        package(given)


def test_symlink_inside_is_followed_and_stored_as_a_file(tmp_path: Path) -> None:
    model = tmp_path / "model"
    (model / "blobs").mkdir(parents=True)
    (model / "blobs" / "abc").write_bytes(b"blob")
    (model / "weights.bin").symlink_to("blobs/abc")
    packed = package(model, workdir=tmp_path)
    try:
        members = {m.name: m for m in _members(packed.path)}
        assert members["weights.bin"].isreg() and members["weights.bin"].size == 4
        assert not any(m.issym() or m.islnk() for m in members.values())
    finally:
        packed.path.unlink()


def test_symlink_leaving_the_directory_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "id_rsa"
    secret.write_text("secret")
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.pth").write_text("w")
    (model / "key").symlink_to(secret)
    before = set(tmp_path.iterdir())
    with pytest.raises(InvalidInput, match="points outside the model directory"):
        package(model, workdir=tmp_path)
    assert set(tmp_path.iterdir()) == before  # no temp archive left behind


@pytest.mark.parametrize("target", ["missing", "subdir"])
def test_dangling_and_directory_links_are_refused(tmp_path: Path, target: str) -> None:
    model = tmp_path / "model"
    (model / "subdir").mkdir(parents=True)
    (model / "subdir" / "f").write_text("x")
    (model / "link").symlink_to(target)
    with pytest.raises(InvalidInput, match="symlink"):
        package(model, workdir=tmp_path)


def test_fifo_inside_is_refused(tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.pth").write_text("w")
    os.mkfifo(model / "pipe")
    with pytest.raises(InvalidInput, match="FIFO"):
        package(model, workdir=tmp_path)


def test_missing_path_empty_dir_and_plain_tar_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        package(tmp_path / "nope")
    (tmp_path / "empty" / "nested").mkdir(parents=True)
    with pytest.raises(InvalidInput, match="holds no files"):
        package(tmp_path / "empty")
    (tmp_path / "model.tar").write_bytes(b"x")
    with pytest.raises(InvalidInput, match="uncompressed tar"):
        package(tmp_path / "model.tar")


def test_symlink_loop_is_named_a_loop_not_dangling(tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.pth").write_text("w")
    (model / "a").symlink_to("b")
    (model / "b").symlink_to("a")
    with pytest.raises(InvalidInput, match=r"symlink loop \(ELOOP") as caught:
        package(model, workdir=tmp_path)
    assert "dangling" not in caught.value.message
    assert caught.value.hint and "cp -L" in caught.value.hint


def test_input_digest_changes_with_a_name_or_mode_and_archive_is_readable_by_tar(tmp_path: Path) -> None:
    import subprocess

    model = _model_dir(tmp_path)
    base = package(model, workdir=tmp_path)
    (model / "model.pth").rename(model / "model2.pth")
    renamed = package(model, workdir=tmp_path)
    (model / "model2.pth").chmod(0o755)
    executable = package(model, workdir=tmp_path)
    assert len({base.sha256, renamed.sha256, executable.sha256}) == 3
    out = tmp_path / "x"
    out.mkdir()
    subprocess.run(["tar", "xzf", str(base.path), "-C", str(out)], check=True)
    assert (out / "model.pth").read_bytes() == b"weights" * 1000
    assert (out / "sub" / "deeper" / "run.sh").stat().st_mode & 0o111


def test_without_isal_the_stdlib_zlib_makes_the_same_archive_members(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from neoctl.models import pack

    with_isal = package(_model_dir(tmp_path / "one"), workdir=tmp_path)
    monkeypatch.setitem(sys.modules, "isal", None)  # `import isal` now raises ImportError
    assert pack._compressobj()[0] == "zlib"
    without = package(_model_dir(tmp_path / "two"), workdir=tmp_path)
    assert without.sha256 == with_isal.sha256  # the key does not depend on the library
    with tarfile.open(with_isal.path, "r:gz") as a, tarfile.open(without.path, "r:gz") as b:
        assert [(m.name, m.size, m.mode) for m in a] == [(m.name, m.size, m.mode) for m in b]
        assert a.extractfile("model.pth").read() == b.extractfile("model.pth").read()  # type: ignore[union-attr]
