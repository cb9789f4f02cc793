"""A download whose connection fails midway goes on from the first byte it lacks.

Against a stub S3 (tests/conftest.py `flaky_s3`) that drops or stalls the connections a
test picks, for both ways in: the one stream a consumer reads (`download --extract`) and
the parallel ranges of a plain download.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from neoctl.api import s3ranges, s3resume
from neoctl.api.s3download import download_file
from neoctl.api.session import AwsOptions
from neoctl.errors import ConnectionFailure, ServiceError

KIB = 1024
MIB = 1024 * KIB
OPTIONS = AwsOptions(region="us-east-1")
BODY = bytes((i * 7 + i // 4096) % 251 for i in range(6 * MIB + 17))
SHA = hashlib.sha256(BODY).hexdigest()

Fault = tuple[Any, ...] | None  # what the stub does with one GET (tests/conftest.py)
Stub = Callable[[bytes, Callable[[int, int], Fault]], Any]  # the flaky_s3 fixture


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s3resume, "BACKOFF", 0.0)


def _stub(flaky_s3: Stub, aim: Callable[[str], None], fault: Callable[[int, int], Fault]) -> Any:
    stub = flaky_s3(BODY, fault)
    # As S3: a single-part object's ETag is the MD5 of its bytes, which downloads check.
    stub.etag = f'"{hashlib.md5(BODY).hexdigest()}"'
    aim(stub.url)
    return stub


class _Reader:
    """A consumer (as the streamed extraction is): reads every chunk, in order."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def __call__(self, chunks: object) -> None:
        for chunk in chunks:  # type: ignore[attr-defined]
            self.digest.update(chunk)
            self.size += len(chunk)


def _resumed_from(stub: Any, request: tuple[str, str], end: int) -> int:
    """The first byte a resumed GET asked for, checked to ask for the rest, of that version."""
    asked, if_match = request
    match = re.fullmatch(rf"bytes=(\d+)-{end - 1}", asked)
    assert match is not None, asked
    assert if_match == stub.etag
    return int(match[1])


@pytest.mark.parametrize("keep", [True, False], ids=["keep-archive", "tree-only"])
def test_a_stream_cut_midway_goes_on_from_where_it_stopped(
    flaky_s3: Stub, aim_neoctl_at: Callable[[str], None], tmp_path: Path, keep: bool
) -> None:
    cut = 2 * MIB + 123
    stub = _stub(flaky_s3, aim_neoctl_at, lambda n, _start: ("cut", cut) if n == 0 else None)
    reader = _Reader()
    got = download_file(OPTIONS, "b", "model.tar.gz", tmp_path / "m.tar.gz", consume=reader, keep=keep)
    # The consumer saw every byte once, in order; what was reported is what S3 holds.
    assert (reader.size, reader.digest.hexdigest()) == (len(BODY), SHA)
    assert (got.size, got.sha256) == (len(BODY), SHA)
    assert len(stub.requests) == 2 and stub.requests[0] == ("", "")
    assert 0 < _resumed_from(stub, stub.requests[1], len(BODY)) <= cut  # only what had not arrived
    assert sorted(p.name for p in tmp_path.iterdir()) == (["m.tar.gz"] if keep else [])
    if keep:
        assert (tmp_path / "m.tar.gz").read_bytes() == BODY


def test_a_range_cut_midway_asks_for_the_rest_of_that_range_only(
    flaky_s3: Stub, aim_neoctl_at: Callable[[str], None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(s3ranges, "PART", MIB)
    monkeypatch.setattr(s3ranges, "RANGED_MIN", 4 * MIB)
    monkeypatch.setattr(s3ranges, "CHUNK", 64 * KIB)
    cut = 100 * KIB
    once: list[int] = []

    def fault(_n: int, start: int) -> Fault:
        if start == 2 * MIB and not once:
            once.append(start)
            return ("cut", cut)
        return None

    stub = _stub(flaky_s3, aim_neoctl_at, fault)
    got = download_file(OPTIONS, "b", "model.tar.gz", tmp_path / "m.tar.gz")
    assert (got.size, got.sha256) == (len(BODY), SHA)
    assert (tmp_path / "m.tar.gz").read_bytes() == BODY
    assert len(stub.requests) == 7 + 1  # 7 ranges of 1 MiB (the last of 17 bytes), one resumed
    resumed = [r for r in stub.requests if not r[0].startswith(tuple(f"bytes={n * MIB}-" for n in range(7)))]
    assert len(resumed) == 1
    assert 2 * MIB < _resumed_from(stub, resumed[0], 3 * MIB) <= 2 * MIB + cut


def test_a_stalled_read_times_out_and_the_rest_is_asked_for_again(
    flaky_s3: Stub, aim_neoctl_at: Callable[[str], None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub = _stub(flaky_s3, aim_neoctl_at, lambda n, _start: ("stall", 3 * MIB, 5.0) if n == 0 else None)
    monkeypatch.setenv("NEOCTL_READ_TIMEOUT", "1")  # a stall of 5 s trips it; serving never waits 1 s
    reader = _Reader()
    got = download_file(OPTIONS, "b", "k", tmp_path / "m.tar.gz", consume=reader, keep=False)
    assert (got.size, got.sha256, reader.digest.hexdigest()) == (len(BODY), SHA, SHA)
    assert len(stub.requests) == 2 and 0 < _resumed_from(stub, stub.requests[1], len(BODY)) <= 3 * MIB


@pytest.mark.parametrize("consume", [True, False], ids=["stream", "ranges"])
def test_a_connection_that_keeps_dropping_fails_after_five_reads_and_keeps_nothing(
    flaky_s3: Stub,
    aim_neoctl_at: Callable[[str], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    consume: bool,
) -> None:
    monkeypatch.setattr(s3ranges, "RANGED_MIN", 4 * MIB)
    stub = _stub(flaky_s3, aim_neoctl_at, lambda _n, _start: ("cut", 10 * KIB))
    failed = r"failed at byte \d+ of 6291473 after 5 attempts: the connection closed before the end \(\w+\)$"
    with pytest.raises(ConnectionFailure, match=failed) as caught:
        download_file(OPTIONS, "b", "k", tmp_path / "m.tar.gz", consume=_Reader() if consume else None)
    assert "run the command again" in (caught.value.hint or "")
    assert list(tmp_path.iterdir()) == []
    if consume:
        assert len(stub.requests) == 5


def test_an_object_replaced_before_the_rest_is_fetched_is_not_mixed_into_the_download(
    flaky_s3: Stub, aim_neoctl_at: Callable[[str], None], tmp_path: Path
) -> None:
    stub = _stub(flaky_s3, aim_neoctl_at, lambda n, _start: ("cut", MIB) if n == 0 else ("replaced",))
    with pytest.raises(ServiceError, match="was replaced while it was being downloaded"):
        download_file(OPTIONS, "b", "k", tmp_path / "m.tar.gz", consume=_Reader())
    assert len(stub.requests) == 2
    assert list(tmp_path.iterdir()) == []
