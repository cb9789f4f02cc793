"""create, describe, list and stop through the installed CLI against the emulator."""

from __future__ import annotations

import time
from pathlib import Path

from neoctl.testing import Emulator

from .conftest import run, seed_job, spec


def test_create_fanout_prints_each_name_and_arn(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    path = spec(tmp_path, "resnet50", targets=["ml_c5", "jetson_nano"])
    res = run(["create", "-f", str(path), "-o", "json"], env)
    assert res.code == 0, res.stderr
    rows = res.json()
    assert [r["CompilationJobName"] for r in rows] == ["resnet50-ml-c5", "resnet50-jetson-nano"]
    assert {r["Result"] for r in rows} == {"created"}
    assert all(r["CompilationJobArn"].endswith(f"compilation-job/{r['CompilationJobName']}") for r in rows)
    sm = clean_emulator.client("sagemaker")
    sent = sm.describe_compilation_job(CompilationJobName="resnet50-jetson-nano")
    assert sent["InputConfig"]["DataInputConfig"] == '{"input0": [1, 3, 224, 224]}'
    assert sent["OutputConfig"]["TargetDevice"] == "jetson_nano"


def test_rerun_skips_identical_job_and_refuses_changed_one(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    path = spec(tmp_path, "dup-job")
    assert run(["create", "-f", str(path)], env).code == 0
    same = run(["create", "-f", str(path), "-o", "json"], env)
    assert same.code == 0, same.stderr
    assert same.json()[0]["Result"] == "existed"
    changed = spec(tmp_path, "dup-job", target="ml_m5")
    res = run(["create", "-f", str(changed)], env)
    assert res.code == 254
    assert "dup-job conflict" in res.stderr and "OutputConfig.TargetDevice" in res.stderr


def test_invalid_batch_sends_nothing(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    good = spec(tmp_path, "good-job")
    bad = spec(tmp_path, "bad-job", target="jetson_nanoo")
    res = run(["create", "-f", str(good), "-f", str(bad)], env)
    assert res.code == 252
    assert "did you mean jetson_nano?" in res.stderr
    listed = clean_emulator.client("sagemaker").list_compilation_jobs()["CompilationJobSummaries"]
    assert listed == []


def test_describe_json_is_the_api_response_with_iso_times(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    run(["create", "-f", str(spec(tmp_path, "describe-me"))], env)
    res = run(["describe", "describe-me", "-o", "json"], env)
    assert res.code == 0, res.stderr
    job = res.json()
    assert "ResponseMetadata" not in job
    assert job["CompilationJobName"] == "describe-me"
    assert job["CreationTime"][:4].isdigit() and "T" in job["CreationTime"]


def test_describe_table_shows_failure_reason_escaped(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    # Tag values cannot hold brackets, so this job is created past neoctl's validation.
    reason = "ClientError: [bold]input0[/bold] shape mismatch"
    seed_job(clean_emulator, "fails", **{"neoctl-emulator:fail": reason, "neoctl-emulator:duration": "0"})
    res = run(["describe", "fails"], env)
    assert res.code == 0, res.stderr
    assert "FAILED" in res.stdout
    assert reason in res.stdout  # shown literally, not eaten as Rich markup


def test_describe_unknown_job_is_254_with_next_step(clean_emulator: Emulator, env: dict[str, str]) -> None:
    res = run(["describe", "no-such-job"], env)
    assert res.code == 254
    assert "no-such-job" in res.stderr
    assert "neoctl list --name-contains" in res.stderr


def test_describe_invalid_name_is_252_and_not_sent(env: dict[str, str]) -> None:
    res = run(["describe", "bad_name!"], env)
    assert res.code == 252
    assert "NAME" in res.stderr


def test_list_json_shape_filters_and_pagination(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    path = spec(tmp_path, "lister", targets=["ml_c5", "ml_m5", "rasp4b"])
    assert run(["create", "-f", str(path)], env).code == 0
    res = run(["list", "-o", "json", "--name-contains", "lister", "--sort-by", "name"], env)
    assert res.code == 0, res.stderr
    names = [j["CompilationJobName"] for j in res.json()["CompilationJobSummaries"]]
    assert names == ["lister-ml-c5", "lister-ml-m5", "lister-rasp4b"]
    assert "NextToken" not in res.json()

    first = run(
        [
            "list",
            "-o",
            "json",
            "--sort-by",
            "name",
            "--sort-order",
            "descending",
            "--max-items",
            "2",
            "--page-size",
            "1",
        ],
        env,
    ).json()
    assert [j["CompilationJobName"] for j in first["CompilationJobSummaries"]] == [
        "lister-rasp4b",
        "lister-ml-m5",
    ]
    rest = run(
        [
            "list",
            "-o",
            "json",
            "--sort-by",
            "name",
            "--sort-order",
            "descending",
            "--starting-token",
            first["NextToken"],
        ],
        env,
    ).json()
    assert [j["CompilationJobName"] for j in rest["CompilationJobSummaries"]] == ["lister-ml-c5"]


def test_list_status_is_case_insensitive_and_checked(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    path = spec(tmp_path, "quick", tags={"neoctl-emulator:duration": "0"})
    run(["create", "-f", str(path)], env)
    res = run(
        [
            "list",
            "--status",
            "completed",
            "-o",
            "json",
            "--query",
            "CompilationJobSummaries[].CompilationJobName",
        ],
        env,
    )
    assert res.code == 0, res.stderr
    assert res.json() == ["quick"]
    bad = run(["list", "--status", "complete"], env)
    assert bad.code == 252
    assert "did you mean COMPLETED?" in bad.stderr


def test_list_time_filters(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    run(["create", "-f", str(spec(tmp_path, "timed"))], env)
    recent = run(["list", "-o", "json", "--created-after", "10m"], env).json()
    assert [j["CompilationJobName"] for j in recent["CompilationJobSummaries"]] == ["timed"]
    future = run(["list", "-o", "json", "--created-after", "2999-01-01"], env).json()
    assert future["CompilationJobSummaries"] == []
    bad = run(["list", "--created-after", "yesterday"], env)
    assert bad.code == 252


def test_list_table_on_narrow_terminal_and_json_unwrapped(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    run(["create", "-f", str(spec(tmp_path, "a-rather-long-compilation-job-name-for-wrapping"))], env)
    narrow = env | {"COLUMNS": "40"}
    table = run(["list"], narrow)
    assert table.code == 0
    assert "a-rather-long-co" in table.stdout  # the name folds, it is not cut with "…"
    data = run(["list", "-o", "json"], narrow).json()
    assert data["CompilationJobSummaries"][0]["CompilationJobName"].endswith("for-wrapping")


def test_stop_running_then_finished_job(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    path = spec(tmp_path, "long-one", tags={"neoctl-emulator:duration": "60"})
    run(["create", "-f", str(path)], env)
    res = run(["stop", "long-one", "-o", "json", "--yes"], env)
    assert res.code == 0, res.stderr
    assert res.json() == [{"CompilationJobName": "long-one", "Stopped": True, "CompilationJobStatus": "STOPPING"}]
    sm = clean_emulator.client("sagemaker")
    deadline = time.monotonic() + 10  # STOPPING lasts the emulator's transition (0.5 s)
    while sm.describe_compilation_job(CompilationJobName="long-one")["CompilationJobStatus"] == "STOPPING":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    status = run(["describe", "long-one", "-o", "json", "--query", "CompilationJobStatus"], env).json()
    assert status == "STOPPED"
    again = run(["stop", "long-one", "--yes"], env)
    assert again.code == 0
    assert "already STOPPED" in again.stdout


def test_stop_unknown_job_is_254(clean_emulator: Emulator, env: dict[str, str]) -> None:
    res = run(["stop", "ghost-job", "--yes"], env)
    assert res.code == 254
    assert "ghost-job" in res.stderr


def test_long_list_streams_json_and_chunks_tables(clean_emulator: Emulator, env: dict[str, str]) -> None:
    names = [f"bulk-{i:04d}" for i in range(620)]  # more than one page and more than one table
    clean_emulator.add_completed_jobs(names)
    data = run(["list", "-o", "json", "--sort-by", "name"], env).json()
    assert [j["CompilationJobName"] for j in data["CompilationJobSummaries"]] == names
    assert "NextToken" not in data
    cut = run(["list", "-o", "json", "--sort-by", "name", "--max-items", "150"], env).json()
    assert len(cut["CompilationJobSummaries"]) == 150 and cut["NextToken"]
    table = run(["list", "--sort-by", "name"], env | {"COLUMNS": "120"})
    assert table.code == 0
    assert all(name in table.stdout for name in (names[0], names[499], names[500], names[-1]))
    assert "620 compilation job(s)" in table.stderr  # streamed in chunks: the count comes last
    empty = run(["list", "-o", "json", "--name-contains", "nothing-matches"], env).json()
    assert empty == {"CompilationJobSummaries": []}


def test_escape_sequences_from_the_service_are_neutralised(clean_emulator: Emulator, env: dict[str, str]) -> None:
    reason = "bad input \x1b]0;pwned\x07 \x1b[31mred"
    seed_job(clean_emulator, "escapes", **{"neoctl-emulator:fail": reason, "neoctl-emulator:duration": "0"})
    for args in (["describe", "escapes"], ["logs", "escapes"]):
        res = run(args, env)
        assert res.code == 0, res.stderr
        assert "\x1b" not in res.stdout and "\x07" not in res.stdout
        assert "\\x1b" in res.stdout
    data = run(["describe", "escapes", "-o", "json"], env).json()
    assert data["FailureReason"] == reason  # JSON keeps the exact value (escaped by JSON itself)


def test_stop_reports_every_job_when_one_is_unknown(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    path = spec(tmp_path, "batch", targets=["ml_c5", "ml_m5"], tags={"neoctl-emulator:duration": "60"})
    run(["create", "-f", str(path)], env)
    res = run(["stop", "batch-ml-c5", "ghost", "batch-ml-m5", "-o", "json", "--yes"], env)
    assert res.code == 254
    rows = {r["CompilationJobName"]: r for r in res.json()}
    assert rows["batch-ml-c5"]["Stopped"] and rows["batch-ml-m5"]["Stopped"]
    assert not rows["ghost"]["Stopped"] and "ghost" in rows["ghost"]["Error"]
    assert "ghost" in res.stderr


def test_list_foreign_starting_token_is_252_naming_the_flag(env: dict[str, str]) -> None:
    res = run(["list", "--starting-token", "garbage"], env)
    assert res.code == 252
    assert "--starting-token" in res.stderr


def test_describe_of_a_mistyped_name_suggests_the_near_names_that_exist(
    clean_emulator: Emulator, env: dict[str, str]
) -> None:
    clean_emulator.add_completed_jobs(["mydetector-ml-c5", "mydetector-jetson-nano", "other-job"])
    res = run(["describe", "mydetector-c55"], env)
    assert res.code == 254
    assert "no compilation job named mydetector-c55" in res.stderr
    # The nearest first, not a list by the very name that was not found (which lists nothing).
    assert "hint: did you mean mydetector-ml-c5 or mydetector-jetson-nano?" in res.stderr
    assert "other-job" not in res.stderr
    stop = run(["stop", "mydetecter-ml-c5", "--yes"], env)
    assert stop.code == 254
    assert "did you mean mydetector-ml-c5" in stop.stderr


def test_a_target_suffix_too_many_or_too_few_suggests_the_job_that_exists(
    clean_emulator: Emulator, env: dict[str, str]
) -> None:
    # One `target` names the job NAME, a fan-out NAME-<target>: users mix them up.
    clean_emulator.add_completed_jobs(["rn18", "detector-ml-c5", "rn18-ml-c4", "rn18-ml-c6", "rn19-ml-c5"])
    # The suffix match first, before the three spelled alike.
    assert "hint: did you mean rn18 or " in run(["describe", "rn18-ml-c5"], env).stderr
    assert "hint: did you mean detector-ml-c5?" in run(["describe", "detector"], env).stderr
