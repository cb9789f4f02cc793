"""`neoctl endpoint update`: the UpdateEndpoint request, what it will do, and sending it.

Without RetainAllVariantProperties, UpdateEndpoint applies the new config's instance
counts and weights — silently resetting what autoscaling set. With it, the endpoint's
current values are kept except for the property types listed as excluded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from neoctl.apimodel import inputs, load_model
from neoctl.apimodel.requests import Origin, check_request
from neoctl.errors import UsageError
from neoctl.flags import enum_value

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.endpoints.traffic import TrafficPolicy


def variant_property_types() -> list[str]:
    """VariantPropertyType values of the installed model (DesiredInstanceCount …)."""
    model = load_model()
    item = model.shape(model.member("UpdateEndpoint", "ExcludeRetainedVariantProperties")["member"])
    return list(model.shape(item["members"]["VariantPropertyType"])["enum"])


def variant_property(value: str) -> str:
    """A VariantPropertyType from any case."""
    return enum_value(value, variant_property_types(), "--exclude")


def build_request(
    endpoint: str,
    config: str,
    retain_all: bool,
    exclude: list[str],
    retain_deployment: bool,
    origin: Origin | None = None,
    *,
    deployment: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The UpdateEndpoint request, checked whole against the model; --exclude without
    --retain-all is a usage error. `origin` names what filled each member in a refusal
    (default: `endpoint update`'s flags; deploy and rollback fill it otherwise).
    `deployment`: the DeploymentConfig of a traffic policy (neoctl.endpoints.traffic)."""
    if exclude and not retain_all:
        raise UsageError(
            "--exclude only applies with --retain-all",
            "add --retain-all to keep the other current variant properties, "
            "or drop --exclude to apply the new config as it is",
        )
    request: dict[str, Any] = {"EndpointName": endpoint, "EndpointConfigName": config}
    if retain_all:
        request["RetainAllVariantProperties"] = True
        types = list(dict.fromkeys(variant_property(e) for e in exclude))
        if types:
            request["ExcludeRetainedVariantProperties"] = [{"VariantPropertyType": t} for t in types]
    if retain_deployment:
        if deployment is not None:
            raise UsageError(
                "--retain-deployment-config reuses the last DeploymentConfig: drop it, or drop the traffic policy"
            )
        request["RetainDeploymentConfig"] = True
    if deployment is not None:
        request["DeploymentConfig"] = deployment
    check_request(
        "UpdateEndpoint", request, inputs.origin("endpoint update", "UpdateEndpoint") if origin is None else origin
    )
    return request


def excluded(request: dict[str, Any]) -> set[str]:
    """The property types the request excludes from retention."""
    return {e["VariantPropertyType"] for e in request.get("ExcludeRetainedVariantProperties", [])}


def _capture(summary: dict[str, Any] | None, initial: bool) -> str:
    if not summary:
        return "off"
    if not summary.get("EnableCapture", True):
        return "off"
    pct = summary.get("InitialSamplingPercentage" if initial else "CurrentSamplingPercentage")
    dest = summary.get("DestinationS3Uri", "")
    return f"on {pct}% → {dest}" if pct is not None else f"on → {dest}"


