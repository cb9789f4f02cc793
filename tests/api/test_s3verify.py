"""A download is checked against what S3 says of the object (neoctl.api.s3verify), and says
what it checked.

Against the emulator (the objects as boto3 stores them: single-part, multipart with a
composite or a full-object CRC32, parts of unequal size) and against stub S3s that serve
other bytes than the object's under its true ETag or checksum (tests/conftest.py
`flaky_s3` and `stub_server`), for both ways in: the parallel ranges of a plain
`download` and the one stream `download --extract` reads.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from neoctl.api import s3ranges
from neoctl.api.s3download import download_file
from neoctl.api.s3verify import TransferCorrupted, plan_check
from neoctl.api.session import AwsOptions
from neoctl.errors import EXIT_OTHER
from neoctl.testing import Emulator

KIB = 1024
MIB = 1024 * KIB
BUCKET = "verified"
OPTIONS = AwsOptions(region="us-east-1")


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(job_seconds=0, seeded=False) as running:
        yield running


@pytest.fixture
def s3(emulator: Emulator, aim_neoctl_at: Callable[[str], None], monkeypatch: pytest.MonkeyPatch) -> Any:
    emulator.reset()
    aim_neoctl_at(emulator.endpoint_url)
    # Ranged from 1 MiB up in 256 KiB ranges: a few MiB take the parallel path.
    monkeypatch.setattr(s3ranges, "PART", 256 * KIB)
    monkeypatch.setattr(s3ranges, "RANGED_MIN", MIB)
    client = emulator.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


def _fetch(tmp_path: Path, stream: bool, name: str = "model.tar.gz", *, keep: bool = True) -> Any:
    """download_file of s3://BUCKET/name: in ranges, or as one stream read by a consumer."""
    seen = hashlib.sha256()

    def consume(chunks: Any) -> None:
        for chunk in chunks:
            seen.update(chunk)

    got = download_file(OPTIONS, BUCKET, name, tmp_path / name, consume=consume if stream else None, keep=keep)
    if stream:
        assert seen.hexdigest() == got.sha256
    return got


def _multipart(s3: Any, parts: list[bytes], **create: Any) -> bytes:
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="model.tar.gz", **create)["UploadId"]
    extra = {"ChecksumAlgorithm": create["ChecksumAlgorithm"]} if "ChecksumAlgorithm" in create else {}
    done = [
        {
            "PartNumber": n,
            **s3.upload_part(Bucket=BUCKET, Key="model.tar.gz", UploadId=upload, PartNumber=n, Body=p, **extra),
        }
        for n, p in enumerate(parts, 1)
    ]
    listed = [{k: v for k, v in d.items() if k in ("PartNumber", "ETag") or k.startswith("Checksum")} for d in done]
    s3.complete_multipart_upload(Bucket=BUCKET, Key="model.tar.gz", UploadId=upload, MultipartUpload={"Parts": listed})
    return b"".join(parts)


STREAM = pytest.mark.parametrize("stream", [False, True], ids=["ranges", "stream"])


@pytest.mark.parametrize(
    ("stream", "size", "verified", "heads"),
    [
        (True, 3 * MIB + 7, "crc32 (S3 checksum)", 0),  # the stream's GET carries the CRC32
        (False, 3 * MIB + 7, "crc32 (S3 checksum)", 1),  # ranges carry none: asked for, as cheaper than MD5
        (False, 300 * KIB, "md5 (ETag)", 0),  # below RANGED_MIN the ETag is enough: nothing more is sent
    ],
    ids=["stream", "ranges", "small"],
)
def test_a_single_part_object_is_checked_against_its_crc32_or_etag(
    emulator: Emulator, s3: Any, tmp_path: Path, stream: bool, size: int, verified: str, heads: int
) -> None:
    body = os.urandom(size)
    s3.put_object(Bucket=BUCKET, Key="model.tar.gz", Body=body)  # boto3 sends (and S3 keeps) its CRC32
    before = emulator.requests.counts().get("s3.HeadObject", 0)
    got = _fetch(tmp_path, stream)
    assert got.verified == verified
    assert emulator.requests.counts().get("s3.HeadObject", 0) - before == heads
    assert (tmp_path / "model.tar.gz").read_bytes() == body


