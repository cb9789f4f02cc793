"""deploy --code: the --code folder listed and hashed (open_code), the repacked object's key,
and the compiled archive repacked with the folder under code/ (repack, stored)."""

from __future__ import annotations

import gzip
import io
import os
import posixpath
import random
import re
import tarfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from neoctl.errors import EXIT_INVALID_INPUT, InvalidInput
from neoctl.models.code import CodeDir, open_code, repacked_key
from neoctl.models.repack import CODE_METADATA, repack, stored
from neoctl.models.tarstream import ChunkReader

BIG = 1024 * 1024 + 4321  # > 1 MiB and not a multiple of any buffer size: copied in several reads
# (kind, name, content or link target, mode)
Member = tuple[str, str, bytes | str, int]


def _tar_bytes(members: Iterable[Member], compression: str = "gz") -> bytes:
    """A tar (compressed with `compression`: "gz", "xz" or "" for none) holding exactly `members`;
    kind is file, dir, sym or hard. Each member gets its own mtime, owner and group."""
    buffer = io.BytesIO()
    mode = f"w:{compression}" if compression else "w"
    with tarfile.open(fileobj=buffer, mode=mode, format=tarfile.PAX_FORMAT) as archive:  # type: ignore[call-overload]
        for index, (kind, name, value, perm) in enumerate(members):
            info = tarfile.TarInfo(name)
            info.mode = perm
            info.mtime = 1_700_000_000 + index
            info.uid, info.gid, info.uname, info.gname = 1000 + index, 2000, "neo", "neo"
            if kind == "file":
                data = value if isinstance(value, bytes) else value.encode()
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
                continue
            info.type = {"dir": tarfile.DIRTYPE, "sym": tarfile.SYMTYPE, "hard": tarfile.LNKTYPE}[kind]
            if kind in ("sym", "hard"):
                info.linkname = str(value)
            archive.addfile(info)
    return buffer.getvalue()


def _chunks(data: bytes, first: int = 7, size: int = 64 * 1024) -> list[bytes]:
    """`data` as a download hands it on: an odd first piece, then `size` pieces (the last shorter)."""
    pieces = [data[:first]]
    pieces += [data[start : start + size] for start in range(first, len(data), size)]
    assert b"".join(pieces) == data and len(pieces) >= 2
    return pieces


def _repack(data: bytes, code: CodeDir, **split: int) -> tuple[tuple[int, int], bytes]:
    sink = io.BytesIO()
    counts = repack(ChunkReader(_chunks(data, **split)), code, sink)
    return counts, sink.getvalue()


def _read(archive: bytes) -> tuple[list[tarfile.TarInfo], dict[str, bytes]]:
    """The members of a .tar.gz (checked to be gzip, its CRC too) and the bytes of its regular files."""
    assert archive[:2] == b"\x1f\x8b"
    gzip.decompress(archive)  # the whole gzip stream, trailer (CRC, length) checked
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        members = tar.getmembers()
        data = {m.name: tar.extractfile(m).read() for m in members if m.isreg()}  # type: ignore[union-attr]
    return members, data


def _code_dir(root: Path) -> Path:
    """A --code folder: the entry point, a nested package, an executable script."""
    folder = root / "src"
    (folder / "lib" / "deep").mkdir(parents=True)
    (folder / "inference.py").write_text("def model_fn(model_dir):\n    return model_dir\n")
    (folder / "requirements.txt").write_text("numpy\n")
    (folder / "lib" / "helper.py").write_bytes(b"HELPER = 1\n")
    (folder / "lib" / "deep" / "more.py").write_bytes(b"MORE = 2\n")
    (folder / "run.sh").write_text("#!/bin/sh\nexec python inference.py\n")
    (folder / "run.sh").chmod(0o700)
    return folder


CODE_FILES = {
    "code/inference.py": b"def model_fn(model_dir):\n    return model_dir\n",
    "code/requirements.txt": b"numpy\n",
    "code/lib/helper.py": b"HELPER = 1\n",
    "code/lib/deep/more.py": b"MORE = 2\n",
    "code/run.sh": b"#!/bin/sh\nexec python inference.py\n",
}


