"""Tables for spec commands: validate summaries, dry-run requests, the device catalog."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from neoctl.spec.datainput import cli_form


def job_summary(job: dict[str, Any]) -> str:
    """`ok  name  PYTORCH 2.0 → ml_c5  (file:line)` for `validate`."""
    return (
        f"ok  {job['CompilationJobName']}  {job['Model']} → {job['Target']}  "
        f"({job['File']}{':' + str(job['Line']) if job['Line'] else ''})"
    )


def summaries_table(rows: list[dict[str, Any]]) -> RenderableType:
    """The validate result as a table."""
    table = Table(title=f"{len(rows)} job(s) valid — nothing sent", title_justify="left")
    for col in ("CompilationJobName", "Model", "Target", "File"):
        table.add_column(col if col != "CompilationJobName" else "Name")
    for row in rows:
        where = f"{row['File']}:{row['Line']}" if row["Line"] else row["File"]
        table.add_row(Text(row["CompilationJobName"]), Text(row["Model"]), Text(row["Target"]), Text(where))
    return table


def requests_view(requests: Any) -> RenderableType:
    """Each dry-run request as a table, DataInputConfig in console and CLI forms."""
    items = requests if isinstance(requests, list) else [requests]
    parts: list[RenderableType] = []
    for req in items:
        table = Table(
            title=Text(f"CreateCompilationJob {req.get('CompilationJobName', '')}"),
            title_justify="left",
            show_header=False,
        )
        table.add_column("field", style="bold")
        table.add_column("value", overflow="fold")
        for path, value in _flatten(req):
            table.add_row(Text(path), Text(value))
        text = req.get("InputConfig", {}).get("DataInputConfig")
        if isinstance(text, str):
            table.add_row(Text("DataInputConfig (console)"), Text(text))
            table.add_row(Text("DataInputConfig (CLI)"), Text(cli_form(text)))
        parts.append(table)
    return Group(*parts)


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "DataInputConfig":
                continue  # shown in both forms below
            rows += _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        rows.append((prefix, json.dumps(value, ensure_ascii=False)))
    elif isinstance(value, list):
        rows.append((prefix, ", ".join(str(v) for v in value)))
    else:
        rows.append((prefix, str(value)))
    return rows


def catalog_view(data: dict[str, Any]) -> RenderableType:
    """`neoctl devices` for people."""
    table = Table(title=f"From the botocore {data['BotocoreVersion']} SageMaker model", title_justify="left")
    table.add_column("field", style="bold")
    table.add_column("values", overflow="fold")
    table.add_row("TargetDevice", ", ".join(data["TargetDevices"]))
    table.add_row("Framework", ", ".join(data["Frameworks"]))
    for key, values in data["TargetPlatform"].items():
        table.add_row(f"TargetPlatform.{key}", ", ".join(values))
    return table
