"""Views of endpoints and endpoint updates."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.text import Text

from neoctl.output.columns import Col, FittedTable, KeyValues, Parts, WordWrap
from neoctl.spec.durations import spoken

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
    """`endpoint describe`: status and a variants table. A value the endpoint does not
    report shows as the update preview shows it: "—", and data capture "off"."""
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
    capture = _capture(endpoint.get("DataCaptureConfig"))
    rows = [
        (
            Text(str(variant.get("VariantName", ""))),
            Text(_show(variant.get("CurrentInstanceCount"))),
            Text(_show(variant.get("DesiredInstanceCount"))),
            Text(_show(variant.get("CurrentWeight"))),
            Text(_show(variant.get("DesiredWeight"))),
            Text(capture),
        )
        for variant in endpoint.get("ProductionVariants", [])
    ]
    parts.append(FittedTable(columns, rows, title="Production variants"))
    return Parts(*parts)


def _capture(summary: dict[str, Any] | None) -> str:
    # As the update preview says it (neoctl.endpoints.update): no DataCaptureConfig, or one
    # with EnableCapture false, is "off"; the destination is the preview's to show.
    if not summary or not summary.get("EnableCapture", True):
        return "off"
    percent = summary.get("CurrentSamplingPercentage")
    return f"on {percent}%" if percent is not None else "on"


def updated_view(result: dict[str, Any]) -> RenderableType:
    """What `endpoint update` sent."""
    return WordWrap(Text(f"update started: {result.get('EndpointArn', '')}"))


def preview_view(data: dict[str, Any]) -> RenderableType:
    """`endpoint update` preview: each variant property now, in the new config, and after,
    and whether the update changes it (Effect).

    Nothing gives way (every column is the point of the preview); values wrap between words.
    When the table is still too wide, a capture URI moves under the table as "[1] s3://…"
    (whole, to copy), and a long variant name folds after a "-" in its cell."""
    request = data["Request"]
    title = WordWrap.joined(
        *(
            Text(part, style="table.title")
            for part in ("UpdateEndpoint", request["EndpointName"], f"→ {request['EndpointConfigName']}")
        ),
        sep=" ",
    )
    columns = (
        [Col("Variant", identifier=True, breaks=True), Col("Property")]
        + [Col(header, overflow="fold", breaks=True, refs=True) for header in ("Current", "New config", "After update")]
        + [Col("Effect")]
    )
    rows = [
        (
            Text(row["Variant"]),
            Text(row["Property"]),
            Text(_show(row["Current"])),
            Text(_show(row["NewConfig"])),
            Text(_show(row["After"]), style="bold" if row["Changes"] else ""),
            _effect(row["Changes"]),
        )
        for row in data["Variants"]
    ]
    table = FittedTable(columns, rows, title=title)
    return Parts(table, traffic_view(data["Traffic"])) if data.get("Traffic") else table


def _effect(changes: bool | None) -> Text:
    if changes is None:  # what is there now is unknown (its config was deleted)
        return Text("unknown", style="yellow")
    return Text("changes", style="bold yellow") if changes else Text("none", style="dim")


def traffic_view(traffic: dict[str, Any]) -> RenderableType:
    """A traffic policy's plan (neoctl.endpoints.guardrails.plan_traffic): the one-line
    summary, then the steps with the time each wait takes; step texts wrap between words
    (80 columns), the times stay whole."""
    lines: list[tuple[str, Text, bool]] = [("Traffic", Text(traffic["Summary"]), False)]
    if traffic.get("Retained"):
        lines.append(("From", Text("the endpoint's LastDeploymentConfig (--retain-deployment-config)"), False))
    if traffic.get("Ignored"):
        lines.append(("Note", Text(f"{traffic['Ignored']}: SageMaker updates all at once", style="yellow"), False))
    alarms = traffic.get("Alarms") or {}
    if alarms:
        shown = Text()
        for index, (name, state) in enumerate(alarms.items()):
            shown.append(", " if index else "")
            shown.append(name)
            if state:
                shown.append(f" ({state})", style="bold red" if state == "ALARM" else "dim")
        lines.append(("Alarms", shown, False))
    columns = [
        Col("#", justify="right", identifier=True),
        Col("Step", overflow="fold", min_width=20),
        Col("Takes", justify="right", identifier=True),
    ]
    rows = [
        (Text(str(n)), Text(step["Step"]), Text(spoken(step["Seconds"]) if step["Seconds"] else ""))
        for n, step in enumerate(traffic["Steps"], start=1)
    ]
    return Parts(KeyValues(lines), FittedTable(columns, rows, title="Traffic policy: the steps"))


def _show(value: Any) -> str:
    return "—" if value is None else str(value)


def _made(exists: bool) -> str:
    return "exists, reused" if exists else "to create"


def deploy_plan_view(plan: dict[str, Any]) -> RenderableType:
    """`deploy --dry-run` (and the preview before asking): the image and where it came from,
    the model, the config and what differs from the current one, then the call."""
    config = plan["EndpointConfig"]
    call = plan["Call"]
    facts = [
        ("Job", Text(f"{plan['Job']} ({plan['Target']})"), True),
        ("Image", Text(plan["Image"]["Uri"]), True),
        ("Image from", Text(plan["Image"]["Source"]), False),
        ("Model", Text(f"{plan['Model']['Name']} ({_made(plan['Model']['Exists'])})"), True),
        *_code_facts(plan.get("Code")),
        ("Endpoint config", Text(f"{config['Name']} ({_made(config['Exists'])})"), True),
        ("Replaces", Text(config["Previous"] or "— (new endpoint)"), True),
        ("Call", Text(f"{call['Operation']} {_call_args(call['Request'])}"), False),
    ]
    if plan["AlreadyServing"]:
        facts.append(("Status", Text(f"endpoint {plan['Endpoint']} already serves this model: nothing to do"), False))
    parts: list[RenderableType] = [KeyValues(facts)]
    # The user confirms on this screen: at 80 columns, model names fold after a "-" in
    # their cells rather than the whole table wrapping line by line.
    columns = [
        Col("Variant", identifier=True, breaks=True),
        Col("Field"),
        Col("Current", overflow="fold", breaks=True),
        Col("New", overflow="fold", breaks=True),
    ]
    rows = [
        (Text(row["Where"]), Text(row["Field"]), Text(_show(row["Current"])), Text(_show(row["New"]), style="bold"))
        for row in config["Diff"]
    ]
    parts.append(FittedTable(columns, rows, title="Endpoint config: changes from the current one"))
    if plan.get("Variants"):
        parts.append(preview_view({"Request": call["Request"], "Variants": plan["Variants"]}))
    if plan.get("Traffic"):
        parts.append(traffic_view(plan["Traffic"]))
    return Parts(*parts)


def _code_facts(code: dict[str, Any] | None) -> list[tuple[str, Text, bool]]:
    """--code's lines of the plan: the folder and its entry point, then the archive served."""
    if not code:
        return []
    from neoctl.output.transfer import human_size

    files = len(code["Files"])
    size = human_size(int(code.get("Size") or 0))
    where = "exists: reused" if code["Exists"] else "to make: the compiled model with this code/ (replacing any)"
    held = f"{files} file{'s' * (files != 1)}, {size}; runs {code['EntryPoint']}"
    lines = [
        ("Code", Text(f"{code['Dir']} → code/ ({held})"), False),
        ("Served archive", Text(code["Uri"]), True),
        ("Repack", Text(where), False),
    ]
    encryption = code.get("Encryption") or {}
    if encryption:
        how = f"{encryption.get('ServerSideEncryption')}, as the compiled model"
        lines.append(("Encryption", Text(how), False))
        if encryption.get("SSEKMSKeyId"):  # an ARN: whole on a line of its own, to copy
            lines.append(("KMS key", Text(encryption["SSEKMSKeyId"]), True))
    return lines


