"""CloudWatch Logs lines for emulated compilation jobs, in the group SageMaker uses."""

from __future__ import annotations

import hashlib
import logging

from moto.logs.models import logs_backends
from moto.sagemaker.models import CompilationJob

from neoctl.testing.artifacts import artifact_uri, target_label
from neoctl.testing.clock import epoch_millis
from neoctl.testing.compilation_lifecycle import JobPlan, Transition

log = logging.getLogger(__name__)

LOG_GROUP = "/aws/sagemaker/CompilationJobs"


def log_stream_name(job: CompilationJob, plan: JobPlan) -> str:
    """<JobName>/<id>; the id is derived from the job so it is stable for its lifetime."""
    seed = f"{job.arn}@{plan.created.isoformat()}".encode()
    return f"{job.compilation_job_name}/{hashlib.sha256(seed).hexdigest()[:32]}"


def _lines(job: CompilationJob, plan: JobPlan, status: str) -> list[str]:
    name = job.compilation_job_name
    source = (job.input_config or {}).get("S3Uri", job.model_package_version_arn)
    framework = (job.input_config or {}).get("Framework", "unknown")
    target = target_label(job.output_config)
    lines = {
        "STARTING": [
            f"Received compilation job {name}.",
            f"Framework: {framework}. Target: {target}.",
            f"Provisioning compilation resources for {name}.",
        ],
        "INPROGRESS": [
            f"Downloading model from {source}.",
            f"Compiling model for target {target}.",
        ],
        "COMPLETED": [
            f"Compilation completed. Uploading artifacts to {artifact_uri(job)}.",
            f"Compilation job {name} completed successfully.",
        ],
        "FAILED": [f"Compilation job {name} failed. FailureReason: {plan.failure_reason}"],
        "STOPPING": [f"Stop requested for compilation job {name}."],
        "STOPPED": [f"Compilation job {name} stopped."],
    }
    return lines.get(status, [])


def write_job_logs(job: CompilationJob, plan: JobPlan, transitions: list[Transition]) -> None:
    """Append the lines for newly reached statuses; errors are logged, never raised."""
    try:
        _, _, _, region, account, _ = job.arn.split(":", 5)
        backend = logs_backends[account][region]
        if LOG_GROUP not in backend.groups:
            backend.create_log_group(LOG_GROUP, {})
        stream = log_stream_name(job, plan)
        if stream not in backend.groups[LOG_GROUP].streams:
            backend.create_log_stream(LOG_GROUP, stream)
        events = [
            {"timestamp": epoch_millis(t.at), "message": line}
            for t in transitions
            for line in _lines(job, plan, t.status)
        ]
        if events:
            backend.put_log_events(LOG_GROUP, stream, events)
    except Exception:  # logs are a convenience; the job itself must keep working
        log.warning("could not write emulated logs for %s", job.arn, exc_info=True)
