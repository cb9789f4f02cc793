"""Views of endpoints and endpoint updates."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

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
    head = Text.assemble(
        Text(endpoint.get("EndpointName", ""), style="bold"),
        "  ",
        Text(status, style=ENDPOINT_STYLE.get(status, "")),
        "  config ",
        Text(endpoint.get("EndpointConfigName", "")),
    )
    parts: list[RenderableType] = [head]
    if endpoint.get("FailureReason"):
        parts.append(Text(f"FailureReason: {endpoint['FailureReason']}", style="red"))
    table = Table(title="Production variants", title_justify="left")
    for col in (
        "Variant",
        "Instances (current)",
        "Instances (desired)",
        "Weight (current)",
        "Weight (desired)",
        "Data capture",
    ):
        table.add_column(col)
    for variant in endpoint.get("ProductionVariants", []):
        capture = endpoint.get("DataCaptureConfig", {})
        table.add_row(
            Text(str(variant.get("VariantName", ""))),
            Text(str(variant.get("CurrentInstanceCount", ""))),
            Text(str(variant.get("DesiredInstanceCount", ""))),
            Text(str(variant.get("CurrentWeight", ""))),
            Text(str(variant.get("DesiredWeight", ""))),
            Text("on" if capture.get("EnableCapture") else "off" if capture else ""),
        )
    parts.append(table)
    return Group(*parts)


def updated_view(result: dict[str, Any]) -> RenderableType:
    """What `endpoint update` sent."""
    return Text(f"update started: {result.get('EndpointArn', '')}")


def preview_view(data: dict[str, Any]) -> RenderableType:
    """`endpoint update` preview: each variant property now, in the new config, and after."""
    table = Table(
        title=f"UpdateEndpoint {data['Request']['EndpointName']} → {data['Request']['EndpointConfigName']}",
        title_justify="left",
    )
    for col in ("Variant", "Property", "Current", "New config", "After update", ""):
        table.add_column(col, overflow="fold")
    for row in data["Variants"]:
        mark = Text("changes", style="bold yellow") if row["Changes"] else Text("")
        table.add_row(
            Text(row["Variant"]),
            Text(row["Property"]),
            Text(_show(row["Current"])),
            Text(_show(row["NewConfig"])),
            Text(_show(row["After"]), style="bold" if row["Changes"] else ""),
            mark,
        )
    return table


def _show(value: Any) -> str:
    return "—" if value is None else str(value)
