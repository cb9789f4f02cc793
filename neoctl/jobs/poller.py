"""Efficient status polling for many compilation jobs.

One DescribeCompilationJob per job per poll would cost thousands of calls for a large
fan-out. Instead each poll lists the jobs in pages of 100, narrowed by the fragment all
names share (NameContains) and by creation time, and describes only jobs the listing
did not show (their FailureReason comes with the description).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from neoctl.api.session import AwsOptions

PAGE = 100


def common_fragment(names: list[str]) -> str:
    """The longest substring shared by all names (for ListCompilationJobs NameContains)."""
    if not names:
        return ""
    shortest = min(names, key=len)
    for size in range(len(shortest), 0, -1):
        for start in range(len(shortest) - size + 1):
            piece = shortest[start : start + size]
            if all(piece in n for n in names):
                return piece
    return ""


class JobPoller:
    """Fetches the current status of a set of jobs; counts the API calls it makes itself."""

    def __init__(self, options: AwsOptions, names: list[str]) -> None:
        self.options = options
        self.names = list(dict.fromkeys(names))
        fragment = common_fragment(self.names)
        self.fragment = fragment if len(fragment) >= 3 else ""
        self.created_after: dt.datetime | None = None
        self.calls: Counter[str] = Counter()
        self.reasons: dict[str, str] = {}

    def poll(self, pending: list[str]) -> dict[str, str]:
        """The status of each pending job (FailureReason of new failures in `reasons`)."""
        from neoctl.api.jobs import list_page

        wanted = set(pending)
        statuses: dict[str, str] = {}
        if self.fragment or self.created_after:
            params: dict[str, Any] = {"MaxResults": PAGE, "SortBy": "CreationTime", "SortOrder": "Descending"}
            if self.fragment:
                params["NameContains"] = self.fragment
            if self.created_after:
                params["CreationTimeAfter"] = self.created_after
            while True:
                self.calls["ListCompilationJobs"] += 1
                page = list_page(self.options, params)
                for job in page.get("CompilationJobSummaries", []):
                    if job["CompilationJobName"] in wanted:
                        statuses[job["CompilationJobName"]] = job["CompilationJobStatus"]
                        self._note_created(job.get("CreationTime"))
                params["NextToken"] = page.get("NextToken")
                if not params["NextToken"] or wanted <= set(statuses):
                    break
        # Jobs the listing did not show (first poll without a shared fragment, or jobs
        # missing): describe them, which also proves they exist.
        for name in sorted(wanted - set(statuses)):
            job = self.describe(name)
            statuses[name] = job["CompilationJobStatus"]
            self._note_created(job.get("CreationTime"))
        return statuses

    def describe(self, name: str) -> dict[str, Any]:
        """DescribeCompilationJob (counted); remembers a FailureReason."""
        from neoctl.api.jobs import describe_job

        self.calls["DescribeCompilationJob"] += 1
        job = describe_job(self.options, name)
        if job.get("FailureReason"):
            self.reasons[name] = job["FailureReason"]
        return job

    def failure_reason(self, name: str) -> str | None:
        """The FailureReason of a failed job (one describe, remembered)."""
        if name not in self.reasons:
            self.reasons[name] = self.describe(name).get("FailureReason", "")
        return self.reasons[name] or None

    def _note_created(self, when: Any) -> None:
        # Later polls list only jobs created since the oldest one waited on.
        if isinstance(when, dt.datetime):
            floor = when - dt.timedelta(seconds=1)
            if self.created_after is None or floor < self.created_after:
                self.created_after = floor