def _compiled_members() -> list[Member]:
    """A compiled model archive with no code/: every member kind repack must copy as it is."""
    weights = random.Random(7).randbytes(BIG)
    return [
        ("file", "compiled.so", b"\x7fELF" + bytes(range(256)) * 8, 0o755),
        ("file", "compiled.params", weights, 0o644),
        ("dir", "lib", "", 0o750),
        ("file", "lib/libdlr.so", b"dlr" * 1000, 0o600),
        ("sym", "lib/current.so", "libdlr.so", 0o777),
        ("hard", "weights.params", "compiled.params", 0o644),
        ("file", "empty.txt", b"", 0o640),
        ("file", "./compiled_model.json", b'{"Compiler": "neo"}', 0o444),
        ("file", "very/" + "long-name-" * 15 + ".meta", b"needs a PAX path header", 0o644),
    ]


@pytest.mark.parametrize(
    "split", [pytest.param({}, id="7B-then-64KiB"), pytest.param({"first": 1, "size": 4099}, id="1B-then-4099B")]
)
def test_repack_keeps_every_member_outside_code_as_it_was(tmp_path: Path, split: dict[str, int]) -> None:
    members = _compiled_members()
    compiled = _tar_bytes(members)
    code = open_code(str(_code_dir(tmp_path)))

    (copied, replaced), out = _repack(compiled, code, **split)

    assert (copied, replaced) == (len(members), 0)
    with tarfile.open(fileobj=io.BytesIO(compiled)) as source:
        originals = source.getmembers()
        original_data = {m.name: source.extractfile(m).read() for m in originals if m.isreg()}  # type: ignore[union-attr]
    written, data = _read(out)
    # Same members in the same order, then code/ (the --code folder's files, sorted).
    assert [m.name for m in written] == [m.name for m in originals] + [
        "code",
        "code/inference.py",
        "code/lib",
        "code/lib/deep",
        "code/lib/deep/more.py",
        "code/lib/helper.py",
        "code/requirements.txt",
        "code/run.sh",
    ]
    for before, after in zip(originals, written, strict=False):
        assert (after.type, after.mode, after.mtime, after.size, after.linkname) == (
            before.type,
            before.mode,
            before.mtime,
            before.size,
            before.linkname,
        ), before.name
    for name, content in original_data.items():
        assert data[name] == content, name
    assert len(original_data["compiled.params"]) == BIG


def test_repacked_links_and_directories_extract_as_such(tmp_path: Path) -> None:
    code = open_code(str(_code_dir(tmp_path)))
    _, out = _repack(_tar_bytes(_compiled_members()), code)
    dest = tmp_path / "extracted"
    with tarfile.open(fileobj=io.BytesIO(out), mode="r:gz") as tar:
        tar.extractall(dest, filter="tar")
    params = dest / "compiled.params"
    assert (dest / "weights.params").stat().st_ino == params.stat().st_ino  # a hard link, not a copy
    assert params.read_bytes() == random.Random(7).randbytes(BIG)
    assert (dest / "lib").is_dir() and not (dest / "lib").is_symlink()
    assert os.readlink(dest / "lib" / "current.so") == "libdlr.so"
    assert (dest / "lib" / "current.so").read_bytes() == b"dlr" * 1000
    assert (dest / "code" / "inference.py").read_bytes() == CODE_FILES["code/inference.py"]


def test_existing_code_is_replaced_by_the_code_folder(tmp_path: Path) -> None:
    compression = "gz"
    compiled = _tar_bytes(
        [
            ("file", "compiled.params", b"weights" * 100, 0o644),
            ("dir", "code", "", 0o755),
            ("file", "code/inference.py", b"OLD ENTRY POINT", 0o644),
            ("file", "code/old_only.py", b"OLD ONLY", 0o644),
            ("dir", "code/lib", "", 0o755),
            ("file", "code/lib/helper.py", b"OLD HELPER", 0o644),
            ("sym", "code/latest", "inference.py", 0o777),
            ("file", "compiled.so", b"so", 0o755),
            ("dir", "./code/", "", 0o755),
            ("file", "./code/dotted.py", b"OLD DOTTED", 0o644),
            ("file", "././code/twice.py", b"OLD TWICE", 0o644),
            ("file", "compiled_model.json", b"{}", 0o644),
        ],
        compression,
    )
    code = open_code(str(_code_dir(tmp_path)))

    (copied, replaced), out = _repack(compiled, code)

    assert (copied, replaced) == (3, 5)  # 5 regular files under code/ (dirs and the symlink not counted)
    written, data = _read(out)
    names = [m.name for m in written]
    assert names[:3] == ["compiled.params", "compiled.so", "compiled_model.json"]
    assert [n for n in names if n.lstrip("./").rstrip("/") == "code"] == ["code"]
    assert written[names.index("code")].isdir()
    assert not any(n.startswith("./") for n in names)
    assert not any(content.startswith(b"OLD") for content in data.values())
    assert {n: c for n, c in data.items() if n.startswith("code/")} == CODE_FILES
    assert sorted(n for n in names if n.startswith("code/") and written[names.index(n)].isdir()) == [
        "code/lib",
        "code/lib/deep",
    ]
    modes = {m.name: m.mode for m in written}
    assert modes["code/run.sh"] == 0o755 and modes["code/inference.py"] == 0o644


