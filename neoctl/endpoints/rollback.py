"""`neoctl endpoint rollback|history`: the chain of configs neoctl deploy recorded.

Each config deploy creates carries the name of the config it replaced in its
neoctl:previous-config tag; rollback points the endpoint back at that config (with
RetainAllVariantProperties), history walks the chain from the current config.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from neoctl.apimodel.inputs import check_inputs
from neoctl.endpoints.deploy import JOB_TAG, PREVIOUS_TAG
from neoctl.errors import InvalidInput

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.endpoints.traffic import TrafficPolicy

HISTORY_LIMIT = 50
# On the endpoint: the configs `endpoint rollback` rolled it back from, newest first,
# space-separated (a tag value holds 256 characters: the oldest drop out), so that
# history can show where to roll forward to.
ROLLED_BACK_TAG = "neoctl:rolled-back-from"
TAG_VALUE_MAX = 256


def previous_config(tags: list[dict[str, str]]) -> str | None:
    """The config a neoctl-made config replaced, from its tags."""
    return next((t["Value"] for t in tags if t["Key"] == PREVIOUS_TAG), None)


def history(options: AwsOptions, endpoint: str) -> dict[str, Any]:
    """{"Endpoint", "Configs": [{Name, Created, Current, Models: {variant: model}, Previous, Job,
    RolledBackFrom}]}: first the configs `endpoint rollback` left (RolledBackFrom, newest first,
    those not in the chain), then the chain, newest first, following the recorded tags until a
    config without one (or one deleted)."""
    from neoctl.api import endpoints as api

    check_inputs("endpoint history", {"ENDPOINT": endpoint})
    described = api.describe_endpoint(options, endpoint)
    current = described["EndpointConfigName"]
    configs: list[dict[str, Any]] = []
    name: str | None = current
    seen: set[str] = set()
    while name and name not in seen and len(configs) < HISTORY_LIMIT:
        seen.add(name)
        entry = _entry(options, name, current)
        configs.append(entry)
        name = entry["Previous"]
    left = [n for n in rolled_back_from(api.list_tags(options, described["EndpointArn"])) if n not in seen]
    ahead = [_entry(options, n, current) | {"RolledBackFrom": True} for n in left]
    return {"Endpoint": endpoint, "Configs": ahead + configs}


def _entry(options: AwsOptions, name: str, current: str) -> dict[str, Any]:
    from neoctl.api import endpoints as api

    entry: dict[str, Any] = {"Name": name, "Created": None, "Current": name == current, "Models": {}}
    entry |= {"Previous": None, "Job": None, "RolledBackFrom": False}
    config = api.find_endpoint_config(options, name)
    if config is None:
        return entry
    tags = api.list_tags(options, config["EndpointConfigArn"])
    entry["Created"] = config.get("CreationTime")
    entry["Models"] = {v["VariantName"]: v.get("ModelName") for v in config.get("ProductionVariants", [])}
    entry["Previous"] = previous_config(tags)
    entry["Job"] = next((t["Value"] for t in tags if t["Key"] == JOB_TAG), None)
    return entry


def rolled_back_from(tags: list[dict[str, str]]) -> list[str]:
    """The configs an endpoint was rolled back from, newest first, from its tags."""
    return next((t["Value"].split() for t in tags if t["Key"] == ROLLED_BACK_TAG), [])


def apply_rollback(options: AwsOptions, endpoint: str, request: dict[str, Any]) -> dict[str, Any]:
    """Record on the endpoint the config it is rolled back from (ROLLED_BACK_TAG), then send
    the rollback's UpdateEndpoint. Recorded first: should the update fail, the tag names the
    config still served, which history leaves out (it is in the chain)."""
    from neoctl.api import endpoints as api
    from neoctl.endpoints.update import update_endpoint

    described = api.describe_endpoint(options, endpoint)
    arn, leaving = described["EndpointArn"], described["EndpointConfigName"]
    names = [leaving] + [n for n in rolled_back_from(api.list_tags(options, arn)) if n != leaving]
    while len(" ".join(names)) > TAG_VALUE_MAX:
        names.pop()
    api.add_tags(options, arn, [{"Key": ROLLED_BACK_TAG, "Value": " ".join(names)}])
    return update_endpoint(options, request)


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
    tags = api.list_tags(options, config["EndpointConfigArn"])
    previous = previous_config(tags)
    if previous is None and any(t["Key"] == JOB_TAG for t in tags):
        # Deploy tags every config it makes with the job; the first one, made for a new
        # endpoint, replaced nothing.
        raise InvalidInput(
            f"nothing earlier to roll back to: {current} is the first config neoctl deploy recorded for {endpoint}",
            f"see the recorded chain with `neoctl endpoint history {endpoint}`, or point the endpoint at a "
            f"config yourself with `neoctl endpoint update {endpoint} --config NAME --retain-all`",
        )
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
