"""Views of compilation jobs: created, described, listed, stopped."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from neoctl.output.columns import Boxed, Col, FittedTable, KeyValues, WordWrap

STATUS_STYLE = {
    "COMPLETED": "green",
    "FAILED": "bold red",
    "STOPPED": "yellow",
    "STOPPING": "yellow",
    "INPROGRESS": "cyan",
    "STARTING": "cyan",
}


def status_text(status: str) -> Text:
    """A status in its colour (plain text when colour is off)."""
    return Text(status, style=STATUS_STYLE.get(status, ""))


RESULT_STYLE = {
    "created": "green",
    "existed": "cyan",
    "conflict": "bold red",
    "failed": "bold red",
    "stopped": "bold red",
    "refused": "bold red",
    "unknown": "yellow",
}


def created_summary(rows: list[dict[str, Any]]) -> str:
    """One line: how many jobs were created or existed."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["Result"]] = counts.get(row["Result"], 0) + 1
    return f"{len(rows)} compilation job(s): " + ", ".join(f"{n} {result}" for result, n in counts.items())


def created_view(rows: list[dict[str, Any]]) -> RenderableType:
    """What `create` did with each job: created, existed, conflict, failed, stopped, refused, unknown.

    The ARN gives way first (the name is in the table already); the reasons of a column
    that gave way are printed under the table."""
    cells = []
    reasons: list[RenderableType] = []
    for row in rows:
        name, result, error = row["CompilationJobName"], row["Result"], row.get("Error")
        # An ARN is copied whole; a reason is prose and may wrap.
        detail = Text(error) if error else Text(row.get("CompilationJobArn", ""), no_wrap=True)
        cells.append((Text(name), Text(result, style=RESULT_STYLE.get(result, "")), detail))
        if error:
            reasons.append(WordWrap(Text(f"{name} {result}: {error}")))
    columns = (
        Col("Name", identifier=True),
        Col("Result"),
        Col("ARN / reason", gives_way=1, min_width=20, overflow="fold"),
    )
    return FittedTable(columns, cells, title=created_summary(rows), notes={"ARN / reason": reasons})


def target_of(job: dict[str, Any]) -> str:
    """The target device, or OS/arch/accelerator of a platform target."""
    if "CompilationTargetDevice" in job:
        return str(job["CompilationTargetDevice"])
    out = job.get("OutputConfig", {})
    if out.get("TargetDevice"):
        return str(out["TargetDevice"])
    platform = out.get("TargetPlatform") or {
        k: job[f"CompilationTargetPlatform{k}"]
        for k in ("Os", "Arch", "Accelerator")
        if f"CompilationTargetPlatform{k}" in job
    }
    return "/".join(str(v) for v in platform.values())


def _time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _short_time(value: Any) -> str:
    moment = _time(value)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def duration(job: dict[str, Any]) -> str:
    """How long a job ran (start to end), or has run so far."""
    start = _time(job.get("CompilationStartTime")) or _time(job.get("CreationTime"))
    end = _time(job.get("CompilationEndTime"))
    if start is None:
        return ""
    if end is None:
        if job.get("CompilationJobStatus") not in ("STARTING", "INPROGRESS", "STOPPING"):
            return ""
        end = dt.datetime.now(dt.UTC)
    return human_seconds((end - start).total_seconds())


