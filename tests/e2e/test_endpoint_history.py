"""`endpoint history` and rollback at the start of the chain deploy recorded."""

from __future__ import annotations

from neoctl.testing import Emulator

from .conftest import run
from .test_deploy import _settled, compile_job, prod  # noqa: F401 - the fixture


def test_rollback_at_the_first_deployed_config_says_nothing_earlier(prod: Emulator, env: dict[str, str]) -> None:  # noqa: F811
    compile_job(prod, "rn50-c5-two")
    wait = ("--yes", "--wait", "--poll", "0.2")
    create = ["deploy", "rn50-c5", "--endpoint", "fresh", "--instance-type", "ml.c5.large", *wait]
    assert run(create, env).code == 0
    assert run(["deploy", "rn50-c5-two", "--endpoint", "fresh", *wait], env).code == 0
    assert run(["endpoint", "rollback", "fresh", *wait], env).code == 0
    first = _settled(prod, "fresh")["EndpointConfigName"]
    res = run(["endpoint", "rollback", "fresh", "--yes"], env)
    assert res.code == 252
    assert (
        f"nothing earlier to roll back to: {first} is the first config neoctl deploy recorded for fresh" in res.stderr
    )
    assert "not made by" not in res.stderr


def test_history_marks_the_current_config_with_its_job_and_time(prod: Emulator, env: dict[str, str]) -> None:  # noqa: F811
    assert run(["deploy", "rn50-c5", "--endpoint", "prod", "--yes", "--wait", "--poll", "0.2"], env).code == 0
    data = run(["endpoint", "history", "prod", "-o", "json"], env).json()
    assert data["Configs"][0]["Job"] == "rn50-c5" and data["Configs"][1]["Job"] is None
    res = run(["endpoint", "history", "prod"], env | {"COLUMNS": "80"})
    assert res.code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), res.stdout
    assert "Created" in res.stdout and "Job" in res.stdout and "hidden" not in res.stderr
    current = next(line for line in lines if "rn50-c5" in line and "*" in line)
    assert current.count("-") >= 4  # the config's name and a date


def test_history_shows_the_config_rolled_back_from_to_roll_forward(prod: Emulator, env: dict[str, str]) -> None:  # noqa: F811
    assert run(["deploy", "rn50-c5", "--endpoint", "prod", "--yes", "--wait", "--poll", "0.2"], env).code == 0
    deployed = _settled(prod)["EndpointConfigName"]
    assert run(["endpoint", "rollback", "prod", "--yes", "--wait", "--poll", "0.2"], env).code == 0
    data = run(["endpoint", "history", "prod", "-o", "json"], env).json()
    assert [(c["Name"], c["Current"], c["RolledBackFrom"]) for c in data["Configs"]] == [
        (deployed, False, True),
        ("prod-v1", True, False),
    ]
    res = run(["endpoint", "history", "prod"], env | {"COLUMNS": "80"})
    assert "↩" in res.stdout and "rolled back from" in res.stdout
    assert f"neoctl endpoint update prod --config {deployed} --retain-all" in res.stdout
    assert all(len(line) <= 80 for line in res.stdout.splitlines())
