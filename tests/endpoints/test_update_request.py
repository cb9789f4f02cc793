"""UpdateEndpoint requests from flags."""

from __future__ import annotations

import pytest

from neoctl.endpoints.update import build_request
from neoctl.errors import InvalidInput, UsageError


def test_retain_all_with_excludes_deduplicated() -> None:
    req = build_request("prod", "cfg-v2", True, ["desiredweight", "DesiredWeight", "DataCaptureConfig"], True)
    assert req == {
        "EndpointName": "prod",
        "EndpointConfigName": "cfg-v2",
        "RetainAllVariantProperties": True,
        "ExcludeRetainedVariantProperties": [
            {"VariantPropertyType": "DesiredWeight"},
            {"VariantPropertyType": "DataCaptureConfig"},
        ],
        "RetainDeploymentConfig": True,
    }


def test_plain_update_sends_only_names() -> None:
    assert build_request("prod", "cfg-v2", False, [], False) == {
        "EndpointName": "prod",
        "EndpointConfigName": "cfg-v2",
    }


def test_exclude_needs_retain_all() -> None:
    with pytest.raises(UsageError):
        build_request("prod", "cfg-v2", False, ["DesiredWeight"], False)


def test_names_checked_against_model() -> None:
    with pytest.raises(InvalidInput):
        build_request("prod_1", "cfg-v2", False, [], False)
