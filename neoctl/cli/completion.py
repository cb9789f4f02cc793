"""Tab-completion callbacks: values from the API model, names from SageMaker.

A completion runs inside the user's prompt, so it must never print a traceback or
stray text and never hang: every callback swallows every error and returns nothing,
and remote lookups use one attempt with short timeouts. Static completions read the
cached API model only (no boto3).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from typing import Any

REMOTE_LIMIT = 50


def _quiet(func: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    def wrapper(incomplete: str) -> list[str]:
        try:
            return func(incomplete)
        except BaseException:
            return []

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _matching(values: list[str], incomplete: str) -> list[str]:
    # Typer keeps only candidates that start with the typed text, case and all; the
    # flags accept any case, so answer in the case the user started typing in.
    folded = incomplete.casefold()
    lower = bool(incomplete) and incomplete == incomplete.lower() and incomplete != incomplete.upper()
    return [v.lower() if lower else v for v in values if v.casefold().startswith(folded)]


@_quiet
def statuses(incomplete: str) -> list[str]:
    """Compilation job statuses."""
    from neoctl.jobs.listing import job_statuses

    return _matching(job_statuses(), incomplete)


@_quiet
def job_sort_keys(incomplete: str) -> list[str]:
    """--sort-by for list."""
    from neoctl.flags import sort_keys

    return _matching(sort_keys("ListCompilationJobs"), incomplete)


@_quiet
def endpoint_statuses(incomplete: str) -> list[str]:
    """Endpoint statuses."""
    from neoctl.endpoints.listing import endpoint_statuses as known

    return _matching(known(), incomplete)


@_quiet
def endpoint_sort_keys(incomplete: str) -> list[str]:
    """--sort-by for endpoint list."""
    from neoctl.flags import sort_keys

    return _matching(sort_keys("ListEndpoints"), incomplete)


@_quiet
def trial_sort_keys(incomplete: str) -> list[str]:
    """--sort-by for trials."""
    from neoctl.flags import sort_keys

    return _matching(sort_keys("ListTrials"), incomplete)


@_quiet
def sort_orders(incomplete: str) -> list[str]:
    """--sort-order."""
    from neoctl.flags import sort_orders as orders

    return _matching(orders(), incomplete)


@_quiet
def variant_properties(incomplete: str) -> list[str]:
    """--exclude: VariantPropertyType values."""
    from neoctl.endpoints.update import variant_property_types

    return _matching(variant_property_types(), incomplete)


@_quiet
def spec_files(incomplete: str) -> list[str]:
    """-f: YAML files and directories that could hold them."""
    base = os.path.expanduser(incomplete)
    found = []
    for path in sorted(glob.glob(glob.escape(base) + "*")):
        if os.path.isdir(path):
            found.append(path + "/")
        elif path.endswith((".yaml", ".yml")):
            found.append(path)
    return found


def _remote(operation: str, key: str, field: str, incomplete: str) -> list[str]:
    from neoctl.apimodel.inputs import origin
    from neoctl.apimodel.requests import refusals

    params: dict[str, Any] = {"MaxResults": REMOTE_LIMIT, "SortBy": "CreationTime", "SortOrder": "Descending"}
    if incomplete:
        params["NameContains"] = incomplete
    name = "".join(word.title() for word in operation.split("_"))  # list_endpoints → ListEndpoints
    if refusals(name, params, origin("(Tab completion)", name)):
        return []  # no name can contain what SageMaker refuses to search for: ask nothing
    from neoctl.api.session import AwsOptions, client

    sagemaker = client(AwsOptions(), quick=True)
    names = [item[field] for item in getattr(sagemaker, operation)(**params).get(key, [])]
    # NameContains matches anywhere; a shell wants what starts with the typed text.
    return sorted(n for n in names if n.startswith(incomplete))


@_quiet
def job_names(incomplete: str) -> list[str]:
    """Compilation job names from SageMaker (ListCompilationJobs)."""
    return _remote("list_compilation_jobs", "CompilationJobSummaries", "CompilationJobName", incomplete)


@_quiet
def endpoint_names(incomplete: str) -> list[str]:
    """Endpoint names from SageMaker (ListEndpoints)."""
    return _remote("list_endpoints", "Endpoints", "EndpointName", incomplete)


@_quiet
def endpoint_config_names(incomplete: str) -> list[str]:
    """Endpoint config names from SageMaker (ListEndpointConfigs)."""
    return _remote("list_endpoint_configs", "EndpointConfigs", "EndpointConfigName", incomplete)
