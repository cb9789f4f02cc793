"""CloudWatch alarms: the ones a traffic policy rolls an endpoint update back on."""

from __future__ import annotations

from typing import Any

from neoctl.api.session import AwsOptions, client


def describe_alarms(options: AwsOptions, names: list[str]) -> dict[str, dict[str, Any]]:
    """The alarms of these names that exist in the region, metric and composite alike, by
    name: {StateValue, StateReason, StateUpdatedTimestamp, Kind}. One DescribeAlarms for
    all of them (a traffic policy names at most 10; a request takes 100)."""
    if not names:
        return {}
    cloudwatch = client(options, "cloudwatch")
    found: dict[str, dict[str, Any]] = {}
    params: dict[str, Any] = {"AlarmNames": names, "AlarmTypes": ["MetricAlarm", "CompositeAlarm"]}
    while True:
        page = cloudwatch.describe_alarms(**params)
        for kind, key in (("metric", "MetricAlarms"), ("composite", "CompositeAlarms")):
            for alarm in page.get(key, []):
                found[str(alarm.get("AlarmName"))] = {
                    "StateValue": alarm.get("StateValue"),
                    "StateReason": alarm.get("StateReason"),
                    "StateUpdatedTimestamp": alarm.get("StateUpdatedTimestamp"),
                    "Kind": kind,
                }
        token = page.get("NextToken")
        if not token:
            return found
        params["NextToken"] = token


def find_alarms(options: AwsOptions, names: list[str]) -> dict[str, dict[str, Any]] | None:
    """describe_alarms, or None when the caller may not describe alarms (access denied):
    then whether they exist cannot be told from here."""
    from botocore.exceptions import ClientError

    from neoctl.api.lookups import _DENIED

    try:
        return describe_alarms(options, names)
    except ClientError as exc:
        if str(exc.response.get("Error", {}).get("Code", "")) in _DENIED:
            return None
        raise
