"""Views of experiment trials."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text


def _short(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    return ""


def trials_view(result: dict[str, Any]) -> RenderableType:
    """`neoctl trials` as a table."""
    trials = result.get("TrialSummaries", [])
    table = Table(title=f"{len(trials)} trial(s)", title_justify="left")
    table.add_column("Name", overflow="fold", min_width=16)
    table.add_column("Display name", overflow="fold")
    table.add_column("Source", overflow="fold")
    table.add_column("Created (UTC)", overflow="ellipsis", max_width=19)
    table.add_column("Modified (UTC)", overflow="ellipsis", max_width=19)
    for trial in trials:
        source = trial.get("TrialSource", {})
        table.add_row(
            Text(trial.get("TrialName", "")),
            Text(trial.get("DisplayName", "")),
            Text(str(source.get("SourceType", "") or source.get("SourceArn", ""))),
            Text(_short(trial.get("CreationTime"))),
            Text(_short(trial.get("LastModifiedTime"))),
        )
    parts: list[RenderableType] = [table]
    return Group(*parts)
