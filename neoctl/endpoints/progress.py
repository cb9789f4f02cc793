"""An endpoint deployment as it goes, read from successive DescribeEndpoint answers.

While an update runs, DescribeEndpoint keeps reporting the config the endpoint serves and
puts the new one under PendingDeploymentSummary, whose variants carry a VariantStatus
(Creating, ActivatingTraffic, Baking, Deleting, Updating) with its StartTime; the
EndpointStatus is Updating, then RollingBack if SageMaker rolls it back. Which traffic
step (or rolling batch) is under way is not reported: it is counted from the distinct
StartTimes seen, so a wait that polls less often than steps last may count fewer (the
share shown is then a lower bound, and the final bake is still told by the step count).
Pure: the answers are handed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from neoctl.endpoints import traffic
from neoctl.waitstate import DeploymentProgress

_POLICY = {"CANARY": "canary", "LINEAR": "linear", "ROLLING": "rolling", "ALL_AT_ONCE": "all at once"}

# The phase shown once the endpoint has settled: a status repeated ("Failed: Failed") says nothing.
_SETTLED = {
    "InService": "InService",
    "Failed": "did not come up (the FailureReason follows)",
    "UpdateRollbackFailed": "the update failed and so did its rollback",
    "OutOfService": "out of service",
}


class Follower:
    """Turns each DescribeEndpoint of one endpoint (and its alarms' states) into a
    DeploymentProgress, remembering what earlier polls saw."""

    def __init__(self, name: str, config: Mapping[str, Any] | None, expect: str | None = None) -> None:
        self.name = name
        self.config: Mapping[str, Any] = config or {}
        self.expect = expect
        self._seen: dict[str, set[str]] = {"Creating": set(), "ActivatingTraffic": set(), "Baking": set()}
        self.fired: list[str] = []
        self.reasons: dict[str, str] = {}  # why each alarm seen in ALARM was in it (StateReason)
        self.progress = DeploymentProgress(name)

    @property
    def kind(self) -> str:
        """CANARY, LINEAR, ROLLING or ALL_AT_ONCE."""
        if self.config.get("RollingUpdatePolicy"):
            return "ROLLING"
        routing = (self.config.get("BlueGreenUpdatePolicy") or {}).get("TrafficRoutingConfiguration") or {}
        return str(routing.get("Type", "ALL_AT_ONCE"))

    def read(
        self,
        described: Mapping[str, Any],
        alarms: Mapping[str, Mapping[str, Any]] | None = None,
        now: dt.datetime | None = None,
        elapsed: float = 0.0,
    ) -> DeploymentProgress:
        """The progress this answer (and the alarms' states, name → DescribeAlarms' fields) shows."""
        now = now or dt.datetime.now(dt.UTC)
        status = str(described.get("EndpointStatus", "UNKNOWN"))
        pending = described.get("PendingDeploymentSummary") or {}
        variants = pending.get("ProductionVariants") or []
        target = pending.get("EndpointConfigName") or self.progress.target or self.expect
        total = _largest(variants) or _largest(described.get("ProductionVariants") or [])
        stage = _stage(variants)
        if stage is not None:
            started = str(stage.get("StartTime", ""))
            if stage["Status"] in self._seen:
                self._seen[stage["Status"]].add(started)
        kind = self.kind
        steps = traffic.step_count(self.config, total) if self.config else 1
        step = self._step(stage, kind, steps)
        progress = DeploymentProgress(
            self.name,
            status=status,
            serving=described.get("EndpointConfigName"),
            target=target,
            policy=_POLICY.get(kind, kind.lower()),
            step=step,
            steps=steps if kind in ("LINEAR", "ROLLING", "CANARY") else None,
            failure_reason=described.get("FailureReason"),
            elapsed=elapsed,
        )
        progress.phase, progress.new_share, progress.bake_left = self._phase(
            status, stage, kind, step, steps, total, now
        )
        if status == "InService" and not pending:
            rolled_back = target is not None and progress.serving != target
            progress.phase = f"{'rolled back: ' if rolled_back else ''}serving {progress.serving}"
            progress.new_share = 0.0 if rolled_back else (1.0 if target else None)
        for name, alarm in (alarms or {}).items():
            state = str(alarm.get("StateValue", "UNKNOWN"))
            progress.alarms[name] = state
            if state == "ALARM":
                self.reasons[name] = str(alarm.get("StateReason") or "")
                if name not in self.fired:
                    self.fired.append(name)
        progress.fired = list(self.fired)
        progress.alarm_reasons = dict(self.reasons)
        self.progress = progress
        return progress

    def _step(self, stage: Mapping[str, Any] | None, kind: str, steps: int) -> int:
        seen = {status: len(times) for status, times in self._seen.items()}
        if kind == "ROLLING":
            return max(seen.values()) or 1 if stage is not None else 0
        if stage is None:
            return 0
        status = stage["Status"]
        if status == "ActivatingTraffic":
            return max(seen["ActivatingTraffic"], seen["Baking"] + 1)
        if status == "Baking":
            return max(seen["ActivatingTraffic"], seen["Baking"], 1)
        if status == "Deleting":
            return steps
        return 0

    def _phase(
        self,
        status: str,
        stage: Mapping[str, Any] | None,
        kind: str,
        step: int,
        steps: int,
        total: int | None,
        now: dt.datetime,
    ) -> tuple[str, float | None, float | None]:
        """(phase, share of traffic on the new fleet, seconds left of the bake)."""
        if status == "RollingBack":
            return "rolling back to the old fleet", None, None
        if status in _SETTLED:
            return _SETTLED[status], None, None
        if stage is None:
            return ("creating" if status == "Creating" else "updating"), None, None
        name = stage["Status"]
        share = traffic.share_after(self.config, step, total) if self.config and step else None
        last = step >= steps
        label = f"batch {step} of {steps}: " if kind == "ROLLING" else ""
        if name == "Creating":
            before = traffic.share_after(self.config, step - 1, total) if kind == "ROLLING" and step > 1 else 0.0
            what = "provisioning new instances" if kind == "ROLLING" else "provisioning the new fleet"
            return label + what, before, None
        if name == "ActivatingTraffic":
            if kind == "CANARY":
                return (
                    ("canary: shifting traffic to it" if step == 1 else "shifting the rest of the traffic"),
                    share,
                    None,
                )
            if kind == "LINEAR":
                return f"step {step} of {steps}: shifting traffic", share, None
            if kind == "ROLLING":
                return label + "turning on traffic", share, None
            return "shifting all of the traffic", 1.0, None
        if name == "Baking":
            left = _left(stage, traffic.bake_seconds(self.config), now)
            if kind == "ROLLING":
                return label + "baking", share, left
            if last:
                return "final bake", 1.0, left
            return ("baking the canary" if kind == "CANARY" else f"baking after step {step} of {steps}"), share, left
        if name == "Deleting":
            return (
                label + ("terminating old instances" if kind == "ROLLING" else "terminating the old fleet"),
                (share if kind == "ROLLING" else 1.0),
                None,
            )
        return label + "updating capacity", share, None


def _stage(variants: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The latest VariantStatus entry among the pending variants."""
    found: list[Mapping[str, Any]] = [
        status for variant in variants for status in (variant.get("VariantStatus") or []) if status.get("Status")
    ]
    if not found:
        return None
    return max(found, key=lambda status: _time(status.get("StartTime")) or dt.datetime.min.replace(tzinfo=dt.UTC))


def _time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return None


def _left(stage: Mapping[str, Any], bake: int, now: dt.datetime) -> float | None:
    started = _time(stage.get("StartTime"))
    if started is None or not bake:
        return None
    return max(0.0, bake - (now - started).total_seconds())


def _largest(variants: list[Mapping[str, Any]]) -> int | None:
    counts = [
        int(v["DesiredInstanceCount"]) for v in variants if isinstance(v.get("DesiredInstanceCount"), int | float)
    ]
    return max(counts) if counts else None


def outcome(progress: DeploymentProgress, expect: str | None) -> str | None:
    """Why a finished wait failed, or None when the endpoint serves what was deployed.

    An update SageMaker rolled back ends InService on the old config with a FailureReason
    (DescribeEndpoint: "the status is InService but update operation fails"): a failure."""
    if progress.status == "Failed":
        return f"endpoint {progress.endpoint} Failed: {progress.failure_reason or 'no reason given'}"
    serving = progress.serving or "an unknown config"
    if progress.status == "UpdateRollbackFailed":
        return (
            f"endpoint {progress.endpoint} is UpdateRollbackFailed: the update failed and so did its rollback "
            f"({progress.failure_reason or 'no reason given'})"
        )
    if expect is not None and progress.serving != expect:
        fired = _fired(progress)
        # The alarm that fired says why; else SageMaker's FailureReason does.
        why = "" if fired else f" (FailureReason: {progress.failure_reason or 'none given'})"
        return f"endpoint {progress.endpoint} was rolled back{fired}: it serves {serving}, not {expect}{why}"
    return None


def _fired(progress: DeploymentProgress) -> str:
    """ ", alarm errors went into ALARM (Threshold Crossed …)" naming the alarm that fired:
    the ones the FailureReason names first, else the ones the wait saw in ALARM."""
    reason = progress.failure_reason or ""
    named = [name for name in progress.alarms if name in reason]
    fired = named or progress.fired
    if not fired:
        return ""
    parts = []
    for name in fired:
        why = progress.alarm_reasons.get(name)
        parts.append(f"{name}" + (f" ({why})" if why else ""))
    return f" when alarm{'s' if len(fired) > 1 else ''} {', '.join(parts)} went into ALARM"
