"""Endpoint calls: describe an endpoint or an endpoint config, update an endpoint."""

from __future__ import annotations

from typing import Any

from neoctl.api.calls import strip
from neoctl.api.session import AwsOptions, client


def describe_endpoint(options: AwsOptions, name: str) -> dict[str, Any]:
    """DescribeEndpoint without ResponseMetadata."""
    return strip(client(options).describe_endpoint(EndpointName=name))


def describe_endpoint_config(options: AwsOptions, name: str) -> dict[str, Any]:
    """DescribeEndpointConfig without ResponseMetadata."""
    return strip(client(options).describe_endpoint_config(EndpointConfigName=name))


def update_endpoint(options: AwsOptions, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateEndpoint with a request built by neoctl.endpoints.update."""
    return strip(client(options).update_endpoint(**request))
