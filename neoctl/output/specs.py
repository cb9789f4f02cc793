"""Tables for spec commands: validate summaries, dry-run requests, the device catalog."""

from __future__ import annotations

import json
import re
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from neoctl.output.columns import Col, FittedTable, KeyValues, Parts, WordWrap
from neoctl.output.printer import printable
from neoctl.spec.datainput import cli_form


def job_summary(job: dict[str, Any]) -> str:
    """`ok  name  PYTORCH 2.0 → ml_c5  (file:line)` for `validate`.

    Control characters neutralised: a file name is anyone's text (an OSC or CSI escape in
    a name must not reach the terminal)."""
    return printable(
        f"ok  {job['CompilationJobName']}  {job['Model']} → {job['Target']}  "
        f"({job['File']}{':' + str(job['Line']) if job['Line'] else ''})"
    )


def summaries_table(rows: list[dict[str, Any]]) -> RenderableType:
    """The validate result as a table: name and target always; File, then Model give way.
    A name too long to fit beside its target at 80 columns folds after a "-" in its cell."""
    columns = (
        Col("Name", identifier=True, breaks=True),
        Col("Model", gives_way=1),
        Col("Target"),
        Col("File", gives_way=2, identifier=True),  # a path people open
    )
    cells = []
    for row in rows:
        where = f"{row['File']}:{row['Line']}" if row["Line"] else row["File"]
        model = Text(row["Model"], no_wrap=str(row["Model"]).startswith("arn:"))
        cells.append((Text(row["CompilationJobName"]), model, Text(row["Target"]), Text(where)))
    return FittedTable(columns, cells, title=f"{len(rows)} job(s) valid — nothing sent")


# Request fields shown whole on one line: names, ARNs, S3 URIs, keys, and both forms of
# DataInputConfig (they are copied into the console or a command line).
_WHOLE = re.compile(r"(Name|Arn|Uri|S3OutputLocation|KmsKeyId|DataInputConfig \(\w+\))$")


def requests_view(requests: Any) -> RenderableType:
    """Each dry-run request as field/value lines, DataInputConfig in console and CLI forms."""
    items = requests if isinstance(requests, list) else [requests]
    parts: list[RenderableType] = []
    for req in items:
        title = Text(f"CreateCompilationJob {req.get('CompilationJobName', '')}", style="table.title")
        rows = _flatten(req)
        text = req.get("InputConfig", {}).get("DataInputConfig")
        if isinstance(text, str):
            rows += [("DataInputConfig (console)", text), ("DataInputConfig (CLI)", cli_form(text))]
        parts.append(WordWrap(title))
        parts.append(KeyValues((path, Text(value), bool(_WHOLE.search(path))) for path, value in rows))
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
    """`neoctl devices` for people: the model's values, then the framework versions Neo
    documents per TargetDevice (when -o json or --query left the Devices field in)."""
    table = Table(title=f"From the botocore {data['BotocoreVersion']} SageMaker model", title_justify="left")
    table.add_column("field", style="bold")
    table.add_column("values", overflow="fold")
    table.add_row("TargetDevice", ", ".join(data["TargetDevices"]))
    table.add_row("Framework", ", ".join(data["Frameworks"]))
    for key, values in data["TargetPlatform"].items():
        table.add_row(f"TargetPlatform.{key}", ", ".join(values))
    if not data.get("Devices"):
        return table
    return Parts(table, versions_view(data))


def versions_view(data: dict[str, Any]) -> RenderableType:
    """One row per support family: its TargetDevices, and a line per framework with the
    versions documented for them (runs of three or more minors as 1.4–1.8); a family
    without any says why (the Note of its devices)."""
    from neoctl.facts import neo_support
    from neoctl.spec.support import compress

    facts = neo_support()
    names: dict[str, str] = facts.get("display_names", {})
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for device in data["Devices"]:
        groups.setdefault(device["Family"], []).append(device)
    order: list[str | None] = [*facts["families"], None]
    cells = []
    for family in sorted(groups, key=lambda f: order.index(f) if f in order else len(order)):
        devices = groups[family]
        versions: dict[str, list[str]] = devices[0]["FrameworkVersions"]
        lines = [f"{names.get(fw, fw)} {compress(listed)}" for fw, listed in versions.items()]
        text = "\n".join(lines) if lines else str(devices[0]["Note"])
        cells.append((Text(", ".join(d["TargetDevice"] for d in devices)), Text(text)))
    # The versions keep a line each where they can: the device lists wrap first.
    widest = max((len(line) for _, cell in cells for line in cell.plain.splitlines()), default=0)
    columns = (
        Col("TargetDevice", overflow="fold", min_width=16),
        Col("Framework versions Neo documents", overflow="fold", min_width=min(widest, 40)),
    )
    retrieved = data.get("SupportFacts", {}).get("Retrieved", "?")
    title = (
        f"Framework versions by TargetDevice (neoctl's support facts, read {retrieved}; "
        "validate warns about a version outside them)"
    )
    return FittedTable(columns, cells, title=title, show_lines=True)
