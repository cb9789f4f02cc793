"""`neoctl endpoint invoke`, `deploy --smoke`, `endpoint logs` and why an endpoint failed,
as a user runs them against the emulator (its InvokeEndpoint, endpoint log streams and
failure tags: docs/emulator.md)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from neoctl.endpoints.hints import hint_for
from neoctl.testing import Emulator

from .conftest import NEOCTL, ROLE, run
from .test_deploy import compile_job

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:1"
INVOKE_FAIL = "neoctl-emulator:invoke-fail"
ENDPOINT_FAIL = "neoctl-emulator:endpoint-fail"


def _model(emu: Emulator, name: str, **tags: str) -> None:
    emu.client("sagemaker").create_model(
        ModelName=name,
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": IMAGE},
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )


def _config(emu: Emulator, name: str, model: str, count: int = 1, **tags: str) -> None:
    emu.client("sagemaker").create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InitialInstanceCount": count,
                "InstanceType": "ml.c5.xlarge",
            }
        ],
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )


def _settled(emu: Emulator, name: str) -> dict[str, Any]:
    sm = emu.client("sagemaker")
    for _ in range(100):
        endpoint: dict[str, Any] = sm.describe_endpoint(EndpointName=name)
        if endpoint["EndpointStatus"] not in ("Creating", "Updating", "RollingBack"):
            return endpoint
        time.sleep(0.05)
    raise AssertionError(f"{name} never settled")


@pytest.fixture
def served(clean_emulator: Emulator) -> Emulator:
    """`prod` (3 instances of a healthy model), `broken` (its model answers with an error),
    a config `prod-oom` whose deployment dies out of memory, a COMPLETED job `rn50-c5`."""
    emu = clean_emulator
    _model(emu, "good")
    _model(emu, "bad", **{INVOKE_FAIL: "ValueError: expected a 1x3x224x224 tensor"})
    _config(emu, "prod-v1", "good", count=3)
    _config(emu, "broken-v1", "bad")
    _config(emu, "prod-oom", "good", count=2, **{ENDPOINT_FAIL: "out-of-memory"})
    sm = emu.client("sagemaker")
    sm.create_endpoint(EndpointName="prod", EndpointConfigName="prod-v1")
    sm.create_endpoint(EndpointName="broken", EndpointConfigName="broken-v1")
    _settled(emu, "prod")
    _settled(emu, "broken")
    compile_job(emu, "rn50-c5")
    emu.requests.clear()
    return emu


def test_invoke_writes_the_answer_to_stdout_and_the_latency_to_stderr(
    served: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    body = tmp_path / "in.json"
    body.write_bytes(b'{"instances": [[1, 2, 3]]}')
    res = run(["endpoint", "invoke", "prod", "--body", str(body), "--content-type", "application/json"], env)
    assert res.code == 0, res.stderr
    answer = json.loads(res.stdout)  # the emulator's answer describes the request it got
    assert answer["EndpointName"] == "prod" and answer["VariantName"] == "AllTraffic"
    assert answer["ContentType"] == "application/json" and answer["BodyLength"] == body.stat().st_size
    assert not res.stdout.endswith("\n")  # as it came: nothing added
    assert res.stderr.startswith("invoked prod (variant AllTraffic) in ")
    assert f"ms: {len(res.stdout):,} bytes of application/json" in res.stderr
    assert served.requests.counts() == {"sagemaker.InvokeEndpoint": 1}  # sagemaker-runtime signs as sagemaker


def test_invoke_out_writes_a_file_byte_for_byte(served: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    # (Bodies that are not UTF-8, e.g. images: tests/e2e/test_invoke_binary.py.)
    body = tmp_path / "text.bin"
    body.write_bytes("tab\there, é, \r\n, \x00".encode())
    out = tmp_path / "answer.json"
    res = run(["endpoint", "invoke", "prod", "--body", str(body), "--variant", "AllTraffic", "--out", str(out)], env)
    assert res.code == 0, res.stderr
    assert res.stdout == ""
    assert json.loads(out.read_bytes())["BodyLength"] == body.stat().st_size
    assert f"→ {out}" in res.stderr


def test_a_failing_model_is_254_with_its_message_and_log_group(
    served: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    body = tmp_path / "in.json"
    body.write_text("{}", encoding="utf-8")
    res = run(["endpoint", "invoke", "broken", "--body", str(body)], env)
    assert res.code == 254, res.stderr
    assert res.stdout == ""
    assert (
        "error: InvokeEndpoint failed: the model in broken answered 500: ValueError: expected a 1x3x224x224 tensor"
        in (res.stderr)
    )
    assert "/aws/sagemaker/Endpoints/broken" in res.stderr and "neoctl endpoint logs broken" in res.stderr


def test_a_body_too_big_is_252_and_nothing_is_sent(served: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    with big.open("wb") as fh:
        fh.truncate(6_291_457)
    res = run(["endpoint", "invoke", "prod", "--body", str(big)], env)
    assert res.code == 252, res.stderr
    assert "is 6,291,457 bytes: InvokeEndpoint takes at most 6,291,456 bytes" in res.stderr
    bad_type = run(["endpoint", "invoke", "prod", "--body", str(big), "--content-type", "text/ü"], env)
    assert bad_type.code == 252 and "--content-type 'text/ü'" in bad_type.stderr
    assert sum(served.requests.counts().values()) == 0


def test_logs_interleave_every_instance_by_time(served: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    body = tmp_path / "in.json"
    body.write_text("{}", encoding="utf-8")
    for _ in range(4):
        assert run(["endpoint", "invoke", "prod", "--body", str(body)], env).code == 0
    res = run(["endpoint", "logs", "prod"], env)
    assert res.code == 0, res.stderr
    lines = res.stdout.splitlines()
    streams = [line.split(" ", 2)[1] for line in lines]
    assert len(set(streams)) == 3 and all(s.startswith("AllTraffic/i-") for s in streams)
    stamps = [line.split(" ", 1)[0] for line in lines]
    assert stamps == sorted(stamps)
    assert sum("POST /invocations" in line for line in lines) == 4
    assert sum("GET /ping" in line for line in lines) == 3  # one start per instance
    one = run(["endpoint", "logs", "prod", "--variant", "Other", "--since", "1h"], env)
    assert one.code == 0 and one.stdout == ""
    assert "no log lines of endpoint prod variant Other (--since 1h)" in one.stderr
    none = run(["endpoint", "logs", "nope"], env)
    assert none.code == 254 and "there is no endpoint nope and no log group" in none.stderr


def test_following_logs_stops_on_ctrl_c_with_130(served: Emulator, env: dict[str, str]) -> None:
    proc = subprocess.Popen(
        [NEOCTL, "endpoint", "logs", "prod", "--follow", "--poll", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the instances' start-up lines are there already
    assert "AllTraffic/i-" in first
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "stopped following the logs of endpoint prod; nothing was changed" in err


def test_a_failed_update_shows_its_reason_last_log_lines_and_a_hint(served: Emulator, env: dict[str, str]) -> None:
    update = ["endpoint", "update", "prod", "--config", "prod-oom", "--retain-all", "--yes", "--wait", "--poll", "0.1"]
    res = run(update, env)
    assert res.code == 1, res.stderr
    assert "did not pass the ping health check" in res.stdout
    assert "last log lines of prod (stream, message):" in res.stdout
    assert "DefaultCPUAllocator: not enough memory" in res.stdout
    assert "hint: The model did not fit in the instance's memory" in res.stdout
    assert "github.com" not in res.stdout  # sources stay in the facts file
    described = run(["endpoint", "describe", "prod"], env)
    assert described.code == 0, described.stderr
    assert "FailureReason:" in described.stdout and "not enough memory" in described.stdout
    assert "hint: The model did not fit" in described.stdout
    as_json = run(["endpoint", "describe", "prod", "-o", "json"], env)
    assert "Hint" not in as_json.json() and as_json.json()["EndpointConfigName"] == "prod-v1"
    waited = run([*update, "-o", "json"], env)
    assert waited.code == 1
    diagnosis = waited.json()
    assert diagnosis["Hint"]["Id"] == "out-of-memory" and "github.com" in diagnosis["Hint"]["Source"]
    assert diagnosis["LastLogLines"] and diagnosis["EndpointConfigName"] == "prod-v1"


def test_the_emulators_failure_kinds_find_their_rows() -> None:
    from neoctl.testing import FAILURE_KINDS

    fields = {"variant": "AllTraffic", "model_data": "s3://b/m.tar.gz", "instance_type": "ml.c5.xlarge", "count": 1}
    for name, kind in FAILURE_KINDS.items():
        hint = hint_for(kind.reason.format(**fields), kind.lines)
        assert hint is not None and hint["Id"] == ("ping-health-check" if name == "ping" else name), name


def test_deploy_smoke_passes(served: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    body = tmp_path / "smoke.json"
    body.write_text('{"x": 1}', encoding="utf-8")
    argv = ["deploy", "rn50-c5", "--endpoint", "prod", "--yes", "--wait", "--poll", "0.1"]
    res = run([*argv, "--smoke", str(body), "--smoke-content-type", "application/json", "-o", "json"], env)
    assert res.code == 0, res.stderr
    smoke = res.json()["SmokeTest"]
    assert smoke["Passed"] is True and smoke["Answer"]["InvokedProductionVariant"] == "AllTraffic"
    assert "smoke test passed: invoked prod (variant AllTraffic)" in res.stderr


def test_deploy_smoke_fails_with_1_and_offers_the_rollback(
    served: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    served.client("sagemaker").add_tags(
        ResourceArn=_settled(served, "prod")["EndpointArn"], Tags=[{"Key": INVOKE_FAIL, "Value": "bad input"}]
    )
    body = tmp_path / "smoke.json"
    body.write_text("{}", encoding="utf-8")
    argv = ["deploy", "rn50-c5", "--endpoint", "prod", "--yes", "--wait", "--poll", "0.1", "--smoke", str(body)]
    res = run(argv, env)
    assert res.code == 1, res.stderr
    assert "error: smoke test of endpoint prod failed: it answered ModelError (HTTP 500): bad input" in res.stderr
    assert "roll back with `neoctl endpoint rollback prod --yes --wait`" in res.stderr
    assert _settled(served, "prod")["EndpointConfigName"] != "prod-v1"  # it still serves the new model
    again = run([*argv, "--rollback-on-smoke-failure", "-o", "json"], env)
    assert again.code == 1, again.stderr
    assert again.json()["RolledBack"] is True and again.json()["RolledBackTo"] == "prod-v1"
    assert "rolled back to config prod-v1" in again.stderr
    table = run([*argv, "--rollback-on-smoke-failure"], env)  # the summary says what is true now
    assert "Rolled back      to config prod-v1 (the smoke test failed)" in table.stdout, table.stdout
    assert "Undo" not in table.stdout
    assert _settled(served, "prod")["EndpointConfigName"] == "prod-v1"
    # Recorded as `endpoint rollback` records it: history offers the config to roll forward to.
    history = run(["endpoint", "history", "prod", "-o", "json"], env).json()
    assert [c["Name"] for c in history["Configs"] if c["RolledBackFrom"]] == [again.json()["EndpointConfigName"]]


def test_smoke_values_are_checked_before_anything_is_sent(
    served: Emulator, env: dict[str, str], tmp_path: Path
) -> None:
    argv = ["deploy", "rn50-c5", "--endpoint", "prod", "--yes", "--wait"]
    missing = run([*argv, "--smoke", str(tmp_path / "nope.json")], env)
    assert missing.code == 252 and "--smoke " in missing.stderr
    no_wait = run(["deploy", "rn50-c5", "--endpoint", "prod", "--yes", "--smoke", "x.json"], env)
    assert no_wait.code == 2 and "--smoke invokes the endpoint once --wait has seen it InService" in no_wait.stderr
    body = tmp_path / "b.json"
    body.write_text("{}", encoding="utf-8")
    fresh = ["deploy", "rn50-c5", "--endpoint", "fresh", "--instance-type", "ml.c5.xlarge", "--yes", "--wait"]
    new = run([*fresh, "--smoke", str(body), "--rollback-on-smoke-failure"], env)
    assert new.code == 252 and "endpoint fresh does not exist yet" in new.stderr
    assert not any(k.startswith(("sagemaker.Create", "sagemaker.Update")) for k in served.requests.counts())
    assert "InvokeEndpoint" not in str(served.requests.counts())


def test_a_failed_creation_says_so_once_and_points_at_deploy_code(served: Emulator, env: dict[str, str]) -> None:
    served.client("sagemaker").create_endpoint(
        EndpointName="broken",
        EndpointConfigName="prod-v1",
        Tags=[{"Key": ENDPOINT_FAIL, "Value": "missing-inference-script"}],
    )
    waited = run(["endpoint", "wait", "broken", "--poll", "0.1", "--timeout", "1m"], env)
    assert waited.code == 1, waited.stderr
    assert "broken Failed: did not come up (the FailureReason follows)" in waited.stderr
    assert "Failed: Failed" not in waited.stderr
    assert "error: endpoint broken Failed: The primary container for production variant" in waited.stderr
    described = run(["endpoint", "describe", "broken"], env)
    assert "No module named 'inference'" in described.stdout
    hint = " ".join(described.stdout.split("hint:", 1)[1].split())  # wrapped at 80 columns
    assert "neoctl deploy JOB --endpoint broken --code DIR" in hint


def test_logs_tail_and_json_as_the_job_logs_have_them(served: Emulator, env: dict[str, str]) -> None:
    every = run(["endpoint", "logs", "prod"], env).stdout.splitlines()
    assert len(every) > 3
    tail = run(["endpoint", "logs", "prod", "--tail", "2"], env)
    assert tail.code == 0, tail.stderr
    assert tail.stdout.splitlines() == every[-2:]
    as_json = run(["endpoint", "logs", "prod", "-o", "json"], env)
    assert as_json.code == 0, as_json.stderr
    records = as_json.json()
    assert len(records) == len(every) and set(records[0]) == {"timestamp", "stream", "message"}
    assert all(r["stream"].startswith("AllTraffic/i-") for r in records)
    messages = run(["endpoint", "logs", "prod", "-o", "json", "--query", "[?contains(message, 'ping')].stream"], env)
    assert len(messages.json()) == 3  # one ping per instance
    refused = run(["endpoint", "logs", "prod", "--tail", "0"], env)
    assert refused.code == 252 and "--tail '0' is out of range" in refused.stderr
