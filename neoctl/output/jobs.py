"""Views of compilation jobs: created, described, listed, stopped."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

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
    """What `create` did with each job: created, existed, conflict, refused, unknown."""
    table = Table(title=created_summary(rows), title_justify="left")
    table.add_column("Name", overflow="fold", min_width=16)
    table.add_column("Result", no_wrap=True)
    table.add_column("ARN / reason", overflow="fold")
    for row in rows:
        table.add_row(
            Text(row["CompilationJobName"]),
            Text(row["Result"], style=RESULT_STYLE.get(row["Result"], "")),
            Text(row.get("Error") or row.get("CompilationJobArn", "")),
        )
    return table


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
    """`neoctl list` as one table (a long list is streamed in chunks, see jobs_chunk)."""
    jobs = result.get("CompilationJobSummaries", [])
    return _jobs_table(jobs, f"{len(jobs)} compilation job(s)", None)


def jobs_chunk(jobs: list[dict[str, Any]], first: bool) -> RenderableType:
    """One chunk of a long `neoctl list`: fixed widths so the chunks line up."""
    widths = (max(16, min(63, max(len(j.get("CompilationJobName", "")) for j in jobs))), 12)
    return _jobs_table(jobs, "compilation jobs" if first else None, widths)


def _jobs_table(jobs: list[dict[str, Any]], title: str | None, widths: tuple[int, int] | None) -> Table:
    table = Table(title=title, title_justify="left", show_header=title is not None or widths is None)
    # Names fold rather than being cut: a truncated name cannot be pasted into `describe`.
    table.add_column("Name", overflow="fold", min_width=16, width=widths[0] if widths else None)
    table.add_column("Status", overflow="ellipsis", max_width=10, width=10 if widths else None)
    table.add_column("Target", overflow="fold", width=widths[1] if widths else None)
    table.add_column("Created (UTC)", overflow="ellipsis", max_width=19, width=19 if widths else None)
    table.add_column("Duration", overflow="ellipsis", width=9 if widths else None)
    for job in jobs:
        table.add_row(
            Text(job.get("CompilationJobName", "")),
            status_text(job.get("CompilationJobStatus", "")),
            Text(target_of(job)),
            Text(_short_time(job.get("CreationTime"))),
            Text(duration(job)),
        )
    return table


def describe_view(job: dict[str, Any]) -> RenderableType:
    """`neoctl describe` for people: status first, the failure reason impossible to miss."""
    status = job.get("CompilationJobStatus", "")
    head = Text.assemble(Text(job.get("CompilationJobName", ""), style="bold"), "  ", status_text(status))
    parts: list[RenderableType] = [head]
    if job.get("FailureReason"):
        parts.append(Panel(Text(str(job["FailureReason"])), title="FailureReason", border_style="red"))
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
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
    for field, value in rows:
        if value:
            table.add_row(Text(field), Text(str(value)))
    parts.append(table)
    return Group(*parts)


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
    """What `stop` did for each job."""
    table = Table(title="stop", title_justify="left")
    for col in ("Name", "Status", "Result"):
        table.add_column(col)
    for row in rows:
        result = "stop requested" if row["Stopped"] else row.get("Error") or row.get("Message", "")
        table.add_row(Text(row["CompilationJobName"]), status_text(row["CompilationJobStatus"]), Text(result))
    return table


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
