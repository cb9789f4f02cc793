"""Documented SageMaker Neo facts that neoctl relies on, as data files with their sources.

Each JSON file in this package names its sources ("source") and the day they were read
("retrieved"); the rules that use them live in neoctl.spec.support, neoctl.jobs.hints and
neoctl.endpoints.hints.
The files are read once per process.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, TypedDict


class FailureHint(TypedDict):
    """One row of the FailureReason table: a regex fragment and what to do about it."""

    pattern: str
    meaning: str
    action: str
    source: str


def _load(name: str) -> dict[str, Any]:
    text = resources.files("neoctl.facts").joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def neo_support() -> dict[str, Any]:
    """neo_support.json: target families, framework versions per family, FrameworkVersion acceptance."""
    return _load("neo_support.json")


@cache
def failure_hints() -> list[FailureHint]:
    """The hint rows of failure_hints.json, in the order they are tried."""
    hints: list[FailureHint] = _load("failure_hints.json")["hints"]
    return hints


@cache
def failure_hints_document() -> dict[str, Any]:
    """failure_hints.json as a whole, with its source and retrieval date."""
    return _load("failure_hints.json")


class EndpointFailure(TypedDict):
    """One row of endpoint_failures.json: where to look, the regex, what it means and what to do."""

    id: str
    searches: list[str]  # "FailureReason", "logs"
    pattern: str
    example: str
    meaning: str
    action: str
    source: str


@cache
def endpoint_failures() -> list[EndpointFailure]:
    """The rows of endpoint_failures.json (known endpoint failures), in the order they are tried."""
    rows: list[EndpointFailure] = _load("endpoint_failures.json")["failures"]
    return rows


@cache
def endpoint_failures_document() -> dict[str, Any]:
    """endpoint_failures.json as a whole, with its sources and retrieval date."""
    return _load("endpoint_failures.json")


@cache
def neo_images() -> dict[str, Any]:
    """neo_images.json: the documented Neo inference images (ECR accounts, repos, tags) and
    the recommended environment of a Neo model on a SageMaker endpoint."""
    return _load("neo_images.json")
