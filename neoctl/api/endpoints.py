"""Endpoint calls: describe, create and update endpoints, their configs and models; tags."""

from __future__ import annotations

from typing import Any

from neoctl.api.calls import strip
from neoctl.api.session import AwsOptions, client


def region(options: AwsOptions) -> str:
    """The region the SageMaker client of these options talks to."""
    return str(client(options).meta.region_name)


def describe_endpoint(options: AwsOptions, name: str) -> dict[str, Any]:
    """DescribeEndpoint without ResponseMetadata."""
    return strip(client(options).describe_endpoint(EndpointName=name))


def find_endpoint(options: AwsOptions, name: str) -> dict[str, Any] | None:
    """DescribeEndpoint, or None when there is no endpoint of that name."""
    return _or_none(lambda: describe_endpoint(options, name))


def describe_endpoint_config(options: AwsOptions, name: str) -> dict[str, Any]:
    """DescribeEndpointConfig without ResponseMetadata."""
    return strip(client(options).describe_endpoint_config(EndpointConfigName=name))


def find_endpoint_config(options: AwsOptions, name: str) -> dict[str, Any] | None:
    """DescribeEndpointConfig, or None when there is no config of that name."""
    return _or_none(lambda: describe_endpoint_config(options, name))


def find_model(options: AwsOptions, name: str) -> dict[str, Any] | None:
    """DescribeModel, or None when there is no model of that name."""
    return _or_none(lambda: strip(client(options).describe_model(ModelName=name)))


def list_tags(options: AwsOptions, arn: str) -> list[dict[str, str]]:
    """Every tag of a resource (ListTags, all pages)."""
    sagemaker = client(options)
    tags: list[dict[str, str]] = []
    for page in sagemaker.get_paginator("list_tags").paginate(ResourceArn=arn):
        tags.extend(page.get("Tags", []))
    return tags


def create_model(options: AwsOptions, request: dict[str, Any]) -> dict[str, Any]:
    """CreateModel."""
    return strip(client(options).create_model(**request))


def create_endpoint_config(options: AwsOptions, request: dict[str, Any]) -> dict[str, Any]:
    """CreateEndpointConfig."""
    return strip(client(options).create_endpoint_config(**request))


def create_endpoint(options: AwsOptions, request: dict[str, Any]) -> dict[str, Any]:
    """CreateEndpoint."""
    return strip(client(options).create_endpoint(**request))


def update_endpoint(options: AwsOptions, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateEndpoint with a request built by neoctl.endpoints.update."""
    return strip(client(options).update_endpoint(**request))


def _or_none(call: Any) -> dict[str, Any] | None:
    from botocore.exceptions import ClientError

    try:
        result: dict[str, Any] = call()
    except ClientError as exc:
        error = exc.response.get("Error", {})
        # SageMaker says "Could not find ..." in a ValidationException for a missing endpoint,
        # config or model.
        if (
            error.get("Code") in ("ValidationException", "ResourceNotFound")
            and "could not find" in str(error.get("Message", "")).lower()
        ):
            return None
        raise
    return result


def list_endpoints(
    options: AwsOptions,
    params: dict[str, Any],
    max_items: int | None = None,
    page_size: int | None = None,
    starting_token: str | None = None,
) -> Any:
    """ListEndpoints through every page (or up to max_items): a neoctl.api.calls.Listing."""
    from neoctl.api.calls import paginate

    return paginate(client(options), "list_endpoints", "Endpoints", params, max_items, page_size, starting_token)


def add_tags(options: AwsOptions, arn: str, tags: list[dict[str, str]]) -> None:
    """AddTags: set these tags on a resource (a key already there takes the new value)."""
    client(options).add_tags(ResourceArn=arn, Tags=tags)