@STREAM
def test_a_multipart_object_is_checked_part_by_part(s3: Any, tmp_path: Path, stream: bool) -> None:
    from boto3.s3.transfer import TransferConfig

    body = os.urandom(11 * MIB + 3)  # 5 + 5 + 1 MiB, as s3transfer cuts it
    s3.upload_fileobj(io.BytesIO(body), BUCKET, "model.tar.gz", Config=TransferConfig(multipart_chunksize=5 * MIB))
    got = _fetch(tmp_path, stream)
    # Its CRC32 is a composite one (of the parts' CRC32s): the ETag's MD5s are checked.
    assert got.verified == "md5 of 3 parts (multipart ETag)"
    assert got.sha256 == hashlib.sha256(body).hexdigest()


@STREAM
def test_a_full_object_crc32_of_a_multipart_object_is_used(s3: Any, tmp_path: Path, stream: bool) -> None:
    body = _multipart(s3, [os.urandom(5 * MIB), os.urandom(MIB)], ChecksumAlgorithm="CRC32", ChecksumType="FULL_OBJECT")
    got = _fetch(tmp_path, stream)
    assert got.verified == "crc32 (S3 checksum)"
    assert got.sha256 == hashlib.sha256(body).hexdigest()


@STREAM
@pytest.mark.parametrize(
    "sizes", [[5 * MIB, 6 * MIB, MIB], [5 * MIB, 8 * MIB]], ids=["unequal-but-plausible", "unequal"]
)
def test_parts_of_unequal_size_are_said_unverified_not_corrupt(
    s3: Any, tmp_path: Path, stream: bool, sizes: list[int]
) -> None:
    # [5, 6, 1] MiB look like 5 MiB parts (3 of them hold 12 MiB): the combined MD5 differs,
    # every part's size is then asked for, and they are not 5 MiB: nothing could be checked,
    # and that is what is said, not "corrupted". [5, 8] cannot be 5 MiB parts at all.
    body = _multipart(s3, [os.urandom(size) for size in sizes])
    got = _fetch(tmp_path, stream)
    assert got.verified == "none: multipart ETag, parts of unequal size"
    assert (tmp_path / "model.tar.gz").read_bytes() == body


# -- other bytes than the object's ---------------------------------------------------------

Stub = Callable[[bytes, Callable[[int, int], Any]], Any]  # tests/conftest.py flaky_s3


def _corrupt(body: bytes) -> bytes:
    at = len(body) // 2
    return body[:at] + bytes([body[at] ^ 0x01]) + body[at + 1 :]


@pytest.mark.parametrize(
    ("stream", "keep"), [(False, True), (True, True), (True, False)], ids=["ranges", "stream", "tree-only"]
)
def test_bytes_changed_in_transit_are_refused_and_nothing_is_kept(
    flaky_s3: Stub, aim_neoctl_at: Callable[[str], None], tmp_path: Path, stream: bool, keep: bool
) -> None:
    body = os.urandom(3 * MIB)
    stub = flaky_s3(_corrupt(body), lambda _n, _start: None)  # one bit flipped on the way
    stub.etag = f'"{hashlib.md5(body).hexdigest()}"'  # the object's true ETag
    aim_neoctl_at(stub.url)
    dest = tmp_path / "model.tar.gz"
    dest.write_bytes(b"previous complete download")
    with pytest.raises(TransferCorrupted) as caught:
        download_file(
            OPTIONS,
            BUCKET,
            "model.tar.gz",
            dest,
            overwrite=True,
            consume=(lambda c: None) if stream else None,
            keep=keep,
        )
    assert caught.value.exit_code == EXIT_OTHER == 255
    assert caught.value.message == (
        f"the download of s3://{BUCKET}/model.tar.gz was corrupted in transit: its md5 is "
        f"{hashlib.md5(_corrupt(body)).hexdigest()}, S3 says {hashlib.md5(body).hexdigest()}; nothing was kept"
    )
    assert (
        caught.value.hint == "run the command again; if it fails again, something between S3 and this machine "
        "(a proxy, a network device) alters the bytes"
    )
    assert dest.read_bytes() == b"previous complete download"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.tar.gz"]  # no .part


