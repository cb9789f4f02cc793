"""Endpoint deployments as SageMaker runs them, over seconds instead of minutes.

UpdateEndpoint's DeploymentConfig (SageMaker API reference: DeploymentConfig,
BlueGreenUpdatePolicy, TrafficRoutingConfig, RollingUpdatePolicy, CapacitySize,
AutoRollbackConfig; Developer Guide "Deployment guardrails" pages) chooses how the new
fleet takes over: blue/green with all the traffic at once, a canary then the rest, or
linear steps, each followed by a baking period; or a rolling update in batches. During a
baking period SageMaker watches the CloudWatch alarms named in AutoRollbackConfiguration
and, if one is in ALARM, sends all traffic back to the old fleet ("RollingBack"); the
endpoint then ends InService on its old config with a FailureReason.

A deployment is planned in full when the request arrives: a list of stages with their
times. Statuses are derived from the clock when a later request arrives, as for
compilation jobs; an alarm found in ALARM during a baking stage replaces the rest of the
plan with a rollback from the instant the alarm fired (moto records when an alarm's state
changed). Provisioning and traffic steps take a share of the emulator's
`transition_seconds`; the waits a request asks for are multiplied by its
`deployment_time_scale`. Stage messages are the emulator's own text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from moto.sagemaker.exceptions import ValidationError

from neoctl.testing.endpoint_logs import SHUTDOWN_LINES, LogEvent, instance_ids, startup_lines, stream_name

FAIL_TAG = "neoctl-emulator:endpoint-fail"
ROLLBACK_FAIL_TAG = "neoctl-emulator:rollback-fail"

# VariantStatus values (botocore: VariantStatus enum).
CREATING, UPDATING, DELETING, ACTIVATING, BAKING = "Creating", "Updating", "Deleting", "ActivatingTraffic", "Baking"
VARIANT_STATUSES = (CREATING, UPDATING, DELETING, ACTIVATING, BAKING)
# Outcomes, and the EndpointStatus each leaves.
SUCCEEDED, ROLLED_BACK, ROLLBACK_FAILED, CREATE_FAILED = "succeeded", "rolled-back", "rollback-failed", "create-failed"
FINAL_STATUS = {
    SUCCEEDED: "InService",
    ROLLED_BACK: "InService",  # "the status is InService but update operation fails" (EndpointMetadata)
    ROLLBACK_FAILED: "UpdateRollbackFailed",
    CREATE_FAILED: "Failed",
}

TRAFFIC_TYPES = ("ALL_AT_ONCE", "CANARY", "LINEAR")
CAPACITY_TYPES = ("INSTANCE_COUNT", "CAPACITY_PERCENT")
ROLLING = "ROLLING"
MAX_WAIT = 3600  # WaitIntervalInSeconds, TerminationWaitInSeconds: 0-3600
TIMEOUT_RANGE = (600, 28800)  # MaximumExecutionTimeoutInSeconds
MAX_ALARMS = 10

PING_REASON = (
    "The primary container for production variant {variant} did not pass the ping health check. "
    "Please check CloudWatch logs for this endpoint."
)


@dataclass(frozen=True)
class FailureKind:
    """A way an endpoint fails, as users report SageMaker's FailureReason for it.

    `lines` are what the container writes before it dies; empty where the container never
    runs (the image cannot be pulled, the model cannot be downloaded), so no stream exists."""

    reason: str
    lines: tuple[str, ...] = ()
    synchronous: bool = False  # refused by CreateEndpoint/UpdateEndpoint itself


_START = ("Starting the inference server.", "Loading the model from /opt/ml/model.")
FAILURE_KINDS: dict[str, FailureKind] = {
    # aws/sagemaker-python-sdk#787, awslabs/llm-hosting-container#18
    "ping": FailureKind(
        PING_REASON,
        (
            *_START,
            "Traceback (most recent call last):",
            '  File "/opt/ml/model/code/inference.py", line 14, in model_fn',
            "RuntimeError: the model could not be loaded",
            '"GET /ping HTTP/1.1" 500 0',
        ),
    ),
    # aws-solutions-library-samples/fraud-detection-using-machine-learning#9
    "model-download": FailureKind(
        'Failed to download model data for container "container_1" from URL: "{model_data}". Please ensure '
        "that there is an object located at the URL and that the role passed to CreateModel has permissions "
        "to download the object."
    ),
    # aws/sagemaker-python-sdk#1835, aws/amazon-sagemaker-examples#275
    "image-pull": FailureKind(
        "Please make sure all images included in the model for the production variant {variant} exist, and "
        "that the execution role used to create the model has permissions to access them."
    ),
    # A synchronous error of CreateEndpoint (awsdocs/amazon-sagemaker-developer-guide#70,
    # aws-samples/aws-genai-llm-chatbot#244); UpdateEndpoint is given the same.
    "instance-limit": FailureKind(
        "The account-level service limit '{instance_type} for endpoint usage' is 0 Instances, with current "
        "utilization of 0 Instances and a request delta of {count} Instances. Please use AWS Service Quotas "
        "to request an increase for this quota.",
        synchronous=True,
    ),
    # The container dies loading the model; SageMaker reports the failed ping.
    "out-of-memory": FailureKind(
        PING_REASON,
        (
            *_START,
            "RuntimeError: [enforce fail at alloc_cpu.cpp:114] . DefaultCPUAllocator: not enough memory: "
            "you tried to allocate 4294967296 bytes.",
            "Backend worker process died.",  # TorchServe's words (aws/sagemaker-python-sdk#2284)
            "Load model failed: model, error: Worker died.",
            '"GET /ping HTTP/1.1" 500 0',
        ),
    ),
    # SAGEMAKER_PROGRAM names a script the archive lacks (code/ missing from the model).
    "missing-inference-script": FailureKind(
        PING_REASON,
        (
            "Starting the inference server.",
            "Importing the user module inference from /opt/ml/model/code (SAGEMAKER_PROGRAM=inference.py).",
            "Traceback (most recent call last):",
            "ModuleNotFoundError: No module named 'inference'",
            '"GET /ping HTTP/1.1" 500 0',
        ),
    ),
}


@dataclass(frozen=True)
class Fleet:
    """One variant of an endpoint config as it is deployed: enough to name its instances,
    write their logs and word a failure."""

    variant: str
    count: int
    instance_type: str
    image: str
    model_name: str
    model_data: str
    role: str


@dataclass(frozen=True)
class Policy:
    """A DeploymentConfig, checked and reduced to what the timeline needs."""

    kind: str = "ALL_AT_ONCE"  # ALL_AT_ONCE | CANARY | LINEAR | ROLLING
    wait: int = 0  # WaitIntervalInSeconds: the baking period
    step: dict[str, Any] | None = None  # CanarySize, LinearStepSize or MaximumBatchSize
    rollback_step: dict[str, Any] | None = None  # RollbackMaximumBatchSize
    termination_wait: int = 0
    timeout: int | None = None
    alarms: tuple[str, ...] = ()
    guarded: bool = False  # a DeploymentConfig asked for it; False: SageMaker's default update
    note: str = ""  # why guardrails were dropped, when they were


@dataclass(frozen=True)
class Timing:
    unit: float  # one provisioning or traffic step: a quarter of transition_seconds
    scale: float  # multiplies the waits a DeploymentConfig asks for


@dataclass(frozen=True)
class Stage:
    status: str  # the VariantStatus the new fleet's variants report
    message: str
    start: datetime
    end: datetime
    endpoint_status: str = "Updating"
    new_share: float = 0.0  # share of the traffic the new fleet serves
    bake: bool = False  # alarms are watched
    wait: int = 0  # request seconds of a wait (bake or termination wait) this stage stands for


def _invalid(message: str) -> ValidationError:
    return ValidationError(message=message)


def _int_in(value: Any, low: int, high: int | None, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise _invalid(f"Value '{value}' at '{name}' failed to satisfy constraint: Member must be {bound}.")
    return value


def _capacity(spec: Any, name: str) -> dict[str, Any]:
    if not isinstance(spec, dict) or spec.get("Type") not in CAPACITY_TYPES:
        raise _invalid(f"{name} needs Type {' or '.join(CAPACITY_TYPES)} and a Value.")
    _int_in(spec.get("Value"), 1, 100 if spec["Type"] == "CAPACITY_PERCENT" else None, f"{name}.Value")
    return {"Type": spec["Type"], "Value": spec["Value"]}


def size(spec: dict[str, Any], total: int) -> int:
    """Instances a CapacitySize stands for in a fleet of `total`."""
    if spec["Type"] == "INSTANCE_COUNT":
        return max(1, min(int(spec["Value"]), total))
    return max(1, math.ceil(total * int(spec["Value"]) / 100))


def parse_policy(config: dict[str, Any] | None) -> Policy:
    """The DeploymentConfig's policy, or ValidationException naming what is wrong."""
    if not config:
        return Policy()
    blue_green, rolling = config.get("BlueGreenUpdatePolicy"), config.get("RollingUpdatePolicy")
    if blue_green and rolling:
        raise _invalid("DeploymentConfig takes a BlueGreenUpdatePolicy or a RollingUpdatePolicy, not both.")
    alarms: tuple[str, ...] = ()
    rollback = config.get("AutoRollbackConfiguration")
    if rollback is not None:
        names = [str(alarm.get("AlarmName", "")) for alarm in rollback.get("Alarms") or []]
        if not 1 <= len(names) <= MAX_ALARMS or not all(name.strip() for name in names):
            raise _invalid(f"AutoRollbackConfiguration.Alarms needs 1 to {MAX_ALARMS} alarms, each with an AlarmName.")
        alarms = tuple(names)
    timeout_name = "MaximumExecutionTimeoutInSeconds"
    if rolling:
        if "MaximumBatchSize" not in rolling or "WaitIntervalInSeconds" not in rolling:
            raise _invalid("RollingUpdatePolicy needs MaximumBatchSize and WaitIntervalInSeconds.")
        return Policy(
            kind=ROLLING,
            wait=_int_in(rolling["WaitIntervalInSeconds"], 0, MAX_WAIT, "WaitIntervalInSeconds"),
            step=_capacity(rolling["MaximumBatchSize"], "MaximumBatchSize"),
            rollback_step=(
                _capacity(rolling["RollbackMaximumBatchSize"], "RollbackMaximumBatchSize")
                if rolling.get("RollbackMaximumBatchSize")
                else None
            ),
            timeout=_int_in(rolling[timeout_name], *TIMEOUT_RANGE, timeout_name) if timeout_name in rolling else None,
            alarms=alarms,
            guarded=True,
        )
    if not blue_green:
        return Policy(alarms=alarms, guarded=True)
    routing = blue_green.get("TrafficRoutingConfiguration") or {}
    kind = routing.get("Type")
    if kind not in TRAFFIC_TYPES:
        raise _invalid(f"TrafficRoutingConfiguration.Type must be one of {', '.join(TRAFFIC_TYPES)}; got '{kind}'.")
    if "WaitIntervalInSeconds" not in routing:
        raise _invalid("TrafficRoutingConfiguration needs WaitIntervalInSeconds.")
    step = None
    if kind != "ALL_AT_ONCE":
        member = "CanarySize" if kind == "CANARY" else "LinearStepSize"
        if member not in routing:
            raise _invalid(f"TrafficRoutingConfiguration of Type {kind} needs {member}.")
        step = _capacity(routing[member], member)
    return Policy(
        kind=kind,
        wait=_int_in(routing["WaitIntervalInSeconds"], 0, MAX_WAIT, "WaitIntervalInSeconds"),
        step=step,
        termination_wait=_int_in(
            blue_green.get("TerminationWaitInSeconds", 0), 0, MAX_WAIT, "TerminationWaitInSeconds"
        ),
        timeout=_int_in(blue_green[timeout_name], *TIMEOUT_RANGE, timeout_name) if timeout_name in blue_green else None,
        alarms=alarms,
        guarded=True,
    )


