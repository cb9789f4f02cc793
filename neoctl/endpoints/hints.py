"""What an endpoint failure most likely means, and what to do: the FailureReason and the
container's log lines matched against neoctl/facts/endpoint_failures.json.

Pure: the first row whose pattern is found in a text it searches wins. Rows that read the
log come first, since SageMaker gives an out-of-memory container and one missing its
inference script the same FailureReason (the failed ping).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from neoctl.facts import endpoint_failures


def hint_for(failure_reason: str, log_lines: Iterable[str] = (), endpoint: str = "ENDPOINT") -> dict[str, str] | None:
    """{"Id", "Meaning", "Action", "Source"} of the first known failure found in
    `failure_reason` or `log_lines` (as each row says where to look), else None;
    `endpoint` names the endpoint in the action's command."""
    lines = list(log_lines)
    for row in endpoint_failures():
        texts = ([failure_reason] if "FailureReason" in row["searches"] else []) + (
            lines if "logs" in row["searches"] else []
        )
        # re.search, not a compiled pattern's method (see neoctl.jobs.hints).
        if any(re.search(row["pattern"], text, re.IGNORECASE) for text in texts if text):
            return {
                "Id": row["id"],
                "Meaning": row["meaning"],
                "Action": row["action"].replace("{endpoint}", endpoint),
                "Source": row["source"],
            }
    return None
