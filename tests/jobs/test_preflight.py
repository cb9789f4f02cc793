"""Pre-flight lookups against the emulator: every refusal named, one lookup per resource."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from neoctl.api.session import AwsOptions
from neoctl.jobs import preflight
from neoctl.spec.batch import load_batch
from neoctl.testing import Emulator

TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(job_seconds=0) as running:
        yield running
        running.reset()  # moto's state is process-wide: leave no buckets to later modules


@pytest.fixture
def world(emulator: Emulator, aim_neoctl_at: Callable[[str], None]) -> dict[str, Any]:
    """A clean account: bucket `models` in us-east-1 holding one model, bucket `far` in
    eu-west-1, role NeoRole trusting SageMaker, role LambdaRole that does not."""
    emulator.reset()
    aim_neoctl_at(emulator.endpoint_url)
    s3 = emulator.client("s3")
    s3.create_bucket(Bucket="models")
    s3.put_object(Bucket="models", Key="resnet/model.tar.gz", Body=b"x")
    s3.create_bucket(Bucket="far", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    iam = emulator.client("iam")
    arns = {}
    for name, principal in (("NeoRole", "sagemaker.amazonaws.com"), ("LambdaRole", "lambda.amazonaws.com")):
        doc = json.loads(json.dumps(TRUST))
        doc["Statement"][0]["Principal"]["Service"] = principal
        arns[name] = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(doc))["Role"]["Arn"]
    return arns


def batch_of(tmp_path: Path, *jobs: dict[str, str]) -> Any:
    docs = []
    for job in jobs:
        # Each its own output prefix: one shared by all would be refused (the same artifact).
        out = job.get("out", f"s3://models/compiled/{job['name']}/")
        docs.append(
            f"name: {job['name']}\nrole: {job['role']}\n"
            f"model: {{uri: '{job.get('model', 's3://models/resnet/model.tar.gz')}', framework: xgboost}}\n"
            f"output: {{uri: '{out}', target: ml_c5}}\n"
        )
    path = tmp_path / "batch.yaml"
    path.write_text("---\n".join(docs), encoding="utf-8")
    return load_batch([str(path)])


def options(emulator: Emulator) -> AwsOptions:
    return AwsOptions(region="us-east-1", endpoint_url=emulator.endpoint_url)


def test_a_sound_batch_has_no_findings(world: dict[str, str], emulator: Emulator, tmp_path: Path) -> None:
    batch = batch_of(tmp_path, {"name": "a", "role": world["NeoRole"]}, {"name": "b", "role": world["NeoRole"]})
    assert preflight.preflight(options(emulator), batch) == []


def test_every_problem_of_the_batch_is_named(world: dict[str, str], emulator: Emulator, tmp_path: Path) -> None:
    batch = batch_of(
        tmp_path,
        {"name": "missing-object", "role": world["NeoRole"], "model": "s3://models/nope/model.tar.gz"},
        {"name": "other-region", "role": world["NeoRole"], "out": "s3://far/compiled/"},
        {"name": "no-bucket", "role": world["NeoRole"], "out": "s3://no-such-bucket/x/"},
        {"name": "untrusted", "role": world["LambdaRole"]},
        {"name": "no-role", "role": "arn:aws:iam::123456789012:role/Ghost"},
    )
    found = {(f.level, f.resource): f for f in preflight.preflight(options(emulator), batch)}
    assert set(found) == {
        ("error", "s3://models/nope/model.tar.gz"),
        ("error", "s3://far"),
        ("error", "s3://no-such-bucket"),
        ("error", world["LambdaRole"]),
        ("error", "arn:aws:iam::123456789012:role/Ghost"),
    }
    assert found[("error", "s3://far")].message == "the bucket is in eu-west-1, the jobs run in us-east-1"
    assert found[("error", "s3://far")].jobs == ("other-region",)
    assert "sagemaker.amazonaws.com" in found[("error", world["LambdaRole"])].message
    assert found[("error", "s3://models/nope/model.tar.gz")].render() == (
        "s3://models/nope/model.tar.gz: the model object does not exist (job missing-object) "
        "(fix model.uri / InputConfig.S3Uri, or upload the model there)"
    )


def test_one_lookup_per_distinct_resource(
    world: dict[str, str], emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neoctl.api import lookups

    calls: list[str] = []
    for name in ("head_object", "bucket_region", "get_role"):
        real = getattr(lookups, name)

        def counting(*args: Any, _real: Any = real, _name: str = name) -> Any:
            calls.append(_name)
            return _real(*args)

        monkeypatch.setattr(lookups, name, counting)
    # One output prefix and six targets: six compiled models, so one model object and six
    # artifact keys to look at, one bucket and one role.
    path = tmp_path / "fan.yaml"
    path.write_text(
        f"name: fan\nrole: {world['NeoRole']}\n"
        "model: {uri: 's3://models/resnet/model.tar.gz', framework: xgboost}\n"
        "output: {uri: 's3://models/compiled/', targets: [ml_c5, ml_m5, ml_c4, ml_m4, ml_p3, ml_g4dn]}\n",
        encoding="utf-8",
    )
    assert preflight.preflight(options(emulator), load_batch([str(path)])) == []
    assert sorted(calls) == ["bucket_region", "get_role", *["head_object"] * 7]


@pytest.mark.parametrize(
    ("policy", "trusted"),
    [
        (TRUST, True),
        (
            {
                "Statement": {
                    "Effect": "Allow",
                    "Principal": {"Service": ["ec2.amazonaws.com", "sagemaker.amazonaws.com"]},
                    "Action": ["sts:AssumeRole"],
                }
            },
            True,
        ),
        (
            {
                "Statement": [
                    {"Effect": "Deny", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ]
            },
            False,
        ),
        (
            {
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:TagSession"}
                ]
            },
            False,
        ),
        ({}, False),
        ("not a policy", False),
    ],
)
def test_trust_policy(policy: Any, trusted: bool) -> None:
    assert preflight.trusts_sagemaker(policy) is trusted


@pytest.mark.parametrize(
    ("what", "finding"),
    [
        ("object", lambda answer: preflight._object("b", "m.tar.gz", answer, ["j"])),
        ("bucket", lambda answer: preflight._bucket("b", answer, "us-east-1", ["j"])),
        ("role", lambda answer: preflight._role("arn:aws:iam::123456789012:role/R", answer, ["j"])),
    ],
)
def test_a_lookup_the_caller_may_not_make_warns_naming_the_permission(what: str, finding: Any) -> None:
    from neoctl.api.lookups import Lookup

    (denied,) = finding(Lookup("denied", detail="AccessDenied: no"))
    assert denied.level == "warning"
    assert denied.message == f"could not check {what}: access denied (needs {preflight.PERMISSIONS[what]})"
    (failed,) = finding(Lookup("failed", detail="EndpointConnectionError: cut"))
    assert failed.level == "warning" and "EndpointConnectionError: cut" in failed.message


def test_warnings_go_ahead_unless_strict(
    world: dict[str, str], emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neoctl.api import lookups
    from neoctl.errors import PreflightFailed

    monkeypatch.setattr(lookups, "get_role", lambda options, name: lookups.Lookup("denied", detail="AccessDenied"))
    batch = batch_of(tmp_path, {"name": "a", "role": world["NeoRole"]})
    (warning,) = preflight.check_batch(options(emulator), batch)
    assert "needs iam:GetRole" in warning.message
    with pytest.raises(PreflightFailed) as info:
        preflight.check_batch(options(emulator), batch, strict=True)
    assert info.value.exit_code == 252 and "needs iam:GetRole" in info.value.details[0]


def test_an_object_at_a_jobs_artifact_key_is_a_notice_naming_it_and_when_it_was_written(
    world: dict[str, str], emulator: Emulator, tmp_path: Path
) -> None:
    # Neo names the compiled model <output>/<model file stem>-<target>.tar.gz: a run
    # before this one (or another job) left one there, which this job will overwrite.
    s3 = emulator.client("s3")
    s3.put_object(Bucket="models", Key="compiled/a/model-ml_c5.tar.gz", Body=b"an earlier compiled model")
    when = s3.head_object(Bucket="models", Key="compiled/a/model-ml_c5.tar.gz")["LastModified"]
    batch = batch_of(tmp_path, {"name": "a", "role": world["NeoRole"]}, {"name": "b", "role": world["NeoRole"]})
    (finding,) = preflight.preflight(options(emulator), batch)
    assert finding.level == "notice"
    assert finding.render() == (
        f"s3://models/compiled/a/model-ml_c5.tar.gz: already exists (last modified "
        f"{when.strftime('%Y-%m-%d %H:%M:%S')} UTC); this job will overwrite it when it completes (job a) "
        "(give the job its own output prefix, e.g. s3://models/compiled/a/a/, to keep both)"
    )
    # A re-run is legitimate: a notice is shown, never an error, not even with --strict.
    assert preflight.check_batch(options(emulator), batch, strict=True) == [finding]


@pytest.mark.parametrize("outcome", ["missing", "denied", "failed"])
def test_an_artifact_key_that_is_not_found_says_nothing(outcome: str) -> None:
    # Missing: the usual case (and a missing bucket is _bucket's error); denied: S3 answers
    # 403 for an absent key to a caller who may not list the bucket.
    from neoctl.api.lookups import Lookup

    assert preflight._artifact("b", "out/model-ml_c5.tar.gz", Lookup(outcome, detail="x"), ["j"]) == []
