"""Waiting for an endpoint to settle after an update: the jobs' wait loop, with
DescribeEndpoint as the poller and InService / Failed as the final statuses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from neoctl.errors import Interrupted, JobsFailed, WaitTimeout
from neoctl.polling import TimedOut, Waiting, is_throttling, run_wait
from neoctl.waitstate import WaitState

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.output import Printer

DONE = frozenset({"InService", "Failed"})
BAD = frozenset({"Failed"})


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


def wait_for_endpoint(options: AwsOptions, name: str, how: Waiting, out: Printer | None = None) -> dict[str, Any]:
    """Poll until InService (return the endpoint's description) or Failed (JobsFailed, exit 1,
    with its FailureReason); WaitTimeout (124) after `how.timeout`, Interrupted on Ctrl-C."""
    from neoctl.output.waiting import progress_view

    state = WaitState.watching([name], DONE, BAD)
    poller = EndpointPoller(options, name)
    try:
        with progress_view(out, f"waiting for endpoint {name}", column="Endpoint") as view:
            run_wait(poller, state, view, timeout=how.timeout, poll=how.poll, throttled=is_throttling)
    except TimedOut:
        raise WaitTimeout(
            f"--timeout {how.timeout_text} elapsed; endpoint {name} is still {state.jobs[name].status}",
            f"check again with `neoctl endpoint describe {name}`",
        ) from None
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; the update of {name} goes on in SageMaker") from None
    if state.failed():
        raise JobsFailed(f"endpoint {name} Failed: {poller.last.get('FailureReason', 'no reason given')}")
    return poller.last
