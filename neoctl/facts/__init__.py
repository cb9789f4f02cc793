"""Documented SageMaker Neo facts that neoctl relies on, as data files with their sources.

Each JSON file in this package names its sources ("source") and the day they were read
("retrieved"); the rules that use them live in neoctl.spec.support and neoctl.jobs.hints.
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


@cache
def neo_images() -> dict[str, Any]:
    """neo_images.json: the documented Neo inference images (ECR accounts, repos, tags) and
    the recommended environment of a Neo model on a SageMaker endpoint."""
    return _load("neo_images.json")
