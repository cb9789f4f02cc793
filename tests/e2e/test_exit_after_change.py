"""Exit codes tell the truth after a change: a --query that fails on the result of a command
that changed something (create, stop --yes, deploy --yes) ends with 255, never 2 ("usage
error; nothing sent"), with the result printed without the query and a warning naming the
query error and what was sent. Read-only commands end the same way, saying nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from neoctl.testing import DURATION_TAG, FAIL_TAG, Emulator

from .conftest import ROLE, run, seed_job, spec

FAILS = "abs(@)"  # valid JMESPath; every neoctl result is an object or a list, never a number


def _said_query_failed(stderr: str, sent: str | None) -> None:
    lines = stderr.splitlines()
    warning = next(line for line in lines if line.startswith("warning: --query"))
    assert f"--query {FAILS!r} failed on the result: abs() takes number" in warning
    assert "printed without --query" in warning
    error = next(line for line in lines if line.startswith("error: "))
    assert "--query failed on the result, which is printed without it" in error
    if sent:
        assert f"{sent} was sent, and what it changed stands" in error, error
    else:
        assert "the command changed nothing" in error, error
    assert "hint: fix the expression" in stderr


def test_create_whose_query_fails_exits_255_with_the_job_created(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    res = run(["create", "-f", str(spec(tmp_path, "q-made")), "-o", "json", "--query", FAILS], env)
    assert res.code == 255, res.stderr
    rows = res.json()  # the result, unqueried: the record of what was made
    assert [(r["CompilationJobName"], r["Result"]) for r in rows] == [("q-made", "created")]
    _said_query_failed(res.stderr, "CreateCompilationJob")
    assert clean_emulator.requests.counts()["sagemaker.CreateCompilationJob"] == 1


def test_create_in_a_table_prints_the_table_when_the_query_fails(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    res = run(["create", "-f", str(spec(tmp_path, "q-table")), "--query", FAILS], env)
    assert res.code == 255, res.stderr
    assert "q-table" in res.stdout and "created" in res.stdout
    _said_query_failed(res.stderr, "CreateCompilationJob")


def test_stop_whose_query_fails_exits_255_with_the_job_stopping(clean_emulator: Emulator, env: dict[str, str]) -> None:
    seed_job(clean_emulator, "q-stop", **{DURATION_TAG: "600"})
    res = run(["stop", "q-stop", "--yes", "-o", "json", "--query", FAILS], env)
    assert res.code == 255, res.stderr
    assert res.json()[0]["Stopped"] is True
    _said_query_failed(res.stderr, "StopCompilationJob")
    job = clean_emulator.client("sagemaker").describe_compilation_job(CompilationJobName="q-stop")
    assert job["CompilationJobStatus"] in ("STOPPING", "STOPPED")


def test_deploy_whose_query_fails_exits_255_with_the_endpoint_updated(
    clean_emulator: Emulator, env: dict[str, str]
) -> None:
    sm = clean_emulator.client("sagemaker")
    sm.create_model(
        ModelName="old-model",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/old:1"},
    )
    variant = {"VariantName": "main", "ModelName": "old-model", "InitialInstanceCount": 1}
    sm.create_endpoint_config(
        EndpointConfigName="q-v1", ProductionVariants=[variant | {"InstanceType": "ml.c5.xlarge"}]
    )
    sm.create_endpoint(EndpointName="q-prod", EndpointConfigName="q-v1")
    sm.create_compilation_job(
        CompilationJobName="q-rn50",
        RoleArn=ROLE,
        InputConfig={
            "S3Uri": "s3://demo-models/resnet50/model.tar.gz",
            "Framework": "PYTORCH",
            "FrameworkVersion": "2.0",
            "DataInputConfig": json.dumps({"input0": [1, 3, 224, 224]}),
        },
        OutputConfig={"S3OutputLocation": "s3://demo-models/compiled/", "TargetDevice": "ml_c5"},
        StoppingCondition={"MaxRuntimeInSeconds": 900},
        Tags=[{"Key": DURATION_TAG, "Value": "0"}],
    )
    res = run(["deploy", "q-rn50", "--endpoint", "q-prod", "--yes", "-o", "json", "--query", FAILS], env)
    assert res.code == 255, res.stderr
    done = res.json()
    assert done["Action"] == "UpdateEndpoint" and done["ModelCreated"] and done["EndpointConfigCreated"]
    _said_query_failed(res.stderr, "CreateModel, CreateEndpointConfig, UpdateEndpoint")
    assert clean_emulator.requests.counts()["sagemaker.UpdateEndpoint"] == 1


@pytest.mark.parametrize("command", [["describe", "q-seen"], ["list"]], ids=["describe", "list"])
def test_a_read_only_command_ends_the_same_way_saying_nothing_changed(
    clean_emulator: Emulator, env: dict[str, str], command: list[str]
) -> None:
    seed_job(clean_emulator, "q-seen")
    res = run([*command, "-o", "json", "--query", FAILS], env)
    assert res.code == 255, res.stderr
    assert "q-seen" in res.stdout and isinstance(res.json(), dict)
    _said_query_failed(res.stderr, None)


def test_a_failed_job_outranks_the_failed_query(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    path = spec(tmp_path, "q-fails", tags={FAIL_TAG: "ClientError: no such layer", DURATION_TAG: "0"})
    res = run(["create", "-f", str(path), "--wait", "--poll", "0.2", "-o", "json", "--query", FAILS], env)
    assert res.code == 1, res.stderr  # the job's fate is the more useful code; the query still warned
    assert f"warning: --query {FAILS!r} failed on the result" in res.stderr


@pytest.mark.parametrize(
    ("query", "said"),
    [("lenght(@)", "unknown function lenght() (did you mean length()?)"), ("abs(@, @)", "abs() takes 1 argument")],
)
def test_a_query_wrong_whatever_the_result_is_refused_before_anything_is_sent(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path, query: str, said: str
) -> None:
    # JMESPath itself finds these only on a result that reaches them (`[].f(@)` on no jobs
    # passes): neoctl checks them with the syntax, so they stay usage errors, nothing sent.
    res = run(["create", "-f", str(spec(tmp_path, "q-never")), "--query", f"[].{query}"], env)
    assert res.code == 2, res.stderr
    assert said in res.stderr
    assert clean_emulator.requests.counts()["sagemaker.CreateCompilationJob"] == 0
