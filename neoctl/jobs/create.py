"""`neoctl create`: send a validated batch — upload its local models, create every job
through a bounded pool, one result per job — or render it as `aws` command lines."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING, Any

from neoctl.errors import BatchIncomplete, Interrupted
from neoctl.jobs import results

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.output import Printer
    from neoctl.spec.batch import Batch


def create_batch(
    batch: Batch, options: AwsOptions, *, concurrency: int = 8, out: Printer | None = None
) -> list[dict[str, Any]]:
    """Upload the batch's local models (progress on `out`), then create its jobs.

    With local models, each job's name is looked up first (DescribeCompilationJob, once
    hashing has put the model's S3 URI in its request): a job of that name with another
    request refuses the whole batch before anything is packed or uploaded (BatchIncomplete,
    exit 254); an identical one is "existed" as a re-run finds it, and a model whose jobs
    all exist already is not uploaded.

    One row per job (CompilationJobName, Result, CompilationJobArn or Error); see
    check_created for turning refusals into an error.
    """
    from neoctl.models.upload import hash_models, upload_model

    hash_models(batch, out)  # a no-op when load_batch hashed
    found = check_names(options, batch, concurrency) if batch.uploads() else {}
    for upload in batch.uploads():
        users = [job.name for job in batch.jobs if job.request.get("InputConfig", {}).get("S3Uri") == upload.s3_uri]
        if users and all(name in found for name in users):
            if out is not None:
                out.message(f"not uploading {upload.source}: its job(s) exist already ({', '.join(users)})")
            continue
        upload_model(options, upload, out)
    rest = create_jobs(options, [job.request for job in batch.jobs if job.name not in found], concurrency)
    sent = iter(rest)
    return [found[job.name] if job.name in found else next(sent) for job in batch.jobs]


def check_names(options: AwsOptions, batch: Batch, concurrency: int = 8) -> dict[str, dict[str, Any]]:
    """Each job of `batch` that exists already, by name: its row as a re-run reports it
    (existed, failed, stopped: neoctl.jobs.results). BatchIncomplete (exit 254) when any
    exists with another request, naming each job and the fields that differ. A name that
    cannot be looked up is left to CreateCompilationJob to judge."""
    from neoctl.api.jobs import JobCalls

    calls = JobCalls(options)
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        answers = list(pool.map(lambda job: calls.describe(job.name), batch.jobs))
    found: dict[str, dict[str, Any]] = {}
    conflicts: list[str] = []
    hints: list[str] = []
    for job, answer in zip(batch.jobs, answers, strict=True):
        if not answer.ok or answer.response.get("CompilationJobName") != job.name:
            continue
        diffs = results.differences(job.request, answer.response)
        if diffs:
            conflicts.append(f"{job.name} exists with a different {', '.join(diffs)}")
            key = "name" if job.form == "neoctl" else "CompilationJobName"
            where = f"{job.file}:{job.line}" if job.line else job.file
            hints.append(
                f"give the job a new name ({key}: in {where}) or delete the old job "
                f"(aws sagemaker delete-compilation-job --compilation-job-name {job.name})"
            )
            continue
        found[job.name] = {"CompilationJobName": job.name, **results.existing(job.request, answer)}
    if conflicts:
        raise BatchIncomplete(
            f"{len(conflicts)} of {len(batch.jobs)} job(s) conflict with existing jobs: "
            + "; ".join(conflicts)
            + ": nothing was uploaded or created",
            "; ".join(dict.fromkeys(hints)),
        )
    return found


def services_for(batch: Batch, *, preflight: bool) -> list[str]:
    """The AWS services besides SageMaker that creating `batch` calls: its clients are made
    early (while local models are hashed), and --endpoint-url, which redirects SageMaker
    only, is warned about for them.

    S3: uploading local models (model.path), and pre-flight's look-ups of model objects
    (s3:GetObject) and bucket regions (s3:GetBucketLocation). IAM: pre-flight's role
    check (iam:GetRole).
    """
    return (["s3"] if batch.uploads() or preflight else []) + (["iam"] if preflight else [])


def create_jobs(options: AwsOptions, requests: list[dict[str, Any]], concurrency: int = 8) -> list[dict[str, Any]]:
    """Send every CreateCompilationJob request through a bounded pool; one row per job, in order.

    A refusal of one job does not stop the others (see neoctl.jobs.results for what
    each answer means).
    """
    from neoctl.api.jobs import JobCalls

    calls = JobCalls(options)
    rows: dict[int, dict[str, Any]] = {}
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = {
            pool.submit(lambda r: results.result_of(r, calls.create(r), calls.describe), request): i
            for i, request in enumerate(requests)
        }
        try:
            for future in as_completed(futures):
                rows[futures[future]] = future.result()
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            done = len(rows) - len(results.not_created(list(rows.values())))
            raise Interrupted(
                f"interrupted after {done} of {len(requests)} job(s) were sent; "
                "requests already in flight may still create their jobs",
                "run the same command again to finish the batch: jobs that exist unchanged are skipped",
            ) from None
    return [rows[i] for i in sorted(rows)]


def check_created(rows: list[dict[str, Any]]) -> None:
    """BatchIncomplete (exit 254) naming every job that was not created or found unchanged."""
    bad = results.not_created(rows)
    if bad:
        hint = "fix what is named, then run the same command again: jobs that exist unchanged are skipped"
        if any(r["Result"] in (results.FAILED, results.STOPPED) for r in bad):
            hint += "; a job that ended FAILED or STOPPED runs again only under a new name"
        if any(r["Result"] == results.CONFLICT for r in bad):
            hint += "; a conflict: give the job a new name (name:) or delete the old job"
        raise BatchIncomplete(
            f"{len(bad)} of {len(rows)} job(s) not created: "
            + "; ".join(f"{r['CompilationJobName']} {r['Result']} ({r.get('Error', '')})" for r in bad),
            hint,
        )


def aws_cli_lines(
    batch: Batch, region: str | None = None, profile: str | None = None, endpoint_url: str | None = None
) -> list[str]:
    """One paste-safe `aws sagemaker create-compilation-job` line per job, all rendered first."""
    from neoctl.spec.awscli import aws_cli_line

    # The AWS CLI v1 ignores AWS_REGION; neoctl would use it, so the line names it.
    line_region = region or os.environ.get("AWS_REGION") or None
    return [
        aws_cli_line(job.request, region=line_region, profile=profile, endpoint_url=endpoint_url) for job in batch.jobs
    ]
