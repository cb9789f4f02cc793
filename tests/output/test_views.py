"""The output views rendered in process, as a person reads them (colour off, 120 columns).

Column widths are another file's subject; these tests read what each view says: its
lines, its cells, its titles.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import yaml
from rich.console import Console, RenderableType

from neoctl.endpoints.update import build_request, preview, warnings
from neoctl.jobs.wait import job_state
from neoctl.output import Printer
from neoctl.output.endpoints import preview_view, updated_view
from neoctl.output.jobs import created_view, describe_view, stopped_view
from neoctl.output.waiting import outcome_view, progress_table

T0 = dt.datetime(2026, 3, 1, 10, 0, 0, tzinfo=dt.UTC)
ACCOUNT = "123456789012"


def render(view: RenderableType) -> str:
    """What a person sees: the view printed as Printer's consoles print it, colour off."""
    console = Console(file=io.StringIO(), width=120, no_color=True, highlight=False)
    console.print(view)
    out = console.file
    assert isinstance(out, io.StringIO)
    return out.getvalue()


def lines(view: RenderableType) -> list[str]:
    return [line.rstrip() for line in render(view).splitlines()]


def cells(view: RenderableType) -> list[list[str]]:
    """The body rows of a table (header included), each as its stripped cells."""
    return [
        [c.strip() for c in line.strip("│┃").split("│" if "│" in line else "┃")]
        for line in render(view).splitlines()
        if line.startswith(("│", "┃"))
    ]


def failed_job() -> dict[str, Any]:
    """DescribeCompilationJob for a job that failed after 2m05s of compiling."""
    return {
        "CompilationJobName": "resnet50-rasp4b",
        "CompilationJobArn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:compilation-job/resnet50-rasp4b",
        "CompilationJobStatus": "FAILED",
        "FailureReason": "ClientError: InputConfiguration: Unable to load the PyTorch model: "
        "the input shape [1,3,224,224] does not match",
        "CompilationStartTime": T0 + dt.timedelta(seconds=30),
        "CompilationEndTime": T0 + dt.timedelta(seconds=155),
        "StoppingCondition": {"MaxRuntimeInSeconds": 900},
        "CreationTime": T0,
        "LastModifiedTime": T0 + dt.timedelta(seconds=155),
        "ModelArtifacts": {"S3ModelArtifacts": "s3://ml-models/compiled/model-rasp4b.tar.gz"},
        "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/SageMakerNeoRole",
        "InputConfig": {
            "S3Uri": "s3://ml-models/resnet50/model.tar.gz",
            "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
            "Framework": "PYTORCH",
            "FrameworkVersion": "2.0",
        },
        "OutputConfig": {
            "S3OutputLocation": "s3://ml-models/compiled/",
            "TargetDevice": "rasp4b",
            "CompilerOptions": '{"dtype": "float32"}',
        },
    }


# -- jobs ---------------------------------------------------------------------------


