"""SageMaker compilation-job actions as the emulator serves them.

Each function is installed on moto's SageMakerResponse under the snake_case
name of its action, which is how moto dispatches JSON-protocol requests.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.sagemaker.exceptions import ResourceNotFound, ValidationError
from moto.sagemaker.models import CompilationJob, SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from neoctl.testing import clock
from neoctl.testing.artifacts import artifact_digest, artifact_uri
from neoctl.testing.compilation_lifecycle import (
    ACTIVE,
    TERMINAL,
    JobPlan,
    JobState,
    advance_job,
    attach_plan,
    controls_from_tags,
    plan_for,
)
from neoctl.testing.paging import (
    SortKey,
    paginate,
    require_enum,
    require_max_results,
    time_param,
)
from neoctl.testing.runtime import STATE_LOCK, current_settings

SORT_BY = ("Name", "CreationTime", "Status")
SORT_ORDER = ("Ascending", "Descending")
STATUSES = ("INPROGRESS", "COMPLETED", "FAILED", "STARTING", "STOPPING", "STOPPED")
NO_INFERENCE_IMAGE_TAG = "neoctl-emulator:no-inference-image"
# The account of the images the emulator reports: not one neoctl's fallback table uses,
# so a test can tell SageMaker's choice from neoctl's.
IMAGE_ACCOUNT = "763104351884"

# Captured at import, before install() replaces the attributes on the class.
_moto_create = SageMakerResponse.create_compilation_job
_moto_delete = SageMakerResponse.delete_compilation_job


def _find(backend: SageMakerModelBackend, name: str) -> CompilationJob:
    job = backend.compilation_jobs.get(name)
    if job is None:
        # The same error and wording real SageMaker uses for a missing job.
        raise ResourceNotFound(message=f"Could not find compilation job '{name}'.")
    return job


def describe_job(job: CompilationJob, state: JobState) -> dict[str, Any]:
    out: dict[str, Any] = {
        "CompilationJobName": job.compilation_job_name,
        "CompilationJobArn": job.arn,
        "CompilationJobStatus": state.status,
        "CreationTime": job.creation_time,
        "LastModifiedTime": state.last_modified,
        "StoppingCondition": job.stopping_condition,
        "RoleArn": job.role_arn,
        "OutputConfig": job.output_config,
        "InputConfig": job.input_config,
        "ModelPackageVersionArn": job.model_package_version_arn,
        "InferenceImage": job.inference_image or None,
        "VpcConfig": job.vpc_config,
        "CompilationStartTime": state.started,
        "CompilationEndTime": state.ended,
        "FailureReason": state.failure_reason,
    }
    if state.status == "COMPLETED":
        out["ModelArtifacts"] = {"S3ModelArtifacts": artifact_uri(job)}
        out["ModelDigests"] = {"ArtifactDigest": artifact_digest(job)}
    return {key: value for key, value in out.items() if value is not None}


def summarize_job(job: CompilationJob, state: JobState) -> dict[str, Any]:
    out: dict[str, Any] = {
        "CompilationJobName": job.compilation_job_name,
        "CompilationJobArn": job.arn,
        "CreationTime": job.creation_time,
        "CompilationStartTime": state.started,
        "CompilationEndTime": state.ended,
        "LastModifiedTime": state.last_modified,
        "CompilationJobStatus": state.status,
    }
    output = job.output_config
    if output.get("TargetDevice"):
        out["CompilationTargetDevice"] = output["TargetDevice"]
    else:
        # moto indexes Accelerator unconditionally and fails with HTTP 500 for
        # platforms that have none (CPU targets); every key is optional here.
        platform = output.get("TargetPlatform") or {}
        out["CompilationTargetPlatformOs"] = platform.get("Os")
        out["CompilationTargetPlatformArch"] = platform.get("Arch")
        out["CompilationTargetPlatformAccelerator"] = platform.get("Accelerator")
    return {key: value for key, value in out.items() if value is not None}


def inference_image(job: CompilationJob, region: str, tags: list[dict[str, str]] | None) -> str | None:
    """What SageMaker reports as InferenceImage: an ECR image for cloud (ml_*) targets, none
    for edge devices and platforms, nor when the job is tagged neoctl-emulator:no-inference-image
    (to exercise neoctl's fallback). moto reports the placeholder "InferenceImage" for every job."""
    target = str(job.output_config.get("TargetDevice", ""))
    if not target.startswith("ml_") or any(t.get("Key") == NO_INFERENCE_IMAGE_TAG for t in tags or []):
        return None
    config = job.input_config or {}
    framework = str(config.get("Framework", "model")).lower()
    version = str(config.get("FrameworkVersion", "latest"))
    kind = "inf" if target.startswith("ml_inf") else "gpu" if target.startswith(("ml_p", "ml_g")) else "cpu"
    return f"{IMAGE_ACCOUNT}.dkr.ecr.{region}.amazonaws.com/sagemaker-neo-{framework}:{version}-{kind}-py3"


def create_compilation_job(self: SageMakerResponse) -> ActionResult:
    # Tags are checked before moto stores anything, so a bad tag leaves no job behind.
    settings = current_settings()
    controls = controls_from_tags(self._get_param("Tags"), settings.job_seconds)
    with STATE_LOCK:
        result = _moto_create(self)
        job = self.sagemaker_backend.compilation_jobs[self._get_param("CompilationJobName")]
        job.inference_image = inference_image(job, self.sagemaker_backend.region_name, self._get_param("Tags")) or ""
        # The emulator's clock, not moto's: a test that sets it back gets a job that ran then.
        job.creation_time = clock.now()
        plan = JobPlan(
            created=job.creation_time,
            duration=controls.duration,
            failure_reason=controls.failure_reason,
            stop_seconds=settings.transition_seconds,
        )
        attach_plan(job, plan)
        advance_job(job, clock.now())
    return result


def describe_compilation_job(self: SageMakerResponse) -> ActionResult:
    job = _find(self.sagemaker_backend, self._get_param("CompilationJobName"))
    return ActionResult(describe_job(job, advance_job(job, clock.now())))


def stop_compilation_job(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("CompilationJobName")
    with STATE_LOCK:
        job = _find(self.sagemaker_backend, name)
        now = clock.now()
        state = advance_job(job, now)
        plan = plan_for(job)
        if plan is None or state.status not in ACTIVE:
            raise ValidationError(
                message=f"Compilation job '{name}' cannot be stopped because its status is "
                f"{state.status}; only STARTING or INPROGRESS jobs can be stopped."
            )
        plan.stop_requested = now
        plan.stop_seconds = current_settings().transition_seconds
        advance_job(job, now)
    return EmptyResult()


def delete_compilation_job(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("CompilationJobName")
    with STATE_LOCK:
        job = _find(self.sagemaker_backend, name)
        state = advance_job(job, clock.now())
        if state.status not in TERMINAL:
            raise ValidationError(
                message=f"Compilation job '{name}' cannot be deleted because its status is "
                f"{state.status}; stop it and delete it once it is STOPPED."
            )
        return _moto_delete(self)


def list_compilation_jobs(self: SageMakerResponse) -> ActionResult:
    sort_by = self._get_param("SortBy") or "CreationTime"
    sort_order = self._get_param("SortOrder") or "Ascending"
    status_equals = self._get_param("StatusEquals")
    max_results = self._get_param("MaxResults")
    require_enum(sort_by, "sortBy", SORT_BY)
    require_enum(sort_order, "sortOrder", SORT_ORDER)
    require_enum(status_equals, "statusEquals", STATUSES)
    require_max_results(max_results)
    name_contains = self._get_param("NameContains")
    created_after = time_param(self, "CreationTimeAfter")
    created_before = time_param(self, "CreationTimeBefore")
    modified_after = time_param(self, "LastModifiedTimeAfter")
    modified_before = time_param(self, "LastModifiedTimeBefore")

    now = clock.now()
    with STATE_LOCK:
        rows = [(job, advance_job(job, now)) for job in list(self.sagemaker_backend.compilation_jobs.values())]

    def keep(job: CompilationJob, state: JobState) -> bool:
        created = clock.to_millis(job.creation_time)
        modified = clock.to_millis(state.last_modified)
        return not (
            (name_contains and name_contains not in job.compilation_job_name)
            or (created_after and not created > created_after)
            or (created_before and not created < created_before)
            or (modified_after and not modified > modified_after)
            or (modified_before and not modified < modified_before)
            or (status_equals and state.status != status_equals)
        )

    def sort_key(row: tuple[CompilationJob, JobState]) -> SortKey:
        job, state = row
        name = job.compilation_job_name
        if sort_by == "Name":
            return name, name
        if sort_by == "Status":
            return state.status, name
        return clock.epoch_micros(job.creation_time), name

    page, token = paginate(
        [row for row in rows if keep(*row)],
        sort_key,
        descending=sort_order == "Descending",
        max_results=max_results,
        default_max_results=100,
        next_token=self._get_param("NextToken"),
        query={
            "NameContains": name_contains,
            "StatusEquals": status_equals,
            "CreationTimeAfter": created_after,
            "CreationTimeBefore": created_before,
            "LastModifiedTimeAfter": modified_after,
            "LastModifiedTimeBefore": modified_before,
            "SortBy": sort_by,
            "SortOrder": sort_order,
        },
    )
    summaries = [summarize_job(job, state) for job, state in page]
    return ActionResult({"CompilationJobSummaries": summaries, "NextToken": token})


HANDLERS = {
    "create_compilation_job": create_compilation_job,
    "describe_compilation_job": describe_compilation_job,
    "stop_compilation_job": stop_compilation_job,
    "delete_compilation_job": delete_compilation_job,
    "list_compilation_jobs": list_compilation_jobs,
}
