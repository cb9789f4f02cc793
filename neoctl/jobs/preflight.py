"""Pre-flight: what SageMaker would refuse minutes into a job, looked up before the first
CreateCompilationJob — for the whole batch at once, one lookup per distinct resource.

- each model object exists (HeadObject); for a local model, its upload bucket exists;
- the model and output buckets are in the region the jobs run in (GetBucketLocation);
- each role exists and trusts sagemaker.amazonaws.com (GetRole);
- whether an object is already where a job will write its compiled model (HeadObject on
  neoctl.spec.artifact_key): the job will overwrite it.

A definite problem is an error (nothing is created); a lookup the caller may not make
(AccessDenied) or one that fails is a warning naming the permission, and the jobs go
ahead: the check is a convenience, SageMaker still has the last word. An existing
compiled model is a notice: shown as a warning, but never an error, not even with
--strict — running a job again into the same key is common and legitimate, and --strict
must not fail what runs in public.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from neoctl.models.artifact_check import utc_text
from neoctl.models.s3uri import parse_s3_uri

if TYPE_CHECKING:
    from neoctl.api.lookups import Lookup
    from neoctl.api.session import AwsOptions
    from neoctl.spec.batch import Batch

SAGEMAKER = "sagemaker.amazonaws.com"
# What each lookup needs, for `--help` and for the warning when it is denied.
PERMISSIONS = {"object": "s3:GetObject", "bucket": "s3:GetBucketLocation", "role": "iam:GetRole"}


@dataclass(frozen=True)
class Finding:
    """One thing pre-flight found: an error stops the batch, a warning does not."""

    level: str  # "error" | "warning" | "notice" (a warning that --strict lets through)
    resource: str  # s3://bucket/key, s3://bucket, or the role ARN
    message: str
    hint: str | None = None
    jobs: tuple[str, ...] = ()

    def render(self) -> str:
        """One line: what, for which jobs, and the fix."""
        who = f" (job{'s' if len(self.jobs) > 1 else ''} {', '.join(self.jobs)})" if self.jobs else ""
        return f"{self.resource}: {self.message}{who}" + (f" ({self.hint})" if self.hint else "")


@dataclass
class Resources:
    """The distinct resources a batch names, each with the jobs that use it."""

    objects: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # model objects in S3
    buckets: dict[str, list[str]] = field(default_factory=dict)  # model, upload and output buckets
    roles: dict[str, list[str]] = field(default_factory=dict)  # role ARNs
    artifacts: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # where the compiled models go


def resources(batch: Batch) -> Resources:
    """What the batch's jobs name. A local model's object does not exist yet: only its
    upload bucket is looked at."""
    from neoctl.spec.artifact_key import artifact_key

    found = Resources()
    uploaded = {upload.s3_uri for upload in batch.uploads()}
    for job in batch.jobs:
        request = job.request
        uri = (request.get("InputConfig") or {}).get("S3Uri")
        if isinstance(uri, str) and uri.startswith("s3://"):
            bucket, key = parse_s3_uri(uri)
            if uri not in uploaded:
                found.objects.setdefault((bucket, key), []).append(job.name)
            found.buckets.setdefault(bucket, []).append(job.name)
        out = (request.get("OutputConfig") or {}).get("S3OutputLocation")
        if isinstance(out, str) and out.startswith("s3://"):
            found.buckets.setdefault(parse_s3_uri(out)[0], []).append(job.name)
        if isinstance(request.get("RoleArn"), str):
            found.roles.setdefault(request["RoleArn"], []).append(job.name)
        artifact = artifact_key(request)
        if artifact is not None and artifact.startswith("s3://"):
            found.artifacts.setdefault(parse_s3_uri(artifact), []).append(job.name)
    return found


def trusts_sagemaker(policy: Any) -> bool:
    """Whether a trust policy lets sagemaker.amazonaws.com call sts:AssumeRole."""
    statements = policy.get("Statement", []) if isinstance(policy, dict) else []
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if not any(a in ("sts:AssumeRole", "sts:*", "*") for a in actions):
            continue
        principal = statement.get("Principal", {})
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        services = [services] if isinstance(services, str) else services
        if SAGEMAKER in services or principal == "*":
            return True
    return False


def preflight(options: AwsOptions, batch: Batch, concurrency: int = 8) -> list[Finding]:
    """Every finding for the batch; the lookups run concurrently, one per distinct resource."""
    from neoctl.api import lookups

    found = resources(batch)
    region = lookups.region_of(options)
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        objects = {k: pool.submit(lookups.head_object, options, *k) for k in found.objects}
        buckets = {b: pool.submit(lookups.bucket_region, options, b) for b in found.buckets}
        roles = {r: pool.submit(lookups.get_role, options, _role_name(r)) for r in found.roles}
        artifacts = {k: pool.submit(lookups.head_object, options, *k) for k in found.artifacts}
        findings: list[Finding] = []
        for (bucket, key), future in objects.items():
            findings += _object(bucket, key, future.result(), found.objects[(bucket, key)])
        for bucket, future in buckets.items():
            findings += _bucket(bucket, future.result(), region, found.buckets[bucket])
        for arn, future in roles.items():
            findings += _role(arn, future.result(), found.roles[arn])
        for (bucket, key), future in artifacts.items():
            findings += _artifact(bucket, key, future.result(), found.artifacts[(bucket, key)])
    return findings


def _jobs(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _cannot(what: str, resource: str, answer: Lookup, names: list[str]) -> list[Finding]:
    if answer.outcome == "denied":
        message = f"could not check {what}: access denied (needs {PERMISSIONS[what]})"
    else:
        message = f"could not check {what}: {answer.detail}"
    return [Finding("warning", resource, message, None, _jobs(names))]


def _object(bucket: str, key: str, answer: Lookup, names: list[str]) -> list[Finding]:
    uri = f"s3://{bucket}/{key}"
    if answer.outcome == "found":
        return []
    if answer.outcome == "missing":
        return [
            Finding(
                "error",
                uri,
                "the model object does not exist",
                "fix model.uri / InputConfig.S3Uri, or upload the model there",
                _jobs(names),
            )
        ]
    return _cannot("object", uri, answer, names)


def _bucket(bucket: str, answer: Lookup, region: str, names: list[str]) -> list[Finding]:
    uri = f"s3://{bucket}"
    if answer.outcome == "found":
        where = answer.value.get("Region", "")
        if where and where != region:
            return [
                Finding(
                    "error",
                    uri,
                    f"the bucket is in {where}, the jobs run in {region}",
                    f"use a bucket in {region}, or run the jobs with --region {where}",
                    _jobs(names),
                )
            ]
        return []
    if answer.outcome == "missing":
        return [
            Finding(
                "error",
                uri,
                "the bucket does not exist",
                f"create it (`aws s3 mb s3://{bucket} --region {region}`) or fix the URI",
                _jobs(names),
            )
        ]
    return _cannot("bucket", uri, answer, names)


def _role(arn: str, answer: Lookup, names: list[str]) -> list[Finding]:
    if answer.outcome == "found":
        if trusts_sagemaker(answer.value.get("TrustPolicy")):
            return []
        return [
            Finding(
                "error",
                arn,
                f"the role's trust policy does not let {SAGEMAKER} assume it",
                f"add a statement allowing sts:AssumeRole to the service principal {SAGEMAKER}",
                _jobs(names),
            )
        ]
    if answer.outcome == "missing":
        return [
            Finding(
                "error",
                arn,
                "the role does not exist",
                "fix role / RoleArn, or create the role SageMaker should assume",
                _jobs(names),
            )
        ]
    return _cannot("role", arn, answer, names)


def _artifact(bucket: str, key: str, answer: Lookup, names: list[str]) -> list[Finding]:
    """A notice when an object is already where the jobs will write their compiled model.

    Only an object found says anything: a missing key is the usual case; a missing bucket
    is _bucket's error; and a denied HeadObject is silent, because S3 answers 403 rather
    than 404 for a key that does not exist when the caller may not list the bucket, so it
    mostly means "nothing there" and a warning would be noise (and fail --strict)."""
    if answer.outcome != "found":
        return []
    when = answer.value.get("LastModified")
    since = f" (last modified {utc_text(when)})" if isinstance(when, datetime) else ""
    prefix = f"s3://{bucket}/{key.rsplit('/', 1)[0]}/" if "/" in key else f"s3://{bucket}/"
    example = f", e.g. {prefix}{names[0]}/," if len(set(names)) == 1 else ""
    return [
        Finding(
            "notice",
            f"s3://{bucket}/{key}",
            f"already exists{since}; this job will overwrite it when it completes",
            f"give the job its own output prefix{example} to keep both",
            _jobs(names),
        )
    ]


def _role_name(arn: str) -> str:
    # arn:aws:iam::123456789012:role/path/Name → Name (GetRole takes the name, not the path)
    return arn.rsplit("/", 1)[-1]


def check_batch(options: AwsOptions, batch: Batch, *, strict: bool = False) -> list[Finding]:
    """Pre-flight for a batch about to be sent: PreflightFailed (exit 252) listing every
    error — and with `strict` every warning, but never a notice — else the warnings and
    notices, for the caller to show."""
    from neoctl.errors import Interrupted, PreflightFailed

    try:
        findings = preflight(options, batch)
    except KeyboardInterrupt:
        raise Interrupted("interrupted during pre-flight; nothing was created or uploaded") from None
    stopping = [f for f in findings if f.level == "error" or (strict and f.level == "warning")]
    if stopping:
        raise PreflightFailed(
            f"pre-flight found {len(stopping)} problem(s); nothing was created or uploaded",
            [f.render() for f in stopping],
            "fix what is named (or skip these checks with --no-preflight)",
        )
    return findings