def test_names_that_only_look_like_code_are_kept(tmp_path: Path) -> None:
    lookalikes: list[Member] = [
        ("file", "codebook.bin", b"codebook", 0o644),
        ("file", "code.py", b"not the folder", 0o644),
        ("dir", "codes", "", 0o755),
        ("file", "codes/x.py", b"codes", 0o644),
        ("file", "src/code/x.py", b"nested code folder", 0o644),
        ("file", "./codec/y.bin", b"codec", 0o644),
        ("file", "lib/code", b"a file named code, not at the top", 0o644),
    ]
    code = open_code(str(_code_dir(tmp_path)))

    (copied, replaced), out = _repack(_tar_bytes(lookalikes), code)

    assert (copied, replaced) == (len(lookalikes), 0)
    written, data = _read(out)
    assert [m.name for m in written][: len(lookalikes)] == [name for _, name, _, _ in lookalikes]
    for kind, name, value, _ in lookalikes:
        if kind == "file":
            assert data[name] == value


def _plain_cut_in_second_header() -> bytes:
    plain = _tar_bytes([("file", "a.params", b"a" * 1000, 0o644), ("file", "b.params", b"b" * 10, 0o644)], "")
    with tarfile.open(fileobj=io.BytesIO(plain)) as whole:
        second = whole.getmembers()[1]
    assert second.name == "b.params" and second.offset >= 1024
    return plain[: second.offset + 100]  # the first 100 bytes of b.params' 512-byte header


