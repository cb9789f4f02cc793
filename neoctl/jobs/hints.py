"""What a compilation job's FailureReason most likely means, and what to change in the spec.

Pure: the table is neoctl/facts/failure_hints.json; the first matching pattern wins.
"""

from __future__ import annotations

import re

from neoctl.facts import failure_hints


def hint_for(failure_reason: str) -> dict[str, str] | None:
    """{"Meaning", "Action", "Source"} for the first pattern found in `failure_reason`, else None."""
    for row in failure_hints():
        # re.search, not a compiled pattern's method: re caches compiled patterns itself, and
        # tests/apimodel/test_operations.py reads `<object>.search(...)` as the Search API call.
        if re.search(row["pattern"], failure_reason, re.IGNORECASE):
            return {"Meaning": row["meaning"], "Action": row["action"], "Source": row["source"]}
    return None