def _call_args(request: dict[str, Any]) -> str:
    # A DeploymentConfig is shown as its steps, below the call.
    shown = {k: "(the traffic policy below)" if k == "DeploymentConfig" else v for k, v in request.items()}
    return " ".join(f"{key}={value}" for key, value in shown.items())


def deployed_view(result: dict[str, Any]) -> RenderableType:
    """What `deploy` did: created or reused, and the call sent."""
    action = result["Action"]
    lines = [
        (
            "Endpoint",
            Text(result["Endpoint"] + (f" ({result['EndpointStatus']})" if "EndpointStatus" in result else "")),
            True,
        ),
        ("Model", Text(f"{result['ModelName']} ({'created' if result['ModelCreated'] else 'reused'})"), True),
        (
            "Endpoint config",
            Text(f"{result['EndpointConfigName']} ({'created' if result['EndpointConfigCreated'] else 'reused'})"),
            True,
        ),
        ("Image", Text(result["Image"]), True),
        *_repacked_line(result),
        ("Sent", Text(action if action != "none" else "nothing: the endpoint already serves this model"), False),
    ]
    if result.get("RolledBack"):  # --rollback-on-smoke-failure undid it: the endpoint serves the old config
        lines.append(("Rolled back", Text(f"to config {result.get('RolledBackTo')} (the smoke test failed)"), False))
    elif result.get("PreviousEndpointConfig"):
        lines.append(("Undo", Text(f"neoctl endpoint rollback {result['Endpoint']}"), True))
    return KeyValues(lines)


