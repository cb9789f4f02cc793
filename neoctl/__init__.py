"""neoctl: validated SageMaker Neo compilation jobs and endpoint updates.

The functions the commands call, for notebooks and pipelines (docs/python-api.md)::

    import neoctl

    aws = neoctl.AwsOptions(region="us-east-1")
    batch = neoctl.load_batch(["job.yaml"])             # SpecError lists every problem
    rows = neoctl.create_batch(batch, aws)              # one row per job
    neoctl.check_created(rows)                          # BatchIncomplete if any was refused
    result = neoctl.wait_for_jobs(aws, [r["CompilationJobName"] for r in rows])
    result.check()                                      # JobsFailed / WaitTimeout

Nothing heavy is imported until a name is used: `import neoctl` costs no boto3.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name → module that defines it
_EXPORTS = {
    "AwsOptions": "neoctl.api.session",
    "load_batch": "neoctl.spec.batch",
    "Batch": "neoctl.spec.batch",
    "create_batch": "neoctl.jobs.create",
    "create_jobs": "neoctl.jobs.create",
    "check_created": "neoctl.jobs.create",
    "aws_cli_lines": "neoctl.jobs.create",
    "Waiting": "neoctl.polling",
    "wait_for_jobs": "neoctl.jobs.wait",
    "WaitResult": "neoctl.jobs.wait",
    "describe_job": "neoctl.api.jobs",
    "list_jobs": "neoctl.jobs.listing",
    "list_jobs_request": "neoctl.jobs.listing",
    "plan_stop": "neoctl.jobs.stop",
    "stop_jobs": "neoctl.jobs.stop",
    "job_log_events": "neoctl.jobs.logs",
    "download_artifact": "neoctl.models.download",
    "list_trials": "neoctl.trials",
    "list_trials_request": "neoctl.trials",
    "build_update_request": "neoctl.endpoints.update",
    "plan_update": "neoctl.endpoints.update",
    "update_endpoint": "neoctl.endpoints.update",
    "wait_for_endpoint": "neoctl.endpoints.wait",
    "DeployArgs": "neoctl.endpoints.deploy",
    "plan_deploy": "neoctl.endpoints.deploy",
    "apply_deploy": "neoctl.endpoints.deploy",
    "endpoint_history": "neoctl.endpoints.rollback",
    "rollback_request": "neoctl.endpoints.rollback",
    "TrafficPolicy": "neoctl.endpoints.traffic",
    "watch_endpoint": "neoctl.endpoints.wait",
    "build_invoke_request": "neoctl.endpoints.invoke",
    "invoke_endpoint": "neoctl.endpoints.invoke",
    "endpoint_log_events": "neoctl.endpoints.logs",
    "diagnose_endpoint": "neoctl.endpoints.failure",
    "NeoctlError": "neoctl.errors",
    "SpecError": "neoctl.errors",
    "BatchIncomplete": "neoctl.errors",
    "JobsFailed": "neoctl.errors",
    "WaitTimeout": "neoctl.errors",
}
_RENAMED = {
    "build_update_request": "build_request",
    "endpoint_history": "history",
    "build_invoke_request": "build_request",
    "diagnose_endpoint": "diagnose",
}

__all__ = [
    "AwsOptions",
    "Batch",
    "BatchIncomplete",
    "DeployArgs",
    "JobsFailed",
    "NeoctlError",
    "SpecError",
    "TrafficPolicy",
    "WaitResult",
    "WaitTimeout",
    "Waiting",
    "__version__",
    "apply_deploy",
    "aws_cli_lines",
    "build_invoke_request",
    "build_update_request",
    "check_created",
    "create_batch",
    "create_jobs",
    "describe_job",
    "diagnose_endpoint",
    "download_artifact",
    "endpoint_history",
    "endpoint_log_events",
    "invoke_endpoint",
    "job_log_events",
    "list_jobs",
    "list_jobs_request",
    "list_trials",
    "list_trials_request",
    "load_batch",
    "plan_deploy",
    "plan_stop",
    "plan_update",
    "rollback_request",
    "stop_jobs",
    "update_endpoint",
    "wait_for_endpoint",
    "wait_for_jobs",
    "watch_endpoint",
]

if TYPE_CHECKING:
    from neoctl.api.jobs import describe_job
    from neoctl.api.session import AwsOptions
    from neoctl.endpoints.deploy import DeployArgs, apply_deploy, plan_deploy
    from neoctl.endpoints.failure import diagnose as diagnose_endpoint
    from neoctl.endpoints.invoke import build_request as build_invoke_request
    from neoctl.endpoints.invoke import invoke_endpoint
    from neoctl.endpoints.logs import endpoint_log_events
    from neoctl.endpoints.rollback import history as endpoint_history
    from neoctl.endpoints.rollback import rollback_request
    from neoctl.endpoints.traffic import TrafficPolicy
    from neoctl.endpoints.update import build_request as build_update_request
    from neoctl.endpoints.update import plan_update, update_endpoint
    from neoctl.endpoints.wait import wait_for_endpoint, watch_endpoint
    from neoctl.errors import BatchIncomplete, JobsFailed, NeoctlError, SpecError, WaitTimeout
    from neoctl.jobs.create import aws_cli_lines, check_created, create_batch, create_jobs
    from neoctl.jobs.listing import list_jobs, list_jobs_request
    from neoctl.jobs.logs import job_log_events
    from neoctl.jobs.stop import plan_stop, stop_jobs
    from neoctl.jobs.wait import WaitResult, wait_for_jobs
    from neoctl.models.download import download_artifact
    from neoctl.polling import Waiting
    from neoctl.spec.batch import Batch, load_batch
    from neoctl.trials import list_trials, list_trials_request


def __getattr__(name: str) -> Any:
    # PEP 562: the module defining a name is imported when the name is first used.
    if name not in _EXPORTS:
        raise AttributeError(f"module 'neoctl' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
