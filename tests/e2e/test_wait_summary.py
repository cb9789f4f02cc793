"""What a wait ends with, and when `stop` asks: through the installed command."""

from __future__ import annotations

from pathlib import Path

from neoctl.testing import Emulator

from .conftest import on_a_terminal, run, spec


def test_success_ends_with_one_summary_line_and_each_compiled_model(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    path = spec(tmp_path, "summed", targets=["ml_c5", "jetson_nano"], tags={"neoctl-emulator:duration": "0.5"})
    res = run(["create", "-f", str(path), "--wait", "--poll", "0.2"], env)
    assert res.code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "2 job(s) finished: 2 COMPLETED"
    assert lines[1].split() == ["summed-ml-c5", "s3://demo-models/compiled/model-ml_c5.tar.gz"]
    assert lines[2].split() == ["summed-jetson-nano", "s3://demo-models/compiled/model-jetson_nano.tar.gz"]
    assert "FailureReason" not in res.stdout  # no empty failure column on success
    data = run(["wait", "summed-ml-c5", "-o", "json"], env).json()
    assert data[0]["S3ModelArtifacts"] == "s3://demo-models/compiled/model-ml_c5.tar.gz"


def test_a_failure_keeps_the_detailed_table(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    tags = {"neoctl-emulator:duration": "0.5", "neoctl-emulator:fail": "ClientError: input0 shape mismatch"}
    run(["create", "-f", str(spec(tmp_path, "tabled", tags=tags))], env)
    res = run(["wait", "tabled", "--poll", "0.2"], env)
    assert res.code == 1
    assert "FailureReason" in res.stdout and "input0 shape mismatch" in res.stdout
    assert "last log lines of tabled" in res.stdout


def test_stop_of_a_finished_job_says_so_without_asking(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    run(["create", "-f", str(spec(tmp_path, "done-already", tags={"neoctl-emulator:duration": "0"}))], env)
    assert run(["wait", "done-already", "--poll", "0.2"], env).code == 0
    code, text = on_a_terminal(["stop", "done-already"], env)
    assert code == 0, text
    assert "already COMPLETED" in text
    assert "?" not in text  # no question was asked


def test_stop_of_a_running_job_asks_on_a_terminal(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    run(["create", "-f", str(spec(tmp_path, "still-going", tags={"neoctl-emulator:duration": "60"}))], env)
    code, text = on_a_terminal(["stop", "still-going"], env)
    assert "Stop 1 compilation job(s): still-going?" in text
    assert code == 130  # answered no: nothing was changed
    status = run(["describe", "still-going", "-o", "json", "--query", "CompilationJobStatus"], env).json()
    assert status in ("STARTING", "INPROGRESS")


def test_a_known_failure_comes_with_a_hint(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    reason = (
        "ClientError: TVM cannot convert the PyTorch model. Invalid model or input-shape mismatch. "
        "Make sure that inputs are lexically ordered and of the correct dimensionality."
    )
    tags = {"neoctl-emulator:duration": "0.3", "neoctl-emulator:fail": reason}
    run(["create", "-f", str(spec(tmp_path, "hinted", tags=tags))], env)
    waited = run(["wait", "hinted", "--poll", "0.2"], env)
    assert waited.code == 1
    assert "hint for hinted:" in waited.stdout and "model.inputs" in waited.stdout
    as_json = run(["wait", "hinted", "-o", "json"], env).json()[0]
    assert "model.inputs" in as_json["Hint"]["Action"] and as_json["Hint"]["Source"]
    described = run(["describe", "hinted"], env)
    assert "hint:" in described.stdout and "model.inputs" in described.stdout
    document = run(["describe", "hinted", "-o", "json"], env).json()
    assert "Hint" not in document and document["FailureReason"] == reason  # SageMaker's document, untouched


def test_preflight_of_a_fan_out_looks_up_each_resource_once(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    targets = ["ml_c5", "ml_m5", "ml_c4", "ml_m4", "ml_p3", "ml_g4dn"]
    res = run(["create", "-f", str(spec(tmp_path, "six", targets=targets))], env)
    assert res.code == 0, res.stderr
    calls = clean_emulator.requests.counts()
    assert calls["sagemaker.CreateCompilationJob"] == 6
    assert calls["iam.GetRole"] == 1
    assert calls["s3.HeadObject"] == 1 + 6  # one model object, and each job's compiled-model key
    assert calls["s3.GetBucketLocation"] == 1  # model and output share the bucket


def test_preflight_refusals_name_the_resource_and_create_nothing(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    path = spec(tmp_path, "doomed", targets=["ml_c5", "ml_m5"])
    text = path.read_text(encoding="utf-8").replace("resnet50/model.tar.gz", "nowhere/model.tar.gz")
    path.write_text(text.replace("role/SageMakerNeoRole", "role/Ghost"), encoding="utf-8")
    res = run(["create", "-f", str(path)], env)
    assert res.code == 252
    assert "s3://demo-models/nowhere/model.tar.gz: the model object does not exist" in res.stderr
    assert "arn:aws:iam::123456789012:role/Ghost: the role does not exist" in res.stderr
    assert clean_emulator.requests.counts()["sagemaker.CreateCompilationJob"] == 0
    skipped = run(["create", "-f", str(path), "--no-preflight"], env)
    assert skipped.code == 0, skipped.stderr  # the emulator, unlike SageMaker, takes it
    assert clean_emulator.requests.counts()["iam.GetRole"] == 1  # only the first run looked


def test_strict_turns_support_warnings_into_errors(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    path = spec(tmp_path, "old-torch")
    path.write_text(path.read_text(encoding="utf-8").replace('"2.0"', '"1.10"'), encoding="utf-8")
    warned = run(["validate", "-f", str(path)], env)
    assert warned.code == 0
    assert "PyTorch 1.10 is not listed for ml_c5; listed: 0.4, 1.0–1.8, 1.12, 1.13, 2.0" in warned.stderr
    refused = run(["create", "-f", str(path), "--strict"], env)
    assert refused.code == 252 and "PyTorch 1.10 is not listed" in refused.stderr
    assert clean_emulator.requests.counts()["sagemaker.CreateCompilationJob"] == 0


def test_a_missing_upload_bucket_is_refused_before_anything_is_packed_or_sent(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "model.pth").write_bytes(b"w" * 1000)
    path = spec(tmp_path, "local")
    text = path.read_text(encoding="utf-8").replace(
        "  uri: s3://demo-models/resnet50/model.tar.gz", "  path: model\n  upload_to: s3://no-such-bucket/up/"
    )
    path.write_text(text, encoding="utf-8")
    res = run(["create", "-f", str(path)], env)
    assert res.code == 252
    assert "s3://no-such-bucket: the bucket does not exist" in res.stderr
    calls = clean_emulator.requests.counts()
    assert not [c for c in calls if c.startswith("s3.P")]  # no PutObject / multipart upload
    assert calls["sagemaker.CreateCompilationJob"] == 0


def test_validate_online_makes_the_same_lookups(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    path = spec(tmp_path, "checked")
    assert run(["validate", "-f", str(path)], env).code == 0
    assert clean_emulator.requests.counts() == {}  # offline unless asked
    path.write_text(path.read_text(encoding="utf-8").replace("SageMakerNeoRole", "Nobody"), encoding="utf-8")
    res = run(["validate", "--online", "-f", str(path)], env)
    assert res.code == 252 and "role/Nobody: the role does not exist" in res.stderr
    assert clean_emulator.requests.counts()["iam.GetRole"] == 1
