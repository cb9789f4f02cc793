"""Issue 23 items 23 and 24, as a user meets them: Ctrl-C in `create --wait` says how to watch
again as well as how to stop; `logs --since/--tail/-o json`; `devices` with the framework
versions Neo documents per target; `update-endpoint` an alias of `endpoint update`."""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from neoctl.testing import DURATION_TAG, Emulator

from .conftest import NEOCTL, run, seed_job, spec

BASE = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


# -- item 23: Ctrl-C in create --wait ----------------------------------------------------


def test_ctrl_c_in_create_wait_names_wait_and_stop(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    path = spec(tmp_path, "watched", targets=["ml_c5", "ml_m5"], tags={DURATION_TAG: "60"})
    proc = subprocess.Popen(
        [NEOCTL, "create", "-f", str(path), "--wait", "--poll", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Interrupt once the wait polls (both jobs created, then listed at least twice).
    deadline = time.monotonic() + 30
    while clean_emulator.requests.counts().get("sagemaker.ListCompilationJobs", 0) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "keep running" in err, err
    assert "neoctl wait watched-ml-c5 watched-ml-m5" in err, err
    assert "neoctl stop watched-ml-c5 watched-ml-m5 --yes" in err, err


# -- item 24a: logs --since, --tail, -o json ------------------------------------------------


@pytest.fixture
def logged(clean_emulator: Emulator, env: dict[str, str]) -> str:
    """A finished job with its own log lines (now) and five older ones a day ago, a second
    apart, in a stream of their own."""
    seed_job(clean_emulator, "logged-job", **{DURATION_TAG: "0"})
    assert run(["describe", "logged-job"], env).code == 0  # the emulator writes the job's lines
    logs = clean_emulator.client("logs")
    logs.create_log_stream(logGroupName="/aws/sagemaker/CompilationJobs", logStreamName="logged-job/older")
    logs.put_log_events(
        logGroupName="/aws/sagemaker/CompilationJobs",
        logStreamName="logged-job/older",
        logEvents=[
            {"timestamp": int((BASE + dt.timedelta(seconds=i)).timestamp() * 1000), "message": f"older line {i}\n"}
            for i in range(5)
        ],
    )
    return "logged-job"


def test_tail_prints_the_last_events(logged: str, env: dict[str, str]) -> None:
    whole = run(["logs", logged], env)
    assert whole.code == 0, whole.stderr
    lines = whole.stdout.splitlines()
    assert len(lines) > 7 and "older line 0" in lines[0]
    tail = run(["logs", logged, "--tail", "3"], env)
    assert tail.code == 0, tail.stderr
    assert tail.stdout.splitlines() == lines[-3:]
    # With --follow: the last N, then the new ones (the job is finished: none come).
    followed = run(["logs", logged, "--tail", "3", "--follow", "--poll", "0.1"], env)
    assert followed.code == 0 and followed.stdout.splitlines() == lines[-3:], followed.stderr


def test_since_keeps_the_events_at_or_after_it(logged: str, env: dict[str, str]) -> None:
    at = (BASE + dt.timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    res = run(["logs", logged, "--since", at], env)
    assert res.code == 0, res.stderr
    assert "older line 0" not in res.stdout and "older line 1" not in res.stdout
    assert res.stdout.splitlines()[0].endswith("older line 2")  # at it: kept
    recent = run(["logs", logged, "--since", "1h"], env)
    assert recent.code == 0 and "older line" not in recent.stdout and recent.stdout, recent.stderr
    both = run(["logs", logged, "--since", at, "--tail", "2"], env)
    assert both.stdout.splitlines() == res.stdout.splitlines()[-2:]
    none = run(["logs", logged, "--since", "2999-01-01"], env)
    assert none.code == 0 and none.stdout == ""
    assert "no log events since 2999-01-01 for logged-job" in none.stderr


def test_json_is_one_document_of_timestamp_stream_message(logged: str, env: dict[str, str]) -> None:
    res = run(["logs", logged, "-o", "json"], env)
    assert res.code == 0, res.stderr
    events = json.loads(res.stdout)
    assert isinstance(events, list) and len(events) > 7
    assert all(set(e) == {"timestamp", "stream", "message"} and ISO.match(e["timestamp"]) for e in events), events
    assert events[2] == {
        "timestamp": (BASE + dt.timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "stream": "logged-job/older",
        "message": "older line 2",  # without its line end
    }
    assert all(e["stream"].startswith("logged-job/") for e in events)
    tail = run(["logs", logged, "-o", "json", "--tail", "2"], env)
    assert json.loads(tail.stdout) == events[-2:]
    queried = run(["logs", logged, "-o", "json", "--query", "[?stream=='logged-job/older'].message"], env)
    assert json.loads(queried.stdout) == [f"older line {i}" for i in range(5)]


def test_json_with_follow_is_json_lines_and_yaml_a_document_each(logged: str, env: dict[str, str]) -> None:
    whole = json.loads(run(["logs", logged, "-o", "json"], env).stdout)
    res = run(["logs", logged, "-o", "json", "--follow", "--poll", "0.1"], env)
    assert res.code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert [json.loads(line) for line in lines] == whole  # one event per line, each a document
    tail = run(["logs", logged, "-o", "json", "--follow", "--tail", "2", "--poll", "0.1"], env)
    assert [json.loads(line) for line in tail.stdout.splitlines()] == whole[-2:]
    docs = run(["logs", logged, "-o", "yaml", "--follow", "--poll", "0.1"], env)
    assert list(yaml.safe_load_all(docs.stdout)) == whole


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--tail", "0"], "--tail '0' is out of range"),
        (["--tail", "-3"], "--tail '-3' is not a whole number"),
        (["--tail", "ten"], "--tail 'ten' is not a whole number"),
        (["--since", "yesterday"], "--since 'yesterday' is neither an ISO 8601 time nor an age"),
        (["--since", "2026-13-01"], "--since '2026-13-01'"),
    ],
)
def test_bad_values_are_252_naming_the_flag_before_any_request(
    clean_emulator: Emulator, env: dict[str, str], args: list[str], named: str
) -> None:
    res = run(["logs", "some-job", *args], env)
    assert res.code == 252, res.stderr
    assert named in res.stderr
    assert sum(clean_emulator.requests.counts().values()) == 0


def test_follow_with_query_is_refused(clean_emulator: Emulator, env: dict[str, str]) -> None:
    res = run(["logs", "some-job", "-o", "json", "--follow", "--query", "[].message"], env)
    assert res.code == 2 and "--query needs every event, --follow prints each as it comes" in res.stderr, res.stderr
    assert sum(clean_emulator.requests.counts().values()) == 0


# -- item 24b: devices ------------------------------------------------------------------------


def test_devices_shows_the_versions_per_target_at_80_columns(env: dict[str, str]) -> None:
    res = run(["devices"], env | {"COLUMNS": "80"})
    assert res.code == 0, res.stderr
    assert max(len(line) for line in res.stdout.splitlines()) <= 80
    assert "Framework versions Neo documents" in res.stdout
    assert "PyTorch 0.4, 1.0–1.8, 1.12, 1.13, 2.0" in res.stdout  # ml_c5 and the other cloud targets
    assert "│ ml_inf2, ml_trn1 " in res.stdout and "no framework table is documented for" in res.stdout


def test_devices_json_has_a_field_per_device(env: dict[str, str]) -> None:
    res = run(["devices", "-o", "json"], env)
    data = res.json()
    assert [d["TargetDevice"] for d in data["Devices"]] == data["TargetDevices"]
    by_device = {d["TargetDevice"]: d for d in data["Devices"]}
    assert by_device["ml_c5"]["FrameworkVersions"]["PYTORCH"][-1] == "2.0"
    assert by_device["ml_inf1"]["FrameworkVersions"]["MXNET"] == ["1.5", "1.8"]
    assert by_device["ml_inf2"]["FrameworkVersions"] == {} and "no framework table" in by_device["ml_inf2"]["Note"]
    assert by_device["jetson_nano"]["Note"] is None


# -- item 24c: update-endpoint is an alias ------------------------------------------------------


def test_root_help_lists_update_endpoint_as_an_alias(env: dict[str, str]) -> None:
    res = run(["--help"], env | {"COLUMNS": "80"})
    assert "update-endpoint  Alias of `neoctl endpoint update` (the AWS CLI's name)." in res.stdout
    alias = run(["update-endpoint", "--help"], env | {"COLUMNS": "80"})
    purpose = alias.stdout.split("\n\n")[1].strip()
    assert purpose == "Alias of `neoctl endpoint update` (the AWS CLI's name).", alias.stdout
