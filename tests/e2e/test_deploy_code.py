"""`deploy --code DIR`: the compiled model served with inference code in code/, repacked
beside the compiled archive under a content-addressed key, reused on a re-run."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
from pathlib import Path
from typing import Any

import pytest

from neoctl.testing import Emulator

from .conftest import run
from .test_deploy import compile_job

NEW = ["--endpoint", "fresh", "--instance-type", "ml.c5.xlarge"]
ARTIFACT = ("demo-models", "compiled/model-ml_c5.tar.gz")


@pytest.fixture
def job(clean_emulator: Emulator) -> Emulator:
    compile_job(clean_emulator, "rn50-c5")
    clean_emulator.requests.clear()
    return clean_emulator


@pytest.fixture
def code(tmp_path: Path) -> Path:
    folder = tmp_path / "code"
    (folder / "lib").mkdir(parents=True)
    (folder / "inference.py").write_text("def model_fn(model_dir):\n    return None\n", encoding="utf-8")
    (folder / "requirements.txt").write_text("pillow\n", encoding="utf-8")
    (folder / "lib" / "util.py").write_text("X = 1\n", encoding="utf-8")
    return folder


def _members(emu: Emulator, uri: str) -> dict[str, bytes | None]:
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    data = emu.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        return {m.name: (archive.extractfile(m).read() if m.isreg() else None) for m in archive.getmembers()}


def _model(emu: Emulator, name: str) -> dict[str, Any]:
    container: dict[str, Any] = emu.client("sagemaker").describe_model(ModelName=name)["PrimaryContainer"]
    return container


def _big_artifact(emu: Emulator, mib: int) -> bytes:
    """The job's compiled archive replaced by one of `mib` MiB of random weights (which do
    not compress); deploy then needs --allow-overwritten. Returns the weights."""
    weights = os.urandom(mib * 1024 * 1024)
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz", compresslevel=1) as archive:
        info = tarfile.TarInfo("compiled.params")
        info.size = len(weights)
        archive.addfile(info, io.BytesIO(weights))
    emu.client("s3").put_object(Bucket=ARTIFACT[0], Key=ARTIFACT[1], Body=packed.getvalue())
    emu.requests.clear()
    return weights


def _sent_to_s3(emu: Emulator) -> dict[str, int]:
    return {k: v for k, v in emu.requests.counts().items() if k.startswith("s3.") and ("PUT" in k or "POST" in k)}


def test_the_served_archive_is_the_compiled_model_with_the_code_in_code(
    job: Emulator, env: dict[str, str], code: Path
) -> None:
    res = run(["deploy", "rn50-c5", *NEW, "--code", str(code), "--yes", "-o", "json"], env)
    assert res.code == 0, res.stderr
    result = res.json()
    uri = result["ModelDataUrl"]
    assert uri.startswith("s3://demo-models/compiled/model-ml_c5-code-") and uri.endswith(".tar.gz")
    assert result["Repacked"]["AddedCodeFiles"] == 3
    container = _model(job, result["ModelName"])
    assert container["ModelDataUrl"] == uri
    assert container["Environment"]["SAGEMAKER_PROGRAM"] == "inference.py"
    assert container["Environment"]["SAGEMAKER_SUBMIT_DIRECTORY"] == "/opt/ml/model/code"
    compiled = _members(job, "s3://{}/{}".format(*ARTIFACT))
    served = _members(job, uri)
    assert {k: v for k, v in served.items() if not k.startswith("code")} == compiled  # the compiled model, whole
    assert served["code/inference.py"] == (code / "inference.py").read_bytes()
    assert served["code/requirements.txt"] == b"pillow\n" and served["code/lib/util.py"] == b"X = 1\n"
    assert "code" in served and "code/lib" in served  # the folders, for the container to extract into
    # The compiled archive itself is untouched.
    assert job.client("s3").head_object(Bucket=ARTIFACT[0], Key=ARTIFACT[1])["ContentLength"] > 0


def test_a_rerun_reuses_the_repacked_archive_and_other_code_gets_another(
    job: Emulator, env: dict[str, str], code: Path
) -> None:
    first = run(["deploy", "rn50-c5", *NEW, "--code", str(code), "--yes", "-o", "json"], env).json()
    job.requests.clear()
    again = run(["deploy", "rn50-c5", *NEW, "--code", str(code), "--yes", "-o", "json"], env)
    assert again.code == 0, again.stderr
    assert again.json()["ModelDataUrl"] == first["ModelDataUrl"] and again.json()["Repacked"] is False
    assert _sent_to_s3(job) == {}  # nothing uploaded again
    # A dry run says the archive exists.
    dry = run(["deploy", "rn50-c5", *NEW, "--code", str(code), "--dry-run", "-o", "json"], env)
    assert dry.json()["Code"]["Exists"] is True and dry.json()["Code"]["Uri"] == first["ModelDataUrl"]
    # Other bytes in one file: another key, another model; the first archive stays.
    (code / "inference.py").write_text("def model_fn(model_dir):\n    return 2\n", encoding="utf-8")
    changed = run(["deploy", "rn50-c5", *NEW, "--code", str(code), "--yes", "-o", "json"], env)
    assert changed.code == 0, changed.stderr
    assert changed.json()["ModelDataUrl"] != first["ModelDataUrl"]
    assert changed.json()["ModelName"] != first["ModelName"]
    assert _members(job, changed.json()["ModelDataUrl"])["code/inference.py"].endswith(b"return 2\n")
    assert _members(job, first["ModelDataUrl"])["code/inference.py"].endswith(b"return None\n")


def test_the_entry_point_is_what_the_container_runs(job: Emulator, env: dict[str, str], code: Path) -> None:
    (code / "serve.py").write_text("def model_fn(model_dir):\n    return None\n", encoding="utf-8")
    res = run(["deploy", "rn50-c5", *NEW, "--code", str(code), "--entry-point", "serve.py", "--yes", "-o", "json"], env)
    assert res.code == 0, res.stderr
    assert _model(job, res.json()["ModelName"])["Environment"]["SAGEMAKER_PROGRAM"] == "serve.py"


@pytest.mark.parametrize(
    ("extra", "code_arg", "exit_code", "said"),
    [
        ([], "no-such-folder", 252, "--code no-such-folder does not exist"),
        ([], "{file}", 252, "is not a folder"),
        (["--entry-point", "serve.py"], "{code}", 252, "has no serve.py at its top (it has inference.py)"),
        (["--entry-point", "../serve.py"], "{code}", 252, "--entry-point '../serve.py' is not a file name"),
        (["--env", "SAGEMAKER_PROGRAM=other.py"], "{code}", 2, "name two scripts"),
    ],
)
def test_a_bad_code_folder_is_refused_before_anything_is_sent(
    job: Emulator,
    env: dict[str, str],
    code: Path,
    tmp_path: Path,
    extra: list[str],
    code_arg: str,
    exit_code: int,
    said: str,
) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    folder = code_arg.format(file=tmp_path / "a-file", code=code)
    res = run(["deploy", "rn50-c5", *NEW, "--code", folder, *extra, "--yes"], env)
    assert res.code == exit_code, res.stderr
    assert said in res.stderr
    assert sum(job.requests.counts().values()) == 0, job.requests.counts()


def test_entry_point_without_code_is_a_usage_error(job: Emulator, env: dict[str, str]) -> None:
    res = run(["deploy", "rn50-c5", *NEW, "--entry-point", "serve.py", "--yes"], env)
    assert res.code == 2 and "add --code DIR" in res.stderr
    assert sum(job.requests.counts().values()) == 0


def test_a_big_compiled_model_is_repacked_in_parts_and_arrives_whole(
    job: Emulator, env: dict[str, str], code: Path, tmp_path: Path
) -> None:
    # 20 MiB of weights that do not compress: the repacked archive goes up in several parts.
    weights = _big_artifact(job, 20)
    args = ["deploy", "rn50-c5", *NEW, "--code", str(code), "--allow-overwritten", "--yes", "-o", "json"]
    res = run(args, env)
    assert res.code == 0, res.stderr
    assert any("POST" in k for k in _sent_to_s3(job)), job.requests.counts()  # a multipart upload
    served = _members(job, res.json()["ModelDataUrl"])
    assert hashlib.sha256(served["compiled.params"] or b"").digest() == hashlib.sha256(weights).digest()
    assert served["code/inference.py"] == (code / "inference.py").read_bytes()
    data = job.client("s3").get_object(Bucket="demo-models", Key=res.json()["ModelDataUrl"].split("/", 3)[3])
    assert gzip.decompress(data["Body"].read())[:15].startswith(b"compiled.params")


def test_ctrl_c_during_the_repack_says_what_s3_holds_and_creates_nothing(
    job: Emulator, env: dict[str, str], code: Path
) -> None:
    import signal
    import subprocess
    import time

    from .conftest import NEOCTL

    _big_artifact(job, 64)
    args = [NEOCTL, "deploy", "rn50-c5", *NEW, "--code", str(code), "--allow-overwritten", "--yes"]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not any("POST" in k for k in _sent_to_s3(job)):  # the multipart upload has begun
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the repack never began its upload"
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted while repacking the compiled model with" in err, err
    s3 = job.client("s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="demo-models", Prefix="compiled/")["Contents"]]
    repacked = [k for k in keys if "-code-" in k]
    # What it says is what S3 holds: the object whole, or nothing (no half, no open upload).
    if repacked:
        assert "the repacked model was stored whole" in err
    else:
        assert "nothing was stored at s3://demo-models/compiled/model-ml_c5-code-" in err
    assert s3.list_multipart_uploads(Bucket="demo-models").get("Uploads", []) == []
    assert job.requests.counts().get("sagemaker.CreateModel", 0) == 0


def test_the_plan_and_the_result_say_what_is_served_and_whether_it_was_repacked(
    job: Emulator, env: dict[str, str], code: Path
) -> None:
    dry = run(["deploy", "rn50-c5", *NEW, "--code", str(code), "--dry-run"], env)
    lines = {line.split("  ", 1)[0]: line.split("  ", 1)[-1].strip() for line in dry.stdout.splitlines()}
    total = sum(f.stat().st_size for f in code.rglob("*") if f.is_file())
    assert lines["Code"] == f"{code} → code/ (3 files, {total} bytes; runs inference.py)"
    assert lines["Served archive"].startswith("s3://demo-models/compiled/model-ml_c5-code-")
    assert lines["Repack"] == "to make: the compiled model with this code/ (replacing any)"
    done = run(["deploy", "rn50-c5", *NEW, "--code", str(code), "--yes"], env)
    assert "Repack           done: 3 code file(s) added\n" in done.stdout, done.stdout
    again = run(["deploy", "rn50-c5", *NEW, "--code", str(code), "--dry-run"], env)
    assert "Repack           exists: reused" in again.stdout


def test_the_python_api_repacks_as_the_command_does(
    job: Emulator, env: dict[str, str], code: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import neoctl

    # AWS_ENDPOINT_URL, not AwsOptions.endpoint_url (SageMaker's only): S3 goes to the emulator too.
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL"):
        monkeypatch.setenv(key, env[key])
    aws = neoctl.AwsOptions(region="us-east-1")
    args = neoctl.DeployArgs("rn50-c5", "fresh", instance_type="ml.c5.xlarge", code=str(code))
    plan = neoctl.plan_deploy(aws, args)
    assert plan["Code"]["Exists"] is False and plan["Code"]["EntryPoint"] == "inference.py"
    assert plan["Requests"]["CreateModel"]["PrimaryContainer"]["ModelDataUrl"] == plan["Code"]["Uri"]
    result = neoctl.apply_deploy(aws, plan, args)
    repacked = result["Repacked"]
    assert (repacked["AddedCodeFiles"], repacked["ReplacedCodeFiles"]) == (3, 0)
    assert repacked["Copied"] > 0 and repacked["Size"] > 0
    assert _members(job, result["ModelDataUrl"])["code/inference.py"] == (code / "inference.py").read_bytes()


KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_the_copy_is_encrypted_as_the_compiled_model(job: Emulator, env: dict[str, str], code: Path) -> None:
    # A job with OutputConfig.KmsKeyId (or a bucket that requires SSE-KMS) leaves its model
    # encrypted with that key; the repacked copy must not fall back to the bucket default.
    s3 = job.client("s3")
    data = s3.get_object(Bucket=ARTIFACT[0], Key=ARTIFACT[1])["Body"].read()
    s3.put_object(Bucket=ARTIFACT[0], Key=ARTIFACT[1], Body=data, ServerSideEncryption="aws:kms", SSEKMSKeyId=KMS)
    args = ["deploy", "rn50-c5", *NEW, "--code", str(code), "--allow-overwritten", "--yes"]
    dry = run([*args[:-1], "--dry-run"], env)
    assert "Encryption       aws:kms, as the compiled model" in dry.stdout, dry.stdout
    assert f"KMS key          {KMS}\n" in dry.stdout
    res = run([*args, "-o", "json"], env)
    assert res.code == 0, res.stderr
    head = s3.head_object(Bucket="demo-models", Key=res.json()["ModelDataUrl"].split("/", 3)[3])
    assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", KMS)


def test_a_big_code_folder_is_warned_about_with_what_it_holds(job: Emulator, env: dict[str, str], code: Path) -> None:
    (code / "weights.bin").write_bytes(b"\0" * (101 * 1000 * 1000))
    res = run(["deploy", "rn50-c5", *NEW, "--code", str(code), "--dry-run"], env)
    assert res.code == 0, res.stderr
    said = " ".join(res.stderr.split())
    total = sum(f.stat().st_size for f in code.rglob("*") if f.is_file())
    assert f"--code {code} holds {total:,} bytes in 4 files" in said, said
    assert "check it holds no weights, .git or virtualenv" in said


def test_a_compiled_model_replaced_after_the_plan_is_said_so_and_nothing_is_created(
    job: Emulator, env: dict[str, str], code: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import neoctl
    from neoctl.errors import ServiceError

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL"):
        monkeypatch.setenv(key, env[key])
    aws = neoctl.AwsOptions(region="us-east-1")
    args = neoctl.DeployArgs("rn50-c5", "fresh", instance_type="ml.c5.xlarge", code=str(code))
    plan = neoctl.plan_deploy(aws, args)
    s3 = job.client("s3")
    s3.put_object(Bucket=ARTIFACT[0], Key=ARTIFACT[1], Body=b"another job's model")  # while the user confirms
    with pytest.raises(ServiceError) as caught:
        neoctl.apply_deploy(aws, plan, args)
    assert "changed since the plan was made" in caught.value.message, caught.value.message
    assert "--allow-overwritten" in (caught.value.hint or "")
    assert not any("-code-" in o["Key"] for o in s3.list_objects_v2(Bucket="demo-models")["Contents"])
    assert job.client("sagemaker").list_models()["Models"] == []