# The share of a variant's instances each step may take (API reference: TrafficRoutingConfig,
# RollingUpdatePolicy): a canary at most 50%, a linear step 10-50%, a rolling batch 5-50%.
_STEP_BOUNDS = {"CANARY": (0.0, 0.5, "CanarySize"), "LINEAR": (0.1, 0.5, "LinearStepSize")}
_STEP_BOUNDS[ROLLING] = (0.05, 0.5, "MaximumBatchSize")


def check_sizes(policy: Policy, fleets: list[Fleet]) -> None:
    bounds = _STEP_BOUNDS.get(policy.kind)
    if bounds is None or policy.step is None:
        return
    low, high, name = bounds
    for fleet in fleets:
        share = size(policy.step, fleet.count) / fleet.count
        if not low <= share <= high:
            span = f"at most {high:.0%}" if low == 0 else f"{low:.0%} to {high:.0%}"
            raise _invalid(
                f"{name} {policy.step['Value']} ({policy.step['Type']}) is {share:.0%} of variant "
                f"{fleet.variant}'s {fleet.count} instance(s); it must be {span} of the variant's instances."
            )


def fallback(policy: Policy, reason: str) -> Policy:
    """What SageMaker does when guardrails do not apply (Developer Guide, "Exclusions"): a
    blue/green deployment with all traffic at once and no final baking period."""
    return Policy(guarded=False, note=f"deployment guardrails do not apply ({reason}): all at once, no baking")