def _corrupt(which: str) -> bytes:
    members: list[Member] = [("file", "compiled.params", random.Random(3).randbytes(300_000), 0o644)]
    gz = _tar_bytes(members)
    plain = _tar_bytes(members, "")
    if which == "gzip-cut-in-half":
        return gz[: len(gz) // 2]
    if which == "gzip-without-trailer":
        return gz[:-8]
    if which == "gzip-header-only":
        return gz[:10]
    if which == "gzip-bad-crc":
        broken = bytearray(gz)
        broken[-8] ^= 0xFF  # the CRC32 of the trailer
        return bytes(broken)
    if which == "gzip-magic-then-garbage":
        return b"\x1f\x8b" + random.Random(5).randbytes(5000)
    if which == "random-bytes":
        noise = random.Random(4).randbytes(5000)
        assert noise[:2] != b"\x1f\x8b"
        return noise
    if which == "gzip-of-a-tar-cut-in-member-data":
        return gzip.compress(plain[: len(plain) // 2])
    if which == "gzip-of-a-tar-cut-in-a-header":
        return gzip.compress(_plain_cut_in_second_header())
    raise AssertionError(which)


@pytest.mark.parametrize(
    "which",
    [
        "gzip-cut-in-half",
        "gzip-without-trailer",
        "gzip-header-only",
        "gzip-bad-crc",
        "gzip-magic-then-garbage",
        "random-bytes",
        "gzip-of-a-tar-cut-in-member-data",
        # tarfile reads a header cut short after the first member as the end: the gzip is
        # whole, so only the tar's length (not whole 512-byte blocks) tells.
        "gzip-of-a-tar-cut-in-a-header",
    ],
)
def test_corrupt_compiled_archive_raises_invalid_input(tmp_path: Path, which: str) -> None:
    code = open_code(str(_code_dir(tmp_path)))
    with pytest.raises(
        InvalidInput, match=r"compiled model archive (cannot be read as a tar|is not gzip data)"
    ) as caught:
        _repack(_corrupt(which), code, first=7, size=4096)
    assert caught.value.exit_code == EXIT_INVALID_INPUT == 252


def _change(path: Path, how: str) -> None:
    before = path.read_bytes()
    after = {
        "same-size": bytes(b ^ 0x20 for b in before),
        "bigger": before + b"# appended\n",
        "smaller": before[:-3],
    }[how]
    assert after != before and (len(after) == len(before)) == (how == "same-size")
    path.write_bytes(after)


CHANGES = ["same-size", "bigger", "smaller"]


@pytest.mark.parametrize("how", CHANGES)
def test_code_file_changed_after_hashing_is_refused(tmp_path: Path, how: str) -> None:
    folder = _code_dir(tmp_path)
    code = open_code(str(folder))
    _change(folder / "lib" / "helper.py", how)
    with pytest.raises(InvalidInput, match="changed while") as caught:
        _repack(_tar_bytes(_compiled_members()), code)
    assert type(caught.value) is InvalidInput and caught.value.exit_code == EXIT_INVALID_INPUT


@pytest.mark.parametrize(
    "how",
    [
        "same-size",
        "bigger",
        "smaller",
    ],
)
def test_code_file_changed_after_hashing_is_named(tmp_path: Path, how: str) -> None:
    folder = _code_dir(tmp_path)
    code = open_code(str(folder))
    changed = folder / "lib" / "helper.py"
    _change(changed, how)
    with pytest.raises(InvalidInput) as caught:
        _repack(_tar_bytes(_compiled_members()), code)
    assert str(changed) in caught.value.message


def test_kept_hard_link_into_the_left_out_code_still_resolves(tmp_path: Path) -> None:
    # As extracting, replacing code/ and packing again (the SDK's repack) leaves it: the
    # link becomes a file holding the old bytes.
    compiled = _tar_bytes(
        [
            ("file", "code/inference.py", b"OLD", 0o644),
            ("hard", "serve.py", "code/inference.py", 0o644),
            ("file", "compiled.params", b"w", 0o644),
        ]
    )
    _, out = _repack(compiled, open_code(str(_code_dir(tmp_path))))
    written, _ = _read(out)
    seen: set[str] = set()
    for member in written:
        if member.islnk():
            assert member.linkname in seen, f"{member.name} links to {member.linkname}, not written before it"
        seen.add(member.name)
    _, data = _read(out)
    assert data["serve.py"] == b"OLD" and data["code/inference.py"] == CODE_FILES["code/inference.py"]


def _refusal(call: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call()  # type: ignore[operator]
    assert caught.value.exit_code == EXIT_INVALID_INPUT
    return caught.value


def test_open_code_refuses_a_missing_folder_and_a_file(tmp_path: Path) -> None:
    missing = _refusal(lambda: open_code(str(tmp_path / "nope")))
    assert missing.message.startswith("--code ") and "does not exist" in missing.message
    (tmp_path / "inference.py").write_text("x = 1\n")
    not_folder = _refusal(lambda: open_code(str(tmp_path / "inference.py")))
    assert not_folder.message == f"--code {tmp_path / 'inference.py'} is not a folder"


def test_open_code_without_the_entry_point_lists_the_scripts_it_has(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    (folder / "sub").mkdir(parents=True)
    (folder / "serve.py").write_text("x\n")
    (folder / "app.py").write_text("x\n")
    (folder / "README.md").write_text("x\n")
    (folder / "sub" / "deep.py").write_text("x\n")
    refused = _refusal(lambda: open_code(str(folder)))
    assert refused.message.startswith(f"--code {folder} has no inference.py at its top (it has app.py, serve.py)")
    assert "--entry-point" in (refused.hint or "")


def test_open_code_with_the_entry_point_only_in_a_subfolder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    (folder / "pkg").mkdir(parents=True)
    (folder / "pkg" / "inference.py").write_text("x\n")
    (folder / "requirements.txt").write_text("numpy\n")
    refused = _refusal(lambda: open_code(str(folder)))
    assert refused.message.startswith(f"--code {folder} has no inference.py at its top:")
    assert "code/inference.py" in refused.message


@pytest.mark.parametrize("entry_point", ["sub/inference.py", "..", "../inference.py", "/inference.py", ".", ""])
def test_open_code_refuses_an_entry_point_that_is_not_a_file_name(tmp_path: Path, entry_point: str) -> None:
    folder = _code_dir(tmp_path)
    (folder / "sub").mkdir()
    (folder / "sub" / "inference.py").write_text("x\n")
    refused = _refusal(lambda: open_code(str(folder), entry_point))
    assert refused.message == f"--entry-point {entry_point!r} is not a file name"


def test_open_code_refuses_a_symlink_leaving_the_folder(tmp_path: Path) -> None:
    secret = tmp_path / "credentials"
    secret.write_text("secret")
    folder = _code_dir(tmp_path)
    (folder / "lib" / "creds").symlink_to(secret)
    refused = _refusal(lambda: open_code(str(folder)))
    assert refused.message.startswith(f"--code {folder}: symlink {folder / 'lib' / 'creds'} points outside")
    assert "points outside the --code folder" in refused.message and "model directory" not in refused.message


def test_open_code_accepts_a_custom_entry_point_and_lists_files_sorted(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    for name in ["zz.py", "serve.py", "b/z.py", "a-b.py", "a/z.py", "a/b/c.txt"]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(name)
    (folder / "empty").mkdir()
    (folder / "link.py").symlink_to("serve.py")  # inside the folder: followed, listed as a file
    with pytest.raises(InvalidInput, match=r"has no inference\.py"):
        open_code(str(folder))
    code = open_code(str(folder), "serve.py")
    assert code.entry_point == "serve.py" and code.path == folder
    assert code.files == ["a-b.py", "a/b/c.txt", "a/z.py", "b/z.py", "link.py", "serve.py", "zz.py"]

    _, out = _repack(_tar_bytes([("file", "m.params", b"m", 0o644)]), code)
    _, data = _read(out)
    assert data["code/serve.py"] == data["code/link.py"] == b"serve.py"


KEY = "compiled/model-ml_c5.tar.gz"
ETAG = '"9b2cf535f27731c974343645a3985328"'


def _hex(key: str) -> str:
    match = re.fullmatch(r"(.*)-code-([0-9a-f]{16})\.tar\.gz", key)
    assert match, key
    return match.group(2)


def test_repacked_key_sits_beside_the_artifact_and_is_stable(tmp_path: Path) -> None:
    folder = _code_dir(tmp_path)
    key = repacked_key(KEY, ETAG, open_code(str(folder)))
    assert re.fullmatch(r"compiled/model-ml_c5-code-[0-9a-f]{16}\.tar\.gz", key), key
    assert posixpath.dirname(key) == posixpath.dirname(KEY)
    assert repacked_key(KEY, ETAG, open_code(str(folder))) == key  # the folder opened again
    assert repacked_key("compiled/model.tgz", ETAG, open_code(str(folder))).startswith("compiled/model-code-")


def test_repacked_key_ignores_mtimes_but_follows_bytes_etag_and_key(tmp_path: Path) -> None:
    folder = _code_dir(tmp_path)
    before = open_code(str(folder))
    key = repacked_key(KEY, ETAG, before)

    os.utime(folder / "lib" / "helper.py", (1_000_000, 1_000_000))
    os.utime(folder / "inference.py", (2_000_000, 2_000_000))
    assert repacked_key(KEY, ETAG, open_code(str(folder))) == key

    assert _hex(repacked_key(KEY, '"another-etag"', before)) != _hex(key)
    assert _hex(repacked_key("other/model-ml_c5.tar.gz", ETAG, before)) != _hex(key)
    assert _hex(repacked_key("compiled/model-ml_c4.tar.gz", ETAG, before)) != _hex(key)

    (folder / "lib" / "helper.py").write_bytes(b"HELPER = 3\n")  # same size, other bytes
    assert repacked_key(KEY, ETAG, open_code(str(folder))) != key


def test_stored_only_when_the_metadata_carries_this_code_digest(tmp_path: Path) -> None:
    folder = _code_dir(tmp_path)
    code = open_code(str(folder))
    assert stored({"ContentLength": 1, "Metadata": {CODE_METADATA: code.digest}}, code) is True
    assert stored(None, code) is False
    assert stored({"ContentLength": 1}, code) is False
    assert stored({"Metadata": None}, code) is False
    assert stored({"Metadata": {}}, code) is False
    assert stored({"Metadata": {"other-key": code.digest}}, code) is False
    (folder / "inference.py").write_text("changed\n")
    other = open_code(str(folder))
    assert other.digest != code.digest
    assert stored({"Metadata": {CODE_METADATA: code.digest}}, other) is False


@pytest.mark.parametrize("compression", [pytest.param("", id="plain-tar"), pytest.param("xz", id="xz")])
def test_a_compiled_archive_that_is_not_gzip_is_refused(tmp_path: Path, compression: str) -> None:
    # Neo writes .tar.gz and SageMaker serves one; another format is not a compiled model.
    code = open_code(str(_code_dir(tmp_path)))
    with pytest.raises(InvalidInput, match="not gzip data") as caught:
        _repack(_tar_bytes(_compiled_members(), compression), code)
    assert caught.value.exit_code == EXIT_INVALID_INPUT
