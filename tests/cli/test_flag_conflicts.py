"""Flags that contradict each other exit 2 naming both, before anything is sent."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import EndpointSink, Runner

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "pytorch.yaml")


@pytest.mark.parametrize(
    ("args", "flags"),
    [
        (["create", "-f", EXAMPLE, "--dry-run", "--wait"], ("--dry-run", "--wait")),
        (["create", "-f", EXAMPLE, "--dry-run", "--timeout", "1m"], ("--timeout", "--wait")),
        (["create", "-f", EXAMPLE, "--timeout", "1m"], ("--timeout", "--wait")),
        (["stop", "some-job", "--yes", "--timeout", "1m"], ("--timeout", "--wait")),
        # Once silently ignored by the endpoint commands (issue 21): the same table now.
        (["deploy", "job", "--endpoint", "prod", "--dry-run", "--wait"], ("--dry-run", "--wait")),
        (["deploy", "job", "--endpoint", "prod", "--yes", "--timeout", "1m"], ("--timeout", "--wait")),
        (["endpoint", "update", "prod", "--config", "v2", "--yes", "--timeout", "1m"], ("--timeout", "--wait")),
        (["endpoint", "update", "prod", "--config", "v2", "--dry-run", "--wait"], ("--dry-run", "--wait")),
        (["update-endpoint", "prod", "--config", "v2", "--yes", "--timeout", "1m"], ("--timeout", "--wait")),
        (["endpoint", "rollback", "prod", "--dry-run", "--wait"], ("--dry-run", "--wait")),
        (["endpoint", "rollback", "prod", "--yes", "--timeout", "1m"], ("--timeout", "--wait")),
        (["endpoint", "rollback", "prod", "--yes", "--poll", "5"], ("--poll", "--wait")),
    ],
)
def test_contradicting_flags_exit_2_naming_both(
    offline_neoctl: Runner,
    endpoint_sink: EndpointSink,
    tmp_path: Path,
    args: list[str],
    flags: tuple[str, str],
) -> None:
    before = endpoint_sink.connections
    res = offline_neoctl(*args, cwd=tmp_path)
    assert res.code == 2, (res.code, res.stderr)
    assert all(flag in res.stderr for flag in flags), res.stderr
    assert "Traceback" not in res.stderr and res.stdout == ""
    assert endpoint_sink.connections == before  # nothing sent


@pytest.mark.parametrize("command", [["validate", "--online"], ["create"]])
def test_stdin_given_twice_is_a_usage_error_and_nothing_is_sent(
    neoctl_bin: str, offline_env: dict[str, str], own_endpoint_sink: EndpointSink, tmp_path: Path, command: list[str]
) -> None:
    # The second read of stdin is empty: one of the two "specs" would silently vanish.
    env = offline_env | {"AWS_ENDPOINT_URL": own_endpoint_sink.url, "AWS_ENDPOINT_URL_SAGEMAKER": own_endpoint_sink.url}
    spec = Path(EXAMPLE).read_text()
    proc = subprocess.run(
        [neoctl_bin, *command, "-f", "-", "-f", "-"],
        input=spec,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "standard input can be read only once" in lines[0], proc.stderr
    assert proc.stdout == "" and own_endpoint_sink.connections == 0
