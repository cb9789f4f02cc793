"""What a wait knows: each watched thing's status, and which statuses end the wait.

Data only, below both of its users: the wait loop (neoctl.polling) updates it and the
views (neoctl.output.waiting) show it, and neither imports the other. The caller of the
loop (neoctl.jobs.wait, neoctl.endpoints.wait) picks the view and hands it in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from neoctl.errors import EXIT_JOB_FAILED, EXIT_OK


@dataclass
class JobView:
    """What the waiter knows of one watched thing (a job, an endpoint)."""

    name: str
    status: str = "UNKNOWN"
    failure_reason: str | None = None
    changed_at: float = 0.0  # seconds into the wait of the last status change seen
    finished_at: float | None = None  # seconds into the wait when a final status was first seen


@dataclass
class WaitState:
    """Everything waited on; which statuses end the wait, and which of those are failures."""

    terminal: frozenset[str]
    bad: frozenset[str]
    jobs: dict[str, JobView] = field(default_factory=dict)

    @classmethod
    def watching(cls, names: list[str], terminal: frozenset[str], bad: frozenset[str]) -> WaitState:
        """`names` (duplicates once), nothing known of them yet."""
        return cls(terminal, bad, {n: JobView(n) for n in dict.fromkeys(names)})

    def apply(self, statuses: dict[str, str], now: float) -> list[JobView]:
        """Record new statuses; the jobs whose status changed."""
        changed = []
        for name, status in statuses.items():
            job = self.jobs.get(name)
            if job is not None and job.status != status:
                job.status, job.changed_at = status, now
                if status in self.terminal and job.finished_at is None:
                    job.finished_at = now
                changed.append(job)
        return changed

    def pending(self) -> list[str]:
        """Names of jobs not finished yet."""
        return [j.name for j in self.jobs.values() if j.status not in self.terminal]

    def done(self) -> bool:
        """True when every job has finished."""
        return not self.pending()

    def failed(self) -> list[JobView]:
        """Jobs that ended in a way that makes the wait fail."""
        return [j for j in self.jobs.values() if j.status in self.bad]

    def exit_code(self) -> int:
        """0 when every job ended well, 1 when any failed (or was stopped)."""
        return EXIT_JOB_FAILED if self.failed() else EXIT_OK


@dataclass
class DeploymentProgress:
    """What a wait for an endpoint update knows at one poll (neoctl.endpoints.progress reads
    it from DescribeEndpoint and DescribeAlarms; neoctl.output.deployment shows it)."""

    endpoint: str
    status: str = "UNKNOWN"  # EndpointStatus
    serving: str | None = None  # the config the endpoint serves now
    target: str | None = None  # the config being deployed (PendingDeploymentSummary), once known
    policy: str = "all at once"  # canary, linear, rolling, all at once
    phase: str = "starting"  # provisioning, canary, baking the canary, shifting, final bake, rolling back …
    step: int = 0  # the traffic step (rolling: the batch) under way, from 1
    steps: int | None = None  # how many there are, when known
    new_share: float | None = None  # the share of the traffic on the new fleet, when known
    bake_left: float | None = None  # seconds left of the bake under way
    alarms: dict[str, str] = field(default_factory=dict)  # name → StateValue (OK, ALARM, INSUFFICIENT_DATA)
    alarm_reasons: dict[str, str] = field(default_factory=dict)  # name → StateReason, of alarms in ALARM
    fired: list[str] = field(default_factory=list)  # alarms seen in ALARM during the wait, first first
    failure_reason: str | None = None
    elapsed: float = 0.0  # seconds into the wait

    def key(self) -> str:
        """What changes when something worth a line changes: the phase, the step, the alarms."""
        alarms = ",".join(f"{name}={state}" for name, state in self.alarms.items())
        return f"{self.status}|{self.phase}|{self.step}|{alarms}"
