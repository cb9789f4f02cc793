"""A local model planned and uploaded to the emulator's S3 over real HTTP."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import tarfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from neoctl.api.s3 import SHA256_METADATA
from neoctl.api.session import AwsOptions
from neoctl.errors import EXIT_INTERRUPTED, EXIT_SERVICE, Interrupted, InvalidInput, ServiceError
from neoctl.models import plan as localmodel
from neoctl.models.upload import upload_model
from neoctl.output import Printer
from neoctl.testing import Emulator

BUCKET = "models"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(job_seconds=0) as running:
        running.reset()  # moto's state is process-wide: start from the seeded account only
        yield running


@pytest.fixture
def s3(emulator: Emulator, aim_neoctl_at: Callable[[str], None]) -> Any:
    """A clean emulator with one bucket; neoctl's client factory aimed at it."""
    emulator.reset()
    aim_neoctl_at(emulator.endpoint_url)
    client = emulator.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def options(emulator: Emulator) -> AwsOptions:
    return AwsOptions(region="us-east-1", endpoint_url=emulator.endpoint_url)


def _model(root: Path, mtime: int) -> Path:
    model = root / "resnet50"
    (model / "code").mkdir(parents=True)
    (model / "model.pth").write_bytes(b"w" * 50_000)
    (model / "code" / "inference.py").write_text("def model_fn(d): ...\n")
    for path in [model, *model.rglob("*")]:
        os.utime(path, (mtime, mtime))
    return model


def _printer() -> tuple[Printer, io.StringIO]:
    err = io.StringIO()
    return Printer("json", stdout=io.StringIO(), stderr=err), err


REQUEST = {"CompilationJobName": "job", "InputConfig": {"Framework": "PYTORCH", "S3Uri": "placeholder"}}


def test_same_files_give_same_bytes_and_key_across_runs_and_mtimes(tmp_path: Path) -> None:
    first_dir = _model(tmp_path / "a", mtime=1_600_000_000)
    second_dir = _model(tmp_path / "b", mtime=1_700_000_000)
    with (
        localmodel.plan_upload(first_dir, "s3://models/neo/") as first,
        localmodel.plan_upload(second_dir, "s3://models/neo") as second,
    ):
        assert first.path.read_bytes() == second.path.read_bytes()
        assert first.s3_uri == second.s3_uri
        digest = hashlib.sha256(first.path.read_bytes()).hexdigest()
        assert first.sha256 == digest
        assert first.s3_uri == f"s3://models/neo/{digest[:16]}/model.tar.gz"
        assert first.as_dict() == {
            "Source": str(first_dir),
            "Package": "directory",
            "Size": first.size,
            "Sha256": digest,
            "S3Uri": first.s3_uri,
        }
        temp = first.path
    assert not temp.exists()  # the context manager removed the packed file


def test_bucket_root_prefix_and_changed_model(tmp_path: Path) -> None:
    model = _model(tmp_path, 0)
    with localmodel.plan_upload(model, "s3://models") as before:
        assert before.s3_uri.startswith("s3://models/") and before.s3_uri.count("/") == 4
    (model / "model.pth").write_bytes(b"other weights")
    with localmodel.plan_upload(model, "s3://models") as after:
        assert after.s3_uri != before.s3_uri


def test_request_gets_the_uri_and_is_not_mutated(tmp_path: Path) -> None:
    upload, request = localmodel.prepare(REQUEST, _model(tmp_path, 0), "s3://models/neo/")
    with upload:
        assert request["InputConfig"] == {"Framework": "PYTORCH", "S3Uri": upload.s3_uri}
        assert REQUEST["InputConfig"]["S3Uri"] == "placeholder"  # type: ignore[index]
        assert localmodel.with_model_uri({}, upload) == {"InputConfig": {"S3Uri": upload.s3_uri}}


def test_bad_upload_to_fails_before_packing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(localmodel, "package", lambda *a, **k: pytest.fail("packed anyway"))
    with pytest.raises(InvalidInput, match="not an s3:// URI"):
        localmodel.plan_upload(tmp_path, "models/neo/")


