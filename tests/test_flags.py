"""CLI values → API request members."""

from __future__ import annotations

import datetime as dt

import pytest

from neoctl import flags as params
from neoctl import trials
from neoctl.apimodel import load_model
from neoctl.endpoints.update import variant_property
from neoctl.errors import InvalidInput
from neoctl.jobs import listing
from neoctl.jobs.listing import job_status


def test_status_any_case_and_suggestion() -> None:
    assert job_status("inprogress") == "INPROGRESS"
    with pytest.raises(InvalidInput) as info:
        job_status("faild")
    assert info.value.hint == "did you mean FAILED?"


def test_status_values_come_from_the_model() -> None:
    for status in load_model().enum("ListCompilationJobs", "StatusEquals"):
        assert job_status(status.lower()) == status


def test_sort_keys_per_operation() -> None:
    assert params.sort_key("creation-time", "ListCompilationJobs") == "CreationTime"
    assert params.sort_key("status", "ListCompilationJobs") == "Status"
    with pytest.raises(InvalidInput):
        params.sort_key("status", "ListTrials")  # ListTrials sorts by Name or CreationTime only
    assert params.sort_order_value("DESCENDING") == "Descending"


def test_sort_flag_values_are_derived_from_the_model() -> None:
    assert params.sort_keys("ListCompilationJobs") == ["name", "creation-time", "status"]
    assert params.sort_keys("ListTrials") == ["name", "creation-time"]
    assert params.sort_orders() == ["ascending", "descending"]
    for op in ("ListCompilationJobs", "ListTrials"):
        for flag in params.sort_keys(op):  # every value offered is accepted
            assert params.sort_key(flag, op) in load_model().enum(op, "SortBy")


def test_timestamps_relative_iso_and_naive_utc() -> None:
    now = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
    assert params.timestamp("30m", "--x", now) == now - dt.timedelta(minutes=30)
    assert params.timestamp("7d", "--x", now) == now - dt.timedelta(days=7)
    assert params.timestamp("2026-11-01T10:00:00", "--x", now) == dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC)
    assert params.timestamp("2026-11-01T10:00:00Z", "--x", now).tzinfo is not None
    with pytest.raises(InvalidInput):
        params.timestamp("last tuesday", "--x", now)


def test_page_size_range_from_model() -> None:
    assert params.page_size(100) == 100
    with pytest.raises(InvalidInput):
        params.page_size(1000)


def test_variant_property_any_case() -> None:
    assert variant_property("datacaptureconfig") == "DataCaptureConfig"
    with pytest.raises(InvalidInput) as info:
        variant_property("DesiredInstances")
    assert info.value.hint == "did you mean DesiredInstanceCount?"


def test_list_requests_built_and_checked() -> None:
    now_ish = listing.list_jobs_request(
        status="failed", name_contains="resnet", sort_by="name", sort_order="descending", created_after="7d"
    )
    assert now_ish["StatusEquals"] == "FAILED" and now_ish["NameContains"] == "resnet"
    assert now_ish["SortBy"] == "Name" and now_ish["SortOrder"] == "Descending"
    assert now_ish["CreationTimeAfter"].tzinfo is not None
    with pytest.raises(InvalidInput):
        listing.list_jobs_request(name_contains="res net")  # NameContains' pattern
    request = trials.list_trials_request(experiment="vision", sort_by="creation-time")
    assert request == {"ExperimentName": "vision", "SortBy": "CreationTime"}


def test_time_and_sort_only_what_was_given_and_names_the_flag() -> None:
    times = (("--created-after", "2026-10-01", "CreatedAfter"), ("--created-before", None, "CreatedBefore"))
    members = params.time_and_sort("ListTrials", times, "name", None)
    assert members == {"CreatedAfter": dt.datetime(2026, 10, 1, tzinfo=dt.UTC), "SortBy": "Name"}
    with pytest.raises(InvalidInput, match="--modified-before"):
        params.time_and_sort("ListCompilationJobs", (("--modified-before", "yesterday", "X"),), None, None)