def _repacked_line(result: dict[str, Any]) -> list[tuple[str, Text, bool]]:
    if "ModelDataUrl" not in result:
        return []
    done = result.get("Repacked")
    how = "reused (made by an earlier run)"
    if done:
        replaced = done["ReplacedCodeFiles"]
        how = f"done: {done['AddedCodeFiles']} code file(s) added"
        how += f"; the compiled model's code/ ({replaced} file(s)) replaced" if replaced else ""
    return [("Served archive", Text(result["ModelDataUrl"]), True), ("Repack", Text(how), False)]


def history_view(data: dict[str, Any]) -> RenderableType:
    """`endpoint history`: the configs rolled back from (marked "↩", to roll forward to),
    then the recorded chain, newest first: the current config marked "*", its creation time,
    the job deploy recorded on it and its models."""
    columns = [
        Col("*", identifier=True),  # "*" the current config, "↩" one rolled back from
        Col("Config", identifier=True, breaks=True),
        Col("Created (UTC)", overflow="fold"),  # wraps between date and time at 80 columns
        Col("Job", identifier=True, breaks=True),
        Col("Models (variant: model)", identifier=True, breaks=True),
    ]
    rows = [
        (
            _mark(item),
            Text(item["Name"]),
            Text(_utc(item["Created"]) or "—"),
            Text(item.get("Job") or "—"),
            Text(", ".join(f"{v}: {m}" for v, m in item["Models"].items()) or "(config not found)"),
        )
        for item in data["Configs"]
    ]
    title = f"Endpoint config history of {data['Endpoint']} (* current, ↩ rolled back from)"
    table = FittedTable(columns, rows, title=title)
    ahead = [item["Name"] for item in data["Configs"] if item.get("RolledBackFrom")]
    if not ahead:
        return table
    command = f"neoctl endpoint update {data['Endpoint']} --config {ahead[0]} --retain-all"
    return Parts(table, WordWrap.joined("roll forward:", command, sep=" "))  # the command stays whole


def _mark(item: dict[str, Any]) -> Text:
    if item["Current"]:
        return Text("*", style="bold green")
    return Text("↩", style="yellow") if item.get("RolledBackFrom") else Text("")


def endpoints_view(result: dict[str, Any]) -> RenderableType:
    """`neoctl endpoint list`: one row per endpoint; no table at all when none matches (the
    printer says so on stderr). Names stay whole; Created, then Config give way first. Config
    is not in ListEndpoints' summaries: the command adds it (DescribeEndpoint) for the table."""
    endpoints = result.get("Endpoints", [])
    columns = [
        Col("Name", identifier=True),
        Col("Status"),
        Col("Config", identifier=True, breaks=True, gives_way=1),
        Col("Created (UTC)", gives_way=2),
    ]
    rows = [
        (
            Text(item.get("EndpointName", "")),
            Text(item.get("EndpointStatus", ""), style=ENDPOINT_STYLE.get(item.get("EndpointStatus", ""), "")),
            Text(item.get("EndpointConfigName", "")),
            Text(_utc(item.get("CreationTime"))),
        )
        for item in endpoints
    ]
    return FittedTable(columns, rows, title=f"{len(endpoints)} endpoint(s)", empty="no endpoints match")


def _utc(value: Any) -> str:
    # A time as the job list shows it: UTC to the second ("" when absent).
    from neoctl.output.jobs import _short_time

    return _short_time(value)
