"""The emulator's cheap CompleteMultipartUpload answers exactly as moto's own code.

Each scenario runs twice, through an Emulator (patched) and through moto's in-process
mock_aws (where the patch stands aside, so moto's own code answers), and the two
outcomes must be equal: object bytes, ETag, checksum fields, errors, what remains.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from neoctl.testing import Emulator, s3_multipart

BUCKET = "multipart"
KEY = "model.tar.gz"
MIB = 1024 * 1024
NO_RETRIES = {"retries": {"mode": "standard", "total_max_attempts": 1}}
Scenario = Callable[[Any], dict[str, Any]]


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(job_seconds=0, seeded=False) as running:
        yield running


def _data(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


# Three parts: two at S3's 5 MiB minimum, a short last one.
PARTS = [_data(5 * MIB, 1), _data(5 * MIB + 123, 2), _data(MIB // 3, 3)]


def _client(emulator: Emulator | None, **config: Any) -> Any:
    conf = Config(**NO_RETRIES, **config)
    if emulator is not None:
        return emulator.client("s3", config=conf)
    return boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing", config=conf
    )


def _error(call: Callable[[], Any]) -> str:
    try:
        call()
    except ClientError as exc:
        return str(exc.response["Error"]["Code"])
    raise AssertionError("no error")


def _stored(s3: Any) -> dict[str, Any]:
    """What a client can see of the bucket afterwards."""
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    seen: dict[str, Any] = {
        "keys": keys,
        "unfinished": len(s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])),
    }
    if KEY in keys:
        got = s3.get_object(Bucket=BUCKET, Key=KEY, ChecksumMode="ENABLED")
        head = s3.head_object(Bucket=BUCKET, Key=KEY, ChecksumMode="ENABLED")
        ranged = s3.get_object(Bucket=BUCKET, Key=KEY, Range=f"bytes={5 * MIB - 10}-{5 * MIB + 9}")
        seen["body"] = hashlib.sha256(got["Body"].read()).hexdigest()
        seen["range"] = ranged["Body"].read()
        seen["part1"] = {
            k: v
            for k, v in s3.head_object(Bucket=BUCKET, Key=KEY, PartNumber=1).items()
            if k in ("ETag", "ContentLength", "PartsCount")
        }
        for name, answer in (("get", got), ("head", head)):
            seen[name] = {k: v for k, v in answer.items() if k == "ETag" or k.startswith(("Checksum", "Content"))}
            seen[name].pop("ContentRange", None)
        s3.copy_object(Bucket=BUCKET, Key="copy", CopySource={"Bucket": BUCKET, "Key": KEY})
        # moto gives a copy the source's composite CRC32 as if it were the whole object's,
        # which botocore's default validation rejects: read the copy without it.
        unchecked = boto3.client(
            "s3",
            endpoint_url=s3.meta.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(response_checksum_validation="when_required"),
        )
        seen["copy"] = hashlib.sha256(unchecked.get_object(Bucket=BUCKET, Key="copy")["Body"].read()).hexdigest()
    return seen


def _multipart(
    parts: list[bytes], create: dict[str, Any] | None = None, etags: Callable[[list[str]], list[str]] | None = None
) -> Scenario:
    """CreateMultipartUpload (with `create`'s arguments), UploadPart for each of `parts`
    (part 2 sent twice: a part re-sent replaces the first), CompleteMultipartUpload."""

    def run(s3: Any) -> dict[str, Any]:
        upload = s3.create_multipart_upload(Bucket=BUCKET, Key=KEY, **(create or {}))["UploadId"]
        sent: list[str] = []
        for number, data in enumerate(parts, 1):
            if number == 2:
                s3.upload_part(Bucket=BUCKET, Key=KEY, UploadId=upload, PartNumber=2, Body=b"x" * (5 * MIB))
            sent.append(s3.upload_part(Bucket=BUCKET, Key=KEY, UploadId=upload, PartNumber=number, Body=data)["ETag"])
        listed = etags(sent) if etags else sent
        outcome: dict[str, Any] = {}
        try:
            done = s3.complete_multipart_upload(
                Bucket=BUCKET,
                Key=KEY,
                UploadId=upload,
                MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in enumerate(listed, 1)]},
            )
            outcome["complete"] = {k: v for k, v in done.items() if k in ("ETag", "Key", "Bucket", "Location")}
        except ClientError as exc:
            outcome["error"] = exc.response["Error"]["Code"]
        return outcome | _stored(s3)

    return run


def _upload_file(s3: Any) -> dict[str, Any]:
    """What boto3's managed transfer does (aws s3 cp and neoctl send 8 MiB parts; 5 here)."""
    body = b"".join(PARTS)
    config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=2)
    s3.upload_fileobj(io.BytesIO(body), BUCKET, KEY, Config=config)
    return _stored(s3)


