"""Views of a failed endpoint (neoctl.endpoints.failure): its FailureReason, its containers'
last log lines, and the hint — what it likely means and what to do, last, nearest the
prompt. The hint's source stays in neoctl/facts/endpoint_failures.json (and in -o json)."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.text import Text

from neoctl.output.columns import Boxed, Parts, WordWrap
from neoctl.output.jobs import hint_text


def _log_lines(diagnosis: dict[str, Any]) -> list[RenderableType]:
    lines = diagnosis.get("LastLogLines") or []
    if not lines:
        return [Text(f"no container log lines found for {diagnosis.get('EndpointName', '')}", style="dim")]
    # Whole, as logged: a terminal wraps a long line, a pipe keeps it for grep.
    head = Text(f"last log lines of {diagnosis.get('EndpointName', '')} (stream, message):", style="bold")
    return [head, *(Text("  " + line, no_wrap=True, overflow="ignore") for line in lines)]


def diagnosis_parts(diagnosis: dict[str, Any]) -> list[RenderableType]:
    """The last log lines and the hint (for under a view that already shows the FailureReason)."""
    parts = _log_lines(diagnosis)
    if diagnosis.get("Hint"):
        parts.append(WordWrap(hint_text(diagnosis["Hint"])))
    return parts


def failure_view(diagnosis: dict[str, Any]) -> RenderableType:
    """How an endpoint's creation or update failed (after a wait): status and config, the
    FailureReason boxed, the last log lines, the hint."""
    head = WordWrap.joined(
        Text(str(diagnosis.get("EndpointName", "")), style="bold"),
        Text(str(diagnosis.get("EndpointStatus", "")), style="bold red"),
        Text.assemble("config ", Text(str(diagnosis.get("EndpointConfigName", "")))),
    )
    parts: list[RenderableType] = [head]
    if diagnosis.get("FailureReason"):
        parts.append(Boxed(Text(str(diagnosis["FailureReason"])), title="FailureReason", border_style="red"))
    return Parts(*parts, *diagnosis_parts(diagnosis))


def described_view(endpoint: dict[str, Any], diagnosis: dict[str, Any] | None = None) -> RenderableType:
    """`endpoint describe`: the endpoint as endpoint_view shows it, then for a failed one
    its last log lines and the hint."""
    from neoctl.output.endpoints import endpoint_view

    view = endpoint_view(endpoint)
    if not diagnosis:
        return view
    return Parts(view, *diagnosis_parts(diagnosis))