def failure_reason(kind: FailureKind, fleet: Fleet) -> str:
    return kind.reason.format(
        variant=fleet.variant,
        model_data=fleet.model_data,
        image=fleet.image,
        role=fleet.role,
        instance_type=fleet.instance_type,
        count=fleet.count,
    )


@dataclass
class Deployment:
    """An UpdateEndpoint (or a CreateEndpoint that is to fail) in flight."""

    old_config: str
    config_name: str  # what the endpoint becomes: PendingDeploymentSummary.EndpointConfigName
    variants: list[dict[str, Any]]  # the variants it then reports
    data_capture_config: dict[str, Any]
    started: datetime
    policy: Policy
    timing: Timing
    reference_count: int  # instances of the largest new variant: what shares are counted in
    new_instances: dict[str, list[str]]
    stages: list[Stage] = field(default_factory=list)
    events: list[LogEvent] = field(default_factory=list)
    started_streams: list[tuple[datetime, str]] = field(default_factory=list)
    ups: list[tuple[datetime, int]] = field(default_factory=list)  # new instances serving from then on
    outcome: str = SUCCEEDED
    failure_reason: str | None = None
    rollback_fails: bool = False
    logged: int = 0

    @property
    def done_at(self) -> datetime:
        return self.stages[-1].end if self.stages else self.started

    def stage_at(self, now: datetime) -> Stage | None:
        for stage in self.stages:
            if stage.start <= now < stage.end:
                return stage
        return None

    def share_at(self, now: datetime) -> float:
        stage = self.stage_at(now)
        return stage.new_share if stage is not None else 0.0

    def up_at(self, when: datetime) -> int:
        return max((count for at, count in self.ups if at <= when), default=0)

    def due_events(self, now: datetime) -> list[LogEvent]:
        """Log events up to `now` not yet written; marks them written."""
        self.events.sort(key=lambda event: event.at)
        due = [event for event in self.events[self.logged :] if event.at <= now]
        self.logged += len(due)
        return due

    def alarm_fired(
        self, now: datetime, state_of: Callable[[str], tuple[str, datetime] | None]
    ) -> tuple[datetime, str] | None:
        """The first instant (up to `now`) an auto-rollback alarm was in ALARM during a bake."""
        first: tuple[datetime, str] | None = None
        for stage in self.stages:
            if not stage.bake or stage.start > now:
                continue
            for name in self.policy.alarms:
                state = state_of(name)
                if state is None or state[0] != "ALARM":
                    continue
                at = max(stage.start, state[1])
                if at < stage.end and at <= now and (first is None or at < first[0]):
                    first = (at, name)
        return first

    def roll_back(self, at: datetime, reason: str, cause: str) -> None:
        """Replace what is planned from `at` on with a rollback to the old config."""
        unit = self.timing.unit
        kept = [replace(stage, end=min(stage.end, at)) for stage in self.stages if stage.start < at]
        up = self.up_at(at)
        batches = 1
        if self.policy.kind == ROLLING and self.policy.rollback_step is not None and up > 0:
            batches = math.ceil(up / size(self.policy.rollback_step, self.reference_count))
        share = up / self.reference_count if self.policy.kind == ROLLING else 0.0
        when = at
        for index in range(batches):
            if batches == 1:
                message = (
                    f"Rolling back to endpoint config {self.old_config} ({cause}): all traffic is back on the "
                    "old fleet; terminating the new fleet."
                )
            else:
                message = (
                    f"Rolling back to endpoint config {self.old_config} ({cause}): batch {index + 1} of {batches}, "
                    "restoring old instances and terminating new ones."
                )
            left = share * (1 - (index + 1) / batches)
            kept.append(Stage(DELETING, message, when, when + timedelta(seconds=2 * unit), "RollingBack", left))
            when += timedelta(seconds=2 * unit)
        self.stages = kept
        self.events = self.events[: self.logged] + [event for event in self.events[self.logged :] if event.at <= at]
        self.events += [LogEvent(when, stream, SHUTDOWN_LINES) for began, stream in self.started_streams if began <= at]
        self.ups = [(began, count) for began, count in self.ups if began <= at]
        self.outcome = ROLLBACK_FAILED if self.rollback_fails else ROLLED_BACK
        self.failure_reason = reason
        if self.rollback_fails:
            self.failure_reason += (
                f" The rollback failed too (the emulator's {ROLLBACK_FAIL_TAG} tag): the endpoint runs a mix of "
                f"{self.old_config} and {self.config_name}."
            )