def preview(
    endpoint: dict[str, Any],
    config: dict[str, Any],
    request: dict[str, Any],
    serving: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Per variant and property: the endpoint's value now, the new config's, and after the update.

    First of each variant its ModelName: `serving` is the config the endpoint serves now (whose
    models DescribeEndpoint does not name); a model is never retained, so after the update each
    variant serves the new config's — the change a confirmation must show above all."""
    retain = bool(request.get("RetainAllVariantProperties"))
    skip = excluded(request)
    current = {v["VariantName"]: v for v in endpoint.get("ProductionVariants", [])}
    models = {v["VariantName"]: v.get("ModelName") for v in (serving or {}).get("ProductionVariants", [])}
    # The served config deleted meanwhile: which model runs is unknown, not absent.
    gone = f"unknown (config {endpoint.get('EndpointConfigName')} not found)" if serving is None else None
    capture_now = _capture(endpoint.get("DataCaptureConfig"), initial=False)
    capture_new = _capture(config.get("DataCaptureConfig"), initial=True)
    rows: list[dict[str, Any]] = []
    for variant in config.get("ProductionVariants", []):
        name = variant["VariantName"]
        now = current.get(name)
        values = {
            "ModelName": ((gone or models.get(name)) if now else None, variant.get("ModelName")),
            "DesiredInstanceCount": (
                now.get("DesiredInstanceCount", now.get("CurrentInstanceCount")) if now else None,
                variant.get("InitialInstanceCount"),
            ),
            "DesiredWeight": (
                now.get("DesiredWeight", now.get("CurrentWeight")) if now else None,
                variant.get("InitialVariantWeight", 1.0),
            ),
            "DataCaptureConfig": (capture_now if now else None, capture_new),
        }
        for prop, (before, new) in values.items():
            keep = retain and now is not None and prop not in skip and prop != "ModelName"
            after = before if keep else new
            unknown = prop == "ModelName" and now is not None and gone is not None
            rows.append(
                {
                    "Variant": name,
                    "Property": prop,
                    "Current": before,
                    "NewConfig": new,
                    "After": after,
                    "Changes": None if unknown else before != after,  # None: cannot be told
                }
            )
    planned = {v["VariantName"] for v in config.get("ProductionVariants", [])}
    # In the endpoint's order, not a set's: the preview is printed and emitted as JSON.
    for name in [n for n in current if n not in planned]:
        rows.append(
            {
                "Variant": name,
                "Property": "(variant)",
                "Current": "present",
                "NewConfig": None,
                "After": "removed",
                "Changes": True,
            }
        )
    return rows


def warnings(rows: list[dict[str, Any]], request: dict[str, Any]) -> list[str]:
    """The autoscaling trap: an update without --retain-all resetting instance counts."""
    if request.get("RetainAllVariantProperties"):
        return []
    trap = (
        "variant {}: this update resets the instance count from {} to {} (the new config's); "
        "if autoscaling set {}, add --retain-all to keep it"
    )
    return [
        trap.format(r["Variant"], r["Current"], r["After"], r["Current"])
        for r in rows
        if r["Property"] == "DesiredInstanceCount" and r["Current"] is not None and r["Changes"]
    ]


def plan_update(options: AwsOptions, request: dict[str, Any], traffic: TrafficPolicy | None = None) -> dict[str, Any]:
    """What an UpdateEndpoint request would do, from the endpoint and the new config as they
    are now: {"Request", "Variants" (see preview), "Warnings"}, and with a DeploymentConfig
    "Traffic" (neoctl.endpoints.guardrails.plan_traffic: its rules are checked here, and its
    alarms looked up). With RetainDeploymentConfig, "Traffic" is that of the endpoint's
    LastDeploymentConfig (with "Retained": True), or, when it has none, a warning says there
    is nothing to retain. `traffic`: the policy the DeploymentConfig came from, which names
    its values in a refusal. Sends nothing that changes."""
    from neoctl.api.endpoints import describe_endpoint, describe_endpoint_config, find_endpoint_config

    endpoint = describe_endpoint(options, request["EndpointName"])
    config = describe_endpoint_config(options, request["EndpointConfigName"])
    # The config served now, for the models it serves (None if it was deleted meanwhile).
    current = find_endpoint_config(options, str(endpoint.get("EndpointConfigName", "")))
    rows = preview(endpoint, config, request, current)
    plan: dict[str, Any] = {"Request": request, "Variants": rows, "Warnings": warnings(rows, request)}
    if request.get("DeploymentConfig") is not None:
        from neoctl.endpoints.guardrails import plan_traffic
        from neoctl.endpoints.traffic import TrafficPolicy

        policy = traffic or TrafficPolicy(deployment_config=request["DeploymentConfig"])
        plan["Traffic"] = plan_traffic(
            options, policy, request["DeploymentConfig"], endpoint, current, config, instance_counts(rows)
        )
        plan["Warnings"] = [*plan["Warnings"], *plan["Traffic"]["Warnings"]]
    elif request.get("RetainDeploymentConfig"):
        last = endpoint.get("LastDeploymentConfig")
        if last:
            plan["Traffic"] = _retained_traffic(options, last, endpoint, current, config, rows)
            plan["Warnings"] = [*plan["Warnings"], *plan["Traffic"]["Warnings"]]
        else:
            plan["Warnings"] = [*plan["Warnings"], nothing_to_retain(request["EndpointName"])]
    return plan


def nothing_to_retain(endpoint: str) -> str:
    """The warning for RetainDeploymentConfig on an endpoint without a LastDeploymentConfig.
    The botocore model documents the member only as "Specifies whether to reuse the last
    deployment configuration"; what SageMaker does when there is none is not documented."""
    return (
        f"--retain-deployment-config has nothing to retain: endpoint {endpoint} has no LastDeploymentConfig "
        "(DescribeEndpoint). The API reference says only that RetainDeploymentConfig reuses the last deployment "
        "configuration, not what SageMaker does when there is none; to choose how the traffic shifts, give "
        "--canary, --linear, --rolling or --deployment-config instead"
    )


def deployment_of(plan: dict[str, Any]) -> dict[str, Any] | None:
    """The DeploymentConfig the planned update runs under: the one sent, or the endpoint's
    LastDeploymentConfig that RetainDeploymentConfig reuses; None without either (all at once)."""
    sent = plan["Request"].get("DeploymentConfig")
    if sent is not None:
        return dict(sent)
    traffic = plan.get("Traffic")
    return dict(traffic["DeploymentConfig"]) if traffic else None


def _retained_traffic(
    options: AwsOptions,
    last: dict[str, Any],
    endpoint: dict[str, Any],
    current: dict[str, Any] | None,
    config: dict[str, Any],
    rows: list[dict[str, Any]],
) -> dict[str, Any]:
    """plan_traffic of the LastDeploymentConfig that RetainDeploymentConfig reuses, marked
    "Retained". The rules that refuse an explicit policy refuse it too (SageMaker runs it
    against this update's fleet), naming where it came from. On Inf1, where SageMaker
    ignores a policy, it is a warning: there is no --allow-all-at-once to give with it."""
    from neoctl.endpoints.guardrails import plan_traffic
    from neoctl.endpoints.traffic import TrafficPolicy
    from neoctl.errors import InvalidInput

    policy = TrafficPolicy(deployment_config=last, allow_all_at_once=True)
    name = endpoint.get("EndpointName", "")
    try:
        planned = plan_traffic(options, policy, last, endpoint, current, config, instance_counts(rows))
    except InvalidInput as exc:
        instead = (
            "or give a traffic policy instead of --retain-deployment-config "
            "(--canary, --linear, --rolling or --deployment-config)"
        )
        raise InvalidInput(
            f"--retain-deployment-config reuses endpoint {name}'s LastDeploymentConfig: {exc.message}",
            f"{exc.hint}; {instead}" if exc.hint else instead,
        ) from None
    return {**planned, "Retained": True}


def instance_counts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each variant's instance count after the update, from the preview's rows."""
    return {r["Variant"]: r["After"] for r in rows if r["Property"] == "DesiredInstanceCount"}


def update_endpoint(options: AwsOptions, request: dict[str, Any]) -> dict[str, Any]:
    """Send the UpdateEndpoint request (build it with build_request); SageMaker's answer."""
    from neoctl.api.endpoints import update_endpoint as send

    return send(options, request)
