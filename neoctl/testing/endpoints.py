"""Endpoint behaviour moto lacks: UpdateEndpoint, accurate variant summaries, and
the Updating -> InService transition, derived from the clock like job statuses."""

from __future__ import annotations

import copy
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeEndpoint, FakeEndpointConfig, SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse
from moto.sagemaker.utils import arn_formatter

from neoctl.testing import clock
from neoctl.testing.runtime import STATE_LOCK, current_settings

VARIANT_PROPERTIES = ("DesiredInstanceCount", "DesiredWeight", "DataCaptureConfig")
_DESIRED_TO_CURRENT = (
    ("DesiredInstanceCount", "CurrentInstanceCount"),
    ("DesiredWeight", "CurrentWeight"),
    ("DesiredServerlessConfig", "CurrentServerlessConfig"),
)

# Captured at import, before install() replaces the attribute on the class.
_moto_create_endpoint = SageMakerResponse.create_endpoint


@dataclass
class PendingDeployment:
    """An UpdateEndpoint in flight: what the endpoint becomes once the new fleet is up."""

    config_name: str
    variants: list[dict[str, Any]]
    data_capture_config: dict[str, Any]
    started: datetime
    done_at: datetime


@dataclass
class EndpointExtras:
    pending: PendingDeployment | None = None
    last_deployment_config: dict[str, Any] | None = None


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


def advance_endpoint(endpoint: FakeEndpoint, now: datetime) -> None:
    with STATE_LOCK:
        extras = _extras.get(endpoint)
        pending = extras.pending if extras is not None else None
        if extras is None or pending is None or now < pending.done_at:
            return
        for variant in pending.variants:
            # The new fleet is up: what was desired is now what runs.
            for desired, current in _DESIRED_TO_CURRENT:
                if desired in variant:
                    variant[current] = variant[desired]
        endpoint.endpoint_config_name = pending.config_name
        endpoint.production_variants = pending.variants
        endpoint.data_capture_config = pending.data_capture_config
        endpoint.endpoint_status = "InService"
        endpoint.last_modified_time = pending.done_at
        extras.pending = None


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


def update_endpoint(self: SageMakerResponse) -> ActionResult:
    backend = self.sagemaker_backend
    retain = bool(self._get_param("RetainAllVariantProperties", False))
    excluded = {item.get("VariantPropertyType") for item in self._get_param("ExcludeRetainedVariantProperties") or []}
    unknown = sorted(str(p) for p in excluded if p not in VARIANT_PROPERTIES)
    if unknown:
        raise ValidationError(
            message=f"Invalid VariantPropertyType {unknown}; valid values are {list(VARIANT_PROPERTIES)}."
        )
    deployment = self._get_param("DeploymentConfig")
    retain_deployment = bool(self._get_param("RetainDeploymentConfig", False))
    with STATE_LOCK:
        now = clock.now()
        endpoint = _find_endpoint(backend, self._get_param("EndpointName"))
        advance_endpoint(endpoint, now)
        config = _find_config(backend, self._get_param("EndpointConfigName"))
        if endpoint.endpoint_status != "InService":
            raise ValidationError(
                message=f"Cannot update in-progress endpoint '{endpoint.arn}': its status is "
                f"{endpoint.endpoint_status}; wait until it is InService."
            )
        keep_capture = retain and "DataCaptureConfig" not in excluded
        extras = _extras_for(endpoint)
        extras.pending = PendingDeployment(
            config_name=config.endpoint_config_name,
            variants=merge_variants(
                endpoint.production_variants,
                config.production_variants,
                retain=retain,
                excluded=excluded,
            ),
            data_capture_config=copy.deepcopy(
                endpoint.data_capture_config if keep_capture else config.data_capture_config
            ),
            started=now,
            done_at=now + timedelta(seconds=current_settings().transition_seconds),
        )
        if deployment:
            extras.last_deployment_config = deployment
        elif not retain_deployment:
            extras.last_deployment_config = None
        # Until the new fleet is up, DescribeEndpoint keeps reporting the running
        # config and variants and shows the new ones under PendingDeploymentSummary.
        endpoint.endpoint_status = "Updating"
        endpoint.last_modified_time = now
    return ActionResult({"EndpointArn": endpoint.arn})


def create_endpoint(self: SageMakerResponse) -> ActionResult:
    with STATE_LOCK:
        result = _moto_create_endpoint(self)
        endpoint = self.sagemaker_backend.endpoints[self._get_param("EndpointName")]
        config = _find_config(self.sagemaker_backend, endpoint.endpoint_config_name)
        endpoint.production_variants = [variant_from_config(variant) for variant in config.production_variants]
    return result


def _pending_summary(pending: PendingDeployment | None) -> dict[str, Any] | None:
    if pending is None:
        return None
    return {
        "EndpointConfigName": pending.config_name,
        "ProductionVariants": copy.deepcopy(pending.variants),
        "StartTime": pending.started,
    }


def describe_endpoint(self: SageMakerResponse) -> ActionResult:
    with STATE_LOCK:
        endpoint = _find_endpoint(self.sagemaker_backend, self._get_param("EndpointName"))
        advance_endpoint(endpoint, clock.now())
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
            "PendingDeploymentSummary": _pending_summary(extras.pending),
        }
    return ActionResult({key: value for key, value in out.items() if value is not None})


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
}