class _Plan:
    """Appends stages one after the other."""

    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self.at = deployment.started

    def stage(
        self, status: str, seconds: float, message: str, share: float, *, bake: bool = False, wait: int = 0
    ) -> None:
        end = self.at + timedelta(seconds=seconds)
        self.deployment.stages.append(Stage(status, message, self.at, end, "Updating", share, bake, wait))
        self.at = end

    def start(self, fleet: Fleet, instances: list[str], config: str, kind: FailureKind | None) -> None:
        """Instances of the new fleet come up now (or die trying, when `kind` says so)."""
        for instance in instances:
            stream = stream_name(fleet.variant, instance)
            if kind is None:
                lines = startup_lines(fleet.image, fleet.instance_type, fleet.variant, config)
                self.deployment.started_streams.append((self.at, stream))
            else:
                lines = kind.lines
            if lines:
                self.deployment.events.append(LogEvent(self.at, stream, lines))

    def stop(self, streams: list[str]) -> None:
        self.deployment.events += [LogEvent(self.at, stream, SHUTDOWN_LINES) for stream in streams]


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _watching(policy: Policy) -> str:
    if not policy.alarms:
        return "no alarms to watch"
    return f"watching alarm{'s' if len(policy.alarms) > 1 else ''} {', '.join(policy.alarms)}"


