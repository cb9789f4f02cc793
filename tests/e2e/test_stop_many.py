"""`neoctl stop` of many names: a bounded pool, rows in the order given, each job stopped once."""

from __future__ import annotations

import random

from neoctl.testing import Emulator

from .conftest import run, seed_job

RUNNING = {"neoctl-emulator:duration": "900"}


def test_stop_of_200_names_stops_each_once_with_rows_in_the_given_order(
    clean_emulator: Emulator, env: dict[str, str]
) -> None:
    names = [f"many-{i:03d}" for i in range(200)]
    for name in names:
        seed_job(clean_emulator, name, **RUNNING)
    given = random.Random(14).sample(names, len(names))  # not the order they were created in
    clean_emulator.requests.clear()
    res = run(["stop", *given, *given[:5], "--yes", "-o", "json"], env, timeout=120)  # 5 repeated
    assert res.code == 0, res.stderr
    rows = res.json()
    assert [r["CompilationJobName"] for r in rows] == given  # each once, in the order given
    assert all(r["Stopped"] and r["CompilationJobStatus"] == "STOPPING" for r in rows)
    counts = clean_emulator.requests.counts()
    assert counts["sagemaker.StopCompilationJob"] == 200  # each job once, the repeats not again
    assert counts["sagemaker.DescribeCompilationJob"] == 200  # the describe-first plan, once each
    assert res.stderr == ""  # no terminal: no progress


def test_stop_rows_keep_the_given_order_with_finished_and_unknown_jobs(
    clean_emulator: Emulator, env: dict[str, str]
) -> None:
    seed_job(clean_emulator, "done-a", **{"neoctl-emulator:duration": "0"})
    for name in ("run-b", "run-c"):
        seed_job(clean_emulator, name, **RUNNING)
    res = run(["stop", "run-c", "ghost", "done-a", "run-b", "--yes", "-o", "json"], env)
    assert res.code == 254, res.stderr
    rows = res.json()
    assert [r["CompilationJobName"] for r in rows] == ["run-c", "ghost", "done-a", "run-b"]
    assert [r["Stopped"] for r in rows] == [True, False, False, True]
    assert rows[2]["CompilationJobStatus"] == "COMPLETED"
    assert clean_emulator.requests.counts()["sagemaker.StopCompilationJob"] == 2