class _S3(BaseHTTPRequestHandler):
    """One object served with a test's choice of ETag, headers and bytes (`served`, which
    may differ from `body`, whose ETag and checksum are given); HeadObject with PartNumber
    answers `part_sizes`, as S3 does for the parts of a multipart upload."""

    protocol_version = "HTTP/1.1"
    body: ClassVar[bytes] = b""
    served: ClassVar[bytes] = b""
    part_sizes: ClassVar[list[int]] = []
    etag: ClassVar[str] = ""
    headers_out: ClassVar[dict[str, str]] = {}
    heads: ClassVar[list[str]] = []

    @classmethod
    def holding(cls, body: bytes, served: bytes, part_sizes: list[int], **headers: str) -> type[_S3]:
        md5s = []
        at = 0
        for size in part_sizes:
            md5s.append(hashlib.md5(body[at : at + size]).digest())
            at += size
        etag = (
            f"{hashlib.md5(b''.join(md5s)).hexdigest()}-{len(part_sizes)}"
            if part_sizes
            else hashlib.md5(body).hexdigest()
        )
        return type(
            "S3",
            (cls,),
            {
                "body": body,
                "served": served,
                "part_sizes": part_sizes,
                "etag": f'"{etag}"',
                "headers_out": headers,
                "heads": [],
            },
        )

    def _common(self, length: int) -> None:
        self.send_header("Content-Length", str(length))
        self.send_header("ETag", self.etag)
        for name, value in self.headers_out.items():
            if name.startswith("x-amz-checksum-") and "range" in {h.lower() for h in self.headers}:
                continue  # S3 gives no checksum with a range
            self.send_header(name, value)
        self.end_headers()

    def do_HEAD(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        self.heads.append(urlsplit(self.path).query)
        if self.headers.get("If-Match", self.etag) != self.etag:
            self.send_response(412)
            self._common(0)
            return
        number = int(query.get("partNumber", ["0"])[0])
        if number:
            self.send_response(206)
            self.send_header("x-amz-mp-parts-count", str(len(self.part_sizes)))
            self._common(self.part_sizes[number - 1])
            return
        self.send_response(200)
        self._common(len(self.body))

    def do_GET(self) -> None:
        asked = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        start = int(asked[1]) if asked else 0
        end = min(int(asked[2]), len(self.served) - 1) if asked and asked[2] else len(self.served) - 1
        self.send_response(206 if asked else 200)
        if asked:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(self.served)}")
        self._common(end - start + 1)
        self.wfile.write(self.served[start : end + 1])

    def log_message(self, format: str, *args: Any) -> None:
        pass


Serve = Callable[[type[BaseHTTPRequestHandler]], str]
PARTS = [2 * MIB, 2 * MIB, MIB + 5]


@STREAM
def test_a_multipart_object_with_changed_bytes_is_refused_after_its_part_sizes_are_confirmed(
    stub_server: Serve, aim_neoctl_at: Callable[[str], None], tmp_path: Path, stream: bool
) -> None:
    body = os.urandom(sum(PARTS))
    handler = _S3.holding(body, _corrupt(body), PARTS)
    aim_neoctl_at(stub_server(handler))
    with pytest.raises(TransferCorrupted) as caught:
        _fetch(tmp_path, stream)
    assert f"S3 says {handler.etag.strip(chr(34))}" in caught.value.message
    assert "its md5 of 3 parts is" in caught.value.message
    # (Ranges first ask for the checksums S3 holds: none.) Part 1's size, then, the combined
    # MD5 differing, every part's: the sizes were as assumed, so the bytes are wrong.
    first = ["partNumber=1"] if stream else ["", "partNumber=1"]
    assert handler.heads[: len(first)] == first
    assert sorted(handler.heads[len(first) :]) == [f"partNumber={n}" for n in (1, 2, 3)]
    assert list(tmp_path.iterdir()) == []