def plan_update(
    *,
    now: datetime,
    timing: Timing,
    seed: str,
    old_config: str,
    new_config: str,
    fleets: list[Fleet],
    old_streams: dict[str, list[str]],
    variants: list[dict[str, Any]],
    data_capture_config: dict[str, Any],
    policy: Policy,
    failure: str | None,
    rollback_fails: bool,
) -> Deployment:
    """The whole timeline of an UpdateEndpoint, rollbacks for failures and timeouts included."""
    reference = max(fleets, key=lambda fleet: fleet.count)
    total = reference.count
    deployment = Deployment(
        old_config=old_config,
        config_name=new_config,
        variants=variants,
        data_capture_config=data_capture_config,
        started=now,
        policy=policy,
        timing=timing,
        reference_count=total,
        new_instances={
            fleet.variant: instance_ids(f"{seed}|{new_config}|{fleet.variant}|{now.isoformat()}", fleet.count)
            for fleet in fleets
        },
        rollback_fails=rollback_fails,
    )
    plan = _Plan(deployment)
    unit, scale = timing.unit, timing.scale
    kind = FAILURE_KINDS[failure] if failure else None
    all_old = [stream for streams in old_streams.values() for stream in streams]
    note = f" ({policy.note})" if policy.note else ""
    if policy.kind == ROLLING:
        batch = size(policy.step or {"Type": "INSTANCE_COUNT", "Value": total}, total)
        batches = math.ceil(total / batch)
        up = 0
        for index in range(1, batches + 1):
            count = min(batch, total - up)
            label = f"Rolling batch {index} of {batches}"
            plan.stage(CREATING, unit, f"{label}: provisioning {count} instance(s) of the new fleet.", up / total)
            instances = deployment.new_instances[reference.variant][up : up + count]
            plan.start(reference, instances, new_config, kind)
            if kind is not None:
                deployment.roll_back(plan.at, failure_reason(kind, reference), "the new instances did not start")
                return deployment
            up += count
            deployment.ups.append((plan.at, up))
            plan.stage(
                ACTIVATING, unit, f"{label}: turning on traffic; {up} of {total} new instances serve.", up / total
            )
            if policy.wait:
                message = f"{label}: baking for {policy.wait} s; {_watching(policy)}."
                plan.stage(BAKING, policy.wait * scale, message, up / total, bake=True, wait=policy.wait)
            old = old_streams.get(reference.variant, [])[up - count : up]
            plan.stop(old)
            plan.stage(DELETING, unit, f"{label}: terminating {len(old)} instance(s) of the old fleet.", up / total)
    else:
        plan.stage(CREATING, 2 * unit, f"Provisioning the new fleet: {total} instance(s) of {new_config}{note}.", 0.0)
        for fleet in fleets:
            plan.start(fleet, deployment.new_instances[fleet.variant], new_config, kind)
        if kind is not None:
            deployment.roll_back(plan.at, failure_reason(kind, reference), "the new fleet did not start")
            return deployment
        deployment.ups.append((plan.at, total))
        steps: list[tuple[float, str]] = [(1.0, "all of the traffic")]
        if policy.kind == "CANARY" and policy.step is not None:
            canary = size(policy.step, total)
            steps = [
                (canary / total, f"the canary: {canary} of {total} instances ({_percent(canary / total)})"),
                (1.0, "the rest of the traffic"),
            ]
        elif policy.kind == "LINEAR" and policy.step is not None:
            step = size(policy.step, total)
            count = math.ceil(total / step)
            steps = [
                (
                    min(1.0, k * step / total),
                    f"step {k} of {count}: {min(total, k * step)} of {total} instances "
                    f"({_percent(min(1.0, k * step / total))})",
                )
                for k in range(1, count + 1)
            ]
        for index, (share, label) in enumerate(steps):
            plan.stage(ACTIVATING, unit, f"Shifting traffic to the new fleet, {label}.", share)
            if policy.wait:
                last = index == len(steps) - 1
                what = "Final baking period" if last else "Baking"
                message = (
                    f"{what}: {policy.wait} s with {_percent(share)} of traffic on the new fleet; {_watching(policy)}."
                )
                plan.stage(BAKING, policy.wait * scale, message, share, bake=True, wait=policy.wait)
        if policy.termination_wait:
            message = (
                f"Waiting TerminationWaitInSeconds ({policy.termination_wait} s) before terminating the old fleet."
            )
            plan.stage(DELETING, policy.termination_wait * scale, message, 1.0, wait=policy.termination_wait)
        plan.stop(all_old)
        plan.stage(DELETING, unit, "Terminating the old fleet.", 1.0)
    _apply_timeout(deployment)
    return deployment


