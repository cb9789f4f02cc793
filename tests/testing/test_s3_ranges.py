"""The emulator's ranged GetObject reads only the range and answers exactly as moto's own code.

Each range is asked twice, of an Emulator (patched) and of moto's in-process mock_aws
(where the patch stands aside), on the same objects: a plain one, an empty one, and a
completed multipart upload (whose stored buffer reads the parts' buffers); status,
Content-Range, Content-Length, ETag, body and errors must be equal.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.s3.models import FakeKey

from neoctl.testing import Emulator

BUCKET = "ranges"
MIB = 1024 * 1024
PLAIN = random.Random(1).randbytes(1000)
PARTS = [random.Random(n).randbytes(size) for n, size in ((2, 5 * MIB), (3, 5 * MIB + 123), (4, MIB // 3))]
MULTIPART = b"".join(PARTS)
BOUNDARY = 5 * MIB  # first byte of the second part

RANGES: dict[str, list[str]] = {
    "plain": [
        "bytes=0-99",
        "bytes=100-",
        "bytes=-50",
        "bytes=990-5000",  # past the end: cut to it
        "bytes=999-999",
        "bytes=1000-",  # unsatisfiable: 416
        "bytes=-0",  # unsatisfiable: 416
        "bytes=5-2",  # answered whole (200)
        "bytes=0-1,5-6",  # several ranges: answered whole
        "bytes=abc",  # unparseable: answered whole
        "bytes=-5000",  # a suffix longer than the object: all of it
    ],
    "empty": ["bytes=0-99", "bytes=0-", "bytes=-10"],
    "multipart": [
        f"bytes={BOUNDARY - 10}-{BOUNDARY + 9}",  # across two parts
        f"bytes={BOUNDARY}-{2 * BOUNDARY + 200}",  # part 2 whole and into part 3
        f"bytes={len(MULTIPART) - 7}-",  # the tail of the last part
        "bytes=0-0",
        f"bytes={len(MULTIPART)}-",  # 416
        "bytes=-100",
    ],
}


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(job_seconds=0, seeded=False) as running:
        yield running


def _client(emulator: Emulator | None) -> Any:
    # boto3's default `when_supported` validation would check a whole-object checksum
    # against a range; a user's ranged GET is validated only when asked.
    conf = Config(retries={"mode": "standard", "total_max_attempts": 1}, response_checksum_validation="when_required")
    if emulator is not None:
        return emulator.client("s3", config=conf)
    return boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing", config=conf
    )


def _put(s3: Any, name: str) -> None:
    s3.create_bucket(Bucket=BUCKET)
    if name == "plain":
        s3.put_object(Bucket=BUCKET, Key=name, Body=PLAIN)
    elif name == "empty":
        s3.put_object(Bucket=BUCKET, Key=name, Body=b"")
    else:
        config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=1)
        s3.upload_fileobj(io.BytesIO(MULTIPART), BUCKET, name, Config=config)


def _ask(s3: Any, name: str, ranged: str, **extra: Any) -> dict[str, Any]:
    try:
        got = s3.get_object(Bucket=BUCKET, Key=name, Range=ranged, **extra)
    except ClientError as exc:
        return {"status": exc.response["ResponseMetadata"]["HTTPStatusCode"], "error": exc.response["Error"]["Code"]}
    return {
        "status": got["ResponseMetadata"]["HTTPStatusCode"],
        "range": got.get("ContentRange"),
        "length": got["ContentLength"],
        "etag": got["ETag"],
        "body": got["Body"].read(),
    }


def _answers(s3: Any, name: str) -> list[dict[str, Any]]:
    _put(s3, name)
    etag = s3.head_object(Bucket=BUCKET, Key=name)["ETag"]
    answers = [_ask(s3, name, ranged) for ranged in RANGES[name]]
    answers.append(_ask(s3, name, RANGES[name][0], IfMatch=etag))
    answers.append(_ask(s3, name, RANGES[name][0], IfMatch='"' + "0" * 32 + '"'))  # 412
    return answers


def _moto_then_emulator(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, ask: Callable[[Any], list[dict[str, Any]]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """`ask`'s answers from moto's own code (mock_aws), then from the emulator, and the
    keys the emulator read whole (`FakeKey.value`, which copies the object)."""
    from moto import mock_aws

    with mock_aws():
        stock = ask(_client(None))
    whole_reads: list[str] = []
    value = FakeKey.value

    def counted(key: FakeKey) -> bytes:
        whole_reads.append(key.name)
        return value.fget(key)  # type: ignore[attr-defined,no-any-return]

    emulator.reset()
    monkeypatch.setattr(FakeKey, "value", value.getter(counted))
    return stock, ask(_client(emulator)), whole_reads


@pytest.mark.parametrize("name", list(RANGES))
def test_ranged_get_answers_as_moto_does_without_reading_the_whole_object(
    emulator: Emulator, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stock, patched, whole_reads = _moto_then_emulator(emulator, monkeypatch, lambda s3: _answers(s3, name))
    assert patched == stock
    statuses = [answer["status"] for answer in patched]
    assert 412 in statuses and (206 in statuses or name == "empty")
    # Only the ranges that moto answers whole (200) read the whole object.
    assert len(whole_reads) == statuses.count(200)


# -- whole-object GETs ------------------------------------------------------------------

BIG = random.Random(5).randbytes(2 * MIB + 17)  # one PutObject, past STREAM_MIN


def _whole_answers(s3: Any, name: str) -> list[dict[str, Any]]:
    if name == "big":
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key=name, Body=BIG)
    else:
        _put(s3, name)
    etag = s3.head_object(Bucket=BUCKET, Key=name)["ETag"]
    answers = []
    for extra in ({}, {"IfMatch": etag}, {"ChecksumMode": "ENABLED"}, {"IfNoneMatch": etag}):
        try:
            got = s3.get_object(Bucket=BUCKET, Key=name, **extra)
        except ClientError as exc:
            answers.append({"status": exc.response["ResponseMetadata"]["HTTPStatusCode"]})
            continue
        answers.append(
            {
                "status": got["ResponseMetadata"]["HTTPStatusCode"],
                "length": got["ContentLength"],
                "etag": got["ETag"],
                "checksum": got.get("ChecksumCRC32"),
                "body": got["Body"].read(),
            }
        )
    return answers


@pytest.mark.parametrize("name", ["plain", "empty", "multipart", "big"])
def test_whole_get_answers_as_moto_does_and_sends_a_big_object_without_copying_it_first(
    emulator: Emulator, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stock, patched, whole_reads = _moto_then_emulator(emulator, monkeypatch, lambda s3: _whole_answers(s3, name))
    assert patched == stock
    assert [answer["status"] for answer in patched] == [200, 200, 200, 304]
    assert patched[0]["body"] == {"plain": PLAIN, "empty": b"", "multipart": MULTIPART, "big": BIG}[name]
    # Objects of a MiB or less are sent as moto sends them (one bytes); bigger ones are
    # streamed from their buffer: moto's `key.value` would copy the object first.
    assert len(whole_reads) == (3 if name in ("plain", "empty") else 0)


def test_a_get_in_flight_completes_when_the_object_is_deleted_meanwhile(emulator: Emulator) -> None:
    # As on S3: the bytes of the version being sent stay readable until the GET ends.
    emulator.reset()
    s3 = _client(emulator)
    _put(s3, "multipart")
    body = s3.get_object(Bucket=BUCKET, Key="multipart")["Body"]
    first = body.read(MIB)
    s3.delete_object(Bucket=BUCKET, Key="multipart")
    assert first + body.read() == MULTIPART
    with pytest.raises(ClientError, match="NoSuchKey"):
        s3.get_object(Bucket=BUCKET, Key="multipart")
