"""create's result rules: what each answer to CreateCompilationJob means for the batch."""

from __future__ import annotations

import pytest

from neoctl.api.jobs import Answer
from neoctl.errors import EXIT_OK, EXIT_SERVICE, BatchIncomplete
from neoctl.jobs import results
from neoctl.jobs.create import check_created

REQUEST = {
    "CompilationJobName": "resnet50-ml-c5",
    "RoleArn": "arn:aws:iam::123456789012:role/Neo",
    "InputConfig": {"S3Uri": "s3://b/m.tar.gz", "Framework": "PYTORCH", "DataInputConfig": '{"input0": [1, 3]}'},
    "OutputConfig": {"S3OutputLocation": "s3://b/out/", "TargetDevice": "ml_c5"},
    "StoppingCondition": {"MaxRuntimeInSeconds": 900},
    "Tags": [{"Key": "team", "Value": "vision"}],
}
ARN = "arn:aws:sagemaker:us-east-1:123456789012:compilation-job/resnet50-ml-c5"


def described(**changes: object) -> Answer:
    job = {k: v for k, v in REQUEST.items() if k != "Tags"} | {
        "CompilationJobArn": ARN,
        "CompilationJobStatus": "INPROGRESS",
    }
    return Answer(job | changes)


def never(name: str) -> Answer:
    raise AssertionError(f"described {name} although the job was created")


def test_created() -> None:
    row = results.result_of(REQUEST, Answer({"CompilationJobArn": ARN}), never)
    assert row == {"CompilationJobName": "resnet50-ml-c5", "Result": "created", "CompilationJobArn": ARN}


def test_an_identical_existing_job_existed_even_with_json_spelled_differently() -> None:
    exists = Answer(code="ResourceInUse", message="Job already exists", http_status=400)
    same = described(InputConfig=REQUEST["InputConfig"] | {"DataInputConfig": '{"input0":[1,3]}'})
    row = results.result_of(REQUEST, exists, lambda name: same)
    assert row["Result"] == "existed" and row["CompilationJobStatus"] == "INPROGRESS"


def test_an_existing_job_with_another_configuration_is_a_conflict_naming_the_fields() -> None:
    exists = Answer(code="ValidationException", message="Compilation job name already exists", http_status=400)
    other = described(OutputConfig={"S3OutputLocation": "s3://b/other/", "TargetDevice": "ml_c5"})
    row = results.result_of(REQUEST, exists, lambda name: other)
    assert row["Result"] == "conflict"
    assert row["Error"].endswith("different OutputConfig.S3OutputLocation")


def test_an_existing_job_that_cannot_be_described_is_unknown() -> None:
    exists = Answer(code="ResourceInUse", message="exists", http_status=400)
    row = results.result_of(REQUEST, exists, lambda name: Answer(code="ThrottlingException", message="slow down"))
    assert row["Result"] == "unknown" and "could not be described" in row["Error"]


@pytest.mark.parametrize(
    ("status", "result", "ended"), [("FAILED", "failed", "FAILED"), ("STOPPED", "stopped", "STOPPED")]
)
def test_an_identical_job_that_already_ended_without_a_model_is_not_existed(
    status: str, result: str, ended: str
) -> None:
    exists = Answer(code="ResourceInUse", message="Job already exists", http_status=400)
    row = results.result_of(REQUEST, exists, lambda name: described(CompilationJobStatus=status))
    assert row == {
        "CompilationJobName": "resnet50-ml-c5",
        "Result": result,
        "CompilationJobArn": ARN,
        "CompilationJobStatus": status,
        "Error": f"this job already ran and ended {ended}; nothing will run again under this name "
        "(job names are unique per account and region): to retry, give it a new name",
    }
    assert results.not_created([row]) == [row]
    assert results.batch_exit_code([row]) == EXIT_SERVICE
    with pytest.raises(BatchIncomplete) as info:
        check_created([row])
    assert info.value.message.startswith(f"1 of 1 job(s) not created: resnet50-ml-c5 {result} (this job already ran")
    assert info.value.hint is not None and "new name" in info.value.hint


def test_an_identical_completed_job_existed() -> None:
    exists = Answer(code="ResourceInUse", message="Job already exists", http_status=400)
    row = results.result_of(REQUEST, exists, lambda name: described(CompilationJobStatus="COMPLETED"))
    assert row == {
        "CompilationJobName": "resnet50-ml-c5",
        "Result": "existed",
        "CompilationJobArn": ARN,
        "CompilationJobStatus": "COMPLETED",
    }
    assert results.batch_exit_code([row]) == EXIT_OK


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (Answer(code="InternalFailure", message="oops", http_status=500), "unknown"),
        (Answer(code="ThrottlingException", message="Rate exceeded", http_status=400), "unknown"),
        (Answer(code="EndpointConnectionError", message="cut", http_status=0, lost=True), "unknown"),
        (Answer(code="ResourceLimitExceeded", message="too many jobs", http_status=400), "refused"),
        (Answer(code="ValidationException", message="bad role", http_status=400), "refused"),
    ],
)
def test_failures_are_unknown_when_the_service_may_have_acted_else_refused(answer: Answer, expected: str) -> None:
    row = results.result_of(REQUEST, answer, never)
    assert row["Result"] == expected
    assert row["Error"] == f"{answer.code}: {answer.message}"


def test_a_batch_succeeds_only_when_every_job_was_created_or_existed() -> None:
    ok = [{"CompilationJobName": "a", "Result": "created"}, {"CompilationJobName": "b", "Result": "existed"}]
    assert results.batch_exit_code(ok) == EXIT_OK
    check_created(ok)
    bad = [*ok, {"CompilationJobName": "c", "Result": "refused", "Error": "ResourceLimitExceeded: too many"}]
    assert results.batch_exit_code(bad) == EXIT_SERVICE
    assert results.not_created(bad) == [bad[2]]
    with pytest.raises(BatchIncomplete) as info:
        check_created(bad)
    assert info.value.message == "1 of 3 job(s) not created: c refused (ResourceLimitExceeded: too many)"