def _apply_timeout(deployment: Deployment) -> None:
    """MaximumExecutionTimeoutInSeconds, counted in the request's seconds of waiting: a plan
    whose waits exceed it is rolled back when the (scaled) limit is reached."""
    limit = deployment.policy.timeout
    if limit is None:
        return
    used = 0
    for stage in deployment.stages:
        if stage.wait and used + stage.wait > limit:
            at = stage.start + timedelta(seconds=(limit - used) * deployment.timing.scale)
            reason = (
                f"Deployment of endpoint config {deployment.config_name} rolled back to {deployment.old_config}: "
                f"it did not finish within MaximumExecutionTimeoutInSeconds ({limit} s)."
            )
            deployment.roll_back(at, reason, "the deployment timed out")
            return
        used += stage.wait


def plan_failed_creation(
    *,
    now: datetime,
    timing: Timing,
    seed: str,
    config: str,
    fleets: list[Fleet],
    failure: str,
    variants: list[dict[str, Any]],
) -> Deployment:
    """CreateEndpoint of a config tagged to fail: Creating, then Failed with the kind's reason."""
    kind = FAILURE_KINDS[failure]
    reference = max(fleets, key=lambda fleet: fleet.count)
    deployment = Deployment(
        old_config=config,
        config_name=config,
        variants=variants,
        data_capture_config={},
        started=now,
        policy=Policy(),
        timing=timing,
        reference_count=reference.count,
        new_instances={
            fleet.variant: instance_ids(f"{seed}|{config}|{fleet.variant}|{now.isoformat()}", fleet.count)
            for fleet in fleets
        },
        outcome=CREATE_FAILED,
        failure_reason=failure_reason(kind, reference),
    )
    plan = _Plan(deployment)
    plan.stage(CREATING, 4 * timing.unit, f"Creating the endpoint: provisioning {reference.count} instance(s).", 0.0)
    deployment.stages[-1] = replace(deployment.stages[-1], endpoint_status="Creating")
    for fleet in fleets:
        plan.start(fleet, deployment.new_instances[fleet.variant], config, kind)
    return deployment
