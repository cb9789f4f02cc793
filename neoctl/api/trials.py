"""ListTrials."""

from __future__ import annotations

from typing import Any

from neoctl.api.calls import Listing, paginate
from neoctl.api.session import AwsOptions, client


def list_trials(
    options: AwsOptions,
    params: dict[str, Any],
    max_items: int | None = None,
    page_size: int | None = None,
    starting_token: str | None = None,
) -> Listing:
    """ListTrials through every page (or up to max_items)."""
    return paginate(client(options), "list_trials", "TrialSummaries", params, max_items, page_size, starting_token)