def test_describe_shows_status_then_the_failure_reason_in_a_panel_then_every_field() -> None:
    shown = lines(describe_view(failed_job()))
    assert shown[0] == "resnet50-rasp4b  FAILED"
    # The reason sits in a panel titled FailureReason, right under the status.
    assert shown[1].startswith("╭") and " FailureReason " in shown[1]
    assert shown[2].startswith("│ ClientError: InputConfiguration: Unable to load the PyTorch model: the input shape")
    assert shown[3].startswith("╰")
    fields = [line.split(None, 1) for line in shown[4:]]
    assert fields == [
        ["Target", "rasp4b"],
        ["Framework", "PYTORCH 2.0"],
        ["Inputs", "input0 [1, 3, 224, 224]"],
        ["Model", "s3://ml-models/resnet50/model.tar.gz"],
        ["Output", "s3://ml-models/compiled/"],
        ["CompilerOptions", '{"dtype": "float32"}'],
        ["Created", "2026-03-01 10:00:00"],
        ["Started", "2026-03-01 10:00:30"],
        ["Ended", "2026-03-01 10:02:35"],
        ["Duration", "2m05s"],
        ["Billable", "2m05s"],
        ["Artifacts", "s3://ml-models/compiled/model-rasp4b.tar.gz"],
        ["Role", f"arn:aws:iam::{ACCOUNT}:role/SageMakerNeoRole"],
        ["ARN", f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:compilation-job/resnet50-rasp4b"],
    ]


def test_describe_without_failure_has_no_panel_and_skips_empty_fields() -> None:
    job = failed_job()
    job["CompilationJobStatus"] = "COMPLETED"
    del job["FailureReason"], job["OutputConfig"]["CompilerOptions"]
    job["OutputConfig"] = {
        "S3OutputLocation": "s3://ml-models/compiled/",
        "TargetPlatform": {"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"},
    }
    shown = lines(describe_view(job))
    assert shown[0] == "resnet50-rasp4b  COMPLETED"
    assert not any("FailureReason" in line or line.startswith("╭") for line in shown)
    assert shown[1].split(None, 1) == ["Target", "LINUX/ARM64/NVIDIA"]
    assert not any(line.startswith("CompilerOptions") for line in shown)


def test_describe_shows_a_reason_with_markup_literally() -> None:
    job = failed_job()
    job["FailureReason"] = "ClientError: [bold]not a style[/bold]"
    assert "│ ClientError: [bold]not a style[/bold]" in render(describe_view(job))


def test_created_view_title_and_rows() -> None:
    rows = [
        {
            "CompilationJobName": "resnet50-rasp4b",
            "Result": "created",
            "CompilationJobArn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:compilation-job/resnet50-rasp4b",
        },
        {
            "CompilationJobName": "resnet50-jetson-nano",
            "Result": "existed",
            "CompilationJobArn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:compilation-job/resnet50-jetson-nano",
        },
        {
            "CompilationJobName": "resnet50-ml-c5",
            "Result": "refused",
            "Error": "ValidationException: The role ARN is not valid",
        },
    ]
    view = created_view(rows)
    assert lines(view)[0] == "3 compilation job(s): 1 created, 1 existed, 1 refused"
    assert cells(view) == [
        ["Name", "Result", "ARN / reason"],
        ["resnet50-rasp4b", "created", f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:compilation-job/resnet50-rasp4b"],
        [
            "resnet50-jetson-nano",
            "existed",
            f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:compilation-job/resnet50-jetson-nano",
        ],
        ["resnet50-ml-c5", "refused", "ValidationException: The role ARN is not valid"],
    ]


def test_stopped_view_rows() -> None:
    rows = [
        {"CompilationJobName": "resnet50-rasp4b", "CompilationJobStatus": "STOPPING", "Stopped": True},
        {
            "CompilationJobName": "resnet50-ml-c5",
            "CompilationJobStatus": "COMPLETED",
            "Stopped": False,
            "Message": "already COMPLETED: nothing to stop",
        },
        {
            "CompilationJobName": "resnet50-gone",
            "CompilationJobStatus": "UNKNOWN",
            "Stopped": False,
            "Error": "ResourceNotFound: no such job",
            "Message": "not shown when there is an error",
        },
    ]
    view = stopped_view(rows)
    assert lines(view)[0].startswith("┏")  # no bare "stop" title: stdout is the table alone
    assert cells(view) == [
        ["Name", "Status", "Result"],
        ["resnet50-rasp4b", "STOPPING", "stop requested"],
        ["resnet50-ml-c5", "COMPLETED", "already COMPLETED: nothing to stop"],
        ["resnet50-gone", "UNKNOWN", "ResourceNotFound: no such job"],
    ]


# -- endpoints ------------------------------------------------------------------------


def _plan(retain: bool) -> dict[str, Any]:
    endpoint = {
        "EndpointName": "resnet50-prod",
        "EndpointConfigName": "resnet50-v1",
        "EndpointStatus": "InService",
        "ProductionVariants": [
            {
                "VariantName": "Blue",
                "CurrentWeight": 0.9,
                "DesiredWeight": 0.9,
                "CurrentInstanceCount": 4,
                "DesiredInstanceCount": 4,
            },
            {
                "VariantName": "Old",
                "CurrentWeight": 0.1,
                "DesiredWeight": 0.1,
                "CurrentInstanceCount": 1,
                "DesiredInstanceCount": 1,
            },
        ],
    }
    config = {
        "EndpointConfigName": "resnet50-v2",
        "ProductionVariants": [
            {
                "VariantName": "Blue",
                "ModelName": "m",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.c5.xlarge",
                "InitialVariantWeight": 0.8,
            },
            {
                "VariantName": "Canary",
                "ModelName": "m2",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.c5.xlarge",
                "InitialVariantWeight": 0.2,
            },
        ],
        "DataCaptureConfig": {
            "InitialSamplingPercentage": 10,
            "DestinationS3Uri": "s3://cap/v2",
            "CaptureOptions": [{"CaptureMode": "Input"}],
        },
    }
    request = build_request("resnet50-prod", "resnet50-v2", retain, [], False)
    serving = {"ProductionVariants": [{"VariantName": "Blue", "ModelName": "m-old"}, {"VariantName": "Old"}]}
    rows = preview(endpoint, config, request, serving)
    return {"Request": request, "Variants": rows, "Warnings": warnings(rows, request)}


def test_preview_view_title_and_rows_without_retain() -> None:
    view = preview_view(_plan(retain=False))
    assert lines(view)[0] == "UpdateEndpoint resnet50-prod → resnet50-v2"
    assert cells(view) == [
        ["Variant", "Property", "Current", "New config", "After update", "Effect"],
        ["Blue", "ModelName", "m-old", "m", "m", "changes"],
        ["Blue", "DesiredInstanceCount", "4", "1", "1", "changes"],
        ["Blue", "DesiredWeight", "0.9", "0.8", "0.8", "changes"],
        ["Blue", "DataCaptureConfig", "off", "on 10% → s3://cap/v2", "on 10% → s3://cap/v2", "changes"],
        ["Canary", "ModelName", "—", "m2", "m2", "changes"],
        ["Canary", "DesiredInstanceCount", "—", "1", "1", "changes"],
        ["Canary", "DesiredWeight", "—", "0.2", "0.2", "changes"],
        ["Canary", "DataCaptureConfig", "—", "on 10% → s3://cap/v2", "on 10% → s3://cap/v2", "changes"],
        ["Old", "(variant)", "present", "—", "removed", "changes"],
    ]


def test_preview_view_with_retain_marks_only_what_changes() -> None:
    # Retained properties keep their values; the model is never retained.
    assert cells(preview_view(_plan(retain=True)))[1:5] == [
        ["Blue", "ModelName", "m-old", "m", "m", "changes"],
        ["Blue", "DesiredInstanceCount", "4", "1", "4", "none"],
        ["Blue", "DesiredWeight", "0.9", "0.8", "0.9", "none"],
        ["Blue", "DataCaptureConfig", "off", "on 10% → s3://cap/v2", "off", "none"],
    ]


def test_preview_view_says_unknown_when_the_served_config_is_gone() -> None:
    plan = _plan(retain=True)
    plan["Variants"][0] = plan["Variants"][0] | {"Current": "unknown (config c1 not found)", "Changes": None}
    assert cells(preview_view(plan))[1][-1] == "unknown"


def test_updated_view() -> None:
    arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:endpoint/resnet50-prod"
    assert lines(updated_view({"EndpointArn": arn})) == [f"update started: {arn}"]


# -- waiting --------------------------------------------------------------------------


def test_outcome_on_success_is_a_summary_line_then_each_compiled_model() -> None:
    rows = [
        {
            "CompilationJobName": "resnet50-rasp4b",
            "CompilationJobStatus": "COMPLETED",
            "S3ModelArtifacts": "s3://ml-models/compiled/model-rasp4b.tar.gz",
        },
        {
            "CompilationJobName": "resnet50-ml-c5",
            "CompilationJobStatus": "COMPLETED",
            "S3ModelArtifacts": "s3://ml-models/compiled/model-ml_c5.tar.gz",
        },
    ]
    assert lines(outcome_view(rows)) == [
        "2 job(s) finished: 2 COMPLETED",
        "resnet50-rasp4b  s3://ml-models/compiled/model-rasp4b.tar.gz",
        "resnet50-ml-c5   s3://ml-models/compiled/model-ml_c5.tar.gz",
    ]


def test_outcome_lines_reach_stdout_whole_so_uris_can_be_copied() -> None:
    # Through the printer, as `wait` prints it into a CI log (not a terminal: 80 columns).
    uri = "s3://ml-models/" + "deep/" * 40 + "model.tar.gz"
    rows = [{"CompilationJobName": "resnet50-rasp4b", "CompilationJobStatus": "COMPLETED", "S3ModelArtifacts": uri}]
    printer, out, _ = _printer("table")
    printer.data(rows, outcome_view)
    assert out.getvalue() == f"1 job(s) finished: 1 COMPLETED\nresnet50-rasp4b  {uri}\n"


def test_outcome_after_stop_counts_each_status() -> None:
    rows = [
        {"CompilationJobName": "a", "CompilationJobStatus": "STOPPED"},
        {"CompilationJobName": "bb", "CompilationJobStatus": "COMPLETED", "S3ModelArtifacts": "s3://m/bb.tar.gz"},
    ]
    assert lines(outcome_view(rows)) == [
        "2 job(s) finished: 1 COMPLETED, 1 STOPPED",
        "a   STOPPED",
        "bb  s3://m/bb.tar.gz",
    ]


def test_outcome_on_failure_is_a_table_with_the_reason_and_the_log_tail() -> None:
    rows = [
        {
            "CompilationJobName": "resnet50-rasp4b",
            "CompilationJobStatus": "FAILED",
            "FailureReason": "ClientError: Unable to load the model",
            "LastLogLines": [
                "2026-03-01T10:02:30.00Z loading model.pth",
                "2026-03-01T10:02:34.50Z ERROR shape mismatch for input0",
            ],
        },
        {
            "CompilationJobName": "resnet50-ml-c5",
            "CompilationJobStatus": "COMPLETED",
            "S3ModelArtifacts": "s3://ml-models/compiled/model-ml_c5.tar.gz",
        },
    ]
    view = outcome_view(rows)
    shown = lines(view)
    assert shown[0].startswith("┏")  # no bare "result" title: stdout is the table alone
    assert cells(view) == [
        ["Job", "Status", "FailureReason / compiled model"],
        ["resnet50-rasp4b", "FAILED", "ClientError: Unable to load the model"],
        ["resnet50-ml-c5", "COMPLETED", "s3://ml-models/compiled/model-ml_c5.tar.gz"],
    ]
    assert shown[-3:] == [
        "last log lines of resnet50-rasp4b:",
        "  2026-03-01T10:02:30.00Z loading model.pth",
        "  2026-03-01T10:02:34.50Z ERROR shape mismatch for input0",
    ]


def test_progress_table_freezes_elapsed_for_finished_jobs() -> None:
    state = job_state(["resnet50-rasp4b", "resnet50-jetson-nano", "resnet50-ml-c5"])
    state.apply(
        {"resnet50-rasp4b": "INPROGRESS", "resnet50-jetson-nano": "INPROGRESS", "resnet50-ml-c5": "STARTING"}, 1.0
    )
    state.apply({"resnet50-rasp4b": "COMPLETED", "resnet50-jetson-nano": "FAILED"}, 65.0)
    table = progress_table(state, "waiting", 125.0)
    assert table.title == "waiting: 2/3 finished, 1 failed, 2m05s"
    assert cells(table) == [
        ["Job", "Status", "Elapsed"],
        ["resnet50-rasp4b", "COMPLETED", "1m05s"],
        ["resnet50-jetson-nano", "FAILED", "1m05s"],
        ["resnet50-ml-c5", "STARTING", "2m05s"],
    ]
    # Later, the finished jobs' times stay; the running one's goes on.
    later = progress_table(state, "waiting", 3725.0)
    assert later.title == "waiting: 2/3 finished, 1 failed, 1h02m05s"
    assert [row[2] for row in cells(later)[1:]] == ["1m05s", "1m05s", "1h02m05s"]


def test_progress_table_title_without_failures_and_before_any_status() -> None:
    state = job_state(["a", "b"])
    table = progress_table(state, "create --wait", 0.0)
    assert table.title == "create --wait: 0/2 finished, 0s"
    assert cells(table)[1:] == [["a", "UNKNOWN", "0s"], ["b", "UNKNOWN", "0s"]]
    state.apply({"a": "COMPLETED", "b": "INPROGRESS"}, 42.0)
    assert progress_table(state, "create --wait", 50.0).title == "create --wait: 1/2 finished, 50s"


def test_progress_table_after_stop_does_not_count_stopped_as_failed() -> None:
    state = job_state(["a"], stopped_ok=True)
    state.apply({"a": "STOPPED"}, 3.0)
    assert progress_table(state, "stop --wait", 4.0).title == "stop --wait: 1/1 finished, 4s"


# -- the printer: one value, every format ------------------------------------------------


def _printer(output: str, query: str | None = None) -> tuple[Printer, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Printer(output, query, stdout=out, stderr=err), out, err


def _describe_result() -> dict[str, Any]:
    job = failed_job()
    job["FailureReason"] = "ClientError: bad\x1b[31m input"
    return job


def test_data_as_json_yaml_query_and_table_from_one_value() -> None:
    job = _describe_result()
    expected = json.loads(json.dumps(job, default=lambda v: v.isoformat()))

    printer, out, err = _printer("json")
    printer.data(job, describe_view)
    assert json.loads(out.getvalue()) == expected
    assert out.getvalue().startswith('{\n  "CompilationJobName": "resnet50-rasp4b",\n')
    assert '"CreationTime": "2026-03-01T10:00:00+00:00"' in out.getvalue()
    assert "\\u001b[31m" in out.getvalue()  # JSON escapes the control character itself
    assert err.getvalue() == ""

    printer, out, _ = _printer("yaml")
    printer.data(job, describe_view)
    assert yaml.safe_load(out.getvalue()) == expected
    assert out.getvalue().startswith("CompilationJobName: resnet50-rasp4b\nCompilationJobArn: ")

    # --query with json: the query's result only.
    printer, out, _ = _printer("json", "OutputConfig.TargetDevice")
    printer.data(job, describe_view)
    assert out.getvalue() == '"rasp4b"\n'

    # --query with yaml.
    printer, out, _ = _printer("yaml", "{status: CompilationJobStatus, target: OutputConfig.TargetDevice}")
    printer.data(job, describe_view)
    assert out.getvalue() == "status: FAILED\ntarget: rasp4b\n"

    # --query with the table format shows JSON, as the AWS CLI does.
    printer, out, _ = _printer("table", "InputConfig.[Framework, FrameworkVersion]")
    printer.data(job, describe_view)
    assert json.loads(out.getvalue()) == ["PYTORCH", "2.0"]

    # The table: the view, with the control character made visible.
    printer, out, err = _printer("table")
    printer.data(job, describe_view)
    shown = out.getvalue()
    assert shown.splitlines()[0] == "resnet50-rasp4b  FAILED"
    assert "ClientError: bad\\x1b[31m input" in shown
    assert "\x1b" not in shown
    assert err.getvalue() == ""


def test_query_selecting_nothing_is_null() -> None:
    printer, out, _ = _printer("json", "NoSuchField")
    printer.data(_describe_result())
    assert out.getvalue() == "null\n"
