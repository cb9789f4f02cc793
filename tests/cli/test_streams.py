"""Closed standard streams, through the installed command and real shell redirections:
a closed pipe or stdout ends 141, a closed stdin is /dev/null, a closed stderr drops
messages (they never move to stdout)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest

BAD = Path(__file__).resolve().parents[1] / "specs" / "bad" / "n02-target-typo.yaml"


def shell(neoctl: str, env: dict[str, str], line: str) -> subprocess.CompletedProcess[str]:
    """`neoctl LINE` run by bash, so `>&-`, `<&-` and `2>&-` are the shell's own."""
    return subprocess.run(
        ["bash", "-c", f"{shlex.quote(neoctl)} {line}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def closed_pipe(neoctl: str, env: dict[str, str], *args: str) -> tuple[int, str]:
    """Run with stdout a pipe whose reader has already left (`| head -0`, without the race)."""
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run(
            [neoctl, *args], env=env, stdout=write, stderr=subprocess.PIPE, text=True, timeout=60, check=False
        )
    finally:
        os.close(write)
    return proc.returncode, proc.stderr


@pytest.mark.parametrize(
    "args",
    [("devices",), ("devices", "-o", "json"), ("devices", "-o", "yaml"), ("devices", "--query", "TargetDevices[0]")],
)
def test_every_output_format_ends_141_on_a_closed_pipe(
    neoctl_bin: str, offline_env: dict[str, str], args: tuple[str, ...]
) -> None:
    code, err = closed_pipe(neoctl_bin, offline_env, *args)
    assert code == 141, err
    assert err == ""


@pytest.mark.parametrize("args", ["devices", "devices -o json"])
def test_closed_stdout_is_141_like_a_closed_pipe(neoctl_bin: str, offline_env: dict[str, str], args: str) -> None:
    res = shell(neoctl_bin, offline_env, f"{args} >&-")
    assert res.returncode == 141, res.stderr
    assert "Error" not in res.stderr and "Traceback" not in res.stderr


def test_closed_stdout_still_reports_spec_problems(neoctl_bin: str, offline_env: dict[str, str]) -> None:
    res = shell(neoctl_bin, offline_env, f"validate -f {shlex.quote(str(BAD))} >&-")
    assert res.returncode == 252
    assert "did you mean rasp4b" in res.stderr


def test_closed_stdin_commands_work_and_dash_says_stdin_is_closed(neoctl_bin: str, offline_env: dict[str, str]) -> None:
    res = shell(neoctl_bin, offline_env, "devices -o json <&-")
    assert res.returncode == 0, res.stderr
    assert "TargetDevices" in json.loads(res.stdout)
    res = shell(neoctl_bin, offline_env, "validate -f - <&-")
    assert res.returncode == 252
    assert "standard input is closed" in res.stderr
    assert "unexpected" not in res.stderr


def test_closed_stderr_drops_messages_and_keeps_stdout_clean(neoctl_bin: str, offline_env: dict[str, str]) -> None:
    res = shell(neoctl_bin, offline_env, f"validate -f {shlex.quote(str(BAD))} 2>&-")
    assert res.returncode == 252
    assert res.stdout == ""
    res = shell(neoctl_bin, offline_env, "devices --no-such-flag 2>&-")
    assert res.returncode == 2
    assert res.stdout == ""
    res = shell(neoctl_bin, offline_env, "devices -o json 2>&-")
    assert res.returncode == 0
    json.loads(res.stdout)


@pytest.mark.parametrize("columns", ["0", "20", "-1", "junk"])
def test_columns_out_of_range_never_hides_output(neoctl_bin: str, offline_env: dict[str, str], columns: str) -> None:
    env = offline_env | {"COLUMNS": columns}
    res = shell(neoctl_bin, env, "devices")
    assert res.returncode == 0, res.stderr
    assert "TargetDevice" in res.stdout and "values" in res.stdout
    res = shell(neoctl_bin, env, f"validate -f {shlex.quote(str(BAD))}")
    assert res.returncode == 252
    assert "did you mean rasp4b" in res.stderr
    assert "error: 1 problem in the job spec(s); nothing was sent" in res.stderr