def _part_zero(s3: Any) -> dict[str, Any]:
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key=KEY)["UploadId"]
    code = _error(lambda: s3.upload_part(Bucket=BUCKET, Key=KEY, UploadId=upload, PartNumber=0, Body=b"x"))
    return {"error": code} | _stored(s3)


WHOLE = b"".join(PARTS)
SMALL_MIDDLE = [PARTS[0], PARTS[2], PARTS[1]]

# name: (scenario, client config, what the emulator must end with: the object or an error)
SCENARIOS: dict[str, tuple[Scenario, dict[str, Any], bytes | str]] = {
    # boto3's default (request_checksum_calculation=when_supported) sends CRC32.
    "upload_file-default-checksum": (_upload_file, {}, WHOLE),
    "upload_file-no-checksum": (_upload_file, {"request_checksum_calculation": "when_required"}, WHOLE),
    "crc32-composite": (_multipart(PARTS, {"ChecksumAlgorithm": "CRC32"}), {}, WHOLE),
    "crc32-full-object": (_multipart(PARTS, {"ChecksumAlgorithm": "CRC32", "ChecksumType": "FULL_OBJECT"}), {}, WHOLE),
    "crc32c-full-object": (
        _multipart(PARTS, {"ChecksumAlgorithm": "CRC32C", "ChecksumType": "FULL_OBJECT"}),
        {},
        WHOLE,
    ),
    "sha256-composite": (_multipart(PARTS, {"ChecksumAlgorithm": "SHA256"}), {}, WHOLE),
    "sha1-full-object": (_multipart(PARTS, {"ChecksumAlgorithm": "SHA1", "ChecksumType": "FULL_OBJECT"}), {}, WHOLE),
    "no-checksum": (_multipart(PARTS), {"request_checksum_calculation": "when_required"}, WHOLE),
    "one-part": (_multipart(PARTS[:1]), {}, PARTS[0]),
    "wrong-etag": (_multipart(PARTS, etags=lambda e: [e[0], '"' + "0" * 32 + '"', e[2]]), {}, "InvalidPart"),
    "small-middle-part": (_multipart(SMALL_MIDDLE), {}, "EntityTooSmall"),
    "unlisted-part": (_multipart(PARTS, etags=lambda e: [*e, e[0]]), {}, "InvalidPart"),
    "no-parts": (_multipart(PARTS, etags=lambda e: []), {}, "MalformedXML"),
    "part-number-zero": (_part_zero, {}, "NoSuchUpload"),
}


