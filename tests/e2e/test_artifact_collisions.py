"""A compiled model another job overwrote, or one that is gone: `deploy` and `download`
refuse it (exit 254) before creating or writing anything; `--allow-overwritten` goes on
with a warning. And create's pre-flight notice for a key that is already taken.

Neo names the object after the input file and the target only, so two jobs with one
output prefix write the same key; what tells them apart is time: an object modified
after the job's CompilationEndTime was written by someone else. The emulator's clock
(neoctl.testing.clock) is set back while the job runs, so that its CompilationEndTime is
minutes before the overwrite, as it would be for a later job in an account.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from neoctl.testing import Emulator, clock

from .conftest import ROLE, run, spec

BUCKET, KEY = "demo-models", "compiled/model-ml_c5.tar.gz"
URI = f"s3://{BUCKET}/{KEY}"
NEW = ["--instance-type", "ml.c5.xlarge", "--yes"]
CREATING = ("sagemaker.CreateModel", "sagemaker.CreateEndpointConfig", "sagemaker.CreateEndpoint")


def completed_earlier(emu: Emulator, monkeypatch: pytest.MonkeyPatch, name: str, *, look: bool = True) -> None:
    """Job `name` (PyTorch, ml_c5, into s3://demo-models/compiled/), COMPLETED ten minutes
    ago by the emulator's clock; `look`: DescribeCompilationJob then, so the emulator writes
    its artifact then (else at the first request after the clock is back)."""
    real = clock.now
    with monkeypatch.context() as patched:
        patched.setattr(clock, "now", lambda: real() - dt.timedelta(minutes=10))
        emu.client("sagemaker").create_compilation_job(
            CompilationJobName=name,
            RoleArn=ROLE,
            InputConfig={
                "S3Uri": "s3://demo-models/resnet50/model.tar.gz",
                "Framework": "PYTORCH",
                "FrameworkVersion": "2.0",
                "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
            },
            OutputConfig={"S3OutputLocation": "s3://demo-models/compiled/", "TargetDevice": "ml_c5"},
            StoppingCondition={"MaxRuntimeInSeconds": 900},
            Tags=[{"Key": "neoctl-emulator:duration", "Value": "0"}],
        )
        if look:
            status = emu.client("sagemaker").describe_compilation_job(CompilationJobName=name)
            assert status["CompilationJobStatus"] == "COMPLETED"


@pytest.fixture
def overwritten(clean_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """Job `old-c5`, completed ten minutes ago; its artifact since replaced (a later job's)."""
    completed_earlier(clean_emulator, monkeypatch, "old-c5")
    clean_emulator.client("s3").put_object(Bucket=BUCKET, Key=KEY, Body=b"a later job's compiled model")
    clean_emulator.requests.clear()
    return clean_emulator


def test_download_of_an_overwritten_artifact_is_254_and_writes_nothing(
    overwritten: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    to = tmp_path / "out"
    res = run(["download", "old-c5", "--to", str(to)], env)
    assert res.code == 254, res.stderr
    assert f"error: {URI} was overwritten by a later job (modified " in res.stderr
    assert "after old-c5 completed at " in res.stderr
    assert "hint: --allow-overwritten downloads it anyway; give each job its own output prefix" in res.stderr
    assert not to.exists()  # not even the directory
    assert overwritten.requests.counts()["s3.GET object"] == 0


def test_download_allow_overwritten_goes_on_with_a_warning(
    overwritten: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    res = run(["download", "old-c5", "--to", str(tmp_path), "--allow-overwritten", "-o", "json"], env)
    assert res.code == 0, res.stderr
    assert f"warning: {URI} was modified " in res.stderr and "(--allow-overwritten)" in res.stderr
    assert (tmp_path / "model-ml_c5.tar.gz").read_bytes() == b"a later job's compiled model"
    assert res.json()["S3Uri"] == URI


def test_deploy_of_an_overwritten_artifact_is_254_and_creates_nothing(
    overwritten: Emulator, env: dict[str, str]
) -> None:
    for dry_run in ([], ["--dry-run"]):
        res = run(["deploy", "old-c5", "--endpoint", "fresh", *NEW, *dry_run], env)
        assert res.code == 254, res.stderr
        assert f"error: {URI} was overwritten by a later job (modified " in res.stderr
        assert "hint: --allow-overwritten deploys it anyway; give each job its own output prefix" in res.stderr
    counts = overwritten.requests.counts()
    assert not any(counts[op] for op in CREATING), counts
    # The job, then its artifact: nothing else was looked up.
    assert counts["sagemaker.DescribeEndpoint"] == 0


def test_deploy_allow_overwritten_goes_on_with_a_warning(overwritten: Emulator, env: dict[str, str]) -> None:
    res = run(["deploy", "old-c5", "--endpoint", "fresh", *NEW, "--allow-overwritten", "-o", "json"], env)
    assert res.code == 0, res.stderr
    assert f"warning: {URI} was modified " in res.stderr
    assert res.json()["Action"] == "CreateEndpoint"


@pytest.mark.parametrize("allow", [[], ["--allow-overwritten"]], ids=["plain", "allow-overwritten"])
def test_a_deleted_artifact_is_254_naming_it_before_anything_is_done(
    clean_emulator: Emulator, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tmp_path: Path, allow: list[str]
) -> None:
    completed_earlier(clean_emulator, monkeypatch, "gone-c5")
    clean_emulator.client("s3").delete_object(Bucket=BUCKET, Key=KEY)
    clean_emulator.requests.clear()
    message = f"error: {URI} no longer exists: the compiled model was deleted or moved"
    deployed = run(["deploy", "gone-c5", "--endpoint", "fresh", *NEW, *allow], env)
    assert deployed.code == 254 and message in deployed.stderr, deployed.stderr
    downloaded = run(["download", "gone-c5", "--to", str(tmp_path / "out"), *allow], env)
    assert downloaded.code == 254 and message in downloaded.stderr, downloaded.stderr
    assert not (tmp_path / "out").exists()
    counts = clean_emulator.requests.counts()
    assert not any(counts[op] for op in CREATING), counts


def test_a_jobs_own_artifact_passes_however_late_it_is_first_looked_at(
    clean_emulator: Emulator, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tmp_path: Path
) -> None:
    # Completed ten minutes ago, never looked at since: the emulator writes the archive on
    # this request, dated when the job completed (as Neo writes it, before COMPLETED).
    completed_earlier(clean_emulator, monkeypatch, "own-c5", look=False)
    res = run(["download", "own-c5", "--to", str(tmp_path)], env)
    assert res.code == 0, res.stderr
    assert "warning" not in res.stderr


def test_create_warns_of_a_taken_key_and_strict_lets_it_through(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    clean_emulator.client("s3").put_object(Bucket=BUCKET, Key=KEY, Body=b"an earlier run's compiled model")
    when = clean_emulator.client("s3").head_object(Bucket=BUCKET, Key=KEY)["LastModified"]
    path = spec(tmp_path, "rerun-c5", tags={"neoctl-emulator:duration": "0"})
    notice = (
        f"warning: {URI}: already exists (last modified {when.strftime('%Y-%m-%d %H:%M:%S')} UTC); "
        "this job will overwrite it when it completes (job rerun-c5) "
        "(give the job its own output prefix, e.g. s3://demo-models/compiled/rerun-c5/, to keep both)"
    )
    checked = run(["validate", "--online", "--strict", "-f", str(path)], env)
    assert checked.code == 0, checked.stderr
    assert notice in checked.stderr
    created = run(["create", "--strict", "-f", str(path)], env)
    assert created.code == 0, created.stderr
    assert notice in created.stderr
