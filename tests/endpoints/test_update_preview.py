"""What `endpoint update` says it will do: `preview` rows and the autoscaling warning.

The inputs are shaped as DescribeEndpoint and DescribeEndpointConfig answer them: the
endpoint has Current*/Desired* counts and weights and a DataCaptureConfig *summary*
(CurrentSamplingPercentage); the config has Initial* values and its own DataCaptureConfig
(InitialSamplingPercentage).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from neoctl.endpoints.update import build_request, preview, warnings

T0 = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
CAPTURE_NOW = "on 20% → s3://ml-capture/resnet50/v1"
CAPTURE_NEW = "on 50% → s3://ml-capture/resnet50/v2"


def _endpoint(*variants: dict[str, Any], capture: dict[str, Any] | None = None) -> dict[str, Any]:
    endpoint: dict[str, Any] = {
        "EndpointName": "resnet50-prod",
        "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/resnet50-prod",
        "EndpointConfigName": "resnet50-v1",
        "ProductionVariants": list(variants),
        "EndpointStatus": "InService",
        "CreationTime": T0,
        "LastModifiedTime": T0,
    }
    if capture is not None:
        endpoint["DataCaptureConfig"] = capture
    return endpoint


def _running(name: str, count: int, weight: float, desired_count: int | None = None) -> dict[str, Any]:
    """A variant as DescribeEndpoint shows it (autoscaling may have moved DesiredInstanceCount)."""
    return {
        "VariantName": name,
        "DeployedImages": [
            {
                "SpecifiedImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/neo-pytorch:2.0",
                "ResolvedImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/neo-pytorch@sha256:00",
                "ResolutionTime": T0,
            }
        ],
        "CurrentWeight": weight,
        "DesiredWeight": weight,
        "CurrentInstanceCount": count,
        "DesiredInstanceCount": count if desired_count is None else desired_count,
    }


def _config(*variants: dict[str, Any], capture: dict[str, Any] | None = None) -> dict[str, Any]:
    config: dict[str, Any] = {
        "EndpointConfigName": "resnet50-v2",
        "EndpointConfigArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/resnet50-v2",
        "ProductionVariants": list(variants),
        "CreationTime": T0,
    }
    if capture is not None:
        config["DataCaptureConfig"] = capture
    return config


def _planned(name: str, count: int, weight: float | None = None) -> dict[str, Any]:
    """A variant as DescribeEndpointConfig shows it; no weight means the API default (1.0)."""
    variant: dict[str, Any] = {
        "VariantName": name,
        "ModelName": f"resnet50-v2-{name.lower()}",
        "InitialInstanceCount": count,
        "InstanceType": "ml.c5.xlarge",
    }
    if weight is not None:
        variant["InitialVariantWeight"] = weight
    return variant


CAPTURE_SUMMARY = {
    "EnableCapture": True,
    "CaptureStatus": "Started",
    "CurrentSamplingPercentage": 20,
    "DestinationS3Uri": "s3://ml-capture/resnet50/v1",
}
CAPTURE_CONFIG = {
    "EnableCapture": True,
    "InitialSamplingPercentage": 50,
    "DestinationS3Uri": "s3://ml-capture/resnet50/v2",
    "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
}


def _row(variant: str, prop: str, current: Any, new: Any, after: Any) -> dict[str, Any]:
    return {
        "Variant": variant,
        "Property": prop,
        "Current": current,
        "NewConfig": new,
        "After": after,
        "Changes": current != after,
    }


def _serving(endpoint: dict[str, Any]) -> dict[str, Any]:
    """The config the endpoint serves now (DescribeEndpointConfig): a model per variant."""
    variants = [
        {"VariantName": v["VariantName"], "ModelName": f"resnet50-v1-{v['VariantName'].lower()}"}
        for v in endpoint["ProductionVariants"]
    ]
    return {"EndpointConfigName": endpoint["EndpointConfigName"], "ProductionVariants": variants}


def _preview(endpoint: dict[str, Any], config: dict[str, Any], request: dict[str, Any]) -> list[dict[str, Any]]:
    return preview(endpoint, config, request, _serving(endpoint))


MODEL = ("resnet50-v1-alltraffic", "resnet50-v2-alltraffic", "resnet50-v2-alltraffic")


# An endpoint autoscaled to 4 instances; the new config asks for 1 and another weight.
ENDPOINT = _endpoint(_running("AllTraffic", 4, 1.0), capture=CAPTURE_SUMMARY)
CONFIG = _config(_planned("AllTraffic", 1, 0.5), capture=CAPTURE_CONFIG)


def test_retain_all_keeps_current_counts_weights_and_capture() -> None:
    request = build_request("resnet50-prod", "resnet50-v2", True, [], False)
    rows = _preview(ENDPOINT, CONFIG, request)
    assert rows == [
        _row("AllTraffic", "ModelName", *MODEL),
        _row("AllTraffic", "DesiredInstanceCount", 4, 1, 4),
        _row("AllTraffic", "DesiredWeight", 1.0, 0.5, 1.0),
        _row("AllTraffic", "DataCaptureConfig", CAPTURE_NOW, CAPTURE_NEW, CAPTURE_NOW),
    ]
    # Retaining keeps the variant's properties, never its model: the model is what changes.
    assert [row["Property"] for row in rows if row["Changes"]] == ["ModelName"]
    assert warnings(rows, request) == []


def test_retain_all_keeps_what_autoscaling_desires_not_what_is_running() -> None:
    # Mid scale-out: 2 running, autoscaling wants 6. Retaining keeps the desired 6.
    endpoint = _endpoint(_running("AllTraffic", 2, 1.0, desired_count=6))
    rows = _preview(endpoint, _config(_planned("AllTraffic", 1)), build_request("e", "c", True, [], False))
    assert rows[1] == _row("AllTraffic", "DesiredInstanceCount", 6, 1, 6)


def test_each_excluded_property_comes_from_the_new_config() -> None:
    cases = {
        "DesiredInstanceCount": [MODEL, (4, 1, 1), (1.0, 0.5, 1.0), (CAPTURE_NOW, CAPTURE_NEW, CAPTURE_NOW)],
        "DesiredWeight": [MODEL, (4, 1, 4), (1.0, 0.5, 0.5), (CAPTURE_NOW, CAPTURE_NEW, CAPTURE_NOW)],
        "DataCaptureConfig": [MODEL, (4, 1, 4), (1.0, 0.5, 1.0), (CAPTURE_NOW, CAPTURE_NEW, CAPTURE_NEW)],
    }
    props = ["ModelName", "DesiredInstanceCount", "DesiredWeight", "DataCaptureConfig"]
    for excluded_prop, values in cases.items():
        request = build_request("resnet50-prod", "resnet50-v2", True, [excluded_prop.lower()], False)
        rows = _preview(ENDPOINT, CONFIG, request)
        expected = [_row("AllTraffic", p, *v) for p, v in zip(props, values, strict=True)]
        assert rows == expected, excluded_prop
        # Excluding is a deliberate choice: no autoscaling warning for it.
        assert warnings(rows, request) == []


def test_two_excluded_properties_leave_only_the_third_retained() -> None:
    request = build_request("resnet50-prod", "resnet50-v2", True, ["DesiredWeight", "DataCaptureConfig"], False)
    assert [row["After"] for row in _preview(ENDPOINT, CONFIG, request)] == [MODEL[2], 4, 0.5, CAPTURE_NEW]


def test_without_retain_the_new_config_applies_and_the_warning_names_variant_and_counts() -> None:
    request = build_request("resnet50-prod", "resnet50-v2", False, [], False)
    rows = _preview(ENDPOINT, CONFIG, request)
    assert rows == [
        _row("AllTraffic", "ModelName", *MODEL),
        _row("AllTraffic", "DesiredInstanceCount", 4, 1, 1),
        _row("AllTraffic", "DesiredWeight", 1.0, 0.5, 0.5),
        _row("AllTraffic", "DataCaptureConfig", CAPTURE_NOW, CAPTURE_NEW, CAPTURE_NEW),
    ]
    assert all(row["Changes"] for row in rows)
    assert warnings(rows, request) == [
        "variant AllTraffic: this update resets the instance count from 4 to 1 (the new config's); "
        "if autoscaling set 4, add --retain-all to keep it"
    ]


def test_warning_only_for_variants_whose_count_changes() -> None:
    endpoint = _endpoint(_running("Blue", 3, 0.9), _running("Green", 2, 0.1))
    config = _config(_planned("Blue", 3, 0.9), _planned("Green", 5, 0.1), _planned("Canary", 1, 0.0))
    request = build_request("resnet50-prod", "resnet50-v2", False, [], False)
    assert warnings(_preview(endpoint, config, request), request) == [
        "variant Green: this update resets the instance count from 2 to 5 (the new config's); "
        "if autoscaling set 2, add --retain-all to keep it"
    ]


def test_variant_missing_from_the_new_config_is_removed() -> None:
    endpoint = _endpoint(_running("Blue", 3, 0.5), _running("Green", 3, 0.5))
    config = _config(_planned("Blue", 3, 1.0))
    for retain in (True, False):
        rows = _preview(endpoint, config, build_request("resnet50-prod", "resnet50-v2", retain, [], False))
        assert [r for r in rows if r["Variant"] == "Green"] == [
            {
                "Variant": "Green",
                "Property": "(variant)",
                "Current": "present",
                "NewConfig": None,
                "After": "removed",
                "Changes": True,
            }
        ]
        # Removed variants come after the new config's variants.
        assert [r["Variant"] for r in rows] == ["Blue", "Blue", "Blue", "Blue", "Green"]


def test_several_removed_variants_keep_the_endpoints_order() -> None:
    # The preview is printed (and emitted as JSON): its order must not depend on hashing.
    names = ["v-" + "abcdefghij"[i] * (i + 1) for i in range(10)]
    endpoint = _endpoint(*(_running(n, 1, 0.1) for n in names))
    rows = _preview(endpoint, _config(_planned("Next", 1)), build_request("e", "c", True, [], False))
    assert [r["Variant"] for r in rows if r["Property"] == "(variant)"] == names


def test_new_variant_has_no_current_value_and_takes_the_config_even_with_retain_all() -> None:
    endpoint = _endpoint(_running("Blue", 3, 1.0))
    config = _config(_planned("Blue", 3, 1.0), _planned("Canary", 1, 0.1), capture=CAPTURE_CONFIG)
    request = build_request("resnet50-prod", "resnet50-v2", True, [], False)
    rows = _preview(endpoint, config, request)
    assert rows[4:] == [
        _row("Canary", "ModelName", None, "resnet50-v2-canary", "resnet50-v2-canary"),
        _row("Canary", "DesiredInstanceCount", None, 1, 1),
        _row("Canary", "DesiredWeight", None, 0.1, 0.1),
        _row("Canary", "DataCaptureConfig", None, CAPTURE_NEW, CAPTURE_NEW),
    ]
    assert all(row["Changes"] for row in rows[4:])
    # A new variant resets nothing: no autoscaling warning even without --retain-all.
    plain = build_request("resnet50-prod", "resnet50-v2", False, [], False)
    assert warnings(_preview(endpoint, config, plain), plain) == []


def test_weight_defaults_to_one_when_the_config_leaves_it_out() -> None:
    endpoint = _endpoint(_running("AllTraffic", 2, 0.25))
    config = _config(_planned("AllTraffic", 2))  # no InitialVariantWeight
    rows = _preview(endpoint, config, build_request("e", "c", False, [], False))
    assert rows[2] == _row("AllTraffic", "DesiredWeight", 0.25, 1.0, 1.0)


def test_current_weight_and_count_used_when_desired_values_are_absent() -> None:
    running = _running("AllTraffic", 3, 0.7)
    del running["DesiredWeight"], running["DesiredInstanceCount"]
    config = _config(_planned("AllTraffic", 1, 1.0))
    rows = _preview(_endpoint(running), config, build_request("e", "c", True, [], False))
    assert [(r["Current"], r["After"]) for r in rows[1:3]] == [(3, 3), (0.7, 0.7)]


def _capture_row(endpoint_capture: dict[str, Any] | None, config_capture: dict[str, Any] | None) -> dict[str, Any]:
    endpoint = _endpoint(_running("AllTraffic", 1, 1.0), capture=endpoint_capture)
    config = _config(_planned("AllTraffic", 1, 1.0), capture=config_capture)
    rows = _preview(endpoint, config, build_request("e", "c", False, [], False))
    return rows[3]


def test_data_capture_rendering() -> None:
    # Capture turned on by the new config.
    turned_on = _row("AllTraffic", "DataCaptureConfig", "off", CAPTURE_NEW, CAPTURE_NEW)
    assert _capture_row(None, CAPTURE_CONFIG) == turned_on
    # Capture turned off: the new config has none, or says EnableCapture false.
    assert _capture_row(CAPTURE_SUMMARY, None) == _row("AllTraffic", "DataCaptureConfig", CAPTURE_NOW, "off", "off")
    disabled = {**CAPTURE_CONFIG, "EnableCapture": False}
    assert _capture_row(CAPTURE_SUMMARY, disabled)["NewConfig"] == "off"
    # A stopped capture on the endpoint reads as off.
    stopped = {**CAPTURE_SUMMARY, "EnableCapture": False, "CaptureStatus": "Stopped"}
    assert _capture_row(stopped, None) == _row("AllTraffic", "DataCaptureConfig", "off", "off", "off")
    # EnableCapture is optional in a config and defaults to on.
    implicit = {k: v for k, v in CAPTURE_CONFIG.items() if k != "EnableCapture"}
    assert _capture_row(None, implicit)["NewConfig"] == CAPTURE_NEW
    # Without a sampling percentage only the destination is shown.
    no_pct = {"EnableCapture": True, "DestinationS3Uri": "s3://ml-capture/x"}
    assert _capture_row(None, no_pct)["NewConfig"] == "on → s3://ml-capture/x"


def test_config_with_no_variants_removes_everything() -> None:
    rows = _preview(ENDPOINT, _config(), build_request("e", "c", True, [], False))
    assert rows == [
        {
            "Variant": "AllTraffic",
            "Property": "(variant)",
            "Current": "present",
            "NewConfig": None,
            "After": "removed",
            "Changes": True,
        }
    ]


def test_the_model_is_never_retained_and_unknown_when_the_served_config_is_gone() -> None:
    # Same model in both configs: nothing changes; with the served config deleted, the
    # model served now is unknown (None), not claimed to be the new one.
    same = _config({**_planned("AllTraffic", 4, 1.0), "ModelName": "resnet50-v1-alltraffic"})
    request = build_request("resnet50-prod", "resnet50-v2", True, [], False)
    assert not _preview(ENDPOINT, same, request)[0]["Changes"]
    gone = preview(ENDPOINT, CONFIG, request)  # the served config could not be described
    unknown = "unknown (config resnet50-v1 not found)"
    assert gone[0] == _row("AllTraffic", "ModelName", unknown, MODEL[1], MODEL[2]) | {"Changes": None}
