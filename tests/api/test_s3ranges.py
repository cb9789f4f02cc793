"""`download_file` without a consumer: parallel ranged GETs into the `.part`.

Against the emulator (over HTTP, in this process) with small RANGED_MIN/PART so that a
few MiB make many ranges, and against a stub S3 that stalls one range.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from neoctl.api import s3ranges
from neoctl.api.s3download import download_file
from neoctl.api.session import AwsOptions
from neoctl.errors import ServiceError
from neoctl.testing import Emulator

KIB = 1024
MIB = 1024 * KIB
BUCKET = "ranged"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(job_seconds=0, seeded=False) as running:
        yield running


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of 256 KiB, ranged from 1 MiB up (the real sizes would need 64 MiB objects)."""
    monkeypatch.setattr(s3ranges, "PART", 256 * KIB)
    monkeypatch.setattr(s3ranges, "RANGED_MIN", MIB)
    monkeypatch.setattr(s3ranges, "CHUNK", 64 * KIB)


@pytest.fixture
def s3(emulator: Emulator, aim_neoctl_at: Callable[[str], None]) -> Any:
    emulator.reset()
    aim_neoctl_at(emulator.endpoint_url)
    client = emulator.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


OPTIONS = AwsOptions(region="us-east-1")


class _Recorder:
    def __init__(self) -> None:
        self.total: int | None = None
        self.seen = 0
        self.threads: set[str] = set()

    def start(self, total: int | None) -> None:
        self.total = total

    def advance(self, amount: int) -> None:
        self.seen += amount
        self.threads.add(threading.current_thread().name)


def _umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _gets(emulator: Emulator) -> int:
    return emulator.requests.counts()["s3.GET object"]


@pytest.mark.parametrize(
    ("size", "gets"),
    [
        (3 * MIB + 5, 13),  # ranged: 13 parts of 256 KiB, the last of 5 bytes
        (MIB - 1, 2),  # below RANGED_MIN: part 0, then the rest in one more range
        (100 * KIB, 1),  # one part: the first answer holds all of it
        (0, 2),  # S3 refuses any range of an empty object: fetched whole
    ],
    ids=["ranged", "two-ranges", "one-range", "empty"],
)
def test_download_is_byte_identical_with_the_digest_of_the_whole_object(
    emulator: Emulator, s3: Any, small_parts: None, tmp_path: Path, size: int, gets: int
) -> None:
    body = os.urandom(size)
    s3.put_object(Bucket=BUCKET, Key="model.tar.gz", Body=body)
    before = _gets(emulator)
    progress = _Recorder()
    got = download_file(OPTIONS, BUCKET, "model.tar.gz", tmp_path / "model.tar.gz", progress)
    assert (tmp_path / "model.tar.gz").read_bytes() == body
    assert got.size == size and got.sha256 == hashlib.sha256(body).hexdigest()
    assert _gets(emulator) - before == gets
    assert progress.total == size and progress.seen == size
    assert progress.threads <= {"MainThread"}  # reported from the main thread only
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.tar.gz"]  # no .part
    # The mode a new file gets (0o666 less the umask), as `aws s3 cp` gives: issue 23 found
    # 0600 whatever the umask, which this line asserted.
    assert (tmp_path / "model.tar.gz").stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_a_multipart_object_downloads_whole(emulator: Emulator, s3: Any, small_parts: None, tmp_path: Path) -> None:
    # Stored by the emulator as its parts' buffers: ranges across part boundaries.
    from boto3.s3.transfer import TransferConfig

    body = os.urandom(11 * MIB + 3)
    (tmp_path / "src").write_bytes(body)
    config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)
    s3.upload_file(str(tmp_path / "src"), BUCKET, "mp.tar.gz", Config=config)
    got = download_file(OPTIONS, BUCKET, "mp.tar.gz", tmp_path / "mp.tar.gz")
    assert got.sha256 == hashlib.sha256(body).hexdigest()
    assert (tmp_path / "mp.tar.gz").read_bytes() == body


class _ReplaceOnStart(_Recorder):
    """Puts other bytes at the key once the first answer is in: every later range asks
    for the first version (If-Match) and meets the second."""

    def __init__(self, s3: Any) -> None:
        super().__init__()
        self.s3 = s3

    def start(self, total: int | None) -> None:
        super().start(total)
        self.s3.put_object(Bucket=BUCKET, Key="model.tar.gz", Body=os.urandom(3 * MIB))


def test_object_replaced_mid_download_is_254_naming_it_and_keeps_nothing(
    s3: Any, small_parts: None, tmp_path: Path
) -> None:
    s3.put_object(Bucket=BUCKET, Key="model.tar.gz", Body=os.urandom(3 * MIB))
    dest = tmp_path / "model.tar.gz"
    dest.write_bytes(b"previous complete download")
    with pytest.raises(ServiceError) as caught:
        download_file(OPTIONS, BUCKET, "model.tar.gz", dest, _ReplaceOnStart(s3), overwrite=True)
    assert caught.value.exit_code == 254 and caught.value.code == "PreconditionFailed"
    assert f"s3://{BUCKET}/model.tar.gz was replaced while it was being downloaded" in caught.value.message
    assert "nothing was kept" in caught.value.message
    assert dest.read_bytes() == b"previous complete download"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.tar.gz"]  # no .part


def _ctrl_c() -> None:
    """SIGINT to the main thread (see tests/models/test_upload.py::_ctrl_c for why not os.kill)."""
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)


