"""check_artifact: a job's compiled model, gone or modified after the job completed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from neoctl.api import lookups
from neoctl.api.session import AwsOptions
from neoctl.errors import ServiceError
from neoctl.models import artifact_check

END = dt.datetime(2026, 12, 1, 10, 0, 0, tzinfo=dt.UTC)
JOB = {"CompilationJobName": "rn50-c5", "CompilationEndTime": END}
URI = "s3://b/out/model-ml_c5.tar.gz"


def check(monkeypatch: pytest.MonkeyPatch, answer: lookups.Lookup, **kwargs: Any) -> list[str]:
    monkeypatch.setattr(lookups, "head_object", lambda options, bucket, key: answer)
    options = AwsOptions(region="us-east-1")
    return artifact_check.check_artifact(options, JOB, URI, **{"allow_overwritten": False, "verb": "deploys"} | kwargs)


@pytest.mark.parametrize("after", [-3600, 0, 60])
def test_written_before_or_around_completion_is_the_jobs_own(monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    # Neo writes the archive, then marks the job COMPLETED; a minute covers the two clocks.
    modified = END + dt.timedelta(seconds=after)
    assert check(monkeypatch, lookups.Lookup("found", {"LastModified": modified})) == []


def test_modified_after_completion_is_254_unless_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    later = lookups.Lookup("found", {"LastModified": END + dt.timedelta(seconds=61)})
    with pytest.raises(ServiceError) as info:
        check(monkeypatch, later)
    assert info.value.exit_code == 254
    assert info.value.message == (
        f"{URI} was overwritten by a later job (modified 2026-12-01 10:01:01 UTC, "
        "after rn50-c5 completed at 2026-12-01 10:00:00 UTC)"
    )
    assert info.value.hint == "--allow-overwritten deploys it anyway; give each job its own output prefix"
    (warning,) = check(monkeypatch, later, allow_overwritten=True)
    assert warning.startswith(f"{URI} was modified 2026-12-01 10:01:01 UTC, after rn50-c5 completed")


@pytest.mark.parametrize("allow", [False, True])
def test_gone_is_254_even_when_allowed(monkeypatch: pytest.MonkeyPatch, allow: bool) -> None:
    with pytest.raises(ServiceError) as info:
        check(monkeypatch, lookups.Lookup("missing", detail="404"), allow_overwritten=allow)
    assert info.value.message == f"{URI} no longer exists: the compiled model was deleted or moved"


def test_a_lookup_that_cannot_be_made_warns_or_says_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    denied = lookups.Lookup("denied", detail="403")
    (warning,) = check(monkeypatch, denied)
    assert "access denied (needs s3:GetObject)" in warning
    assert check(monkeypatch, denied, warn_unchecked=False) == []


def test_no_times_to_compare_says_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check(monkeypatch, lookups.Lookup("found", {})) == []
