"""A deployment followed from successive DescribeEndpoint answers (neoctl/endpoints/progress.py):
its phase, step, traffic and bake time left, its alarms, and how the wait ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

from neoctl.endpoints.progress import Follower, outcome
from neoctl.endpoints.traffic import TrafficPolicy

T0 = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
CANARY = TrafficPolicy(canary="1", bake="10m", alarms=["errors", "latency"]).build()


def described(status: str | None, start: int = 0, endpoint: str = "Updating", **extra: Any) -> dict[str, Any]:
    """DescribeEndpoint of `prod` (serving v1, 4 instances) with v2 pending in `status`,
    started `start` seconds after T0 (no pending deployment when `status` is None)."""
    answer: dict[str, Any] = {
        "EndpointName": "prod",
        "EndpointStatus": endpoint,
        "EndpointConfigName": "v1",
        "ProductionVariants": [{"VariantName": "AllTraffic", "DesiredInstanceCount": 4}],
        **extra,
    }
    if status is not None:
        answer["PendingDeploymentSummary"] = {
            "EndpointConfigName": "v2",
            "ProductionVariants": [
                {
                    "VariantName": "AllTraffic",
                    "DesiredInstanceCount": 4,
                    "VariantStatus": [{"Status": status, "StartTime": T0 + dt.timedelta(seconds=start)}],
                }
            ],
        }
    return answer


OK = {"errors": {"StateValue": "OK"}, "latency": {"StateValue": "OK"}}


def test_a_canary_goes_through_its_phases_with_traffic_and_time_left() -> None:
    follower = Follower("prod", CANARY, expect="v2")
    seen = []
    for answer, at in [
        (described("Creating", 0), 5),
        (described("ActivatingTraffic", 60), 61),
        (described("Baking", 62), 62 + 120),
        (described("ActivatingTraffic", 700), 701),
        (described("Baking", 702), 702 + 30),
        (described("Deleting", 1400), 1401),
    ]:
        progress = follower.read(answer, OK, now=T0 + dt.timedelta(seconds=at))
        seen.append((progress.phase, progress.step, progress.new_share, progress.bake_left))
    assert seen == [
        ("provisioning the new fleet", 0, 0.0, None),
        ("canary: shifting traffic to it", 1, 0.25, None),
        ("baking the canary", 1, 0.25, 480.0),
        ("shifting the rest of the traffic", 2, 1.0, None),
        ("final bake", 2, 1.0, 570.0),
        ("terminating the old fleet", 2, 1.0, None),
    ]
    assert follower.progress.target == "v2" and follower.progress.policy == "canary"
    assert follower.progress.alarms == {"errors": "OK", "latency": "OK"}
    done = follower.read(described(None, endpoint="InService") | {"EndpointConfigName": "v2"}, OK)
    assert done.phase == "serving v2" and outcome(done, "v2") is None


def test_a_missed_activation_is_counted_from_the_bakes() -> None:
    follower = Follower("prod", CANARY, expect="v2")
    follower.read(described("Baking", 10), OK, now=T0 + dt.timedelta(seconds=20))
    later = follower.read(described("Baking", 700), OK, now=T0 + dt.timedelta(seconds=720))
    assert (later.phase, later.step) == ("final bake", 2)


def test_an_alarm_that_fires_is_named_with_its_reason_when_the_update_rolls_back() -> None:
    follower = Follower("prod", CANARY, expect="v2")
    follower.read(described("Baking", 0), OK, now=T0)
    firing = {
        "errors": {"StateValue": "ALARM", "StateReason": "Threshold Crossed: 5XX"},
        "latency": {"StateValue": "OK"},
    }
    rolling = follower.read(described("Deleting", 30, endpoint="RollingBack"), firing)
    assert rolling.phase == "rolling back to the old fleet" and rolling.fired == ["errors"]
    reason = "Deployment of v2 rolled back: alarm errors fired."
    done = follower.read(described(None, endpoint="InService", FailureReason=reason), OK)  # the alarm is OK again
    assert done.phase == "rolled back: serving v1" and done.new_share == 0.0
    assert outcome(done, "v2") == (
        "endpoint prod was rolled back when alarm errors (Threshold Crossed: 5XX) went into ALARM: it serves v1, not v2"
    )


def test_an_update_that_ends_in_service_on_the_old_config_is_a_failure_without_alarms_too() -> None:
    follower = Follower("prod", None, expect="v2")
    done = follower.read(described(None, endpoint="InService", FailureReason="ping health check"))
    assert (
        outcome(done, "v2") == "endpoint prod was rolled back: it serves v1, not v2 (FailureReason: ping health check)"
    )
    assert outcome(done, None) is None  # nothing was expected: `endpoint wait` of a settled endpoint


def test_failed_and_rollback_failed_end_the_wait_badly() -> None:
    follower = Follower("prod", CANARY, expect="v2")
    failed = follower.read(described(None, endpoint="Failed", FailureReason="no capacity"))
    assert outcome(failed, "v2") == "endpoint prod Failed: no capacity"
    stuck = follower.read(described(None, endpoint="UpdateRollbackFailed", FailureReason="rollback broke"))
    assert outcome(stuck, "v2") == (
        "endpoint prod is UpdateRollbackFailed: the update failed and so did its rollback (rollback broke)"
    )


def test_rolling_batches_are_counted_from_their_provisioning() -> None:
    rolling = TrafficPolicy(rolling="1", bake="1m").build()
    follower = Follower("prod", rolling, expect="v2")
    phases = [
        follower.read(described(status, start), now=T0 + dt.timedelta(seconds=start + 1))
        for status, start in [("Creating", 0), ("Baking", 10), ("Creating", 100), ("ActivatingTraffic", 110)]
    ]
    assert [(p.phase, p.step, p.new_share) for p in phases] == [
        ("batch 1 of 4: provisioning new instances", 1, 0.0),
        ("batch 1 of 4: baking", 1, 0.25),
        ("batch 2 of 4: provisioning new instances", 2, 0.25),
        ("batch 2 of 4: turning on traffic", 2, 0.5),
    ]
