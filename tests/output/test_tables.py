"""Tables never break identifiers: every view at 200, 80, 60 and 40 columns.

Job names, endpoint names, ARNs and S3 URIs must appear whole on one line of the output
(the text people copy into the next command); when a table is too wide, the less
important columns give way first. Rendered through the Printer as `neoctl` prints (Rich
takes the width from COLUMNS when stdout is not a terminal, 80 without it).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from neoctl.api.calls import Listing
from neoctl.output import printer as printer_module
from neoctl.output.endpoints import endpoint_view, preview_view, updated_view
from neoctl.output.jobs import created_view, describe_view, jobs_chunk, list_view, stopped_view
from neoctl.output.printer import Printer
from neoctl.output.specs import requests_view, summaries_table
from neoctl.output.transfer import download_view
from neoctl.output.trials import trials_view

WIDTHS = (200, 80, 60, 40)
ACCOUNT = "123456789012"
NAMES = [  # 63 characters: the longest name the API allows
    "yolo-edge-jetson-xavier-int8-batch16-nhwc-224x224-v20260102-a1b",
    "mobilenet-v3-small-rasp4b-fp32-2026-01-02t03-04-05z-runner-4242",
    "resnet50-ml-c5",
]
ARNS = [f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:compilation-job/{name}" for name in NAMES]
MODEL = "s3://neo-models-123456789012-us-east-1/models/yolo/edge/2026-01-02/yolo-v8-large-640.tar.gz"
OUTPUT = "s3://neo-models-123456789012-us-east-1/compiled/yolo/edge/2026-01-02/"
ARTIFACT = OUTPUT + NAMES[0] + "/model-jetson_xavier.tar.gz"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-20260102T030405"
ENDPOINT = "yolo-edge-jetson-xavier-int8-realtime-inference-endpoint-prod-eu"
ENDPOINT_CONFIG = ENDPOINT + "-config-2026-01-02"
WHEN = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


@pytest.fixture(params=WIDTHS)
def width(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("COLUMNS", str(request.param))
    return int(request.param)


def show(value: Any, view: Callable[[Any], Any]) -> str:
    out, err = io.StringIO(), io.StringIO()
    Printer("table", stdout=out, stderr=err).data(value, view)
    return out.getvalue()


def assert_whole(text: str, *identifiers: str) -> None:
    lines = text.splitlines()
    for identifier in identifiers:
        assert any(identifier in line for line in lines), f"{identifier!r} is broken in:\n{text}"


def header(text: str) -> str:
    """The table's header (the lines drawn with heavy verticals), on one line."""
    lines = [line for line in text.splitlines() if line.startswith("┃")]
    cells = zip(*(line.strip("┃").split("┃") for line in lines), strict=True)
    return "┃".join(" ".join(part.strip() for part in cell if part.strip()) for cell in cells)


def job(name: str, target: str = "jetson_xavier") -> dict[str, Any]:
    return {
        "CompilationJobName": name,
        "CompilationJobArn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:compilation-job/{name}",
        "CompilationJobStatus": "COMPLETED",
        "CompilationTargetDevice": target,
        "CreationTime": WHEN,
        "CompilationStartTime": WHEN,
        "CompilationEndTime": WHEN + dt.timedelta(minutes=5),
    }


# -- neoctl list ------------------------------------------------------------------------
def test_list_keeps_names_whole(width: int) -> None:
    shown = show({"CompilationJobSummaries": [job(n) for n in NAMES]}, list_view)
    assert_whole(shown, *NAMES)
    assert "Name" in header(shown) and "Status" in header(shown)
    assert shown.count("COMPLETED") == len(NAMES)


