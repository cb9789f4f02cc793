"""How an emulated compilation job moves through its statuses over time.

moto creates jobs already COMPLETED. The emulator instead gives each job a plan
(when it was created, how long it runs, whether it fails, whether someone asked
it to stop) and derives the status from the clock whenever a request arrives,
so no background thread is needed.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import CompilationJob, SageMakerModelBackend

from neoctl.testing.runtime import STATE_LOCK

DURATION_TAG = "neoctl-emulator:duration"
FAIL_TAG = "neoctl-emulator:fail"

STARTING_FRACTION = 0.2
ACTIVE = frozenset({"STARTING", "INPROGRESS"})
TERMINAL = frozenset({"COMPLETED", "FAILED", "STOPPED"})
DEFAULT_FAILURE_REASON = f"Compilation failed (requested by the {FAIL_TAG} tag)."


@dataclass(frozen=True)
class Transition:
    status: str
    at: datetime


@dataclass(frozen=True)
class JobState:
    """What DescribeCompilationJob reports at one instant."""

    status: str
    last_modified: datetime
    started: datetime | None
    ended: datetime | None
    failure_reason: str | None


@dataclass(frozen=True)
class JobControls:
    duration: float
    failure_reason: str | None


@dataclass
class JobPlan:
    created: datetime
    duration: float
    failure_reason: str | None
    stop_requested: datetime | None = None
    stop_seconds: float = 1.0
    # Statuses whose side effects (log lines, the S3 artifact) already ran.
    announced: set[str] = field(default_factory=set)

    def timeline(self) -> list[Transition]:
        begin = self.created + timedelta(seconds=self.duration * STARTING_FRACTION)
        end = self.created + timedelta(seconds=self.duration)
        outcome = "FAILED" if self.failure_reason is not None else "COMPLETED"
        natural = [
            Transition("STARTING", self.created),
            Transition("INPROGRESS", begin),
            Transition(outcome, end),
        ]
        if self.stop_requested is None:
            return natural
        stop = self.stop_requested
        before_stop = [t for t in natural if t.at <= stop and t.status not in TERMINAL]
        return [
            *before_stop,
            Transition("STOPPING", stop),
            Transition("STOPPED", stop + timedelta(seconds=self.stop_seconds)),
        ]

    def reached(self, now: datetime) -> list[Transition]:
        timeline = self.timeline()
        # A clock that steps backwards must not leave a job with no status at all.
        return [t for t in timeline if t.at <= now] or timeline[:1]

    def state_at(self, now: datetime) -> JobState:
        reached = self.reached(now)
        current = reached[-1]
        started = next((t.at for t in reached if t.status == "INPROGRESS"), None)
        return JobState(
            status=current.status,
            last_modified=current.at,
            started=started,
            ended=current.at if current.status in TERMINAL else None,
            failure_reason=self.failure_reason if current.status == "FAILED" else None,
        )


def controls_from_tags(tags: list[dict[str, str]] | None, default_duration: float) -> JobControls:
    """Read the per-job duration and failure tags, rejecting values that make no sense."""
    values = {tag.get("Key"): tag.get("Value", "") for tag in tags or []}
    duration = default_duration
    raw = values.get(DURATION_TAG)
    if raw is not None:
        try:
            duration = float(raw)
        except ValueError:
            duration = math.nan
        if not math.isfinite(duration) or duration < 0:
            raise ValidationError(message=f"Tag '{DURATION_TAG}' must be a number of seconds >= 0; got '{raw}'.")
    failure = values.get(FAIL_TAG)
    if failure is not None and not failure.strip():
        failure = DEFAULT_FAILURE_REASON
    return JobControls(duration=duration, failure_reason=failure)


# Keyed by the moto object itself so a moto reset, which drops the jobs, drops
# their plans too.
_plans: weakref.WeakKeyDictionary[CompilationJob, JobPlan] = weakref.WeakKeyDictionary()

Announcer = Callable[[CompilationJob, JobPlan, list[Transition]], None]
_announcers: list[Announcer] = []


def on_transitions(announcer: Announcer) -> None:
    """Register a side effect to run once for each newly reached status."""
    if announcer not in _announcers:
        _announcers.append(announcer)


def attach_plan(job: CompilationJob, plan: JobPlan) -> None:
    with STATE_LOCK:
        _plans[job] = plan


def plan_for(job: CompilationJob) -> JobPlan | None:
    with STATE_LOCK:
        return _plans.get(job)


def state_of(job: CompilationJob, now: datetime) -> JobState:
    plan = plan_for(job)
    if plan is not None:
        return plan.state_at(now)
    # Jobs created behind the emulator's back (straight on the backend) keep
    # moto's own always-COMPLETED fields.
    fields: Any = job
    return JobState(
        status=fields.compilation_job_status,
        last_modified=fields.last_modified_time,
        started=fields.compilation_start_time,
        ended=fields.compilation_end_time,
        failure_reason=fields.failure_reason or None,
    )


def advance_job(job: CompilationJob, now: datetime) -> JobState:
    """Bring moto's stored status up to `now` and run side effects of new statuses."""
    with STATE_LOCK:
        plan = _plans.get(job)
        if plan is None:
            return state_of(job, now)
        state = plan.state_at(now)
        # moto's own handlers (DeleteCompilationJob, Search) read these fields.
        job.compilation_job_status = state.status
        job.last_modified_time = state.last_modified
        fresh = [t for t in plan.reached(now) if t.status not in plan.announced]
        plan.announced.update(t.status for t in fresh)
        if fresh:
            for announce in _announcers:
                announce(job, plan, fresh)
        return state


def advance_backend(backend: SageMakerModelBackend, now: datetime) -> None:
    for job in list(backend.compilation_jobs.values()):
        advance_job(job, now)