@STREAM
def test_a_multipart_object_served_whole_is_verified(
    stub_server: Serve, aim_neoctl_at: Callable[[str], None], tmp_path: Path, stream: bool
) -> None:
    body = os.urandom(sum(PARTS))
    handler = _S3.holding(body, body, PARTS)
    aim_neoctl_at(stub_server(handler))
    assert _fetch(tmp_path, stream).verified == "md5 of 3 parts (multipart ETag)"
    assert handler.heads == (["partNumber=1"] if stream else ["", "partNumber=1"])  # no more asked


def test_a_crc32_mismatch_on_the_stream_is_a_corrupted_download_not_a_botocore_error(
    stub_server: Serve, aim_neoctl_at: Callable[[str], None], tmp_path: Path
) -> None:
    # Issue 23: `download --extract` ended in "FlexibleChecksumError: Expected checksum …"
    # with no hint. botocore checks the CRC32 the GET carries; its error is said as ours.
    body = os.urandom(MIB)
    crc = base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode()
    handler = _S3.holding(
        body, _corrupt(body), [], **{"x-amz-checksum-crc32": crc, "x-amz-checksum-type": "FULL_OBJECT"}
    )
    handler.etag = '"' + "0" * 32 + '"'  # not the MD5 either way: the CRC32 is what is checked
    aim_neoctl_at(stub_server(handler))
    with pytest.raises(TransferCorrupted) as caught:
        _fetch(tmp_path, stream=True, keep=False)
    wrong = base64.b64encode(zlib.crc32(_corrupt(body)).to_bytes(4, "big")).decode()
    assert caught.value.message == (
        f"the download of s3://{BUCKET}/model.tar.gz was corrupted in transit: its crc32 is {wrong}, "
        f"S3 says {crc}; nothing was kept"
    )
    assert caught.value.hint and "run the command again" in caught.value.hint


@STREAM
def test_an_sse_kms_object_without_checksums_is_said_unverified(
    stub_server: Serve, aim_neoctl_at: Callable[[str], None], tmp_path: Path, stream: bool
) -> None:
    body = os.urandom(MIB)
    handler = _S3.holding(body, body, [], **{"x-amz-server-side-encryption": "aws:kms"})
    handler.etag = '"' + hashlib.md5(b"not the bytes").hexdigest() + '"'  # SSE-KMS: the ETag is no MD5
    aim_neoctl_at(stub_server(handler))
    got = _fetch(tmp_path, stream)
    assert got.verified == "none: the ETag of an SSE-KMS object is not its MD5, and S3 holds no checksum of it"
    assert (tmp_path / "model.tar.gz").read_bytes() == body


def test_what_is_checked_comes_from_what_s3_says() -> None:
    """The choice alone, from answers as botocore parses them (no request is needed here)."""

    class NoHead:
        def head_object(self, **_kwargs: Any) -> Any:
            raise AssertionError("asked S3 when the answer was enough")

    md5 = hashlib.md5(b"x").hexdigest()
    sha = base64.b64encode(hashlib.sha256(b"x").digest()).decode()

    def label(response: dict[str, Any], asked: bool = True) -> str:
        return plan_check(NoHead(), "b", "k", response, 1, checksums_asked=asked).label

    assert label({"ETag": f'"{md5}"'}, asked=False) == "md5 (ETag)"
    assert label({"ETag": f'"{md5}"', "ChecksumSHA256": sha, "ChecksumType": "FULL_OBJECT"}) == "sha256 (S3 checksum)"
    # A composite checksum is not the object's; nor is a bare one of a multipart object with no type.
    assert label({"ETag": f'"{md5}"', "ChecksumCRC32": "AAAAAA==-3", "ChecksumType": "COMPOSITE"}) == "md5 (ETag)"
    assert label({"ETag": f'"{md5}"', "ServerSideEncryption": "AES256"}) == "md5 (ETag)"  # SSE-S3: still its MD5
    assert label({"ETag": f'"{md5}"', "SSECustomerAlgorithm": "AES256"}) == (
        "none: the ETag of an SSE-C object is not its MD5, and S3 holds no checksum of it"
    )
    assert label({"ETag": '"W/odd"'}) == "none: the ETag is not an MD5, and S3 holds no checksum of the object"
