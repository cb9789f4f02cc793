"""A traffic policy judged against the endpoint it is for, before the update is sent.

What needs look-ups: the fleet's rules (neoctl.endpoints.traffic.check_fleet), whether a
variant serves a model package of another account (an AWS Marketplace package makes
SageMaker ignore the policy), and whether every alarm exists in the region — one
DescribeAlarms for all of them. The result is the plan's "Traffic" part: the
DeploymentConfig, the plan in steps with times, the alarms and their states now.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from neoctl.endpoints import traffic
from neoctl.errors import InvalidInput

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions


def plan_traffic(
    options: AwsOptions,
    policy: traffic.TrafficPolicy,
    config: dict[str, Any],
    endpoint: Mapping[str, Any],
    current: Mapping[str, Any] | None,
    new: Mapping[str, Any],
    counts: Mapping[str, Any],
    *,
    known_models: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """{"DeploymentConfig", "Summary", "Steps", "Alarms": {name: state}, "Warnings",
    "Ignored"}: InvalidInput (252) when a rule refuses it or an alarm does not exist.
    `known_models`: models neoctl makes itself (deploy's), not described."""
    from neoctl.api.cloudwatch import find_alarms

    warnings = traffic.check_fleet(policy, config, current, new, counts)
    warnings += traffic.package_warnings(_models(options, current, new, known_models), _account(endpoint))
    ignored = traffic.guardrails_ignored(current, new)
    names = traffic.alarms_of(config)
    states: dict[str, Any] = {}
    if names:
        found = find_alarms(options, names)
        if found is None:
            warnings.append(
                f"could not check that alarms {', '.join(names)} exist (access denied to cloudwatch:DescribeAlarms); "
                "SageMaker's execution role needs it on them"
            )
        else:
            missing = [name for name in names if name not in found]
            if missing:
                raise _missing(policy, config, missing, _region(endpoint))
            states = {name: found[name]["StateValue"] for name in names}
            firing = [name for name in names if states[name] == "ALARM"]
            if firing:
                warnings.append(
                    f"alarm{'s' if len(firing) > 1 else ''} {', '.join(firing)} {'are' if len(firing) > 1 else 'is'} "
                    "in ALARM now: SageMaker will roll the update back at the first bake"
                )
    shown = {} if ignored else config  # SageMaker would update all at once: show what it will do
    return {
        "DeploymentConfig": config,
        "Summary": traffic.summary(shown, new, counts),
        "Steps": traffic.plan_steps(shown, new, counts),
        "Alarms": states or dict.fromkeys(names),
        "Warnings": warnings,
        "Ignored": ignored,
    }


def _missing(policy: traffic.TrafficPolicy, config: dict[str, Any], missing: list[str], region: str) -> InvalidInput:
    alarms = traffic.alarms_of(config)
    where = [
        policy.name(
            ("DeploymentConfig", "AutoRollbackConfiguration", "Alarms", alarms.index(name), "AlarmName"), "--alarm"
        )
        for name in missing
    ]
    named = "; ".join(
        f"{source} {name!r}: no such CloudWatch alarm in {region}" for source, name in zip(where, missing, strict=True)
    )
    return InvalidInput(
        named,
        "create the alarm first (aws cloudwatch put-metric-alarm …), or check its name and region: "
        "SageMaker watches alarms of the endpoint's region",
    )


def _account(endpoint: Mapping[str, Any]) -> str | None:
    parts = str(endpoint.get("EndpointArn", "")).split(":")
    return parts[4] if len(parts) > 5 else None


def _region(endpoint: Mapping[str, Any]) -> str:
    parts = str(endpoint.get("EndpointArn", "")).split(":")
    return parts[3] if len(parts) > 5 else "this region"


def _models(
    options: AwsOptions, current: Mapping[str, Any] | None, new: Mapping[str, Any], known: frozenset[str]
) -> dict[str, dict[str, Any]]:
    """DescribeModel of each model the current and new configs serve (but neoctl's own)."""
    from neoctl.api.endpoints import find_model

    names = dict.fromkeys(
        str(variant.get("ModelName"))
        for config in (current or {}, new)
        for variant in config.get("ProductionVariants", [])
        if variant.get("ModelName") and variant.get("ModelName") not in known
    )
    found = {name: find_model(options, name) for name in names}
    return {name: model for name, model in found.items() if model is not None}
