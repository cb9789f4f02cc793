"""Waiting for an endpoint to settle after an update: the jobs' wait loop, with
DescribeEndpoint as the poller and InService / Failed / UpdateRollbackFailed as the final
statuses. An update has succeeded only when the endpoint serves the new config: one that
SageMaker rolled back ends InService on the old config with a FailureReason, a failure.
With a traffic policy the wait follows the deployment (neoctl.endpoints.progress): its
phase, the traffic on each fleet, and its alarms, read with one DescribeAlarms a poll."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from neoctl.errors import Interrupted, JobsFailed, WaitTimeout
from neoctl.polling import TimedOut, Waiting, is_throttling, run_wait
from neoctl.waitstate import WaitState

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.endpoints.progress import Follower
    from neoctl.output import Printer

DONE = frozenset({"InService", "Failed", "UpdateRollbackFailed"})
BAD = frozenset({"Failed", "UpdateRollbackFailed"})


class EndpointPoller:
    """DescribeEndpoint as the wait loop's poller; keeps the last answer for the result."""

    def __init__(self, options: AwsOptions, name: str) -> None:
        self.options, self.name = options, name
        self.last: dict[str, Any] = {}

    def poll(self, pending: list[str]) -> dict[str, str]:
        """The endpoint's status."""
        from neoctl.api.endpoints import describe_endpoint

        self.last = describe_endpoint(self.options, self.name)
        return {self.name: str(self.last.get("EndpointStatus", ""))}


class DeploymentPoller(EndpointPoller):
    """DescribeEndpoint, then one DescribeAlarms for every alarm of the traffic policy; what
    they show is read into the follower's progress (the live view shows it). The status
    handed to the wait loop changes with the phase and the alarms, so each is a line."""

    def __init__(self, options: AwsOptions, name: str, follower: Follower, alarms: list[str]) -> None:
        super().__init__(options, name)
        self.follower, self.alarms = follower, alarms
        self.started = time.monotonic()

    def poll(self, pending: list[str]) -> dict[str, str]:
        """The endpoint's status, or its progress while it is not final."""
        from neoctl.api.cloudwatch import describe_alarms

        super().poll(pending)
        states = describe_alarms(self.options, self.alarms) if self.alarms else None
        progress = self.follower.read(self.last, states, elapsed=time.monotonic() - self.started)
        return {self.name: progress.status if progress.status in DONE else progress.key()}


def wait_for_endpoint(
    options: AwsOptions,
    name: str,
    how: Waiting,
    out: Printer | None = None,
    *,
    expect: str | None = None,
    deployment: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Poll until InService (return the endpoint's description) or Failed/UpdateRollbackFailed
    (JobsFailed, exit 1, with its FailureReason); WaitTimeout (124) after `how.timeout`,
    Interrupted on Ctrl-C (the update goes on; the hint says how to watch it again).

    `expect`: the config the update deploys. Ending InService on another one is a rollback:
    JobsFailed naming the config served and the alarm that fired. `deployment`: the
    DeploymentConfig sent (or {} for none, to follow a deployment all the same): the wait
    then shows its phases, traffic and alarms instead of a status table."""
    from neoctl.endpoints.progress import Follower, outcome

    state = WaitState.watching([name], DONE, BAD)
    follower = Follower(name, deployment, expect)
    alarms = alarms_of(deployment)
    poller = (
        DeploymentPoller(options, name, follower, alarms) if deployment is not None else EndpointPoller(options, name)
    )
    resume = f"watch it again with `neoctl endpoint wait {name}{f' --config {expect}' if expect else ''}`"
    try:
        with _view(out, name, follower if deployment is not None else None) as view:
            run_wait(poller, state, view, timeout=how.timeout, poll=how.poll, throttled=is_throttling)
    except TimedOut:
        now = str(poller.last.get("EndpointStatus") or state.jobs[name].status)
        phase = f" ({follower.progress.phase})" if deployment is not None and follower.progress.phase != now else ""
        raise WaitTimeout(
            f"--timeout {how.timeout_text} elapsed; endpoint {name} is still {now}{phase}",
            f"check again with `neoctl endpoint describe {name}`, or {resume}",
        ) from None
    except KeyboardInterrupt:
        raise Interrupted(
            f"interrupted; the update of {name} goes on in SageMaker (only the watching stopped)", resume
        ) from None
    progress = follower.progress if deployment is not None else follower.read(poller.last)
    failure = outcome(progress, expect)
    if failure is not None:
        raise JobsFailed(failure, f"see it with `neoctl endpoint describe {name}`")
    return poller.last


def alarms_of(deployment: Mapping[str, Any] | None) -> list[str]:
    """The alarm names of a DeploymentConfig."""
    from neoctl.endpoints.traffic import alarms_of as names

    return names(deployment)


def _view(out: Printer | None, name: str, follower: Follower | None) -> Any:
    """The live view of the wait: the deployment's (a follower given) or the status table's."""
    from neoctl.output.waiting import progress_view

    if follower is None:
        return progress_view(out, f"waiting for endpoint {name}", column="Endpoint")
    from neoctl.output.deployment import deployment_view

    return deployment_view(out, lambda: follower.progress)


def watch_endpoint(
    options: AwsOptions, name: str, how: Waiting, out: Printer | None = None, *, expect: str | None = None
) -> dict[str, Any]:
    """`neoctl endpoint wait`: wait for what the endpoint is doing now. A deployment in
    progress is followed (its DeploymentConfig from LastDeploymentConfig), and succeeds only
    when the endpoint ends serving its config — or `expect`, when given."""
    from neoctl.api.endpoints import describe_endpoint

    described = describe_endpoint(options, name)
    pending = (described.get("PendingDeploymentSummary") or {}).get("EndpointConfigName")
    deployment = (described.get("LastDeploymentConfig") or {}) if pending else None
    return wait_for_endpoint(options, name, how, out, expect=expect or pending, deployment=deployment)
