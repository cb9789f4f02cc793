"""Endpoint behaviour moto lacks: UpdateEndpoint with its DeploymentConfig (phased
blue/green and rolling deployments, alarm-driven rollback: neoctl.testing.deployments),
accurate variant summaries, failures chosen by tag, and container log streams; statuses
are derived from the clock like job statuses."""

from __future__ import annotations

import copy
import math
import weakref
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends
from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import SagemakerClientError, ValidationError
from moto.sagemaker.models import FakeEndpoint, FakeEndpointConfig, SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse
from moto.sagemaker.utils import arn_formatter

from neoctl.testing import clock, deployments, endpoint_logs
from neoctl.testing.deployments import FAIL_TAG, ROLLBACK_FAIL_TAG, Deployment, Fleet, Policy, Timing
from neoctl.testing.runtime import STATE_LOCK, current_settings

VARIANT_PROPERTIES = ("DesiredInstanceCount", "DesiredWeight", "DataCaptureConfig")
_DESIRED_TO_CURRENT = (
    ("DesiredInstanceCount", "CurrentInstanceCount"),
    ("DesiredWeight", "CurrentWeight"),
    ("DesiredServerlessConfig", "CurrentServerlessConfig"),
)

# Captured at import, before install() replaces the attribute on the class.
_moto_create_endpoint = SageMakerResponse.create_endpoint


class ResourceLimitExceeded(SagemakerClientError):
    code = "ResourceLimitExceeded"


@dataclass
class EndpointExtras:
    deployment: Deployment | None = None  # an update (or a creation that is to fail) in flight
    last_deployment_config: dict[str, Any] | None = None
    streams: dict[str, list[str]] = field(default_factory=dict)  # the serving fleet's log streams, by variant
    invocations: int = 0


# Keyed by the moto object so a moto reset forgets the extras with the endpoint.
_extras: weakref.WeakKeyDictionary[FakeEndpoint, EndpointExtras] = weakref.WeakKeyDictionary()


def _extras_for(endpoint: FakeEndpoint) -> EndpointExtras:
    return _extras.setdefault(endpoint, EndpointExtras())


def variant_from_config(config_variant: dict[str, Any]) -> dict[str, Any]:
    """A running variant as a fresh deployment of `config_variant` would report it.

    moto skips weights and counts that are absent or zero; SageMaker defaults the
    weight to 1.0 and reports a zero weight as zero."""
    variant: dict[str, Any] = {"VariantName": config_variant["VariantName"]}
    count = config_variant.get("InitialInstanceCount")
    if count is not None:
        variant["CurrentInstanceCount"] = variant["DesiredInstanceCount"] = int(count)
    weight = float(config_variant.get("InitialVariantWeight", 1.0))
    variant["CurrentWeight"] = variant["DesiredWeight"] = weight
    serverless = config_variant.get("ServerlessConfig")
    if serverless:
        variant["CurrentServerlessConfig"] = copy.deepcopy(serverless)
        variant["DesiredServerlessConfig"] = copy.deepcopy(serverless)
    return variant


def data_capture_summary(config: dict[str, Any] | None) -> dict[str, Any] | None:
    if not config:
        return None
    enabled = bool(config.get("EnableCapture", True))
    summary = {
        "EnableCapture": enabled,
        "CaptureStatus": "Started" if enabled else "Stopped",
        "CurrentSamplingPercentage": config.get("InitialSamplingPercentage", 100),
        "DestinationS3Uri": config.get("DestinationS3Uri"),
        "KmsKeyId": config.get("KmsKeyId"),
    }
    return {key: value for key, value in summary.items() if value is not None}


def _region_account(endpoint: FakeEndpoint) -> tuple[str, str]:
    _, _, _, region, account, _ = endpoint.arn.split(":", 5)
    return region, account


