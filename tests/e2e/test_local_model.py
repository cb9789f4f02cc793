"""model.path + model.upload_to: packed, uploaded once, compiled from."""

from __future__ import annotations

from pathlib import Path

from neoctl.testing import Emulator

from .conftest import ROLE, run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "local-model.yaml"


def _spec(tmp_path: Path, name: str, targets: str = "[ml_c5, jetson_nano]") -> Path:
    model = tmp_path / "resnet50"
    model.mkdir(exist_ok=True)
    (model / "model.pth").write_bytes(b"\x00weights" * 1000)
    (model / "code").mkdir(exist_ok=True)
    (model / "code" / "inference.py").write_text("def model_fn(d):\n    return d\n", encoding="utf-8")
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nrole: {ROLE}\n"
        "model:\n  path: resnet50\n  upload_to: s3://neo-models/uploads/\n  framework: pytorch\n"
        '  framework_version: "2.0"\n  inputs: {input0: [1, 3, 224, 224]}\n'
        f"output:\n  uri: s3://neo-models/compiled/\n  targets: {targets}\n",
        encoding="utf-8",
    )
    return path


def test_dry_run_says_what_would_be_uploaded_and_uploads_nothing(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    s3 = clean_emulator.client("s3")
    s3.create_bucket(Bucket="neo-models")
    res = run(["create", "-f", str(_spec(tmp_path, "local")), "--dry-run", "-o", "json"], env)
    assert res.code == 0, res.stderr
    uris = {job["InputConfig"]["S3Uri"] for job in res.json()}
    assert len(uris) == 1  # one package for the whole fan-out
    uri = uris.pop()
    assert uri.startswith("s3://neo-models/uploads/") and uri.endswith("/model.tar.gz")
    assert "would upload" in res.stderr and uri in res.stderr
    assert s3.list_objects_v2(Bucket="neo-models").get("KeyCount", 0) == 0


def test_uploaded_once_then_skipped_and_compiled_from(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    s3 = clean_emulator.client("s3")
    s3.create_bucket(Bucket="neo-models")
    spec = _spec(tmp_path, "uploaded")
    first = run(["create", "-f", str(spec), "-o", "json"], env)
    assert first.code == 0, first.stderr
    # Only uploads/: a job that completes meanwhile writes its compiled model under compiled/.
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="neo-models", Prefix="uploads/")["Contents"]]
    assert len(keys) == 1 and keys[0].endswith("/model.tar.gz")
    job = clean_emulator.client("sagemaker").describe_compilation_job(CompilationJobName="uploaded-ml-c5")
    assert job["InputConfig"]["S3Uri"] == f"s3://neo-models/{keys[0]}"
    # Same files, new spec and job names: the same key, and no second upload.
    again = run(["create", "-f", str(_spec(tmp_path, "uploaded-again", "[rasp4b]")), "-o", "json"], env)
    assert again.code == 0, again.stderr
    assert "already" in again.stderr
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="neo-models", Prefix="uploads/")["Contents"]] == keys


def test_missing_local_model_is_252_at_model_path(env: dict[str, str], tmp_path: Path) -> None:
    spec = _spec(tmp_path, "nomodel")
    spec.write_text(spec.read_text(encoding="utf-8").replace("path: resnet50", "path: nowhere"), encoding="utf-8")
    res = run(["validate", "-f", str(spec)], env)
    assert res.code == 252
    assert "model.path" in res.stderr and ":4:" in res.stderr