def human_seconds(seconds: float) -> str:
    """3725 → 1h02m05s."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def list_view(result: dict[str, Any]) -> RenderableType:
    """`neoctl list` as one table (a long list is streamed in chunks, see jobs_chunk); no
    table at all when no job matches (the printer says so on stderr)."""
    jobs = result.get("CompilationJobSummaries", [])
    return _jobs_table(jobs, f"{len(jobs)} compilation job(s)", chunked=False)


# A chunk of a long list is one table among several: its widths depend on the terminal
# width only, never on its rows, so that the chunks line up. Names are at most 63
# characters (the API's limit), statuses 10 (INPROGRESS); device names are at most 14
# (longer OS/arch/accelerator platforms are cut with "…" here, whole in -o json).
_CHUNK_WIDTHS = {"Name": 63, "Status": 10, "Target": 18, "Created (UTC)": 19, "Duration": 9}


def jobs_chunk(jobs: list[dict[str, Any]], first: bool) -> RenderableType:
    """One chunk of a long `neoctl list`: fixed widths so the chunks line up. Only the first
    names the columns a narrow terminal hides (the same in every chunk): said once."""
    return _jobs_table(jobs, "compilation jobs" if first else None, chunked=True, header=first)


def _jobs_table(jobs: list[dict[str, Any]], title: str | None, chunked: bool, header: bool = True) -> FittedTable:
    # Names are never cut or folded: they are pasted into `describe`. Name and Status
    # always show; when the terminal is too narrow, Duration goes first, then Created,
    # then Target.
    columns = [
        Col("Name", identifier=True),
        Col("Status"),
        Col("Target", gives_way=1),
        Col("Created (UTC)", gives_way=2),
        Col("Duration", gives_way=3),
    ]
    if chunked:
        columns = [replace(c, width=_CHUNK_WIDTHS[c.header]) for c in columns]
    rows = [
        (
            Text(job.get("CompilationJobName", "")),
            status_text(job.get("CompilationJobStatus", "")),
            Text(target_of(job)),
            Text(_short_time(job.get("CreationTime"))),
            Text(duration(job)),
        )
        for job in jobs
    ]
    return FittedTable(
        columns, rows, title=title, empty="no compilation jobs match", tell_hidden=header, show_header=header
    )


def hint_text(hint: dict[str, str], label: str = "hint") -> Text:
    """What a failure likely means and what to change (neoctl.jobs.hints). Its source is for
    maintainers: it stays in neoctl/facts/failure_hints.json (and in -o json), not here."""
    text = Text(f"{label}: ", style="bold")
    text.append(f"{hint['Meaning']} {hint['Action']}")
    return text


def describe_view(job: dict[str, Any], hint: dict[str, str] | None = None) -> RenderableType:
    """`neoctl describe` for people: status first, the failure reason impossible to miss,
    and under it `hint` (what it likely means, what to change; see neoctl.jobs.hints)."""
    status = job.get("CompilationJobStatus", "")
    head = Text.assemble(Text(job.get("CompilationJobName", ""), style="bold"), "  ", status_text(status))
    parts: list[RenderableType] = [WordWrap(head)]
    if job.get("FailureReason"):
        parts.append(Boxed(Text(str(job["FailureReason"])), title="FailureReason", border_style="red"))
    if hint:
        parts.append(WordWrap(hint_text(hint)))
    inp = job.get("InputConfig", {})
    out = job.get("OutputConfig", {})
    rows = [
        ("Target", target_of(job)),
        ("Framework", " ".join(str(v) for v in (inp.get("Framework"), inp.get("FrameworkVersion")) if v)),
        ("Inputs", _inputs(inp.get("DataInputConfig"))),
        ("Model", inp.get("S3Uri") or job.get("ModelPackageVersionArn", "")),
        ("Output", out.get("S3OutputLocation", "")),
        ("CompilerOptions", out.get("CompilerOptions", "")),
        ("Created", _short_time(job.get("CreationTime"))),
        ("Started", _short_time(job.get("CompilationStartTime"))),
        ("Ended", _short_time(job.get("CompilationEndTime"))),
        ("Duration", duration(job)),
        ("Billable", _billable(job)),
        ("Artifacts", job.get("ModelArtifacts", {}).get("S3ModelArtifacts", "")),
        ("Role", job.get("RoleArn", "")),
        ("ARN", job.get("CompilationJobArn", "")),
    ]
    # Names, ARNs and S3 URIs stay whole on their line; prose (inputs, options) wraps.
    parts.append(
        KeyValues(
            ((field, Text(str(value)), field in _WHOLE_FIELDS) for field, value in rows if value),
        )
    )
    return Group(*parts)


_WHOLE_FIELDS = {"Target", "Model", "Output", "Artifacts", "Role", "ARN", "Created", "Started", "Ended"}


def _billable(job: dict[str, Any]) -> str:
    # DescribeCompilationJob has no billable field; the compile time is what is billed.
    start, end = _time(job.get("CompilationStartTime")), _time(job.get("CompilationEndTime"))
    return human_seconds((end - start).total_seconds()) if start and end else ""


def _inputs(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return text


def stopped_view(rows: list[dict[str, Any]]) -> RenderableType:
    """What `stop` did for each job. Name and status always show; when the result does
    not fit beside them, the results are listed under the table. No title: stdout holds
    the table alone, its first line the table's own."""
    columns = (Col("Name", identifier=True), Col("Status"), Col("Result", gives_way=1, overflow="fold"))
    cells = []
    notes: list[RenderableType] = []
    for row in rows:
        name = row["CompilationJobName"]
        result = "stop requested" if row["Stopped"] else row.get("Error") or row.get("Message", "")
        cells.append((Text(name), status_text(row["CompilationJobStatus"]), Text(result)))
        notes.append(WordWrap(Text(f"{name}: {result}")))
    return FittedTable(columns, cells, notes={"Result": notes})


def log_line(event: dict[str, Any]) -> str:
    """A log event as `2026-11-29T03:40:37.12Z message`, control characters neutralised."""
    from neoctl.output.printer import printable

    stamp = event.get("timestamp")
    when = (
        dt.datetime.fromtimestamp(stamp / 1000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"
        if isinstance(stamp, int)
        else ""
    )
    return f"{when} {printable(str(event.get('message', '')).rstrip())}"


def log_record(event: dict[str, Any]) -> dict[str, Any]:
    """A log event for -o json/yaml: {timestamp (ISO 8601, UTC, milliseconds), stream,
    message (as logged, without its line end)}. Control characters are escaped by the
    printer's JSON and YAML writers, not here: the data stays what CloudWatch holds."""
    stamp = event.get("timestamp")
    when = (
        dt.datetime.fromtimestamp(stamp / 1000, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        if isinstance(stamp, int)
        else None
    )
    message = str(event.get("message", "")).rstrip("\r\n")
    return {"timestamp": when, "stream": event.get("logStreamName"), "message": message}


def log_document(event: dict[str, Any], output: str) -> str:
    """A followed log event as a document of its own: a line of JSON Lines (-o json), or a
    YAML document starting `---` (-o yaml)."""
    from neoctl.output.printer import dumps, yaml_dump

    record = log_record(event)
    return dumps(record, indent=None) if output == "json" else "---\n" + yaml_dump(record).rstrip("\n")