def _alarm_states(endpoint: FakeEndpoint) -> Any:
    region, account = _region_account(endpoint)
    alarms = cloudwatch_backends[account][region].alarms

    def state_of(name: str) -> tuple[str, datetime] | None:
        alarm = alarms.get(name)
        return None if alarm is None else (str(alarm.state_value), alarm.state_updated_timestamp)

    return state_of


def _write_logs(endpoint: FakeEndpoint, deployment: Deployment, now: datetime) -> None:
    events = deployment.due_events(now)
    if events:
        region, account = _region_account(endpoint)
        endpoint_logs.write(region, account, endpoint.endpoint_name, events)


def advance_endpoint(endpoint: FakeEndpoint, now: datetime) -> None:
    with STATE_LOCK:
        extras = _extras.get(endpoint)
        deployment = extras.deployment if extras is not None else None
        if extras is None or deployment is None:
            return
        fired = deployment.alarm_fired(now, _alarm_states(endpoint))
        if fired is not None:
            at, alarm = fired
            reason = (
                f"Deployment of endpoint config {deployment.config_name} rolled back to {deployment.old_config}: "
                f"CloudWatch alarm {alarm} went into ALARM during a baking period."
            )
            deployment.roll_back(at, reason, f"alarm {alarm} is in ALARM")
        _write_logs(endpoint, deployment, now)
        if now < deployment.done_at:
            stage = deployment.stage_at(now)
            if stage is not None:
                endpoint.endpoint_status = stage.endpoint_status
            return
        _write_logs(endpoint, deployment, deployment.done_at)
        if deployment.outcome == deployments.SUCCEEDED:
            for variant in deployment.variants:
                # The new fleet is up: what was desired is now what runs.
                for desired, current in _DESIRED_TO_CURRENT:
                    if desired in variant:
                        variant[current] = variant[desired]
            endpoint.endpoint_config_name = deployment.config_name
            endpoint.production_variants = deployment.variants
            endpoint.data_capture_config = deployment.data_capture_config
            extras.streams = _streams(deployment.new_instances)
        endpoint.endpoint_status = deployments.FINAL_STATUS[deployment.outcome]
        fields: Any = endpoint  # moto types failure_reason as always None
        fields.failure_reason = deployment.failure_reason
        endpoint.last_modified_time = deployment.done_at
        extras.deployment = None


def advance_backend(backend: SageMakerModelBackend, now: datetime) -> None:
    for endpoint in list(backend.endpoints.values()):
        advance_endpoint(endpoint, now)


def _endpoint_arn(backend: SageMakerModelBackend, name: str) -> str:
    return FakeEndpoint.arn_formatter(name, backend.account_id, backend.region_name)


def _find_endpoint(backend: SageMakerModelBackend, name: str) -> FakeEndpoint:
    endpoint = backend.endpoints.get(name)
    if endpoint is None:
        raise ValidationError(message=f"Could not find endpoint '{_endpoint_arn(backend, name)}'.")
    return endpoint


def _find_config(backend: SageMakerModelBackend, name: str) -> FakeEndpointConfig:
    config = backend.endpoint_configs.get(name)
    if config is None:
        arn = arn_formatter("endpoint-config", name, backend.account_id, backend.region_name)
        raise ValidationError(message=f"Could not find endpoint configuration '{arn}'.")
    return config


def merge_variants(
    running: list[dict[str, Any]],
    config_variants: list[dict[str, Any]],
    *,
    retain: bool,
    excluded: set[str],
) -> list[dict[str, Any]]:
    """The variants after an update, with SageMaker's retention rules applied.

    Current* values stay those of the running fleet until the update finishes."""
    by_name = {variant["VariantName"]: variant for variant in running}
    merged = []
    for config_variant in config_variants:
        variant = variant_from_config(config_variant)
        old = by_name.get(variant["VariantName"])
        if old is not None:
            for _desired, current in _DESIRED_TO_CURRENT:
                if current in old:
                    variant[current] = old[current]
            if retain:
                for desired in ("DesiredInstanceCount", "DesiredWeight"):
                    if desired not in excluded and desired in old:
                        variant[desired] = old[desired]
        merged.append(variant)
    return merged