def test_upload_then_skip_when_the_key_exists(s3: Any, options: AwsOptions, tmp_path: Path) -> None:
    with localmodel.plan_upload(_model(tmp_path, 0), "s3://models/neo/") as upload:
        out, err = _printer()
        assert upload_model(options, upload, out) is True
        key = upload.s3_uri.removeprefix(f"s3://{BUCKET}/")
        stored = s3.get_object(Bucket=BUCKET, Key=key)
        assert stored["Body"].read() == upload.path.read_bytes()
        assert stored["Metadata"] == {SHA256_METADATA: upload.sha256}
        assert "uploaded" in err.getvalue() and upload.s3_uri in err.getvalue()
        # Mark the stored object: a second upload would replace it (and its metadata).
        s3.copy_object(
            Bucket=BUCKET,
            Key=key,
            CopySource={"Bucket": BUCKET, "Key": key},
            Metadata={SHA256_METADATA: upload.sha256, "marker": "first"},
            MetadataDirective="REPLACE",
        )
        out, err = _printer()
        assert upload_model(options, upload, out) is False
        assert s3.head_object(Bucket=BUCKET, Key=key)["Metadata"]["marker"] == "first"
        assert "already uploaded" in err.getvalue()
        assert "uploaded s3" not in err.getvalue()  # no progress line for a skipped upload


def test_object_uploaded_elsewhere_without_metadata_is_skipped(s3: Any, options: AwsOptions, tmp_path: Path) -> None:
    with localmodel.plan_upload(_model(tmp_path, 0), "s3://models/neo/") as upload:
        key = upload.s3_uri.removeprefix(f"s3://{BUCKET}/")
        s3.put_object(Bucket=BUCKET, Key=key, Body=upload.path.read_bytes())  # e.g. `aws s3 cp`
        assert upload_model(options, upload) is False
        assert s3.head_object(Bucket=BUCKET, Key=key)["Metadata"] == {}


def test_object_of_another_size_at_the_key_is_replaced(s3: Any, options: AwsOptions, tmp_path: Path) -> None:
    with localmodel.plan_upload(_model(tmp_path, 0), "s3://models/neo/") as upload:
        key = upload.s3_uri.removeprefix(f"s3://{BUCKET}/")
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"truncated")
        assert upload_model(options, upload) is True
        assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == upload.path.read_bytes()


def test_user_archive_is_uploaded_as_is_and_kept(s3: Any, options: AwsOptions, tmp_path: Path) -> None:
    archive = tmp_path / "mine.tar.gz"
    with localmodel.plan_upload(_model(tmp_path, 0), "s3://x/") as packed:
        shutil.copyfile(packed.path, archive)
    with localmodel.plan_upload(archive, "s3://models/") as upload:
        assert upload.path == archive and upload.package.kind == "archive"
        assert upload_model(options, upload) is True
    assert archive.exists()


def test_missing_bucket_is_a_service_error_with_a_hint(s3: Any, options: AwsOptions, tmp_path: Path) -> None:
    with (
        localmodel.plan_upload(_model(tmp_path, 0), "s3://no-such-bucket/neo/") as upload,
        pytest.raises(ServiceError) as caught,
    ):
        upload_model(options, upload)
    assert caught.value.exit_code == EXIT_SERVICE
    assert "no-such-bucket does not exist" in caught.value.message
    assert caught.value.hint and "aws s3 mb" in caught.value.hint


def test_ctrl_c_during_a_multipart_upload_stores_nothing(
    s3: Any, options: AwsOptions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real SIGINT, sent from s3transfer's worker thread once the first bytes are out,
    # reaches the main thread where it waits on the transfer: as Ctrl-C would.
    from neoctl.output import transfer

    archive = tmp_path / "big.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=1) as tar:
        info = tarfile.TarInfo("model.pth")
        info.size = 20 * 1024 * 1024  # over the 8 MiB multipart threshold
        tar.addfile(info, io.BytesIO(os.urandom(info.size)))
    real_advance = transfer.TransferProgress.advance
    sent: list[int] = []

    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    delivered = threading.Event()

    def on_sigint(signum: int, frame: Any) -> None:
        delivered.set()  # the main thread has the interrupt now: Python's own handler, plus a mark
        signal.default_int_handler(signum, frame)

    def advance_then_interrupt(self: transfer.TransferProgress, amount: int) -> None:
        real_advance(self, amount)
        if not sent:
            sent.append(amount)
            os.kill(os.getpid(), signal.SIGINT)
            # Hold this part until the main thread has taken the interrupt: on a loaded
            # machine the loopback upload could otherwise finish first.
            delivered.wait(10)
        else:
            time.sleep(0.05)  # a slow network from here on

    monkeypatch.setattr(transfer.TransferProgress, "advance", advance_then_interrupt)
    signal.signal(signal.SIGINT, on_sigint)
    try:
        with localmodel.plan_upload(archive, "s3://models/neo/") as upload:
            out, err = _printer()
            with pytest.raises(Interrupted) as caught:
                upload_model(options, upload, out)
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    assert sent, "the upload never reported progress"
    assert caught.value.exit_code == EXIT_INTERRUPTED
    assert upload.s3_uri in caught.value.message
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []  # aborted
    assert err.getvalue() == ""  # no "uploaded" line after an interruption
