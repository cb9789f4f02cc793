"""Views of experiment trials."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from neoctl.output.columns import Col, FittedTable


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
    """`neoctl trials` as a table: the name always whole; when the terminal is too narrow,
    Source goes first (an ARN, long, and mostly the name again), then Modified, then
    Created; the display name shrinks (cut with "…"), then goes. No table when no trial
    matches (the printer says so on stderr)."""
    trials = result.get("TrialSummaries", [])
    columns = (
        Col("Name", identifier=True),
        Col("Display name", gives_way=1, min_width=12),
        Col("Source", gives_way=4, identifier=True),  # a type or an ARN
        Col("Created (UTC)", gives_way=2),
        Col("Modified (UTC)", gives_way=3),
    )
    rows = []
    for trial in trials:
        source = trial.get("TrialSource", {})
        rows.append(
            (
                Text(trial.get("TrialName", "")),
                Text(trial.get("DisplayName", "")),
                Text(str(source.get("SourceType", "") or source.get("SourceArn", ""))),
                Text(_short(trial.get("CreationTime"))),
                Text(_short(trial.get("LastModifiedTime"))),
            )
        )
    return FittedTable(columns, rows, title=f"{len(trials)} trial(s)", empty="no trials match")