def _interrupt_when(part: Path, at_least: int) -> threading.Thread:
    def watch() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if part.exists() and part.stat().st_size >= at_least:
                _ctrl_c()
                return
            time.sleep(0.005)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_ctrl_c_during_a_ranged_download_removes_the_part_and_keeps_the_old_file(
    emulator: Emulator, s3: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(s3ranges, "PART", MIB)
    monkeypatch.setattr(s3ranges, "RANGED_MIN", 4 * MIB)
    s3.put_object(Bucket=BUCKET, Key="model.tar.gz", Body=os.urandom(96 * MIB))
    dest = tmp_path / "model.tar.gz"
    dest.write_bytes(b"previous complete download")
    before = _gets(emulator)
    watcher = _interrupt_when(dest.with_name("model.tar.gz.part"), 8 * MIB)
    with pytest.raises(KeyboardInterrupt):
        download_file(OPTIONS, BUCKET, "model.tar.gz", dest, overwrite=True)
    watcher.join()
    assert 1 < _gets(emulator) - before < 96  # ranged, and stopped before the end
    assert dest.read_bytes() == b"previous complete download"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.tar.gz"]  # no .part


SIZE = 8 * MIB
STALL_AT = 2 * MIB
STUB_BODY = bytes((i * 7 + i // 4096) % 251 for i in range(SIZE))


class _Stall:
    """The range from STALL_AT sends 64 KiB, then nothing until `release` (a worker stuck on a dead socket)."""

    def __init__(self) -> None:
        self.stalled = threading.Event()
        self.release = threading.Event()

    def __call__(self, _number: int, start: int) -> tuple[Any, ...] | None:  # a flaky_s3 fault
        if start != STALL_AT:
            return None
        self.stalled.set()
        return ("stall", 64 * KIB, self.release)


def _true_etag(stub: Any, body: bytes) -> Any:
    """As S3: a single-part object's ETag is the MD5 of its bytes, which downloads check."""
    stub.etag = f'"{hashlib.md5(body).hexdigest()}"'
    return stub


@pytest.fixture
def stalling_s3(
    flaky_s3: Callable[[bytes, Callable[[int, int], Any]], Any], aim_neoctl_at: Callable[[str], None]
) -> Iterator[_Stall]:
    """An S3 (tests/conftest.py flaky_s3) of an 8 MiB object whose range from STALL_AT stalls."""
    stall = _Stall()
    aim_neoctl_at(_true_etag(flaky_s3(STUB_BODY, stall), STUB_BODY).url)
    yield stall
    stall.release.set()  # before the server stops: its stalled threads end


def test_a_worker_stalled_on_its_socket_does_not_hold_ctrl_c(
    stalling_s3: _Stall, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(s3ranges, "PART", MIB)
    monkeypatch.setattr(s3ranges, "RANGED_MIN", 4 * MIB)
    dest = tmp_path / "model.tar.gz"

    def ctrl_c_once_stalled() -> None:
        if stalling_s3.stalled.wait(30):
            time.sleep(0.2)  # the other ranges complete meanwhile: only the stalled one is left
            _ctrl_c()

    thread = threading.Thread(target=ctrl_c_once_stalled, daemon=True)
    thread.start()
    with pytest.raises(KeyboardInterrupt):
        download_file(OPTIONS, BUCKET, "model.tar.gz", dest)
    # The stalled range is still waiting (released only by the fixture's teardown): the
    # main thread left without it, and nothing is left on disk.
    assert stalling_s3.stalled.is_set() and not stalling_s3.release.is_set()
    thread.join()
    assert list(tmp_path.iterdir()) == []


def test_the_stub_serves_a_whole_download_when_nothing_stalls(
    flaky_s3: Callable[[bytes, Callable[[int, int], Any]], Any],
    aim_neoctl_at: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The stub (tests/conftest.py flaky_s3) is a faithful S3 otherwise: the faults are what tests exercise."""
    monkeypatch.setattr(s3ranges, "PART", MIB)
    monkeypatch.setattr(s3ranges, "RANGED_MIN", 4 * MIB)
    aim_neoctl_at(_true_etag(flaky_s3(STUB_BODY, lambda _number, _start: None), STUB_BODY).url)
    got = download_file(OPTIONS, BUCKET, "model.tar.gz", tmp_path / "m")
    assert got.sha256 == hashlib.sha256(STUB_BODY).hexdigest() and got.size == SIZE


class _PartWatcher(_Recorder):
    """Records the `.part`'s mode while bytes arrive."""

    def __init__(self, part: Path) -> None:
        super().__init__()
        self.part = part
        self.modes: set[int] = set()

    def advance(self, amount: int) -> None:
        super().advance(amount)
        if self.part.exists():
            self.modes.add(self.part.stat().st_mode & 0o777)


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
@pytest.mark.parametrize("consume", [False, True], ids=["ranges", "stream"])
def test_the_part_is_private_and_the_file_gets_the_mode_the_umask_gives(
    s3: Any, small_parts: None, tmp_path: Path, umask: int, consume: bool
) -> None:
    body = os.urandom(3 * MIB + 5)
    s3.put_object(Bucket=BUCKET, Key="model.tar.gz", Body=body)
    dest = tmp_path / "model.tar.gz"
    watcher = _PartWatcher(dest.with_name("model.tar.gz.part"))
    old = os.umask(umask)
    try:
        got = download_file(
            OPTIONS, BUCKET, "model.tar.gz", dest, watcher, consume=(lambda chunks: list(chunks)) if consume else None
        )
    finally:
        os.umask(old)
    assert got.size == len(body)
    assert watcher.modes == {0o600}  # private while it is written
    assert dest.stat().st_mode & 0o777 == 0o666 & ~umask  # 0644 under 022, as `aws s3 cp` and curl