def _buffer_kind() -> str:
    """The class of the stored object's buffer: shows which code completed the upload."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    key = s3_backends[DEFAULT_ACCOUNT_ID]["aws"].buckets[BUCKET].keys.get(KEY)
    return type(key._value_buffer).__name__ if key is not None else "none"


def _in_moto(scenario: Scenario, config: dict[str, Any]) -> tuple[dict[str, Any], str]:
    from moto import mock_aws

    with mock_aws():
        s3 = _client(None, **config)
        s3.create_bucket(Bucket=BUCKET)
        return scenario(s3), _buffer_kind()


def _in_emulator(emulator: Emulator, scenario: Scenario, config: dict[str, Any]) -> tuple[dict[str, Any], str]:
    emulator.reset()
    s3 = _client(emulator, **config)
    s3.create_bucket(Bucket=BUCKET)
    return scenario(s3), _buffer_kind()


def _as_s3(stock: dict[str, Any]) -> dict[str, Any]:
    """moto's outcome with its HeadObject answered as S3 answers it (the emulator's
    s3_multipart.head_object): a composite checksum with its `-<parts>` and the checksum
    type, as moto's own GetObject gives them, and, for one part, the object's ETag."""
    if "head" not in stock:
        return stock
    fixed = dict(stock)
    fixed["head"] = dict(stock["head"])
    for field in ("ChecksumCRC32", "ChecksumCRC32C", "ChecksumSHA1", "ChecksumSHA256", "ChecksumType"):
        if field in stock["get"]:
            fixed["head"][field] = stock["get"][field]
    fixed["part1"] = stock["part1"] | {"ETag": stock["get"]["ETag"]}
    return fixed


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_complete_answers_as_moto_does(emulator: Emulator, name: str) -> None:
    scenario, config, expected = SCENARIOS[name]
    patched, patched_buffer = _in_emulator(emulator, scenario, config)
    stock, stock_buffer = _in_moto(scenario, config)
    if isinstance(expected, bytes):
        assert patched["body"] == hashlib.sha256(expected).hexdigest()
        assert patched["range"] == expected[5 * MIB - 10 : 5 * MIB + 10]
        assert (patched_buffer, stock_buffer) == ("JoinedParts", "SpooledTemporaryFile")
    else:
        assert patched["error"] == expected
        assert patched["unfinished"] == 1  # a refused complete leaves the upload to retry
        assert (patched_buffer, stock_buffer) == ("none", "none")
    assert patched == _as_s3(stock)


def test_default_upload_reports_its_crc32(emulator: Emulator) -> None:
    """What `aws s3 cp` and neoctl rely on: the CRC32 boto3 sent comes back with the object."""
    patched, _ = _in_emulator(emulator, _upload_file, {})
    assert patched["get"]["ChecksumType"] == "COMPOSITE"
    assert patched["get"]["ChecksumCRC32"].endswith("-3")  # a composite of three 5 MiB parts
    # HeadObject as S3 answers it (moto's gave the value bare, as if it were the object's CRC32).
    assert patched["head"]["ChecksumCRC32"] == patched["get"]["ChecksumCRC32"]
    assert patched["head"]["ChecksumType"] == "COMPOSITE"


def test_parts_past_the_memory_budget_spill_and_still_join(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big upload keeps only its first parts in memory; the object reads across both kinds."""
    monkeypatch.setattr(s3_multipart, "UPLOAD_MEMORY_BYTES", 6 * MIB)  # room for the first part only
    scenario, config, expected = SCENARIOS["crc32-full-object"]
    assert isinstance(expected, bytes)
    patched, _ = _in_emulator(emulator, scenario, config)
    stock, _ = _in_moto(scenario, config)
    assert patched["body"] == hashlib.sha256(expected).hexdigest()
    assert patched["range"] == expected[5 * MIB - 10 : 5 * MIB + 10]  # across the two kinds
    assert patched == _as_s3(stock)


def test_head_of_one_part_gives_its_size_under_the_object_etag(emulator: Emulator) -> None:
    """HeadObject with PartNumber, as S3 answers it: the part's size, the parts count and the
    object's ETag, which If-Match is checked against (a download learns the part size so)."""
    emulator.reset()
    s3 = _client(emulator)
    s3.create_bucket(Bucket=BUCKET)
    _upload_file(s3)
    etag = s3.head_object(Bucket=BUCKET, Key=KEY)["ETag"]
    part = s3.head_object(Bucket=BUCKET, Key=KEY, PartNumber=2, IfMatch=etag, ChecksumMode="ENABLED")
    assert (part["ContentLength"], part["PartsCount"], part["ETag"]) == (5 * MIB, 3, etag)
    assert not any(k.startswith("ChecksumCRC32") for k in part)  # not the object's composite as the part's
    assert _error(lambda: s3.head_object(Bucket=BUCKET, Key=KEY, PartNumber=2, IfMatch='"0"')) == "412"