def _streams(instances: dict[str, list[str]]) -> dict[str, list[str]]:
    return {variant: [endpoint_logs.stream_name(variant, i) for i in ids] for variant, ids in instances.items()}


def find_model(backend: SageMakerModelBackend, name: Any) -> Any:
    models: dict[str, Any] = getattr(backend, "_models", {})
    return models.get(str(name))


def fleets_of(
    backend: SageMakerModelBackend, config: FakeEndpointConfig, variants: list[dict[str, Any]]
) -> list[Fleet]:
    """The fleets `config` deploys, with the instance counts of `variants` (the merged ones)."""
    counts = {variant["VariantName"]: variant.get("DesiredInstanceCount") for variant in variants}
    fleets = []
    for config_variant in config.production_variants:
        name = config_variant["VariantName"]
        model = find_model(backend, config_variant.get("ModelName"))
        container: dict[str, Any] = {}
        if model is not None:
            container = model.primary_container or (model.containers[0] if model.containers else {}) or {}
        fleets.append(
            Fleet(
                variant=name,
                count=int(counts.get(name) or config_variant.get("InitialInstanceCount") or 1),
                instance_type=str(config_variant.get("InstanceType") or "serverless"),
                image=str(container.get("Image", "unknown")),
                model_name=str(config_variant.get("ModelName", "")),
                model_data=str(container.get("ModelDataUrl", "")),
                role=str(getattr(model, "execution_role_arn", "")),
            )
        )
    return fleets


def tag_value(tag_lists: list[list[dict[str, str]]], key: str) -> str | None:
    """The value of the first tag `key` in the lists, in their order."""
    for tags in tag_lists:
        for tag in tags or []:
            if tag.get("Key") == key:
                return str(tag.get("Value", ""))
    return None


def _config_tags(backend: SageMakerModelBackend, config: FakeEndpointConfig) -> list[list[dict[str, str]]]:
    """The tags of an endpoint config and of the models its variants serve."""
    lists = [config.tags]
    for config_variant in config.production_variants:
        model = find_model(backend, config_variant.get("ModelName"))
        if model is not None:
            lists.append(model.tags)
    return lists


def _failure(tag_lists: list[list[dict[str, str]]], fleets: list[Fleet]) -> str | None:
    """The failure kind a tag asks for; a synchronous one (instance-limit) is raised here."""
    value = tag_value(tag_lists, FAIL_TAG)
    if value is None:
        return None
    kind = value.strip()
    if kind not in deployments.FAILURE_KINDS:
        kinds = ", ".join(deployments.FAILURE_KINDS)
        raise ValidationError(message=f"Tag '{FAIL_TAG}' must be one of {kinds}; got '{value}'.")
    if deployments.FAILURE_KINDS[kind].synchronous:
        reference = max(fleets, key=lambda fleet: fleet.count)
        raise ResourceLimitExceeded(deployments.failure_reason(deployments.FAILURE_KINDS[kind], reference))
    return kind


def _check_alarms(region: str, account: str, policy: Policy) -> None:
    """Every alarm named for auto-rollback must exist. What SageMaker does otherwise is not
    documented; the emulator refuses the request, naming the alarm."""
    alarms = cloudwatch_backends[account][region].alarms
    missing = [name for name in policy.alarms if name not in alarms]
    if missing:
        raise ValidationError(
            message=f"The CloudWatch alarm {missing[0]} named in AutoRollbackConfiguration does not exist in {region}."
        )


