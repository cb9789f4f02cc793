"""Safe extraction: one test per hostile archive, and benign links that must still work."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from neoctl.errors import EXIT_INVALID_INPUT, InvalidInput
from neoctl.models import extract as archive_module
from neoctl.models.extract import UnsafeArchive, check_destination, extract

Member = tuple[str, str, str | bytes]  # (kind, name, content or link target)


def _archive(path: Path, members: list[Member]) -> Path:
    """A .tar.gz holding exactly `members`: kind is file, dir, sym, hard, chr, blk or fifo."""
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for kind, name, value in members:
            info = tarfile.TarInfo(name)
            info.mode = 0o755 if kind == "dir" else 0o644
            if kind == "file":
                data = value if isinstance(value, bytes) else value.encode()
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
                continue
            info.type = {
                "dir": tarfile.DIRTYPE,
                "sym": tarfile.SYMTYPE,
                "hard": tarfile.LNKTYPE,
                "chr": tarfile.CHRTYPE,
                "blk": tarfile.BLKTYPE,
                "fifo": tarfile.FIFOTYPE,
            }[kind]
            if kind in ("sym", "hard"):
                info.linkname = str(value)
            if kind in ("chr", "blk"):
                info.devmajor, info.devminor = 1, 3
            archive.addfile(info)
    return path


@pytest.fixture
def layout(tmp_path: Path) -> dict[str, Path]:
    """work/ holds the archive and the target; outside.txt sits next to work/."""
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "outside.txt").write_text("do not touch")
    return {"root": tmp_path, "work": work, "dest": work / "out", "outside": tmp_path / "outside.txt"}


def _refused(layout: dict[str, Path], members: list[Member], match: str) -> UnsafeArchive:
    archive = _archive(layout["work"] / "hostile.tar.gz", members)
    before = sorted(p.name for p in layout["root"].rglob("*"))
    with pytest.raises(UnsafeArchive, match=match) as caught:
        extract(archive, layout["dest"])
    # All or nothing: no target, no temp directory, nothing new anywhere, outside intact.
    assert not layout["dest"].exists()
    assert sorted(p.name for p in layout["root"].rglob("*")) == before
    assert layout["outside"].read_text() == "do not touch"
    assert caught.value.exit_code == EXIT_INVALID_INPUT
    return caught.value


def test_parent_traversal_is_refused(layout: dict[str, Path]) -> None:
    _refused(
        layout,
        [("file", "ok.txt", "fine"), ("file", "../outside.txt", "owned")],
        r"'\.\./outside\.txt'.*path traversal",
    )


def test_traversal_in_the_middle_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("file", "a/../../outside.txt", "owned")], "path traversal")


def test_absolute_path_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("file", "/etc/x", "owned")], r"'/etc/x'.*absolute path")


def test_absolute_path_to_the_real_outside_file_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("file", str(layout["outside"]), "owned")], "absolute path")


def test_symlink_to_outside_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("sym", "escape", "../../outside.txt")], r"symlink to '\.\./\.\./outside\.txt' leads outside")


def test_symlink_to_absolute_path_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("sym", "etc", "/etc")], r"symlink to the absolute path '/etc'")


def test_write_through_a_symlink_to_outside_is_refused(layout: dict[str, Path]) -> None:
    # The link itself is refused first; the file written through it never happens.
    _refused(layout, [("sym", "up", ".."), ("file", "up/planted.txt", "owned")], "leads outside")


def test_symlink_chain_is_refused(layout: dict[str, Path]) -> None:
    # When written, `a -> d/../outside.txt` leads inside (d does not exist, so d/.. is the
    # target itself). Then `d -> .` makes d/.. the target's parent: `a` now leads outside.
    # Each link looked safe alone; Python 3.11.7's filter="data" lets this through.
    _refused(layout, [("sym", "a", "d/../outside.txt"), ("sym", "d", "."), ("file", "keep.txt", "x")], "symlink chain")


def test_symlink_chain_with_a_write_through_it_is_refused(layout: dict[str, Path]) -> None:
    # The same chain, then a file written through `a`: stopped before it is written.
    _refused(
        layout,
        [("dir", "a-dir", ""), ("sym", "a", "d/../a-dir"), ("sym", "d", "."), ("file", "a/planted.txt", "owned")],
        "written outside .* through a symlink",
    )
    assert not (layout["root"] / "a-dir").exists()


def test_hardlink_to_outside_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("hard", "copy", "../outside.txt")], r"hard link with '\.\.' in its target")


def test_hardlink_to_absolute_path_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("hard", "copy", str(layout["outside"]))], "hard link to the absolute path")


def test_hardlink_through_an_inside_symlink_to_outside_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("sym", "up", ".."), ("hard", "copy", "up/outside.txt")], "leads outside")


def test_char_device_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("chr", "null", "")], "device file")


def test_block_device_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("blk", "disk", "")], "device file")


def test_fifo_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("fifo", "pipe", "")], "FIFO")


def test_duplicate_name_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("sym", "model", "real"), ("file", "real", "x"), ("file", "model", "y")], "appears twice")


def test_benign_archive_with_inside_links_extracts(layout: dict[str, Path]) -> None:
    archive = _archive(
        layout["work"] / "model.tar.gz",
        [
            ("dir", "./", ""),
            ("file", "./compiled.so", b"\x7fELF"),
            ("dir", "lib", ""),
            ("file", "lib/libdlr.so.1", "lib"),
            ("sym", "lib/libdlr.so", "libdlr.so.1"),
            ("sym", "lib/up", "../compiled.so"),
            ("sym", "current", "lib"),
            ("hard", "compiled-copy.so", "compiled.so"),
            ("file", "current/through-link.txt", "written via an inside link"),
        ],
    )
    done = extract(archive, layout["dest"])
    dest = layout["dest"]
    assert done.path == dest
    assert (dest / "compiled.so").read_bytes() == b"\x7fELF"
    assert os.readlink(dest / "lib" / "libdlr.so") == "libdlr.so.1"
    assert (dest / "lib" / "libdlr.so").read_text() == "lib"
    assert (dest / "lib" / "up").read_bytes() == b"\x7fELF"
    assert (dest / "current").is_symlink() and (
        dest / "lib" / "through-link.txt"
    ).read_text() == "written via an inside link"
    assert os.stat(dest / "compiled-copy.so").st_ino == os.stat(dest / "compiled.so").st_ino
    assert (done.files, done.directories, done.links) == (3, 2, 4)
    assert [p.name for p in layout["work"].iterdir() if p.name.startswith(".")] == []  # temp dir renamed


def test_modes_are_made_safe(layout: dict[str, Path]) -> None:
    path = layout["work"] / "modes.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("setuid")
        info.mode = 0o4777
        info.size = 1
        archive.addfile(info, io.BytesIO(b"x"))
    extract(path, layout["dest"])
    mode = (layout["dest"] / "setuid").stat().st_mode & 0o7777
    assert mode & 0o4000 == 0 and mode & 0o022 == 0


def test_not_an_archive_is_invalid_input_and_leaves_nothing(layout: dict[str, Path]) -> None:
    bogus = layout["work"] / "bogus.tar.gz"
    bogus.write_bytes(b"this is not a tar")
    with pytest.raises(InvalidInput, match="not a readable tar archive"):
        extract(bogus, layout["dest"])
    assert sorted(p.name for p in layout["work"].iterdir()) == ["bogus.tar.gz"]


def test_a_non_empty_destination_is_not_touched(layout: dict[str, Path]) -> None:
    archive = _archive(layout["work"] / "model.tar.gz", [("file", "a", "new")])
    layout["dest"].mkdir()
    (layout["dest"] / "mine.txt").write_text("keep")
    with pytest.raises(InvalidInput, match="not empty"):
        extract(archive, layout["dest"])
    assert [p.name for p in layout["dest"].iterdir()] == ["mine.txt"]
    with pytest.raises(InvalidInput, match="not empty"):
        check_destination(layout["dest"])


def test_an_empty_destination_directory_is_filled(layout: dict[str, Path]) -> None:
    archive = _archive(layout["work"] / "model.tar.gz", [("file", "a", "new")])
    layout["dest"].mkdir()
    extract(archive, layout["dest"])
    assert (layout["dest"] / "a").read_text() == "new"


def test_interrupted_extraction_leaves_nothing(layout: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _archive(layout["work"] / "model.tar.gz", [("file", "a", "1"), ("file", "b", "2"), ("file", "c", "3")])
    # Ctrl-C lands between members, through neoctl's own per-member hook (called for
    # each member just before tarfile writes it), not by patching tarfile internals.
    real = archive_module._count
    written_before_interrupt: list[str] = []

    def interrupt_on_third(member: tarfile.TarInfo, counts: dict[str, int]) -> None:
        if member.name == "c":
            temps = list(layout["work"].glob(f".{layout['dest'].name}.*.neoctl-extract"))
            written_before_interrupt.extend(sorted(p.name for t in temps for p in t.iterdir()))
            raise KeyboardInterrupt
        real(member, counts)

    monkeypatch.setattr(archive_module, "_count", interrupt_on_third)
    with pytest.raises(KeyboardInterrupt):
        extract(archive, layout["dest"])
    assert written_before_interrupt == ["a", "b"]  # there was something to clean up
    assert not layout["dest"].exists()
    assert sorted(p.name for p in layout["work"].iterdir()) == ["model.tar.gz"]


def test_hardlink_to_a_later_member_is_refused(layout: dict[str, Path]) -> None:
    # A stream cannot go back for the target; tarfile would try to seek and fail obscurely.
    _refused(layout, [("hard", "copy", "real"), ("file", "real", "x")], "not a file earlier in the archive")


def test_hardlink_to_a_directory_is_refused(layout: dict[str, Path]) -> None:
    _refused(layout, [("dir", "d", ""), ("hard", "copy", "d")], "not a file earlier in the archive")


def test_bad_gzip_trailer_is_refused_and_leaves_nothing(layout: dict[str, Path]) -> None:
    # Past the tar's end marker only the gzip trailer is left; its CRC is still checked.
    good = _archive(layout["work"] / "good.tar.gz", [("file", "a", "data" * 1000)]).read_bytes()
    bad = layout["work"] / "bad.tar.gz"
    bad.write_bytes(good[:-8] + bytes(b ^ 0xFF for b in good[-8:-4]) + good[-4:])
    with pytest.raises(InvalidInput, match="not a readable tar archive"):
        extract(bad, layout["dest"])
    assert sorted(p.name for p in layout["work"].iterdir()) == ["bad.tar.gz", "good.tar.gz"]


@pytest.mark.parametrize("mode", ["w", "w:bz2", "w:xz"])
def test_other_compressions_still_extract(layout: dict[str, Path], mode: str) -> None:
    path = layout["work"] / "model.tar"
    with tarfile.open(path, mode) as archive:  # type: ignore[call-overload]
        info = tarfile.TarInfo("model.bin")
        info.size = 3
        archive.addfile(info, io.BytesIO(b"abc"))
    assert extract(path, layout["dest"]).files == 1
    assert (layout["dest"] / "model.bin").read_bytes() == b"abc"


def test_unpacker_reads_chunks_of_any_size(layout: dict[str, Path]) -> None:
    # A download's chunks end anywhere: inside the gzip magic, a header, a member.
    data = _archive(
        layout["work"] / "model.tar.gz", [("file", "a", os.urandom(70_000)), ("hard", "b", "a")]
    ).read_bytes()
    sizes = [1, 1, 3, 511, 4096, 7]
    chunks: list[bytes] = []
    at = 0
    while at < len(data):
        size = sizes[len(chunks) % len(sizes)]
        chunks.append(data[at : at + size])
        at += size
    with archive_module.Unpacker(layout["dest"]) as unpacker:
        unpacker.unpack(iter(chunks))
        done = unpacker.commit()
    assert (done.files, done.links) == (1, 1)
    assert (layout["dest"] / "b").read_bytes() == (layout["dest"] / "a").read_bytes()
    assert len((layout["dest"] / "a").read_bytes()) == 70_000


@pytest.mark.parametrize("missing", [[], ["zlib_ng"], ["zlib_ng", "isal"]], ids=["zlib-ng", "isal", "stdlib"])
def test_every_gzip_reader_extracts_the_same_tree_and_checks_the_crc(
    layout: dict[str, Path], monkeypatch: pytest.MonkeyPatch, missing: list[str]
) -> None:
    # zlib-ng inflates, ISA-L where its wheel is missing, then the stdlib: a user on a
    # platform without one of the wheels gets the same files and the same refusals.
    import sys

    from neoctl.models import tarstream

    for name in missing:
        monkeypatch.setitem(sys.modules, name, None)  # `import name` now raises ImportError
    expected = {"zlib_ng": "zlib_ng.gzip_ng", "isal": "isal.igzip", "gzip": "gzip"}
    used = next(module for module in expected if module not in missing)
    assert tarstream.gzip_module().__name__ == expected[used]

    weights = os.urandom(300_000)
    good = _archive(layout["work"] / "good.tar.gz", [("dir", "m", ""), ("file", "m/w.bin", weights)])
    assert extract(good, layout["dest"]).files == 1
    assert (layout["dest"] / "m" / "w.bin").read_bytes() == weights
    data = good.read_bytes()
    bad = layout["work"] / "bad.tar.gz"
    bad.write_bytes(data[:-8] + bytes(b ^ 0xFF for b in data[-8:-4]) + data[-4:])
    with pytest.raises(InvalidInput, match="not a readable tar archive"):
        extract(bad, layout["work"] / "out2")
    assert not (layout["work"] / "out2").exists()
