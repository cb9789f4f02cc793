"""What a person sees at 80 columns (issue 23, items 11, 13 and 14): one table per wait,
one hint per distinct failure, log lines whole, no bare titles on stdout, nothing said
silently (hidden columns, empty lists), values shown alike in describe and preview."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from neoctl.api.calls import Listing
from neoctl.jobs.wait import job_state
from neoctl.output import Printer
from neoctl.output import printer as printer_module
from neoctl.output.endpoints import endpoint_view
from neoctl.output.jobs import describe_view, jobs_chunk, list_view, stopped_view
from neoctl.output.trials import trials_view
from neoctl.output.waiting import WaitView, outcome_view, progress_table
from neoctl.polling import TimedOut

NAMES = ["yolo-fail-ml-c5", "yolo-fail-ml-m5", "yolo-fail-jetson-nano", "yolo-fail-rasp4b"]
MODEL = "s3://demo-models-123456789012-us-east-1/models/yolo/edge/2026-01-02/yolo-v8-large-640.tar.gz"
REASON = f"ClientError: InputConfiguration: input shape mismatch for {MODEL}"
HINT = {
    "Meaning": "TVM could not convert the model.",
    "Action": "Check model.inputs against the model.",
    "Source": "https://github.com/aws/amazon-sagemaker-examples/issues/2784",
}


@pytest.fixture(autouse=True)
def eighty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _printer(
    output: str = "table", stdout: io.StringIO | None = None, stderr: io.StringIO | None = None
) -> tuple[Printer, io.StringIO, io.StringIO]:
    out, err = stdout or io.StringIO(), stderr or io.StringIO()
    return Printer(output, stdout=out, stderr=err), out, err


def screen(raw: str) -> list[str]:
    """The lines left on a terminal by what Rich wrote: the cursor moves and erasures a
    live view uses (CR, cursor up, erase line) applied; styles and cursor hiding dropped."""
    lines, row = [""], 0
    for token in re.findall(r"\x1b\[[0-9;?]*[A-Za-z]|\r|\n|[^\x1b\r\n]+", raw):
        if token == "\n":
            row += 1
            lines += [""] * (row + 1 - len(lines))
        elif token == "\r":
            pass  # every write here starts a line: the column is not tracked
        elif token.startswith("\x1b[") and token.endswith("A"):
            row -= int(token[2:-1] or 1)
        elif token == "\x1b[2K":
            lines[row] = ""
        elif not token.startswith("\x1b"):
            lines[row] += token
    return [line for line in lines if line.strip()]


# -- item 13: one table, one hint per reason, log lines whole --------------------------------
def _failed_rows() -> list[dict[str, Any]]:
    return [
        {
            "CompilationJobName": name,
            "CompilationJobStatus": "FAILED",
            "FailureReason": REASON,
            "Hint": HINT,
            "LastLogLines": [f"2026-01-02T03:04:05.00Z Compilation job {name} failed. FailureReason: {REASON}"],
        }
        for name in NAMES
    ]


def test_one_hint_per_distinct_reason_naming_its_jobs_without_sources() -> None:
    printer, out, _ = _printer()
    rows = _failed_rows()
    rows[3]["Hint"] = {"Meaning": "Another meaning.", "Action": "Do another thing.", "Source": "DG x.md"}
    printer.data(rows, outcome_view)
    shown = " ".join(out.getvalue().split())  # the hints wrap between words at 80 columns
    assert shown.count("hint for ") == 2, out.getvalue()
    assert f"hint for {', '.join(NAMES[:3])}: TVM could not convert the model." in shown
    assert f"hint for {NAMES[3]}: Another meaning." in shown
    assert "source" not in shown.lower() and "github.com" not in shown  # for maintainers: in the facts file


def test_log_lines_are_printed_whole_never_hard_wrapped() -> None:
    printer, out, _ = _printer()
    printer.data(_failed_rows(), outcome_view)
    lines = out.getvalue().splitlines()
    for name in NAMES:
        whole = f"  2026-01-02T03:04:05.00Z Compilation job {name} failed. FailureReason: {REASON}"
        assert whole in lines, out.getvalue()


def test_the_result_has_no_bare_title_on_stdout() -> None:
    for rows, view in (
        (_failed_rows(), outcome_view),
        ([{"CompilationJobName": "a", "Stopped": True, "CompilationJobStatus": "STOPPING"}], stopped_view),
    ):
        printer, out, _ = _printer()
        printer.data(rows, view)
        assert out.getvalue().splitlines()[0].startswith("┏"), out.getvalue()


def test_describe_hint_leaves_its_source_out() -> None:
    job = {"CompilationJobName": "a", "CompilationJobStatus": "FAILED", "FailureReason": REASON}
    printer, out, _ = _printer()
    printer.data(job, lambda value: describe_view(value, HINT))
    assert "hint: TVM could not convert the model. Check model.inputs" in out.getvalue()
    assert "source" not in out.getvalue() and "github.com" not in out.getvalue()


def _wait(printer: Printer, end: type[BaseException] | None = None, column: str = "Job") -> None:
    state = job_state(NAMES)
    with WaitView(printer, f"waiting for {len(NAMES)} job(s)", column) as view:
        state.apply(dict.fromkeys(NAMES, "INPROGRESS"), 0.0)
        view.tick(state)
        state.apply(dict.fromkeys(NAMES, "FAILED"), 0.5)
        view.tick(state)
        if end is not None:
            raise end


@pytest.mark.parametrize(("stdout", "output"), [(Terminal(), "table"), (io.StringIO(), "table"), (Terminal(), "json")])
def test_the_live_table_gives_way_to_the_result(stdout: io.StringIO, output: str) -> None:
    # The result follows on stdout (on this screen or not), and a failure's error line
    # names the failed jobs: the live table's statuses would be said twice.
    err = Terminal()
    printer, _, _ = _printer(output, stdout=stdout, stderr=err)
    _wait(printer)
    assert screen(err.getvalue()) == ["waiting for 4 job(s): 4/4 finished, 4 failed, 0s"]


def test_after_a_timeout_too_the_result_follows_and_the_table_gives_way() -> None:
    err = Terminal()
    printer, _, _ = _printer(stdout=Terminal(), stderr=err)
    with pytest.raises(TimedOut):
        _wait(printer, TimedOut)
    assert len(screen(err.getvalue())) == 1


@pytest.mark.parametrize("end", [KeyboardInterrupt, OSError])
def test_the_live_table_stays_when_no_result_follows_it(end: type[BaseException]) -> None:
    # Ctrl-C, or an error the wait cannot ride out: the last statuses known stay on screen.
    err = Terminal()
    printer, _, _ = _printer(stdout=Terminal(), stderr=err)
    with pytest.raises(end):
        _wait(printer, end)
    shown = screen(err.getvalue())
    assert shown[0] == "waiting for 4 job(s): 4/4 finished, 4 failed, 0s"
    assert sum(name in line for line in shown for name in NAMES) == len(NAMES), shown


# -- item 11: the endpoint wait names the endpoint ------------------------------------------
def test_the_endpoint_wait_heads_its_column_endpoint() -> None:
    state = job_state(["resnet50-prod"])
    header = [line for line in _render(progress_table(state, "waiting", 1.0, "Endpoint")) if "┃" in line]
    assert "Endpoint" in header[0] and "Job" not in header[0]
    err = Terminal()
    printer, _, _ = _printer(stderr=err)
    with pytest.raises(KeyboardInterrupt):
        _wait(printer, KeyboardInterrupt, column="Endpoint")
    assert "Endpoint" in screen(err.getvalue())[2]


def test_the_endpoint_wait_shows_its_endpoint_under_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    from neoctl.api import endpoints as api
    from neoctl.endpoints.wait import wait_for_endpoint
    from neoctl.polling import Waiting

    monkeypatch.setattr(api, "describe_endpoint", lambda options, name: {"EndpointStatus": "InService"})
    err = Terminal()
    printer, _, _ = _printer(stderr=err)
    wait_for_endpoint(Any, "resnet50-prod", Waiting(poll=0.1), out=printer)
    drawn = re.sub(r"\x1b\[[0-9;]*m", "", err.getvalue())  # each drawing, styles off; the last collapsed
    assert "┃ Endpoint " in drawn and "┃ Job " not in drawn, drawn
    assert screen(drawn) == ["waiting for endpoint resnet50-prod: 1/1 finished, 0s"]


def _render(view: Any) -> list[str]:
    printer, out, _ = _printer()
    printer.data({}, lambda _: view)
    return out.getvalue().splitlines()


# -- item 14: say what is hidden, say when nothing matches ----------------------------------
def _job(name: str) -> dict[str, Any]:
    return {
        "CompilationJobName": name,
        "CompilationJobStatus": "COMPLETED",
        "CompilationTargetDevice": "jetson_xavier",
        "CreationTime": "2026-01-02T03:04:05+00:00",
    }


LONG = "yolo-edge-jetson-xavier-int8-batch16-nhwc-224x224-v20260102-a1b"


class _Pages(list[dict[str, Any]]):
    resume_token = None


def _listing(key: str, items: list[dict[str, Any]]) -> Listing:
    return Listing(key, _Pages([{key: items}]))


def test_list_says_on_stderr_once_which_columns_a_narrow_terminal_hides() -> None:
    printer, out, err = _printer()
    printer.listing(_listing("CompilationJobSummaries", [_job(LONG)]), list_view, jobs_chunk)
    assert LONG in out.getvalue() and "Created" not in out.getvalue()
    assert err.getvalue() == (
        "Target, Created and Duration hidden at 80 columns: -o json or a wider terminal shows them\n"
    )


def test_a_long_list_in_chunks_says_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printer_module, "TABLE_CHUNK", 2)
    printer, _, err = _printer()
    printer.listing(_listing("CompilationJobSummaries", [_job(LONG)] * 5), list_view, jobs_chunk, "job(s)")
    assert err.getvalue().count("hidden at 80 columns") == 1, err.getvalue()


def test_nothing_is_said_when_every_column_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    printer, _, err = _printer()
    printer.listing(_listing("CompilationJobSummaries", [_job(LONG)]), list_view, jobs_chunk)
    assert err.getvalue() == ""


@pytest.mark.parametrize(
    ("key", "view", "said"),
    [
        ("CompilationJobSummaries", list_view, "no compilation jobs match"),
        ("TrialSummaries", trials_view, "no trials match"),
    ],
)
def test_an_empty_list_prints_nothing_on_stdout_and_says_so_on_stderr(key: str, view: Any, said: str) -> None:
    printer, out, err = _printer()
    printer.listing(_listing(key, []), view, jobs_chunk if view is list_view else None)
    assert out.getvalue() == ""
    assert err.getvalue() == said + "\n"
    printer, out, err = _printer("json")
    printer.listing(_listing(key, []), view)
    assert out.getvalue() == f'{{\n  "{key}": []\n}}\n' and err.getvalue() == ""


def test_endpoint_describe_shows_what_the_preview_shows_for_missing_values() -> None:
    endpoint = {
        "EndpointName": "resnet50-prod",
        "EndpointStatus": "InService",
        "EndpointConfigName": "resnet50-config-v1",
        "ProductionVariants": [{"VariantName": "main", "CurrentInstanceCount": 3, "DesiredInstanceCount": 3}],
    }
    rows = [line for line in _render(endpoint_view(endpoint)) if line.startswith("│")]
    assert [cell.strip() for cell in rows[0].strip("│").split("│")] == ["main", "3", "3", "—", "—", "off"]
    capture = {"EnableCapture": True, "CurrentSamplingPercentage": 20, "DestinationS3Uri": "s3://cap/"}
    rows = [line for line in _render(endpoint_view(endpoint | {"DataCaptureConfig": capture})) if "main" in line]
    assert rows[0].rstrip("│ ").endswith("on 20%")
