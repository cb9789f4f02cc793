"""UpdateEndpoint's rules, as plain functions: the request, and what it will do.

Without RetainAllVariantProperties, UpdateEndpoint applies the new config's instance
counts and weights — silently resetting what autoscaling set. With it, the endpoint's
current values are kept except for the property types listed as excluded.
"""

from __future__ import annotations

from typing import Any

from neoctl.errors import UsageError
from neoctl.params import check_name, variant_property

PROPERTIES = ("DesiredInstanceCount", "DesiredWeight", "DataCaptureConfig")


def build_request(
    endpoint: str, config: str, retain_all: bool, exclude: list[str], retain_deployment: bool,
) -> dict[str, Any]:
    """The UpdateEndpoint request; --exclude without --retain-all is a usage error."""
    if exclude and not retain_all:
        raise UsageError(
            "--exclude only applies with --retain-all",
            "add --retain-all to keep the other current variant properties, "
            "or drop --exclude to apply the new config as it is",
        )
    request: dict[str, Any] = {
        "EndpointName": check_name(endpoint, "UpdateEndpoint", "EndpointName", "ENDPOINT"),
        "EndpointConfigName": check_name(config, "UpdateEndpoint", "EndpointConfigName", "--config"),
    }
    if retain_all:
        request["RetainAllVariantProperties"] = True
        types = list(dict.fromkeys(variant_property(e) for e in exclude))
        if types:
            request["ExcludeRetainedVariantProperties"] = [{"VariantPropertyType": t} for t in types]
    if retain_deployment:
        request["RetainDeploymentConfig"] = True
    return request


def excluded(request: dict[str, Any]) -> set[str]:
    """The property types the request excludes from retention."""
    return {e["VariantPropertyType"] for e in request.get("ExcludeRetainedVariantProperties", [])}
