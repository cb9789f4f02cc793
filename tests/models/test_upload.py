"""A local model planned and uploaded to the emulator's S3 over real HTTP."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
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

from .packing import package

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


def _stored_names(body: bytes) -> list[str]:
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as archive:
        return archive.getnames()


def _planned(model: Path, upload_to: str = "s3://models/neo/") -> localmodel.Upload:
    upload = localmodel.plan_upload(model, upload_to)
    upload.hash()
    return upload


def test_same_files_give_same_key_across_runs_and_mtimes(tmp_path: Path) -> None:
    first_dir = _model(tmp_path / "a", mtime=1_600_000_000)
    second_dir = _model(tmp_path / "b", mtime=1_700_000_000)
    first = _planned(first_dir, "s3://models/neo/")
    second = _planned(second_dir, "s3://models/neo")
    assert first.s3_uri == second.s3_uri
    assert first.s3_uri == f"s3://models/neo/{first.sha256[:16]}/model.tar.gz"
    assert first.as_dict() == {
        "Source": str(first_dir),
        "Package": "directory",
        "Size": 50_000 + len("def model_fn(d): ...\n"),
        "Files": 2,
        "Sha256": first.sha256,
        "S3Uri": first.s3_uri,
    }


def test_listing_reads_no_contents_and_the_uri_waits_for_the_hash(tmp_path: Path) -> None:
    upload = localmodel.plan_upload(_model(tmp_path, 0), "s3://models/neo/")
    assert upload.digest is None and localmodel.UNHASHED in upload.s3_uri
    with pytest.raises(ValueError, match="not been hashed"):
        _ = upload.sha256
    upload.hash()
    assert localmodel.UNHASHED not in upload.s3_uri


def test_bucket_root_prefix_and_changed_model(tmp_path: Path) -> None:
    model = _model(tmp_path, 0)
    before = _planned(model, "s3://models")
    assert before.s3_uri.startswith("s3://models/") and before.s3_uri.count("/") == 4
    (model / "model.pth").write_bytes(b"other weights")
    after = _planned(model, "s3://models")
    assert after.s3_uri != before.s3_uri


def test_request_gets_the_uri_and_is_not_mutated(tmp_path: Path) -> None:
    upload, request = localmodel.prepare(REQUEST, _model(tmp_path, 0), "s3://models/neo/")
    assert request["InputConfig"] == {"Framework": "PYTORCH", "S3Uri": upload.s3_uri}
    assert REQUEST["InputConfig"]["S3Uri"] == "placeholder"  # type: ignore[index]
    assert localmodel.with_model_uri({}, upload) == {"InputConfig": {"S3Uri": upload.s3_uri}}


def test_bad_upload_to_fails_before_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(localmodel, "open_model", lambda *a, **k: pytest.fail("listed anyway"))
    with pytest.raises(InvalidInput, match="not an s3:// URI"):
        localmodel.plan_upload(tmp_path, "models/neo/")


def test_upload_then_skip_when_the_key_exists(emulator: Emulator, s3: Any, options: AwsOptions, tmp_path: Path) -> None:
    upload = _planned(_model(tmp_path, 0))
    out, err = _printer()
    assert upload_model(options, upload, out) is True
    key = upload.s3_uri.removeprefix(f"s3://{BUCKET}/")
    stored = s3.get_object(Bucket=BUCKET, Key=key)
    body = stored["Body"].read()
    assert _stored_names(body) == ["code", "code/inference.py", "model.pth"]
    assert stored["Metadata"] == {SHA256_METADATA: upload.sha256}
    assert "uploaded" in err.getvalue() and upload.s3_uri in err.getvalue()
    # Real tar reads it too (SageMaker untars with it).
    (tmp_path / "got.tar.gz").write_bytes(body)
    listing = subprocess.run(["tar", "tzf", str(tmp_path / "got.tar.gz")], capture_output=True, text=True, check=True)
    assert listing.stdout.split() == ["code/", "code/inference.py", "model.pth"]
    # A second run (another process: a fresh plan) sends nothing.
    before = emulator.requests.counts()
    out, err = _printer()
    assert upload_model(options, _planned(_model(tmp_path / "again", 5)), out) is False
    sent = {k: v - before.get(k, 0) for k, v in emulator.requests.counts().items() if v != before.get(k, 0)}
    assert sent == {"s3.HeadObject": 1}
    assert "already uploaded" in err.getvalue()
    assert "uploaded s3" not in err.getvalue()  # no progress line for a skipped upload


def test_object_without_our_digest_at_the_key_is_replaced(s3: Any, options: AwsOptions, tmp_path: Path) -> None:
    upload = _planned(_model(tmp_path, 0))
    key = upload.s3_uri.removeprefix(f"s3://{BUCKET}/")
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"truncated")
    assert upload_model(options, upload) is True
    assert _stored_names(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())[-1] == "model.pth"


def test_user_archive_is_uploaded_as_is_and_kept(s3: Any, options: AwsOptions, tmp_path: Path) -> None:
    archive = package(_model(tmp_path, 0), tmp_path).path
    upload = _planned(archive, "s3://models/")
    assert upload.path == archive and upload.model.kind == "archive"
    assert upload.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert upload_model(options, upload) is True
    key = upload.s3_uri.removeprefix(f"s3://{BUCKET}/")
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == archive.read_bytes()
    assert archive.exists()


def test_object_uploaded_elsewhere_without_metadata_is_skipped_for_an_archive(
    s3: Any, options: AwsOptions, tmp_path: Path
) -> None:
    archive = package(_model(tmp_path, 0), tmp_path).path
    upload = _planned(archive)
    key = upload.s3_uri.removeprefix(f"s3://{BUCKET}/")
    s3.put_object(Bucket=BUCKET, Key=key, Body=archive.read_bytes())  # e.g. `aws s3 cp`
    assert upload_model(options, upload) is False
    assert s3.head_object(Bucket=BUCKET, Key=key)["Metadata"] == {}


def _big_model(root: Path, mib: int = 20) -> Path:
    model = root / "big"
    model.mkdir(parents=True)
    (model / "model.pth").write_bytes(os.urandom(mib * 1024 * 1024))  # over the 8 MiB part size
    return model


def test_a_file_changed_after_hashing_is_refused_and_nothing_is_stored(
    s3: Any, options: AwsOptions, tmp_path: Path
) -> None:
    model = _big_model(tmp_path)
    upload = _planned(model)
    with (model / "model.pth").open("r+b") as weights:  # same size, other bytes
        weights.seek(15 * 1024 * 1024)
        weights.write(b"changed")
    with pytest.raises(InvalidInput, match="changed while the model was being read") as caught:
        upload_model(options, upload)
    assert caught.value.exit_code == 252
    assert caught.value.message.startswith(f"{model / 'model.pth'} changed")  # the file, not the directory
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []  # aborted


def test_the_changed_file_is_named_and_packing_stops_there(tmp_path: Path) -> None:
    # Same size, other bytes, in the second of three files: the error names that file and
    # the third is never read.
    from neoctl.models.pack import write_archive

    model = tmp_path / "m"
    (model / "code").mkdir(parents=True)
    for name in ("a.bin", "b.bin", "code/c.py"):
        (model / name).write_bytes(b"x" * 4096)
    upload = _planned(model)
    upload.hash()
    (model / "b.bin").write_bytes(b"y" * 4096)
    read: list[int] = []
    with pytest.raises(InvalidInput) as caught:
        write_archive(upload.model, io.BytesIO(), upload.sha256, read.append, upload.marks)
    assert caught.value.message == f"{model / 'b.bin'} changed while the model was being read; nothing was uploaded"
    assert sum(read) == 2 * 4096  # a.bin and b.bin: code/c.py was not read


def _ctrl_c() -> None:
    """SIGINT to the main thread, as Ctrl-C reaches a process whose main thread can take it.

    With os.kill(getpid()) from a worker thread, the Ctrl-C test failed ~1 run in 4 on a
    loaded machine: the handler had not run in the main thread 10 s later and the upload
    completed. The likely cause: the kernel may hand a process-wide signal to any thread,
    and one that is not the main thread only sets CPython's flag, which a main thread
    blocked in a wait does not look at. Sent to the main thread, it interrupts the wait."""
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)


def test_ctrl_c_during_a_streamed_pack_and_upload_stores_nothing(
    s3: Any, options: AwsOptions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real SIGINT once 12 MiB of input were packed (the first 8 MiB part is out or
    # going): the main thread, waiting on the transfer, takes it as it takes Ctrl-C.
    from neoctl.output import transfer

    upload = _planned(_big_model(tmp_path, 24))
    real_advance = transfer.TransferProgress.advance
    seen = {"bytes": 0, "sent": False}

    def advance_then_interrupt(self: transfer.TransferProgress, amount: int) -> None:
        real_advance(self, amount)
        seen["bytes"] += amount
        if seen["bytes"] >= 12 * 1024 * 1024 and not seen["sent"]:
            seen["sent"] = True
            _ctrl_c()
        time.sleep(0.02)  # a slow disk from here on

    monkeypatch.setattr(transfer.TransferProgress, "advance", advance_then_interrupt)
    out, _err = _printer()
    with pytest.raises(Interrupted) as caught:
        upload_model(options, upload, out)
    assert seen["sent"]
    assert caught.value.exit_code == EXIT_INTERRUPTED
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []  # aborted
    assert not any(t.name == "neoctl-pack" for t in threading.enumerate())  # the producer ended
    assert list(tmp_path.glob("**/*.tar.gz")) == []  # no temp archive anywhere


def test_validate_opens_no_model_file(tmp_path: Path) -> None:
    # An audit hook sees every open(): loading a batch for `validate` lists the model
    # (names, types, sizes) and never opens a file of it; hashing (create) does.
    spec = tmp_path / "job.yaml"
    model = _model(tmp_path, 0)
    spec.write_text(
        "name: j\nrole: arn:aws:iam::123456789012:role/neo\n"
        "model:\n  path: resnet50\n  upload_to: s3://models/neo/\n  framework: pytorch\n"
        '  framework_version: "2.0"\n  inputs: {input0: [1, 3, 224, 224]}\n'
        "output:\n  uri: s3://models/out/\n  target: ml_c5\n",
        encoding="utf-8",
    )
    script = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda e, a: opened.append(str(a[0])) if e == 'open' else None)\n"
        "from neoctl.spec.batch import load_batch\n"
        f"batch = load_batch([{str(spec)!r}], hash_models=sys.argv[1] == 'hash')\n"
        f"print(sum(p.startswith({str(model)!r}) for p in opened))\n"
    )
    import sys

    listed = subprocess.run([sys.executable, "-c", script, "list"], capture_output=True, text=True, check=True)
    hashed = subprocess.run([sys.executable, "-c", script, "hash"], capture_output=True, text=True, check=True)
    assert listed.stdout.strip() == "0", listed.stderr
    assert hashed.stdout.strip() == "2", hashed.stderr  # the test's own check: hashing does open them


def test_missing_bucket_is_a_service_error_with_a_hint(s3: Any, options: AwsOptions, tmp_path: Path) -> None:
    upload = _planned(_model(tmp_path, 0), "s3://no-such-bucket/neo/")
    with pytest.raises(ServiceError) as caught:
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
            _ctrl_c()
            # Hold this part until the main thread has taken the interrupt: on a loaded
            # machine the loopback upload could otherwise finish first.
            delivered.wait(10)
        else:
            time.sleep(0.05)  # a slow network from here on

    monkeypatch.setattr(transfer.TransferProgress, "advance", advance_then_interrupt)
    signal.signal(signal.SIGINT, on_sigint)
    try:
        upload = _planned(archive)
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


def _interrupt_once_answered(options: AwsOptions, operation: str) -> Callable[[], None]:
    """Ctrl-C the moment S3 has answered `operation` (in s3transfer's worker thread): the
    object is stored, and the main thread, waiting on the transfer, takes the interrupt.
    Returns the function that unhooks it (the client is shared by the process's tests)."""
    from neoctl.api.session import client

    s3client = client(options, "s3")
    delivered = threading.Event()

    def on_sigint(signum: int, frame: Any) -> None:
        delivered.set()
        signal.default_int_handler(signum, frame)

    def answered(**_kwargs: Any) -> None:
        _ctrl_c()
        delivered.wait(10)  # the main thread has it before this worker reports the upload done

    event = f"after-call.s3.{operation}"
    s3client.meta.events.register(event, answered)
    signal.signal(signal.SIGINT, on_sigint)

    def unhook() -> None:
        s3client.meta.events.unregister(event, answered)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    return unhook


@pytest.mark.parametrize(
    ("mib", "operation"), [(20, "CompleteMultipartUpload"), (1, "PutObject")], ids=["multipart", "one-put"]
)
def test_ctrl_c_once_the_object_is_stored_says_it_is_stored_and_reused(
    s3: Any, options: AwsOptions, tmp_path: Path, mib: int, operation: str
) -> None:
    # Issue 23: Ctrl-C with the bar at 300.0/300.0 MB said "nothing was stored" while the
    # object was there, whole. What is said now is what a HeadObject finds.
    upload = _planned(_big_model(tmp_path, mib))
    unhook = _interrupt_once_answered(options, operation)
    try:
        with pytest.raises(Interrupted) as caught:
            upload_model(options, upload, _printer()[0])
    finally:
        unhook()
    assert caught.value.exit_code == EXIT_INTERRUPTED
    assert caught.value.message == (
        f"upload interrupted after the model was stored whole at {upload.s3_uri}; the next run reuses it"
    )
    key = upload.s3_uri.removeprefix(f"s3://{BUCKET}/")
    assert s3.head_object(Bucket=BUCKET, Key=key)["Metadata"] == {SHA256_METADATA: upload.sha256}
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []
    # ... and it is reused: the next run sends nothing but the HeadObject.
    assert upload_model(options, _planned(tmp_path / "big")) is False


def test_ctrl_c_with_the_key_unreadable_says_it_is_not_known(
    s3: Any, options: AwsOptions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Neither "stored" nor "nothing": a HeadObject that fails leaves it unknown, and says so.
    from neoctl.api import s3 as api_s3

    upload = _planned(_big_model(tmp_path, 1))
    unhook = _interrupt_once_answered(options, "PutObject")
    monkeypatch.setattr(api_s3, "client", lambda *_a, **_k: _Refusing())
    try:
        with pytest.raises(Interrupted) as caught:
            upload_model(options, upload)
    finally:
        unhook()
    assert caught.value.message == f"upload interrupted; whether {upload.s3_uri} was stored could not be checked"
    assert caught.value.hint and "run the command again" in caught.value.hint


class _Refusing:
    """An S3 client whose HeadObject is refused (403), and which sends everything else."""

    def head_object(self, **_kwargs: Any) -> Any:
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "403", "Message": "Forbidden"}}, "HeadObject")