@pytest.mark.parametrize(
    ("columns", "present", "gone"),
    [
        (200, ["Target", "Created (UTC)", "Duration"], []),
        (125, ["Target", "Created (UTC)"], ["Duration"]),
        (110, ["Target"], ["Created (UTC)", "Duration"]),
        (80, [], ["Target", "Created (UTC)", "Duration"]),
    ],
)
def test_list_columns_give_way_duration_then_created_then_target(
    columns: int, present: list[str], gone: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    shown = show({"CompilationJobSummaries": [job(n) for n in NAMES]}, list_view)
    assert all(len(line) <= columns for line in shown.splitlines())
    top = header(shown)
    assert all(name in top for name in ["Name", "Status", *present]), top
    assert not any(name in top for name in gone), top


def test_list_with_short_names_keeps_every_column_at_80(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    shown = show({"CompilationJobSummaries": [job("resnet50-ml-c5"), job("resnet50-rasp4b", "rasp4b")]}, list_view)
    assert all(h in header(shown) for h in ("Name", "Status", "Target", "Created (UTC)", "Duration"))
    assert "2026-01-02 03:04:05" in shown and "5m00s" in shown


def _pipes(line: str) -> list[int]:
    return [i for i, c in enumerate(line) if c in "│┃"]


def test_long_list_streams_chunks_that_line_up(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printer_module, "TABLE_CHUNK", 3)

    class Pages(list[dict[str, Any]]):
        resume_token = None

    # The first chunk has short names, the last one the longest: the columns must not move.
    names = ["a-1", "b-2", "c-3", NAMES[2], NAMES[1], NAMES[0], "d-4"]
    listing = Listing("CompilationJobSummaries", Pages([{"CompilationJobSummaries": [job(n) for n in names]}]))
    out, err = io.StringIO(), io.StringIO()
    Printer("table", stdout=out, stderr=err).listing(listing, list_view, jobs_chunk, noun="compilation job(s)")
    shown = out.getvalue()
    assert_whole(shown, *NAMES)
    rows = [line for line in shown.splitlines() if line.startswith("│")]
    assert len(rows) == len(names)
    assert len({tuple(_pipes(line)) for line in rows}) == 1, shown
    assert "7 compilation job(s)" in err.getvalue()


# -- create, describe, stop ----------------------------------------------------------------
def test_created_view_keeps_names_and_arns_whole(width: int) -> None:
    rows = [
        {"CompilationJobName": NAMES[0], "Result": "created", "CompilationJobArn": ARNS[0]},
        {"CompilationJobName": NAMES[2], "Result": "existed", "CompilationJobArn": ARNS[2]},
        {
            "CompilationJobName": NAMES[1],
            "Result": "conflict",
            "Error": f"a job named {NAMES[1]} exists with a different request (output {OUTPUT})",
        },
    ]
    shown = show(rows, created_view)
    assert_whole(shown, *NAMES, OUTPUT)
    assert "Result" in header(shown)
    assert "conflict" in shown and "exists with a different request" in shown.replace("\n", " ")


def test_created_view_shows_the_arn_when_it_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:compilation-job/resnet50-ml-c5"
    shown = show(
        [{"CompilationJobName": "resnet50-ml-c5", "Result": "created", "CompilationJobArn": arn}], created_view
    )
    assert "ARN / reason" in header(shown)
    assert_whole(shown, arn)


def test_describe_view_keeps_arns_and_uris_whole(width: int) -> None:
    described = job(NAMES[0]) | {
        "CompilationJobStatus": "FAILED",
        "FailureReason": f"ClientError: InputConfiguration: Unable to load the model from {MODEL}",
        "InputConfig": {
            "S3Uri": MODEL,
            "Framework": "PYTORCH",
            "FrameworkVersion": "2.0",
            "DataInputConfig": '{"input0": [1, 3, 640, 640], "input1": [1, 3, 640, 640]}',
        },
        "OutputConfig": {"S3OutputLocation": OUTPUT, "TargetDevice": "jetson_xavier"},
        "ModelArtifacts": {"S3ModelArtifacts": ARTIFACT},
        "RoleArn": ROLE,
    }
    shown = show(described, describe_view)
    assert_whole(shown, NAMES[0], ARNS[0], MODEL, OUTPUT, ARTIFACT, ROLE)
    assert "FAILED" in shown and "Unable to load the model" in shown
    assert "input0 [1, 3, 640, 640]" in shown


def test_stopped_view_keeps_names_whole(width: int) -> None:
    rows = [
        {"CompilationJobName": NAMES[0], "Stopped": True, "CompilationJobStatus": "STOPPING"},
        {
            "CompilationJobName": NAMES[1],
            "Stopped": False,
            "CompilationJobStatus": "COMPLETED",
            "Message": "already COMPLETED, nothing to stop",
        },
    ]
    shown = show(rows, stopped_view)
    assert_whole(shown, NAMES[0], NAMES[1])
    assert "STOPPING" in shown and "stop requested" in shown
    assert "already COMPLETED, nothing to stop" in re.sub(r"[\s│]+", " ", shown)


# -- endpoints ----------------------------------------------------------------------------
def test_endpoint_view_keeps_names_whole(width: int) -> None:
    variant = "AllTraffic-yolo-edge-large-variant"
    endpoint = {
        "EndpointName": ENDPOINT,
        "EndpointStatus": "Failed",
        "EndpointConfigName": ENDPOINT_CONFIG,
        "FailureReason": f"cannot write capture data to {OUTPUT}",
        "ProductionVariants": [
            {
                "VariantName": variant,
                "CurrentInstanceCount": 2,
                "DesiredInstanceCount": 4,
                "CurrentWeight": 1.0,
                "DesiredWeight": 1.0,
            }
        ],
        "DataCaptureConfig": {"EnableCapture": True},
    }
    shown = show(endpoint, endpoint_view)
    assert_whole(shown, ENDPOINT, "config " + ENDPOINT_CONFIG, variant, OUTPUT)
    assert "Failed" in shown and "Variant" in header(shown)
    if width == 200:
        assert all(h in shown for h in ("Instances (current)", "Weight (desired)", "Data capture"))


def test_endpoint_variant_columns_wrap_headers_before_giving_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    endpoint = {
        "EndpointName": "e",
        "EndpointStatus": "InService",
        "EndpointConfigName": "c",
        "ProductionVariants": [
            {
                "VariantName": "main",
                "CurrentInstanceCount": 4,
                "DesiredInstanceCount": 4,
                "CurrentWeight": 1.0,
                "DesiredWeight": 1.0,
            }
        ],
    }
    shown = show(endpoint, endpoint_view)
    assert all(w in shown for w in ("Instances", "(current)", "(desired)", "Weight", "Data"))
    assert all(len(line) <= 80 for line in shown.splitlines())


def test_update_preview_and_result_keep_names_whole(width: int) -> None:
    capture = "s3://capture-bucket/endpoints/capture/"
    plan = {
        "Request": {"EndpointName": ENDPOINT, "EndpointConfigName": ENDPOINT_CONFIG},
        "Variants": [
            {
                "Variant": "AllTraffic",
                "Property": "DesiredInstanceCount",
                "Current": 2,
                "NewConfig": 1,
                "After": 2,
                "Changes": False,
            },
            {
                "Variant": "AllTraffic",
                "Property": "DataCaptureConfig",
                "Current": "off",
                "NewConfig": f"on 100% → {capture}",
                "After": f"on 100% → {capture}",
                "Changes": True,
            },
        ],
    }
    shown = show(plan, preview_view)
    assert_whole(shown, ENDPOINT, ENDPOINT_CONFIG, capture, "DesiredInstanceCount")
    arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:endpoint/{ENDPOINT}"
    assert_whole(show({"EndpointArn": arn}, updated_view), arn)


# -- trials, download, dry run ------------------------------------------------------------------
def test_trials_view_keeps_names_and_arns_whole(width: int) -> None:
    trials = {
        "TrialSummaries": [
            {
                "TrialName": "trial-" + NAMES[0],
                "DisplayName": "YOLO edge on the Jetson Xavier, int8",
                "TrialSource": {"SourceArn": ARNS[0]},
                "CreationTime": WHEN,
                "LastModifiedTime": WHEN,
            },
            {"TrialName": "trial-s", "DisplayName": "short", "CreationTime": WHEN, "LastModifiedTime": WHEN},
        ]
    }
    shown = show(trials, trials_view)
    assert_whole(shown, "trial-" + NAMES[0], "trial-s")
    top = header(shown)
    assert "Name" in top
    if width == 200:
        assert all(h in top for h in ("Display name", "Created (UTC)", "Modified (UTC)"))


def test_trials_source_arn_shows_when_it_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "220")
    trials = {"TrialSummaries": [{"TrialName": "t", "TrialSource": {"SourceArn": ARNS[0]}}]}
    shown = show(trials, trials_view)
    assert "Source" in header(shown)
    assert_whole(shown, ARNS[0])


@pytest.mark.parametrize(
    ("columns", "gone"), [(207, None), (200, "Source"), (131, "Modified"), (109, "Created"), (87, "Display name")]
)
def test_trials_columns_give_way_source_then_modified_then_created(
    columns: int, gone: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    order = ["Display name", "Created", "Modified", "Source"]  # the most important first
    cut = order.index(gone) if gone else len(order)
    trials = {
        "TrialSummaries": [
            {
                "TrialName": "trial-" + NAMES[0],
                "DisplayName": "YOLO edge",
                "TrialSource": {"SourceArn": ARNS[2]},
                "CreationTime": WHEN,
                "LastModifiedTime": WHEN,
            }
        ]
    }
    top = header(show(trials, trials_view))
    assert all(h in top for h in ["Name", *order[:cut]]), top
    assert not any(h in top for h in order[cut:]), top


def test_download_view_keeps_uri_path_and_digest_whole(width: int) -> None:
    path = f"/home/someone/compiled/{NAMES[0]}/model-jetson_xavier.tar.gz"
    result = {
        "CompilationJobName": NAMES[0],
        "S3Uri": ARTIFACT,
        "Path": path,
        "Size": 123456789,
        "Sha256": "0123456789abcdef" * 4,
        "ExtractedTo": path.removesuffix(".tar.gz"),
        "Files": 3,
    }
    shown = show(result, download_view)
    assert_whole(shown, NAMES[0], ARTIFACT, path, "0123456789abcdef" * 4, "123.5 MB (123456789 bytes)")


def test_dry_run_requests_and_validate_table_keep_identifiers_whole(width: int) -> None:
    request = {
        "CompilationJobName": NAMES[0],
        "RoleArn": ROLE,
        "InputConfig": {"S3Uri": MODEL, "Framework": "PYTORCH", "DataInputConfig": '{"input0":[1,3,224,224]}'},
        "OutputConfig": {"S3OutputLocation": OUTPUT, "TargetDevice": "jetson_xavier"},
    }
    shown = show([request], requests_view)
    assert_whole(shown, NAMES[0], ROLE, MODEL, OUTPUT, '{"input0":[1,3,224,224]}')
    rows = [
        {
            "CompilationJobName": n,
            "Model": "PYTORCH 2.0",
            "Target": "jetson_xavier",
            "File": "examples/fanout.yaml",
            "Line": 3,
        }
        for n in NAMES
    ]
    table = show(rows, summaries_table)
    # A name too long to sit beside its target folds after a "-" in its own cell (item 10).
    names = cell_columns(table)[0]
    assert all(name in names for name in NAMES), table
    assert "Target" in header(table)


def _identifier_lines(text: str) -> Iterator[str]:
    yield from (line for line in text.splitlines() if "arn:" in line or "s3://" in line)


def test_nothing_is_cut_with_an_ellipsis(width: int) -> None:
    described = job(NAMES[0]) | {"InputConfig": {"S3Uri": MODEL}, "RoleArn": ROLE}
    for line in _identifier_lines(show(described, describe_view)):
        assert "…" not in line


# -- COLUMNS out of range ----------------------------------------------------------------


@pytest.mark.parametrize("columns", ["0", "1", "20", "39", "-5", "abc", ""])
def test_a_too_narrow_or_garbage_columns_is_the_minimum_width_never_less(
    monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    shown = show({"CompilationJobSummaries": [job("resnet50-ml-c5"), job(NAMES[0])]}, list_view)
    assert_whole(shown, "resnet50-ml-c5", NAMES[0])
    top = header(shown)
    assert "Name" in top and "Status" in top, shown  # never one column only
    assert shown.count("COMPLETED") == 2


@pytest.mark.parametrize("columns", ["0", "20"])
def test_messages_are_printed_whatever_columns_says(monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    out, err = io.StringIO(), io.StringIO()
    printer = Printer("table", stdout=out, stderr=err)
    printer.error("1 problem in the job spec(s); nothing was sent", "fix it")
    printer.warning("careful")
    assert "error: 1 problem in the job spec(s); nothing was sent" in err.getvalue()
    assert "hint: fix it" in err.getvalue() and "warning: careful" in err.getvalue()


# -- every view at 80 columns (issue 23 item 10) -------------------------------------------
# The longest values the API allows: a table must still fit 80 columns, its identifiers
# whole on a line or folded at a boundary onto lines of their own cell, never cut.
MODEL_NAME = NAMES[1][:54] + "-8f7f2424"  # deploy's model name: the job's, then a digest
CONFIG_NAME = NAMES[1][:45] + "-8f7f2424-1f4a4ae1"  # deploy's config name
CAPTURE = "s3://capture-bucket-123456789012-us-east-1/endpoints/capture/"
IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/sagemaker-neo-pytorch:1.8-cpu-py3"


def _variant_rows(variant: str) -> list[dict[str, Any]]:
    return [
        {"Variant": variant, "Property": "DesiredInstanceCount", "Current": 3, "NewConfig": 1, "After": 3},
        {"Variant": variant, "Property": "DesiredWeight", "Current": None, "NewConfig": 1.0, "After": None},
        {
            "Variant": variant,
            "Property": "DataCaptureConfig",
            "Current": "off",
            "NewConfig": f"on 100% → {CAPTURE}",
            "After": f"on 100% → {CAPTURE}",
        },
    ]


def deploy_plan(job: str, current_model: str, new_model: str, config: str, variant: str) -> dict[str, Any]:
    """A deploy plan onto an existing endpoint (plan_deploy's shape)."""
    variants = [row | {"Changes": row["Property"] == "DataCaptureConfig"} for row in _variant_rows(variant)]
    return {
        "Job": job,
        "Target": "ml_c5",
        "Endpoint": ENDPOINT,
        "Image": {"Uri": IMAGE, "Source": "the job's InferenceImage"},
        "Model": {"Name": new_model, "Exists": False},
        "EndpointConfig": {
            "Name": config,
            "Previous": ENDPOINT_CONFIG,
            "Exists": False,
            "Diff": [
                {"Where": variant, "Field": "ModelName", "Current": current_model, "New": new_model},
                {"Where": variant, "Field": "InitialVariantWeight", "Current": None, "New": 1.0},
            ],
        },
        "Call": {
            "Operation": "UpdateEndpoint",
            "Request": {"EndpointName": ENDPOINT, "EndpointConfigName": config, "RetainAllVariantProperties": True},
        },
        "Variants": variants,
        "AlreadyServing": False,
        "Warnings": [],
    }


def _every_view() -> dict[str, tuple[Callable[[Any], Any], Any, list[str]]]:
    """Each view of output/ with the longest values, and the identifiers it must keep."""
    from neoctl.output.endpoints import deploy_plan_view, deployed_view, history_view
    from neoctl.output.specs import catalog_view
    from neoctl.output.waiting import outcome_view

    variant = "AllTraffic-yolo-edge-large"
    failed = [
        {
            "CompilationJobName": n,
            "CompilationJobStatus": "FAILED",
            "FailureReason": f"ClientError: InputConfiguration: input shape mismatch for {MODEL}",
            "LastLogLines": [f"2026-01-02T03:04:05.00Z Downloading model from {MODEL}."],
        }
        for n in NAMES
    ]
    endpoint = {
        "EndpointName": ENDPOINT,
        "EndpointStatus": "InService",
        "EndpointConfigName": ENDPOINT_CONFIG,
        "ProductionVariants": [
            {
                "VariantName": variant,
                "CurrentInstanceCount": 2,
                "DesiredInstanceCount": 4,
                "CurrentWeight": 1.0,
                "DesiredWeight": 1.0,
            }
        ],
    }
    history = {
        "Endpoint": ENDPOINT,
        "Configs": [
            {"Name": CONFIG_NAME, "Created": WHEN, "Current": True, "Models": {variant: MODEL_NAME}},
            {"Name": ENDPOINT_CONFIG, "Created": WHEN, "Current": False, "Models": {variant: NAMES[0]}},
        ],
    }
    deployed = {
        "Endpoint": ENDPOINT,
        "ModelName": MODEL_NAME,
        "ModelCreated": True,
        "EndpointConfigName": CONFIG_NAME,
        "EndpointConfigCreated": True,
        "Image": IMAGE,
        "Action": "UpdateEndpoint",
        "PreviousEndpointConfig": ENDPOINT_CONFIG,
    }
    preview = {
        "Request": {"EndpointName": ENDPOINT, "EndpointConfigName": CONFIG_NAME},
        "Variants": [row | {"Changes": True} for row in _variant_rows(variant)],
    }
    summaries = [
        {"CompilationJobName": n, "Model": "PYTORCH 2.0", "Target": "jetson_xavier", "File": "a.yaml", "Line": 3}
        for n in NAMES
    ]
    catalog = {
        "BotocoreVersion": "1.35.0",
        "TargetDevices": ["jetson_xavier", "ml_c5"],
        "Frameworks": ["PYTORCH"],
        "TargetPlatform": {"Os": ["LINUX"]},
    }
    return {
        "list": (list_view, {"CompilationJobSummaries": [job(n) for n in NAMES]}, NAMES),
        "created": (
            created_view,
            [
                {"CompilationJobName": n, "Result": "created", "CompilationJobArn": a}
                for n, a in zip(NAMES, ARNS, strict=True)
            ],
            NAMES,
        ),
        "stopped": (
            stopped_view,
            [{"CompilationJobName": n, "Stopped": True, "CompilationJobStatus": "STOPPING"} for n in NAMES],
            NAMES,
        ),
        "outcome": (outcome_view, failed, [*NAMES, MODEL]),
        "endpoint": (endpoint_view, endpoint, [ENDPOINT, ENDPOINT_CONFIG, variant]),
        "preview": (preview_view, preview, [ENDPOINT, CONFIG_NAME, variant, CAPTURE]),
        "deploy plan": (
            deploy_plan_view,
            deploy_plan(NAMES[1], NAMES[0], MODEL_NAME, CONFIG_NAME, variant),
            [MODEL_NAME, CONFIG_NAME, NAMES[0], CAPTURE, IMAGE],
        ),
        "deployed": (deployed_view, deployed, [MODEL_NAME, CONFIG_NAME, IMAGE, ENDPOINT]),
        "history": (history_view, history, [CONFIG_NAME, ENDPOINT_CONFIG, MODEL_NAME, NAMES[0]]),
        "trials": (
            trials_view,
            {"TrialSummaries": [{"TrialName": "trial-" + NAMES[0][:57], "DisplayName": "YOLO", "CreationTime": WHEN}]},
            ["trial-" + NAMES[0][:57]],
        ),
        "summaries": (summaries_table, summaries, NAMES),
        "catalog": (catalog_view, catalog, ["jetson_xavier"]),
    }


def table_lines(text: str) -> list[str]:
    """The lines drawn as part of a table (its borders and rows)."""
    return [line for line in text.splitlines() if line[:1] in "┏┃┡│└╭╰"]


def cell_columns(text: str) -> list[str]:
    """Each table column's cell lines joined without a separator: an identifier folded
    onto lines of its own cell reads whole again."""
    rows = [line.strip("│┃").split("│" if "│" in line else "┃") for line in text.splitlines() if line[:1] in "│┃"]
    return ["".join(part.strip() for part in column) for column in zip(*(r for r in rows if len(r) > 1), strict=False)]


@pytest.mark.parametrize("name", list(_every_view()))
def test_every_table_fits_80_columns_with_its_identifiers_whole(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    view, value, identifiers = _every_view()[name]
    shown = show(value, view)
    too_wide = [line for line in table_lines(shown) if len(line) > 80]
    assert not too_wide, f"{name} is wider than 80 columns:\n{shown}"
    columns = cell_columns(shown)
    for identifier in identifiers:
        whole = any(identifier in line for line in shown.splitlines())
        assert whole or any(identifier in column for column in columns), f"{identifier!r} broken in:\n{shown}"
    assert "…" not in "".join(columns), shown  # nothing a user needs is cut


def test_the_deploy_plan_with_ordinary_names_fits_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    # The case of issue 23: a job, its model and configs named as people name them.
    monkeypatch.setenv("COLUMNS", "80")
    plan = deploy_plan(
        "yolo-v8-detector-ml-c5",
        "yolo-v8-detector-ml-c5-1a2b3c4d",
        "yolo-v8-detector-ml-c5-8f7f2424",
        "yolo-v8-detector-ml-c5-8f7f2424-1f4a4ae1",
        "AllTraffic",
    )
    from neoctl.output.endpoints import deploy_plan_view

    shown = show(plan, deploy_plan_view)
    assert all(len(line) <= 80 for line in table_lines(shown)), shown
    assert "Endpoint config: changes from the current one" in shown


def test_an_identifier_folds_only_when_the_table_would_not_fit_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    from neoctl.output.endpoints import deploy_plan_view

    plan = deploy_plan(NAMES[1], NAMES[0], MODEL_NAME, CONFIG_NAME, "AllTraffic")
    monkeypatch.setenv("COLUMNS", "200")
    assert_whole(show(plan, deploy_plan_view), MODEL_NAME, NAMES[0], CAPTURE)
    monkeypatch.setenv("COLUMNS", "80")
    folded = [line for line in table_lines(show(plan, deploy_plan_view)) if "-" in line]
    # Folded after a "-" (names) or a "/" (URIs): the line of a piece ends with the boundary.
    pieces = [cell.strip() for line in folded for cell in line.strip("│").split("│")]
    assert any(p.endswith("-") for p in pieces) and all(p[-1:] != "…" for p in pieces)


@pytest.mark.parametrize("name", list(_every_view()))
def test_every_column_has_a_header(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    view, value, _ = _every_view()[name]
    shown = show(value, view)
    for table in re.split(r"\n(?=┏)", shown)[1:]:  # each table of the view, from its top border
        assert all(cell for cell in header(table).split("┃")), f"{name} has a column without a header:\n{shown}"
