"""Traffic policies of an endpoint update: how SageMaker moves traffic to the new fleet,
how long it bakes while watching CloudWatch alarms, and when it gives up.

`--canary`, `--linear` or `--rolling` (with `--bake`, `--alarm`, `--max-time`), or a whole
DeploymentConfig from a file (`--deployment-config`), become UpdateEndpoint's
DeploymentConfig. Without any of them nothing is sent and SageMaker updates all at once,
as before. Pure: the values are checked here against the installed model and neoctl's
rules, the fleet-dependent rules once the endpoint is described (check_fleet), and the
plan is put into steps with times (plan_steps, summary) for the preview.

Rules and their sources (retrieved 2026-12-05):
- botocore's SageMaker model (BC): ranges of WaitIntervalInSeconds, TerminationWaitInSeconds
  (0-3600), MaximumExecutionTimeoutInSeconds (600-28800), CapacitySize Value (>= 1), 1-10
  alarms — read from the installed model, never written here. Its member docs: CanarySize
  "must be less than or equal to 50% of the variant's total instance count", LinearStepSize
  "10-50%", RollingUpdatePolicy MaximumBatchSize "between 5% to 50%"; the execution timeout
  "should be larger than the total waiting time".
- Developer Guide, "Use canary traffic shifting" (deployment-guardrails-blue-green-canary):
  "the canary size should be less than or equal to 50% of the new fleet's capacity"; the
  rest follows after the bake, then a final baking period.
- Developer Guide, "Exclusions" (deployment-guardrails-exclusions): the new config keeps the
  old variant names; endpoints with Marketplace containers or Inf1 instances fall back to
  all at once with no final baking period (no error); rolling deployments exclude
  serverless and multi-variant endpoints.
A share given as a percentage becomes whole instances rounded up (at least one): neoctl's
reading, as the emulator's; SageMaker does not document its rounding.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from neoctl.apimodel import load_model
from neoctl.errors import InvalidInput, Problem, SpecError, UsageError

Path = tuple[str | int, ...]

KINDS = ("--canary", "--linear", "--rolling")
MODIFIERS = ("--bake", "--alarm", "--max-time")
FILE_FLAG = "--deployment-config"

_BLUE_GREEN = ("DeploymentConfig", "BlueGreenUpdatePolicy")
_ROUTING = (*_BLUE_GREEN, "TrafficRoutingConfiguration")
_ROLLING = ("DeploymentConfig", "RollingUpdatePolicy")
_ALARMS = ("DeploymentConfig", "AutoRollbackConfiguration", "Alarms")
# Where each flag lands, for the messages and for neoctl.apimodel.inputs' rows.
PATHS: dict[str, tuple[Path, ...]] = {
    "--canary": ((*_ROUTING, "CanarySize"),),
    "--linear": ((*_ROUTING, "LinearStepSize"),),
    "--rolling": ((*_ROLLING, "MaximumBatchSize"),),
    "--bake": ((*_ROUTING, "WaitIntervalInSeconds"), (*_ROLLING, "WaitIntervalInSeconds")),
    "--max-time": ((*_BLUE_GREEN, "MaximumExecutionTimeoutInSeconds"), (*_ROLLING, "MaximumExecutionTimeoutInSeconds")),
    "--alarm": ((*_ALARMS, "*", "AlarmName"),),
    FILE_FLAG: (("DeploymentConfig",),),
}
# The share of a variant's instances one step may take: (least, most, the model's member).
STEP_BOUNDS: dict[str, tuple[int, int, str]] = {
    "CANARY": (1, 50, "CanarySize"),
    "LINEAR": (10, 50, "LinearStepSize"),
    "ROLLING": (5, 50, "MaximumBatchSize"),
}
_FLAG_OF = {"CANARY": "--canary", "LINEAR": "--linear", "ROLLING": "--rolling"}


@dataclass(frozen=True)
class TrafficPolicy:
    """How an endpoint update shifts traffic: the flags of `deploy`, `endpoint update` and
    `endpoint rollback` as data (`neoctl.TrafficPolicy`).

    One of `canary`, `linear` or `rolling` — "10%" of the new fleet, or a count of instances
    ("1", or 1) — with `bake` (the baking period after each step: "10m", "90s" or seconds),
    `alarms` (CloudWatch alarm names that roll the update back while it bakes) and `max_time`
    (the whole deployment's limit); or `deployment_config`, UpdateEndpoint's DeploymentConfig
    as the API takes it (`from_file` reads one). `allow_all_at_once` lets a policy through
    on an endpoint where SageMaker would ignore it (Inf1). The empty policy is the default:
    no DeploymentConfig, all at once."""

    canary: str | int | None = None
    linear: str | int | None = None
    rolling: str | int | None = None
    bake: str | int | None = None
    alarms: Sequence[str] = ()
    max_time: str | int | None = None
    deployment_config: Mapping[str, Any] | None = None
    source: str | None = None  # the file the DeploymentConfig came from
    lines: Mapping[Path, int] = field(default_factory=dict)  # its members' lines, from DeploymentConfig down
    allow_all_at_once: bool = False

    @classmethod
    def from_file(cls, path: str, *, allow_all_at_once: bool = False) -> TrafficPolicy:
        """A DeploymentConfig read from a YAML or JSON file (the API's shape, or the same under
        a top-level `DeploymentConfig:`), checked against the model and neoctl's rules;
        SpecError (252) lists every problem with its file:line."""
        config, lines = load_file(path)
        return cls(deployment_config=config, source=path, lines=lines, allow_all_at_once=allow_all_at_once)

    def given(self) -> dict[str, Any]:
        """Each value by its flag (None: not given)."""
        return {
            "--canary": self.canary,
            "--linear": self.linear,
            "--rolling": self.rolling,
            "--bake": self.bake,
            "--alarm": list(self.alarms) or None,
            "--max-time": self.max_time,
            FILE_FLAG: self.source or (dict(self.deployment_config) if self.deployment_config is not None else None),
        }

    def is_set(self) -> bool:
        """Whether this policy asks for a DeploymentConfig at all."""
        return self.deployment_config is not None or any(
            value is not None for value in (self.canary, self.linear, self.rolling)
        )

    def name(self, path: Path, flag: str) -> str:
        """What filled `path` (from DeploymentConfig down), as a message names it: the flag,
        or the file with the member's line."""
        if self.deployment_config is None:
            return flag
        if self.source is None:  # given in Python, not read from a file
            return dotted(path)
        line = _line(self.lines, path)
        return f"{FILE_FLAG} {self.source}{f':{line}' if line else ''} ({dotted(path)})"

    def build(self) -> dict[str, Any] | None:
        """UpdateEndpoint's DeploymentConfig, or None for the default. Every value is checked
        first: InvalidInput (252) naming the flag, UsageError (2) for flags that contradict
        (the CLI's table, cli/conflicts.py, catches those before; this is for library callers)."""
        given = {flag: value for flag, value in self.given().items() if value is not None}
        kinds = [flag for flag in KINDS if flag in given]
        if self.deployment_config is not None:
            clash = [flag for flag in (*KINDS, *MODIFIERS) if flag in given]
            if clash:
                raise UsageError(f"{FILE_FLAG} is the whole DeploymentConfig: drop {', '.join(clash)}, or drop it")
            whole = dict(self.deployment_config)
            if self.source is None:  # given in Python: judged here, as a file is when read
                _refuse(check_config(whole), self, None)
            return whole
        if len(kinds) > 1:
            raise UsageError(f"{' and '.join(kinds)} are two traffic policies: give one")
        if not kinds:
            loose = [flag for flag in MODIFIERS if flag in given]
            if loose:
                raise UsageError(f"{', '.join(loose)} shape(s) a traffic policy: add --canary, --linear or --rolling")
            return None
        flag = kinds[0]
        if "--alarm" in given and "--bake" not in given:
            raise UsageError("--alarm is watched while the update bakes: add --bake")
        size = capacity(given[flag], flag)
        bake = seconds(self.bake if self.bake is not None else 0, "--bake", PATHS["--bake"][0])
        policy: dict[str, Any]
        if flag == "--rolling":
            policy = {"MaximumBatchSize": size, "WaitIntervalInSeconds": bake}
            key = "RollingUpdatePolicy"
        else:
            kind = "CANARY" if flag == "--canary" else "LINEAR"
            member = "CanarySize" if kind == "CANARY" else "LinearStepSize"
            policy = {"TrafficRoutingConfiguration": {"Type": kind, "WaitIntervalInSeconds": bake, member: size}}
            key = "BlueGreenUpdatePolicy"
        if self.max_time is not None:
            policy["MaximumExecutionTimeoutInSeconds"] = seconds(self.max_time, "--max-time", PATHS["--max-time"][0])
        config: dict[str, Any] = {key: policy}
        names = alarm_names(self.alarms)
        if names:
            config["AutoRollbackConfiguration"] = {"Alarms": [{"AlarmName": name} for name in names]}
        return config


def from_flags(
    canary: str | None,
    linear: str | None,
    rolling: str | None,
    bake: str | None,
    alarms: list[str] | None,
    max_time: str | None,
    file: str | None,
    allow_all_at_once: bool,
) -> TrafficPolicy | None:
    """The policy the traffic flags ask for (a file is read and checked here), or None."""
    if file is not None:
        return TrafficPolicy.from_file(file, allow_all_at_once=allow_all_at_once)
    policy = TrafficPolicy(
        canary, linear, rolling, bake, tuple(alarms or ()), max_time, allow_all_at_once=allow_all_at_once
    )
    given = any(v is not None for v in (canary, linear, rolling, bake, max_time)) or bool(alarms)
    return policy if given else None


def dotted(path: Path) -> str:
    """DeploymentConfig.BlueGreenUpdatePolicy.…; [2] for an index."""
    from neoctl.apimodel.requests import dotted as joined

    return joined(path)


def _line(lines: Mapping[Path, int], path: Path) -> int | None:
    probe = path
    while probe:
        if probe in lines:
            return lines[probe]
        probe = probe[:-1]
    return None


def span(total: float) -> str:
    """600 → "10 min", 90 → "1 min 30 s", 5400 → "1 h 30 min", 45 → "45 s"."""
    from neoctl.spec.durations import spoken

    return spoken(total)


def _shape(path: Path) -> dict[str, Any]:
    from neoctl.apimodel.requests import member_shape

    return load_model().shape(member_shape("UpdateEndpoint", path))


def capacity(value: str | int, flag: str) -> dict[str, Any]:
    """--canary/--linear/--rolling: "10%" → CAPACITY_PERCENT 10, "2" (or 2) → INSTANCE_COUNT 2;
    InvalidInput naming the flag for anything else, or a share outside neoctl's bounds."""
    text = str(value).strip()
    percent = text.endswith("%")
    number = text[:-1].strip() if percent else text
    example = "e.g. 10% (of the new fleet) or 1 (instance)"
    if isinstance(value, bool) or not (number.isascii() and number.isdigit()):
        raise InvalidInput(f"{flag} {value!r} is neither a percentage nor a count of instances", example)
    amount = int(number)
    least = int(_shape((*PATHS[flag][0], "Value")).get("min", 1))
    if amount < least:
        raise InvalidInput(f"{flag} {value!r}: SageMaker takes at least {least}", example)
    if percent:
        kind = {"--canary": "CANARY", "--linear": "LINEAR", "--rolling": "ROLLING"}[flag]
        low, high, member = STEP_BOUNDS[kind]
        if not low <= amount <= high:
            span_text = f"at most {high}%" if low <= 1 else f"{low}% to {high}%"
            raise InvalidInput(f"{flag} {value!r}: a step takes {span_text} of the new fleet ({member})", _WHY[kind])
    return {"Type": "CAPACITY_PERCENT" if percent else "INSTANCE_COUNT", "Value": amount}


_WHY = {
    "CANARY": "the canary is at most half of the new fleet (SageMaker Developer Guide, canary traffic shifting)",
    "LINEAR": "each linear step is 10-50% of the variant's instances (SageMaker API reference, LinearStepSize)",
    "ROLLING": "each rolling batch is 5-50% of the variant's instances (API reference, MaximumBatchSize)",
}


def seconds(value: str | int, flag: str, path: Path) -> int:
    """A duration flag (600, "90s", "10m", "1h") in whole seconds, within the model's range
    for the member at `path`; InvalidInput naming the flag otherwise."""
    from neoctl.spec.durations import parse_duration

    amount = value if isinstance(value, int) and not isinstance(value, bool) else parse_duration(str(value))
    if amount is None or isinstance(value, bool):
        raise InvalidInput(f"{flag} {value!r} is not a duration in whole seconds", "e.g. 90s, 10m or 1h")
    shape = _shape(path)
    low, high = int(shape.get("min", 0)), int(shape.get("max", 10**9))
    if not low <= amount <= high:
        raise InvalidInput(
            f"{flag} {value!r} is {span(amount)}: SageMaker takes {span(low)} to {span(high)} ({path[-1]})",
            f"give {flag} between {span(low)} and {span(high)}",
        )
    return amount


def alarm_names(alarms: Sequence[str]) -> list[str]:
    """--alarm names, each once, within the model's count and each name's rule."""
    from neoctl.apimodel.requests import check_values

    names = list(dict.fromkeys(alarms))
    if not names:
        return []
    shape = _shape(PATHS["--alarm"][0][:-2])
    most = int(shape.get("max", 10))
    if len(names) > most:
        raise InvalidInput(
            f"--alarm names {len(names)} alarms; SageMaker watches at most {most} (AutoRollbackConfiguration.Alarms)",
            "watch a composite alarm that combines them",
        )
    check_values("UpdateEndpoint", [((*_ALARMS, i, "AlarmName"), "--alarm", name) for i, name in enumerate(names)])
    return names


# -- a DeploymentConfig from a file -------------------------------------------------------


def load_file(path: str) -> tuple[dict[str, Any], dict[Path, int]]:
    """The DeploymentConfig of a YAML or JSON file and each member's line (paths from
    DeploymentConfig down); SpecError (252) with every problem, each at its file:line."""
    from neoctl.spec.batch import read_spec
    from neoctl.spec.yamlload import MAX_FILE_BYTES, decode, load_documents

    label = "<stdin>" if path == "-" else path

    def fail(problems: list[Problem]) -> SpecError:
        error = SpecError(problems=problems)
        count = len(problems)
        error.message = f"{count} problem{'s' if count != 1 else ''} in {FILE_FLAG} {label}; nothing was sent"
        error.args = (error.message,)
        error.hint = "the file holds UpdateEndpoint's DeploymentConfig (docs/deploy.md, Traffic policies)"
        return error

    try:
        data = read_spec(path)
    except OSError as exc:
        raise fail([Problem(label, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise fail([Problem(label, "", f"the file is larger than {MAX_FILE_BYTES:,} bytes")])
    text, problem = decode(data, label)
    if problem is not None or text is None:
        raise fail([problem or Problem(label, "", "unreadable")])
    docs, problems = load_documents(text, label)
    docs = [doc for doc in docs if doc.data is not None]
    if problems:
        raise fail(problems)
    if len(docs) != 1:
        raise fail([Problem(label, "", f"the file holds {len(docs)} documents; it takes one DeploymentConfig")])
    doc = docs[0]
    body: Any = doc.data
    prefix: Path = ()
    if isinstance(body, dict) and list(body) == ["DeploymentConfig"]:
        body, prefix = body["DeploymentConfig"], ("DeploymentConfig",)
    lines = {
        ("DeploymentConfig", *p[len(prefix) :]): mark[0] for p, mark in doc.marks.items() if p[: len(prefix)] == prefix
    }
    found = check_config(body)
    if found:
        raise fail(
            [
                Problem(label, dotted(where), message, line=_line(lines, where), hint=hint)
                for where, message, hint in found
            ]
        )
    return body, lines


def check_config(config: Any) -> list[tuple[Path, str, str | None]]:
    """Every way a DeploymentConfig breaks the model, then neoctl's rules that need no fleet:
    (path from DeploymentConfig down, message, hint)."""
    from neoctl.apimodel import check as modelcheck
    from neoctl.apimodel.requests import member_shape

    found: list[tuple[Path, str, str | None]] = []
    model = load_model()
    modelcheck.check(
        model,
        member_shape("UpdateEndpoint", ("DeploymentConfig",)),
        config,
        ("DeploymentConfig",),
        lambda path, message, hint: found.append((path, message, hint)),
    )
    if found:
        return found
    blue_green, rolling = config.get("BlueGreenUpdatePolicy"), config.get("RollingUpdatePolicy")
    if blue_green and rolling:
        found.append((_ROLLING, "a DeploymentConfig takes one update policy", "keep BlueGreenUpdatePolicy or this"))
    if blue_green:
        routing = blue_green["TrafficRoutingConfiguration"]
        kind = routing["Type"]
        for member, wanted in (("CanarySize", "CANARY"), ("LinearStepSize", "LINEAR")):
            if kind == wanted and member not in routing:
                found.append(((*_ROUTING, member), f"Type {kind} needs {member}", None))
            elif kind != wanted and member in routing:
                found.append(((*_ROUTING, member), f"{member} applies to Type {wanted} only, not {kind}", None))
            elif member in routing:
                found.extend(_share_rule(routing[member], wanted, (*_ROUTING, member)))
    if rolling:
        found.extend(_share_rule(rolling["MaximumBatchSize"], "ROLLING", (*_ROLLING, "MaximumBatchSize")))
        back = rolling.get("RollbackMaximumBatchSize")
        if back and back["Type"] == "CAPACITY_PERCENT" and back["Value"] > 100:
            found.append(((*_ROLLING, "RollbackMaximumBatchSize", "Value"), "a percentage is at most 100", None))
    return found


def _share_rule(size: dict[str, Any], kind: str, path: Path) -> list[tuple[Path, str, str | None]]:
    if size["Type"] != "CAPACITY_PERCENT":
        return []
    low, high, member = STEP_BOUNDS[kind]
    if low <= size["Value"] <= high:
        return []
    bounds = f"at most {high}%" if low <= 1 else f"{low}% to {high}%"
    return [((*path, "Value"), f"{size['Value']}%: a step takes {bounds} of the new fleet ({member})", _WHY[kind])]


def _refuse(found: list[tuple[Path, str, str | None]], policy: TrafficPolicy, flag: str | None) -> None:
    if not found:
        return
    texts = [f"{policy.name(path, flag or FILE_FLAG)}: {message}" for path, message, _ in found]
    hints = [hint for _, _, hint in found if hint]
    raise InvalidInput("; ".join(texts), hints[0] if len(found) == 1 and hints else "nothing was sent: fix each")


# -- against the endpoint: the fleet it deploys to --------------------------------------------


@dataclass(frozen=True)
class Fleet:
    """A variant of the endpoint as the update leaves it: what the policy's rules need."""

    variant: str
    count: int | None  # instances after the update (None: serverless, or not known)
    instance_type: str | None
    serverless: bool = False


def fleets(config: Mapping[str, Any], counts: Mapping[str, Any]) -> list[Fleet]:
    """The new config's variants with the instance counts the update leaves them
    (`counts`: variant → count, from the update preview's After column)."""
    found = []
    for variant in config.get("ProductionVariants", []):
        name = str(variant.get("VariantName", ""))
        count = counts.get(name, variant.get("InitialInstanceCount"))
        serverless = bool(variant.get("ServerlessConfig"))
        found.append(
            Fleet(
                name,
                int(count) if isinstance(count, int | float) and not serverless else None,
                variant.get("InstanceType"),
                serverless,
            )
        )
    return found


def instances(size: Mapping[str, Any], total: int) -> int:
    """Instances a CapacitySize stands for in a fleet of `total` (a percentage rounded up, at least one)."""
    if size["Type"] == "INSTANCE_COUNT":
        return int(size["Value"])
    return max(1, math.ceil(total * int(size["Value"]) / 100))


def _step(config: Mapping[str, Any]) -> tuple[str, Mapping[str, Any] | None, Path | None]:
    """(kind: CANARY, LINEAR, ROLLING, ALL_AT_ONCE, the step's CapacitySize, its path)."""
    if config.get("RollingUpdatePolicy"):
        return "ROLLING", config["RollingUpdatePolicy"]["MaximumBatchSize"], (*_ROLLING, "MaximumBatchSize")
    routing = (config.get("BlueGreenUpdatePolicy") or {}).get("TrafficRoutingConfiguration") or {}
    kind = str(routing.get("Type", "ALL_AT_ONCE"))
    member = {"CANARY": "CanarySize", "LINEAR": "LinearStepSize"}.get(kind)
    if member is None:
        return kind, None, None
    return kind, routing.get(member), (*_ROUTING, member)


def bake_seconds(config: Mapping[str, Any]) -> int:
    """The baking period after each step (0 when none)."""
    if config.get("RollingUpdatePolicy"):
        return int(config["RollingUpdatePolicy"].get("WaitIntervalInSeconds", 0))
    routing = (config.get("BlueGreenUpdatePolicy") or {}).get("TrafficRoutingConfiguration") or {}
    return int(routing.get("WaitIntervalInSeconds", 0))


def alarms_of(config: Mapping[str, Any] | None) -> list[str]:
    """The alarm names a DeploymentConfig rolls back on."""
    alarms = ((config or {}).get("AutoRollbackConfiguration") or {}).get("Alarms") or []
    return [str(alarm.get("AlarmName", "")) for alarm in alarms if alarm.get("AlarmName")]


def max_time(config: Mapping[str, Any]) -> int | None:
    """MaximumExecutionTimeoutInSeconds of the update policy, if set."""
    policy = config.get("RollingUpdatePolicy") or config.get("BlueGreenUpdatePolicy") or {}
    value = policy.get("MaximumExecutionTimeoutInSeconds")
    return int(value) if value is not None else None


def step_count(config: Mapping[str, Any], total: int | None) -> int:
    """How many traffic steps (rolling batches) a deployment of `total` instances takes."""
    kind, size, _ = _step(config)
    if kind == "CANARY":
        return 2
    if kind in ("LINEAR", "ROLLING") and size is not None:
        if total:
            return math.ceil(total / max(1, instances(size, total)))
        if size["Type"] == "CAPACITY_PERCENT":
            return math.ceil(100 / int(size["Value"]))
    return 1


def share_after(config: Mapping[str, Any], step: int, total: int | None) -> float | None:
    """The share of the traffic the new fleet serves after `step` traffic steps (1-based);
    None when it cannot be told (a percentage of an unknown fleet)."""
    _, size, _ = _step(config)
    if step >= step_count(config, total) or size is None:
        return 1.0
    if not total:
        return min(1.0, step * int(size["Value"]) / 100) if size["Type"] == "CAPACITY_PERCENT" else None
    return min(1.0, step * instances(size, total) / total)


def waits(config: Mapping[str, Any], total: int | None) -> int:
    """Seconds of baking (and of termination wait) the deployment asks for."""
    bake = bake_seconds(config)
    termination = int((config.get("BlueGreenUpdatePolicy") or {}).get("TerminationWaitInSeconds", 0))
    kind, _, _ = _step(config)
    if kind == "ALL_AT_ONCE":
        return bake + termination
    return step_count(config, total) * bake + termination


def guardrails_ignored(current: Mapping[str, Any] | None, new: Mapping[str, Any]) -> str | None:
    """Why SageMaker would ignore a DeploymentConfig on this endpoint (all at once, no
    baking, no error), when neoctl can tell: an Inf1 instance in the current or new config."""
    for config in (current or {}, new):
        for variant in config.get("ProductionVariants", []):
            if str(variant.get("InstanceType", "")).startswith("ml.inf1."):
                return f"variant {variant['VariantName']} runs on {variant['InstanceType']} (Inf1)"
    return None


def check_fleet(
    policy: TrafficPolicy,
    config: Mapping[str, Any],
    current: Mapping[str, Any] | None,
    new: Mapping[str, Any],
    counts: Mapping[str, Any],
) -> list[str]:
    """The rules that need the endpoint: InvalidInput (252) naming every problem, or the
    warnings to print. `current` and `new` are the endpoint's current config and the one it
    is updated to (DescribeEndpointConfig's shape, or CreateEndpointConfig's request);
    `counts` each variant's instance count after the update."""
    kind, size, path = _step(config)
    flag = _FLAG_OF.get(kind, FILE_FLAG)
    problems: list[tuple[str, str]] = []
    warnings: list[str] = []
    targets = fleets(new, counts)
    old = [str(v.get("VariantName")) for v in (current or {}).get("ProductionVariants", [])]
    if current is not None and sorted(old) != sorted(f.variant for f in targets):
        problems.append(
            (
                f"a traffic policy needs the new config to keep the endpoint's variant names ({', '.join(old)}); "
                f"{new.get('EndpointConfigName', 'the new config')} has {', '.join(f.variant for f in targets)}",
                "SageMaker Developer Guide, deployment guardrails: Exclusions",
            )
        )
    if kind == "ROLLING":
        if len(targets) > 1 or len(old) > 1:
            problems.append((f"{policy.name(_ROLLING, flag)}: a rolling update takes one variant", _EXCLUSIONS))
        if any(f.serverless for f in targets):
            problems.append(
                (f"{policy.name(_ROLLING, flag)}: a rolling update excludes serverless variants", _EXCLUSIONS)
            )
    if size is not None and path is not None:
        low, high, member = STEP_BOUNDS[kind]
        for fleet in targets:
            if not fleet.count:
                continue
            count = instances(size, fleet.count)
            share = 100 * count / fleet.count
            if not low <= share <= high or count > fleet.count:
                given = f"{size['Value']}{'%' if size['Type'] == 'CAPACITY_PERCENT' else ''}"
                bounds = f"at most {high}%" if low <= 1 else f"{low}% to {high}%"
                problems.append(
                    (
                        f"{policy.name(path, flag)} {given} is {count} of variant {fleet.variant}'s "
                        f"{fleet.count} instance(s) ({share:.0f}%); {member} takes {bounds} of them",
                        _WHY[kind] + ("; a canary needs at least 2 instances" if fleet.count < 2 else ""),
                    )
                )
    limit = max_time(config)
    total = _largest(targets)
    if limit is not None and waits(config, total) >= limit:
        where = policy.name(((*_ROLLING,) if kind == "ROLLING" else _BLUE_GREEN), "--max-time")
        problems.append(
            (
                f"{where}: {span(limit)} is not more than the {span(waits(config, total))} of baking the plan asks for",
                "the deployment would time out and roll back: raise --max-time or shorten --bake",
            )
        )
    alarms = alarms_of(config)
    if alarms and bake_seconds(config) == 0:
        warnings.append(
            f"alarms {', '.join(alarms)} are watched only while the update bakes, and this policy has no baking period"
        )
    ignored = guardrails_ignored(current, new)
    if ignored is not None:
        text = (
            f"{ignored}: SageMaker ignores the traffic policy on Inf1 endpoints and updates all at once, "
            "with no baking and no alarms watched (Developer Guide, deployment guardrails: Exclusions)"
        )
        if policy.allow_all_at_once:
            warnings.append(text)
        else:
            problems.append((text, "update without a traffic policy, or add --allow-all-at-once to send it anyway"))
    if problems:
        message = "; ".join(text for text, _ in problems)
        hint = problems[0][1] if len(problems) == 1 else "nothing was sent: fix each"
        raise InvalidInput(message, hint)
    return warnings


_EXCLUSIONS = "SageMaker Developer Guide, deployment guardrails: Exclusions; use --canary or --linear"


def _largest(targets: list[Fleet]) -> int | None:
    counts = [f.count for f in targets if f.count]
    return max(counts) if counts else None


def package_warnings(models: Mapping[str, Mapping[str, Any]], account: str | None) -> list[str]:
    """A loud warning for each model serving a model package of another account: an AWS
    Marketplace package is one, and SageMaker ignores a traffic policy on an endpoint with a
    Marketplace container. neoctl cannot tell a Marketplace package from one shared with
    you, so it warns instead of refusing. `models`: model name → DescribeModel."""
    found = []
    for name, model in models.items():
        containers = [model.get("PrimaryContainer") or {}, *(model.get("Containers") or [])]
        for container in containers:
            package = str(container.get("ModelPackageName", ""))
            parts = package.split(":")
            owner = parts[4] if package.startswith("arn:") and len(parts) > 5 else None
            if owner and account and owner != account:
                found.append(
                    f"model {name} serves model package {package} of account {owner}: if it is an AWS Marketplace "
                    "package, SageMaker ignores the traffic policy and updates all at once, with no baking "
                    "and no alarms watched"
                )
    return found


# -- the plan, in steps with times ------------------------------------------------------------


def _watching(alarms: list[str]) -> str:
    if not alarms:
        return "no alarms watched"
    return f"watching {len(alarms)} alarm{'s' if len(alarms) > 1 else ''} ({', '.join(alarms)})"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _share_text(size: Mapping[str, Any], total: int | None, single: bool) -> str:
    """ "10% (1 of 4 instances)", "1 instance of 4", "10%", "2 instances"."""
    if size["Type"] == "CAPACITY_PERCENT":
        head = f"{size['Value']}%"
        return f"{head} ({instances(size, total)} of {_plural(total, 'instance')})" if total and single else head
    head = _plural(int(size["Value"]), "instance")
    return f"{head} of {total}" if total and single else head


def plan_steps(config: Mapping[str, Any], new: Mapping[str, Any], counts: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The deployment as SageMaker will run it, step by step: [{"Step", "Seconds"}], Seconds
    set for the waits (bakes, termination wait), None where SageMaker takes what it takes."""
    targets = fleets(new, counts)
    total = _largest(targets)
    single = len(targets) == 1
    kind, size, _ = _step(config)
    bake = bake_seconds(config)
    watching = _watching(alarms_of(config))
    steps: list[dict[str, Any]] = []

    def add(text: str, seconds: int | None = None) -> None:
        steps.append({"Step": text, "Seconds": seconds})

    def traffic_on(index: int) -> str:
        share = share_after(config, index, total)
        return f"{share:.0%} of the traffic on the new fleet" if share is not None else "more traffic on the new fleet"

    count = step_count(config, total)
    shown = list(range(1, count + 1)) if count <= 4 else [1, 2, count]
    if kind == "ROLLING" and size is not None:
        batch = _share_text(size, total, single)
        for index in shown:
            if count > 4 and index == count:
                add(f"… batches 3 to {count - 1} alike")
            text = f"batch {index} of {count}: {batch} new up, {traffic_on(index)}"
            add(text + (f"; bake, {watching}; old ones off" if bake else "; old ones off"), bake or None)
        return steps
    fleet = _plural(total, "instance") if total and single else "as many instances as each variant has"
    add(f"provision the new fleet: {fleet}")
    if kind == "CANARY" and size is not None:
        share = share_after(config, 1, total)
        takes = f"takes {share:.0%} of the traffic" if share is not None else "takes its share of the traffic"
        add(f"canary: {_share_text(size, total, single)} of the new fleet {takes}")
        if bake:
            add(f"bake, {watching}", bake)
        add("the rest of the traffic to the new fleet")
    elif kind == "LINEAR" and size is not None:
        for index in shown:
            if count > 4 and index == count:
                add(f"… steps 3 to {count - 1} alike, each baked")
            add(f"step {index} of {count}: {traffic_on(index)}")
            if bake and index != count:
                add(f"bake, {watching}", bake)
    else:
        add("all of the traffic to the new fleet at once")
    if bake:
        add(f"final bake, {watching}", bake)
    termination = int((config.get("BlueGreenUpdatePolicy") or {}).get("TerminationWaitInSeconds", 0))
    if termination:
        add("keep the old fleet before terminating it", termination)
    add("terminate the old fleet")
    return steps


def summary(config: Mapping[str, Any], new: Mapping[str, Any], counts: Mapping[str, Any]) -> str:
    """The plan in one line: "10% to the new fleet, bake 10 min watching 2 alarms, then the
    rest, bake 10 min; at most 1 h, else SageMaker rolls it back"."""
    targets = fleets(new, counts)
    total = _largest(targets)
    single = len(targets) == 1
    kind, size, _ = _step(config)
    bake = bake_seconds(config)
    alarms = alarms_of(config)
    baked = f"bake {span(bake)}" + (f" watching {_plural(len(alarms), 'alarm')}" if alarms else "")
    if kind == "CANARY" and size is not None:
        text = f"{_share_text(size, total, single)} to the new fleet"
        text += f", {baked}, then the rest, bake {span(bake)}" if bake else ", then the rest"
    elif kind == "LINEAR" and size is not None:
        text = f"{_share_text(size, total, single)} more to the new fleet in each of {step_count(config, total)} steps"
        text += f", each followed by: {baked}" if bake else ""
    elif kind == "ROLLING" and size is not None:
        text = f"rolling, {_share_text(size, total, single)} at a time in {step_count(config, total)} batches"
        text += f", each followed by: {baked}" if bake else ""
    else:
        text = "all at once" + (f", then {baked}" if bake else "")
    limit = max_time(config)
    if limit is not None:
        text += f"; at most {span(limit)}, else SageMaker rolls it back"
    return text
