"""Views of endpoints and endpoint updates."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from neoctl.output.columns import Col, FittedTable, WordWrap

ENDPOINT_STYLE = {
    "InService": "green",
    "Failed": "bold red",
    "Updating": "cyan",
    "Creating": "cyan",
    "RollingBack": "yellow",
    "SystemUpdating": "cyan",
    "Deleting": "yellow",
}


def endpoint_view(endpoint: dict[str, Any]) -> RenderableType:
    """`endpoint describe`: status and a variants table."""
    status = endpoint.get("EndpointStatus", "")
    head = WordWrap.joined(  # lines break between the parts only: the names stay whole
        Text(endpoint.get("EndpointName", ""), style="bold"),
        Text(status, style=ENDPOINT_STYLE.get(status, "")),
        Text.assemble("config ", Text(endpoint.get("EndpointConfigName", ""))),
    )
    parts: list[RenderableType] = [head]
    if endpoint.get("FailureReason"):
        parts.append(WordWrap(Text(f"FailureReason: {endpoint['FailureReason']}", style="red")))
    # The variant name always shows; counts and weights give way from the right.
    columns = [Col("Variant", identifier=True)] + [
        Col(header, gives_way=rank, overflow="fold")
        for rank, header in enumerate(
            ("Instances (current)", "Instances (desired)", "Weight (current)", "Weight (desired)", "Data capture"),
            start=1,
        )
    ]
    capture = endpoint.get("DataCaptureConfig", {})
    rows = [
        (
            Text(str(variant.get("VariantName", ""))),
            Text(str(variant.get("CurrentInstanceCount", ""))),
            Text(str(variant.get("DesiredInstanceCount", ""))),
            Text(str(variant.get("CurrentWeight", ""))),
            Text(str(variant.get("DesiredWeight", ""))),
            Text("on" if capture.get("EnableCapture") else "off" if capture else ""),
        )
        for variant in endpoint.get("ProductionVariants", [])
    ]
    parts.append(FittedTable(columns, rows, title="Production variants"))
    return Group(*parts)


def updated_view(result: dict[str, Any]) -> RenderableType:
    """What `endpoint update` sent."""
    return WordWrap(Text(f"update started: {result.get('EndpointArn', '')}"))


def preview_view(data: dict[str, Any]) -> RenderableType:
    """`endpoint update` preview: each variant property now, in the new config, and after.

    Nothing gives way (every column is the point of the preview); values wrap between words."""
    request = data["Request"]
    title = WordWrap.joined(
        *(
            Text(part, style="table.title")
            for part in ("UpdateEndpoint", request["EndpointName"], f"→ {request['EndpointConfigName']}")
        ),
        sep=" ",
    )
    columns = (
        [Col("Variant", identifier=True), Col("Property")]
        + [Col(header, overflow="fold") for header in ("Current", "New config", "After update")]
        + [Col("")]
    )
    rows = [
        (
            Text(row["Variant"]),
            Text(row["Property"]),
            Text(_show(row["Current"])),
            Text(_show(row["NewConfig"])),
            Text(_show(row["After"]), style="bold" if row["Changes"] else ""),
            Text("changes", style="bold yellow") if row["Changes"] else Text(""),
        )
        for row in data["Variants"]
    ]
    return FittedTable(columns, rows, title=title)


def _show(value: Any) -> str:
    return "—" if value is None else str(value)
