"""Whether a COMPLETED job's compiled model is still the one it wrote, looked at (one
HeadObject) before `deploy` or `download` uses it and before either creates or writes
anything.

Neo names the object after the input file and the target only
(neoctl.spec.artifact_key), so a later job with the same output location, target and
model file name writes the same key: S3ModelArtifacts of the older job then points at
the newer model. What tells the two apart is time: Neo writes the archive, then marks
the job COMPLETED, so the object's LastModified is at or before CompilationEndTime. One
modified later than that (by more than TOLERANCE) was written by something else.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions

# LastModified comes from S3's clock and CompilationEndTime from SageMaker's, and
# LastModified is cut to whole seconds; the upload itself ends before the job is marked
# COMPLETED. A minute covers clock skew and the time between the two by a wide margin,
# and is far shorter than a second compilation job (minutes at least) that could
# overwrite the object: a job's own artifact is never refused, another job's is.
TOLERANCE = timedelta(seconds=60)
FLAG = "--allow-overwritten"


def utc_text(when: datetime) -> str:
    """A time as neoctl's messages show it: 2026-12-01 10:00:05 UTC (naive = UTC)."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


def check_artifact(
    options: AwsOptions,
    job: dict[str, Any],
    uri: str,
    *,
    allow_overwritten: bool,
    verb: str,
    warn_unchecked: bool = True,
) -> list[str]:
    """HeadObject of `uri`, job `job`'s S3ModelArtifacts (DescribeCompilationJob's answer).

    - gone → ServiceError (254) naming it, whatever `allow_overwritten` says: there is no
      model to use;
    - modified more than TOLERANCE after the job's CompilationEndTime → ServiceError (254)
      "overwritten by a later job", or with `allow_overwritten` a warning;
    - a look-up that cannot be made (denied, failed) → a warning when `warn_unchecked`
      (download leaves it to its GetObject, which reports the same cause as an error).

    Returns the warnings for the caller to show. `verb` ("deploys", "downloads") is
    what the override does, for the hint.
    """
    from neoctl.api.lookups import head_object
    from neoctl.errors import ServiceError
    from neoctl.models.s3uri import parse_s3_uri

    name = str(job.get("CompilationJobName", ""))
    answer = head_object(options, *parse_s3_uri(uri))
    if answer.outcome == "missing":
        raise ServiceError(
            f"{uri} no longer exists: the compiled model was deleted or moved",
            f"compile it again (`neoctl describe {name}` shows the job's request)",
            operation="HeadObject",
            code="ArtifactMissing",
        )
    if answer.outcome != "found":
        if not warn_unchecked:
            return []
        why = "access denied (needs s3:GetObject)" if answer.outcome == "denied" else answer.detail
        return [f"could not check that {uri} is still the model {name} compiled: {why}"]
    modified, ended = answer.value.get("LastModified"), job.get("CompilationEndTime")
    if not isinstance(modified, datetime) or not isinstance(ended, datetime):
        return []
    if _aware(modified) <= _aware(ended) + TOLERANCE:
        return []
    when = f"modified {utc_text(modified)}, after {name} completed at {utc_text(ended)}"
    if allow_overwritten:
        return [f"{uri} was {when}: it may be another job's compiled model ({FLAG})"]
    raise ServiceError(
        f"{uri} was overwritten by a later job ({when})",
        f"{FLAG} {verb} it anyway; give each job its own output prefix",
        operation="HeadObject",
        code="ArtifactOverwritten",
    )


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
