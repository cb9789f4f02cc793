"""`neoctl endpoint rollback|history`: the chain of configs neoctl deploy recorded.

Each config deploy creates carries the name of the config it replaced in its
neoctl:previous-config tag; rollback points the endpoint back at that config (with
RetainAllVariantProperties), history walks the chain from the current config.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from neoctl.apimodel.inputs import check_inputs
from neoctl.endpoints.deploy import PREVIOUS_TAG
from neoctl.errors import InvalidInput

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.endpoints.traffic import TrafficPolicy

HISTORY_LIMIT = 50


def previous_config(tags: list[dict[str, str]]) -> str | None:
    """The config a neoctl-made config replaced, from its tags."""
    return next((t["Value"] for t in tags if t["Key"] == PREVIOUS_TAG), None)


def history(options: AwsOptions, endpoint: str) -> dict[str, Any]:
    """{"Endpoint", "Configs": [{Name, Created, Current, Models: {variant: model}, Previous}]},
    newest first, following the recorded tags until a config without one (or one deleted)."""
    from neoctl.api import endpoints as api

    check_inputs("endpoint history", {"ENDPOINT": endpoint})
    current = api.describe_endpoint(options, endpoint)["EndpointConfigName"]
    configs: list[dict[str, Any]] = []
    name: str | None = current
    seen: set[str] = set()
    while name and name not in seen and len(configs) < HISTORY_LIMIT:
        seen.add(name)
        config = api.find_endpoint_config(options, name)
        if config is None:
            configs.append({"Name": name, "Created": None, "Current": name == current, "Models": {}, "Previous": None})
            break
        previous = previous_config(api.list_tags(options, config["EndpointConfigArn"]))
        configs.append(
            {
                "Name": name,
                "Created": config.get("CreationTime"),
                "Current": name == current,
                "Models": {v["VariantName"]: v.get("ModelName") for v in config.get("ProductionVariants", [])},
                "Previous": previous,
            }
        )
        name = previous
    return {"Endpoint": endpoint, "Configs": configs}


def rollback_request(
    options: AwsOptions, endpoint: str, exclude: list[str], traffic: TrafficPolicy | None = None
) -> dict[str, Any]:
    """The UpdateEndpoint request back to the config recorded on the current one (retain-all);
    InvalidInput (252) when none was recorded. `traffic`: how it shifts the traffic back
    (neoctl.endpoints.traffic; default: all at once)."""
    from neoctl.api import endpoints as api
    from neoctl.apimodel.inputs import origin
    from neoctl.endpoints.update import build_request, variant_property

    # Every value checked before the first look-up; the request, once the tag names its
    # config, is checked whole again by build_request.
    check_inputs("endpoint rollback", {"ENDPOINT": endpoint, "--exclude": [variant_property(e) for e in exclude]})
    deployment = traffic.build() if traffic is not None else None
    current = api.describe_endpoint(options, endpoint)["EndpointConfigName"]
    config = api.describe_endpoint_config(options, current)
    previous = previous_config(api.list_tags(options, config["EndpointConfigArn"]))
    if previous is None:
        raise InvalidInput(
            f"endpoint {endpoint}'s config {current} records no previous config "
            f"(no {PREVIOUS_TAG} tag): it was not made by `neoctl deploy`",
            f"see the recorded chain with `neoctl endpoint history {endpoint}`, or point the endpoint at a "
            f"config yourself with `neoctl endpoint update {endpoint} --config NAME --retain-all`",
        )
    filled = origin("endpoint rollback", "UpdateEndpoint") | {
        ("EndpointConfigName",): f"the {PREVIOUS_TAG} tag of config {current}"
    }
    return build_request(endpoint, previous, True, exclude, False, filled, deployment=deployment)