def test_no_region_found_while_hashing_is_still_one_line_after_the_hashing_and_sends_nothing(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    # the clients are made in a background thread while the model is hashed: what that
    # thread hits must still reach the user as the same one-line error, in the same place
    env = {k: v for k, v in env.items() if k != "AWS_REGION"}
    res = run(["create", "-f", str(_spec(tmp_path, "noregion"))], env)
    assert (res.code, res.stdout) == (253, "")
    assert res.stderr.index("hashed") < res.stderr.index("error: no AWS region is configured\n"), res.stderr
    assert clean_emulator.requests.counts() == {}


def test_the_local_model_example_uploads_and_creates(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    s3 = clean_emulator.client("s3")
    s3.create_bucket(Bucket="my-bucket")
    res = run(["create", "-f", str(EXAMPLE), "-o", "json"], env, cwd=tmp_path)
    assert res.code == 0, res.stderr
    [key] = [o["Key"] for o in s3.list_objects_v2(Bucket="my-bucket", Prefix="models/uploads/")["Contents"]]
    assert key.endswith("/model.tar.gz")
    job = clean_emulator.client("sagemaker").describe_compilation_job(CompilationJobName="resnet18-local-c5")
    assert job["InputConfig"]["S3Uri"] == f"s3://my-bucket/{key}"


def _stderr_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run neoctl with stderr on a pseudo-terminal: (exit code, what it showed there)."""
    import os
    import pty
    import subprocess

    from .conftest import NEOCTL

    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            [NEOCTL, *args], env=env | {"TERM": "xterm", "COLUMNS": "160"}, stdout=subprocess.PIPE, stderr=follower
        )
        proc.communicate(timeout=60)
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_progress_bars_on_a_terminal_one_line_each_otherwise(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    import os

    s3 = clean_emulator.client("s3")
    s3.create_bucket(Bucket="neo-models")
    spec = _spec(tmp_path, "progress", "[ml_c5]")
    (tmp_path / "resnet50" / "model.pth").write_bytes(os.urandom(12 * 1024 * 1024))
    # stderr not a terminal: nothing while it runs, one line per step at the end.
    piped = run(["create", "-f", str(spec), "--dry-run", "-o", "json"], env)
    assert piped.code == 0, piped.stderr
    assert [line.split(" (")[0] for line in piped.stderr.splitlines()[:1]] == [f"hashed {tmp_path / 'resnet50'}"]
    assert "━" not in piped.stderr
    # stderr a terminal: Rich bars with bytes, rate and time left, for hashing and for packing + uploading.
    code, shown = _stderr_on_a_terminal(["create", "--no-preflight", "-f", str(spec), "-o", "json"], env)
    assert code == 0, shown
    assert "hashing" in shown and "packing and uploading" in shown
    assert "MB/s" in shown or "kB/s" in shown  # the rate column
    assert "12.6 MB" in shown  # input bytes: the total known from the listing


def test_validate_of_a_tar_gz_model_shows_its_listing_on_a_terminal_only(env: dict[str, str], tmp_path: Path) -> None:
    # A .tar.gz model is read whole to list its members (gzip has no index): a 4 GB one
    # takes ~15 s, so a terminal sees a bar; a pipe or CI log sees what it always saw.
    import io
    import random
    import tarfile

    spec = _spec(tmp_path, "archive", "[ml_c5]")
    spec.write_text(spec.read_text(encoding="utf-8").replace("path: resnet50", "path: model.tar.gz"), encoding="utf-8")
    with tarfile.open(tmp_path / "model.tar.gz", "w:gz", compresslevel=1) as archive:
        weights = random.Random(3).randbytes(6 * 1024 * 1024)
        info = tarfile.TarInfo("model.pth")
        info.size = len(weights)
        archive.addfile(info, io.BytesIO(weights))
    size = (tmp_path / "model.tar.gz").stat().st_size
    piped = run(["validate", "-f", str(spec)], env)
    assert piped.code == 0, piped.stderr
    assert "listing" not in piped.stderr and "listed" not in piped.stderr and "━" not in piped.stderr
    code, shown = _stderr_on_a_terminal(["validate", "-f", str(spec)], env)
    assert code == 0, shown
    assert f"listing {tmp_path / 'model.tar.gz'}" in shown
    assert f"{size / 1e6:.1f} MB" in shown  # the bar's total: the archive's size


def test_name_conflict_is_refused_before_anything_is_uploaded(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    """Issue 23 item 7: the same job name with a changed model and target is refused before
    the model is packed or uploaded, naming the job and the field, and saying how to go on;
    the same spec again reports "existed" and uploads nothing."""
    s3 = clean_emulator.client("s3")
    s3.create_bucket(Bucket="neo-models")
    spec = _spec(tmp_path, "named", "[ml_c5]")
    assert run(["create", "-f", str(spec)], env).code == 0
    clean_emulator.requests.clear()
    same = run(["create", "-f", str(spec), "-o", "json"], env)
    assert same.code == 0, same.stderr
    assert same.json()[0]["Result"] == "existed"
    uploads = ("s3.PutObject", "s3.CreateMultipartUpload", "s3.UploadPart")
    assert not any(clean_emulator.requests.counts()[op] for op in uploads)
    (tmp_path / "resnet50" / "model.pth").write_bytes(b"\x01weights" * 1000)  # a new model, a new S3 URI
    clean_emulator.requests.clear()
    res = run(["create", "-f", str(spec)], env)
    assert res.code == 254, res.stderr
    assert "named-ml-c5" in res.stderr and "InputConfig.S3Uri" in res.stderr
    assert "give the job a new name (name:" in res.stderr and "delete the old job" in res.stderr
    counts = clean_emulator.requests.counts()
    assert not any(counts[op] for op in uploads), counts
    assert counts["sagemaker.CreateCompilationJob"] == 0