def _exclusion(policy: Policy, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> str | None:
    """Why deployment guardrails do not apply to this update, if they do not (Developer
    Guide, "Exclusions"; Marketplace containers are not detected)."""
    if not policy.guarded:
        return None
    variants = [*old, *new]
    if any(str(variant.get("InstanceType", "")).startswith("ml.inf1.") for variant in variants):
        return "the endpoint uses Inf1 instances"
    if any(variant.get("AcceleratorType") for variant in variants):
        return "the endpoint uses Elastic Inference"
    if policy.kind == deployments.ROLLING:
        if any(variant.get("ServerlessConfig") for variant in variants):
            return "rolling deployments exclude serverless endpoints"
        if len(old) > 1 or len(new) > 1:
            return "rolling deployments exclude multi-variant endpoints"
    return None


def _timing() -> Timing:
    settings = current_settings()
    return Timing(unit=settings.transition_seconds / 4, scale=settings.deployment_time_scale)


def update_endpoint(self: SageMakerResponse) -> ActionResult:
    backend = self.sagemaker_backend
    retain = bool(self._get_param("RetainAllVariantProperties", False))
    excluded = {item.get("VariantPropertyType") for item in self._get_param("ExcludeRetainedVariantProperties") or []}
    unknown = sorted(str(p) for p in excluded if p not in VARIANT_PROPERTIES)
    if unknown:
        raise ValidationError(
            message=f"Invalid VariantPropertyType {unknown}; valid values are {list(VARIANT_PROPERTIES)}."
        )
    deployment_config = self._get_param("DeploymentConfig")
    retain_deployment = bool(self._get_param("RetainDeploymentConfig", False))
    with STATE_LOCK:
        now = clock.now()
        endpoint = _find_endpoint(backend, self._get_param("EndpointName"))
        advance_endpoint(endpoint, now)
        config = _find_config(backend, self._get_param("EndpointConfigName"))
        # UpdateRollbackFailed is left by updating again (DescribeEndpoint reference).
        if endpoint.endpoint_status not in ("InService", "UpdateRollbackFailed"):
            raise ValidationError(
                message=f"Cannot update in-progress endpoint '{endpoint.arn}': its status is "
                f"{endpoint.endpoint_status}; wait until it is InService."
            )
        extras = _extras_for(endpoint)
        requested = deployment_config or (extras.last_deployment_config if retain_deployment else None)
        policy = deployments.parse_policy(requested)
        region, account = _region_account(endpoint)
        _check_alarms(region, account, policy)
        variants = merge_variants(
            endpoint.production_variants, config.production_variants, retain=retain, excluded=excluded
        )
        fleets = fleets_of(backend, config, variants)
        running = sorted(variant["VariantName"] for variant in endpoint.production_variants)
        if policy.guarded and sorted(fleet.variant for fleet in fleets) != running:
            # "your new endpoint configuration must have the same variant name as the old"
            # (Developer Guide, "Exclusions"); refusing is the emulator's reading.
            raise ValidationError(
                message=f"A deployment with a DeploymentConfig must keep the endpoint's variant names {running}; "
                f"endpoint config {config.endpoint_config_name} has {sorted(fleet.variant for fleet in fleets)}."
            )
        old_config = backend.endpoint_configs.get(endpoint.endpoint_config_name)
        old_variants = old_config.production_variants if old_config is not None else []
        reason = _exclusion(policy, old_variants, config.production_variants)
        if reason is not None:
            policy = deployments.fallback(policy, reason)
        deployments.check_sizes(policy, fleets)
        failure = _failure(_config_tags(backend, config), fleets)
        keep_capture = retain and "DataCaptureConfig" not in excluded
        extras.deployment = deployments.plan_update(
            now=now,
            timing=_timing(),
            seed=endpoint.arn,
            old_config=endpoint.endpoint_config_name,
            new_config=config.endpoint_config_name,
            fleets=fleets,
            old_streams=extras.streams,
            variants=variants,
            data_capture_config=copy.deepcopy(
                endpoint.data_capture_config if keep_capture else config.data_capture_config
            ),
            policy=policy,
            failure=failure,
            rollback_fails=tag_value([config.tags], ROLLBACK_FAIL_TAG) is not None,
        )
        if deployment_config:
            extras.last_deployment_config = deployment_config
        elif not retain_deployment:
            extras.last_deployment_config = None
        # Until the new fleet is up, DescribeEndpoint keeps reporting the running
        # config and variants and shows the new ones under PendingDeploymentSummary.
        # A FailureReason of an earlier update stays only until the next one.
        endpoint.endpoint_status = "Updating"
        endpoint.failure_reason = None
        endpoint.last_modified_time = now
    return ActionResult({"EndpointArn": endpoint.arn})


def create_endpoint(self: SageMakerResponse) -> ActionResult:
    backend = self.sagemaker_backend
    deployment_config = self._get_param("DeploymentConfig")
    with STATE_LOCK:
        config = backend.endpoint_configs.get(self._get_param("EndpointConfigName"))
        failure = None
        if config is not None:  # otherwise moto words the error
            _check_alarms(backend.region_name, backend.account_id, deployments.parse_policy(deployment_config))
            fresh = [variant_from_config(variant) for variant in config.production_variants]
            tag_lists = [self._get_param("Tags") or [], *_config_tags(backend, config)]
            failure = _failure(tag_lists, fleets_of(backend, config, fresh))
        result = _moto_create_endpoint(self)
        endpoint = backend.endpoints[self._get_param("EndpointName")]
        config = _find_config(backend, endpoint.endpoint_config_name)
        endpoint.production_variants = [variant_from_config(variant) for variant in config.production_variants]
        extras = _extras_for(endpoint)
        extras.last_deployment_config = deployment_config or None
        fleets = fleets_of(backend, config, endpoint.production_variants)
        now = clock.now()
        if failure is not None:
            # Creating, then Failed with the FailureReason of the kind.
            extras.deployment = deployments.plan_failed_creation(
                now=now,
                timing=_timing(),
                seed=endpoint.arn,
                config=config.endpoint_config_name,
                fleets=fleets,
                failure=failure,
                variants=copy.deepcopy(endpoint.production_variants),
            )
            endpoint.endpoint_status = "Creating"
            advance_endpoint(endpoint, now)
        else:
            # InService at once, as moto has it; the instances start and log.
            instances = {
                fleet.variant: endpoint_logs.instance_ids(
                    f"{endpoint.arn}|{config.endpoint_config_name}|{fleet.variant}", fleet.count
                )
                for fleet in fleets
            }
            extras.streams = _streams(instances)
            events = [
                endpoint_logs.LogEvent(
                    now,
                    endpoint_logs.stream_name(fleet.variant, instance),
                    endpoint_logs.startup_lines(
                        fleet.image, fleet.instance_type, fleet.variant, config.endpoint_config_name
                    ),
                )
                for fleet in fleets
                for instance in instances[fleet.variant]
            ]
            region, account = _region_account(endpoint)
            endpoint_logs.write(region, account, endpoint.endpoint_name, events)
    return result


def _pending_summary(deployment: Deployment | None, now: datetime) -> dict[str, Any] | None:
    if deployment is None or not deployment.stages:
        return None
    stage = deployment.stage_at(now) or deployment.stages[-1]
    variants = copy.deepcopy(deployment.variants)
    for variant in variants:
        variant["VariantStatus"] = [{"Status": stage.status, "StatusMessage": stage.message, "StartTime": stage.start}]
    return {
        "EndpointConfigName": deployment.config_name,
        "ProductionVariants": variants,
        "StartTime": deployment.started,
    }


def describe_endpoint(self: SageMakerResponse) -> ActionResult:
    with STATE_LOCK:
        endpoint = _find_endpoint(self.sagemaker_backend, self._get_param("EndpointName"))
        now = clock.now()
        advance_endpoint(endpoint, now)
        extras = _extras.get(endpoint) or EndpointExtras()
        out: dict[str, Any] = {
            "EndpointName": endpoint.endpoint_name,
            "EndpointArn": endpoint.arn,
            "EndpointConfigName": endpoint.endpoint_config_name,
            "ProductionVariants": copy.deepcopy(endpoint.production_variants),
            "DataCaptureConfig": data_capture_summary(endpoint.data_capture_config),
            "EndpointStatus": endpoint.endpoint_status,
            "FailureReason": endpoint.failure_reason,
            "CreationTime": endpoint.creation_time,
            "LastModifiedTime": endpoint.last_modified_time,
            "LastDeploymentConfig": extras.last_deployment_config,
            "PendingDeploymentSummary": _pending_summary(extras.deployment, now),
        }
    return ActionResult({key: value for key, value in out.items() if value is not None})


@dataclass(frozen=True)
class Serving:
    """Which fleet answers one invocation."""

    config_name: str
    variants: list[dict[str, Any]]
    streams: dict[str, list[str]]
    count: int  # how many invocations the endpoint had before this one


def serving_fleet(endpoint: FakeEndpoint, now: datetime) -> Serving:
    """The fleet that answers the next invocation: during a deployment the new fleet takes
    its share of the requests (every k-th, deterministically), the old one the rest."""
    with STATE_LOCK:
        extras = _extras_for(endpoint)
        count = extras.invocations
        extras.invocations += 1
        deployment = extras.deployment
        if deployment is not None and deployment.outcome != deployments.CREATE_FAILED:
            share = deployment.share_at(now)
            if math.floor((count + 1) * share) > math.floor(count * share):
                up = max(1, deployment.up_at(now))
                streams = {variant: names[:up] for variant, names in _streams(deployment.new_instances).items()}
                return Serving(deployment.config_name, deployment.variants, streams, count)
        return Serving(endpoint.endpoint_config_name, endpoint.production_variants, extras.streams, count)


def update_endpoint_weights_and_capacities(self: SageMakerResponse) -> ActionResult:
    """moto's, but a property left out of a variant's entry is kept, as SageMaker keeps it:
    moto sets it to None (an autoscaled count without a weight lost the weight, and an
    invocation then failed choosing a variant)."""
    with STATE_LOCK:
        endpoint = _find_endpoint(self.sagemaker_backend, self._get_param("EndpointName"))
        current = {variant["VariantName"]: variant for variant in endpoint.production_variants}
        given = self._get_param("DesiredWeightsAndCapacities") or []
        filled = []
        for item in given:
            now = current.get(item.get("VariantName"), {})
            kept = {
                key: now.get(key, now.get(key.replace("Desired", "Current")))
                for key in ("DesiredWeight", "DesiredInstanceCount")
                if key not in item
            }
            filled.append({**kept, **item})
        arn = self.sagemaker_backend.update_endpoint_weights_and_capacities(
            endpoint_name=endpoint.endpoint_name, desired_weights_and_capacities=filled
        )
    return ActionResult({"EndpointArn": arn})


def set_variant_instance_count(
    backend: SageMakerModelBackend, endpoint_name: str, variant_name: str, count: int
) -> None:
    """What Application Auto Scaling does to a variant: desired and current both move."""
    with STATE_LOCK:
        endpoint = backend.endpoints.get(endpoint_name)
        if endpoint is None:
            raise LookupError(f"no endpoint named {endpoint_name!r} in {backend.region_name}")
        for variant in endpoint.production_variants:
            if variant["VariantName"] == variant_name:
                variant["CurrentInstanceCount"] = variant["DesiredInstanceCount"] = count
                return
        names = [variant["VariantName"] for variant in endpoint.production_variants]
        raise LookupError(f"endpoint {endpoint_name!r} has no variant {variant_name!r} ({names})")


HANDLERS = {
    "create_endpoint": create_endpoint,
    "describe_endpoint": describe_endpoint,
    "update_endpoint": update_endpoint,
    "update_endpoint_weights_and_capacities": update_endpoint_weights_and_capacities,
}
