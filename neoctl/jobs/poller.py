"""Efficient status polling for many compilation jobs.

One DescribeCompilationJob per job per poll would cost thousands of calls for a large
fan-out. Instead each poll lists the jobs in pages of 100, narrowed by the fragment all
names share (NameContains) and by creation time, and describes only jobs that just
FAILED (their FailureReason is not in the listing).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from neoctl.api.jobs import describe_job
from neoctl.api.session import AwsOptions, client
from neoctl.polling import common_fragment

PAGE = 100


class JobPoller:
    """Fetches the current status of a set of jobs; counts the API calls it makes."""

    def __init__(self, options: AwsOptions, names: list[str]) -> None:
        self.options = options
        self.names = list(dict.fromkeys(names))
        fragment = common_fragment(self.names)
        self.fragment = fragment if len(fragment) >= 3 else ""
        self.created_after: dt.datetime | None = None
        self.calls: Counter[str] = Counter()
        self.reasons: dict[str, str] = {}

    def _client(self) -> Any:
        sm = client(self.options)
        if not getattr(sm, "_neoctl_counting", False):
            sm.meta.events.register("before-call.sagemaker.*", self._count)
            sm._neoctl_counting = True
        return sm

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1

    def poll(self, pending: list[str]) -> dict[str, str]:
        """The status of each pending job (FailureReason of new failures in `reasons`)."""
        sm = self._client()
        wanted = set(pending)
        statuses: dict[str, str] = {}
        if self.fragment or self.created_after:
            params: dict[str, Any] = {"MaxResults": PAGE, "SortBy": "CreationTime", "SortOrder": "Descending"}
            if self.fragment:
                params["NameContains"] = self.fragment
            if self.created_after:
                params["CreationTimeAfter"] = self.created_after
            token = None
            while True:
                page = sm.list_compilation_jobs(**params, **({"NextToken": token} if token else {}))
                for job in page.get("CompilationJobSummaries", []):
                    if job["CompilationJobName"] in wanted:
                        statuses[job["CompilationJobName"]] = job["CompilationJobStatus"]
                        self._note_created(job.get("CreationTime"))
                token = page.get("NextToken")
                if not token or wanted <= set(statuses):
                    break
        # Jobs the listing did not show (first poll without a shared fragment, or jobs
        # missing): describe them, which also proves they exist.
        for name in sorted(wanted - set(statuses)):
            job = describe_job(self.options, name)  # the same cached client: counted too
            statuses[name] = job["CompilationJobStatus"]
            self._note_created(job.get("CreationTime"))
            if job.get("FailureReason"):
                self.reasons[name] = job["FailureReason"]
        return statuses

    def failure_reason(self, name: str) -> str | None:
        """The FailureReason of a failed job (one describe, remembered)."""
        if name not in self.reasons:
            job = describe_job(self.options, name)
            self.reasons[name] = job.get("FailureReason", "")
        return self.reasons[name] or None

    def _note_created(self, when: Any) -> None:
        # Later polls list only jobs created since the oldest one waited on.
        if isinstance(when, dt.datetime):
            floor = when - dt.timedelta(seconds=1)
            if self.created_after is None or floor < self.created_after:
                self.created_after = floor
