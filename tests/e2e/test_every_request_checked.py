"""Every value a command puts into a request is checked before the command sends anything
(neoctl/apimodel/inputs.py is the table; neoctl/apimodel/requests.py the check).

Two walks over the app, against the emulator:
- refused: for every command and every flag or argument the table lists, a value the model
  (or neoctl's rule) refuses: exit 252 naming it, and the emulator counts no request at all;
- complete: every command run with valid, recognisable values while every request botocore
  makes is captured: each member holding a value given is a row of the table, and each row
  of the table is seen.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from neoctl.apimodel import inputs
from neoctl.apimodel.requests import EACH, member_shape, model_for, value_refusals
from neoctl.cli.main import app
from neoctl.testing import Emulator

from .conftest import ROLE, run

VALID = {
    "NAME": "walkjob-one",
    "NAMES": "walkjob-one",
    "JOB": "walkjob-one",
    "ENDPOINT": "ep-walk",
    "--endpoint": "ep-walk",
    "--config": "cfg-two",
    "--body": "walk-body.json",  # refusals of the other values come before it is read
}
# Values neoctl's own rules refuse (the model has no rule for a timestamp, and these
# flags take other spellings than the member's).
BAD = {
    "--created-after": "yesterday",
    "--created-before": "yesterday",
    "--modified-after": "yesterday",
    "--modified-before": "yesterday",
    "--starting-token": "not-a-token",
    "--sort-by": "bogus",
    "--sort-order": "sideways",
    "--status": "complete",
    "--exclude": "DesiredWieght",
    "--env": "1BAD-KEY=x",
    "--region": "US-EAST-1",
    "--variant": "bad variant!",  # as deploy's VariantName, invoke's TargetVariant, logs' stream prefix
    "--since": "yesterday",
    "--body": "no-such-body.json",  # a file that cannot be read
    "--smoke": "no-such-body.json",
    # A traffic policy (neoctl/endpoints/traffic.py): its own spellings and neoctl's bounds.
    "--canary": "0",
    "--linear": "bogus",
    "--rolling": "60%",
    "--bake": "2h",
    "--max-time": "5m",
    "--deployment-config": "no-such-deployment.yaml",
    "--entry-point": "sub/walk_entry.py",  # a path, not a file name at the top of --code
}
# A refusal that is not 252: a region that cannot be one is a configuration error; Typer's
# own minimum for --instance-count (the model's too) is a usage error. Nothing is sent either way.
CODES = {"--region": 253, "--instance-count": 2}
SWITCHES = {"--retain-all", "--retain-deployment-config"}  # no value to get wrong
NEEDS = {
    ("endpoint update", "--exclude"): ["--retain-all"],
    ("deploy", "--smoke"): ["--wait"],
    ("deploy", "--smoke-content-type"): ["--wait", "--smoke", "{file}"],  # a file that exists
    ("deploy", "--entry-point"): ["--code", "{file}"],  # the name is refused before the folder is looked at
    # What shapes a traffic policy needs one (cli/conflicts.py), and --alarm a bake.
    **{
        (command, flag): ["--canary", "10%", *(["--bake", "10m"] if flag == "--alarm" else [])]
        for command in ("deploy", "endpoint update", "endpoint rollback")
        for flag in ("--bake", "--max-time", "--alarm")
    },
}
# Traffic policies on the walk (values told apart from every other number a request holds).
CANARY_FLAGS = ["--canary", "13%", "--bake", "7s", "--alarm", "walk-alarm-1", "--max-time", "601s"]
CANARY_GIVEN = {"--canary": 13, "--bake": 7, "--alarm": "walk-alarm-1", "--max-time": 601}
POLICIES: list[tuple[list[str], dict[str, Any]]] = [
    (["--linear", "23%", "--bake", "7s", "--max-time", "602s"], {"--linear": 23, "--bake": 7, "--max-time": 602}),
    (["--rolling", "50%", "--bake", "7s", "--max-time", "603s"], {"--rolling": 50, "--bake": 7, "--max-time": 603}),
]  # and --deployment-config, with a file the walk writes
WALK_DEPLOYMENT = """\
BlueGreenUpdatePolicy:
  TrafficRoutingConfiguration:
    Type: CANARY
    CanarySize: {Type: INSTANCE_COUNT, Value: 1}
    WaitIntervalInSeconds: 3
AutoRollbackConfiguration:
  Alarms: [{AlarmName: walk-alarm-1}]
"""
WALK_BODY = b'{"walk": "the body of endpoint invoke"}'
SMOKE_BODY = b'{"walk": "the body of deploy --smoke"}'
BAD_SPEC = (
    "name: bad_name!\nrole: {role}\nmodel: {{uri: s3://demo-models/m.tar.gz, framework: xgboost}}\n"
    "output: {{uri: s3://demo-models/out/, target: ml_c5}}\n"
)


def _commands() -> dict[str, Any]:
    found: dict[str, Any] = {}

    def walk(cmd: Any, words: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if not subs:
            found[" ".join(words)] = cmd
            return
        for name, sub in subs.items():
            walk(sub, [*words, name])

    walk(get_command(app), [])
    return found


COMMANDS = _commands()


def _cases() -> list[tuple[str, str]]:
    cases = []
    for words in COMMANDS:
        for source in dict.fromkeys(row.source for row in inputs.rows(words)):
            if source not in SWITCHES:
                cases.append((words, source))
    return cases


def _model_bad(command: str, source: str) -> str:
    """A value the model refuses for the first member `source` fills as it is."""
    row = next(r for r in inputs.rows(command) if r.source == source and r.as_is and inputs.judged(r.operation))
    shape = model_for(row.operation).shape(member_shape(row.operation, row.path))
    candidates: list[Any] = ["bogus-value", "bad name!", "x" * (int(shape.get("max", 1000)) + 1)]
    if shape["type"] == "integer":
        candidates = [shape.get("min", 1) - 1, shape.get("max", 10**9) + 1]
    for value in candidates:
        if value_refusals(row.operation, [(row.path, source, value)]):
            return str(value)
    raise AssertionError(f"no bad value found for {command} {source}")


def _argv(command: str, source: str, bad: str, spec: Path) -> list[str]:
    argv = command.split()
    for param in COMMANDS[command].params:
        is_argument = param.param_type_name == "argument"
        name = str(param.name).upper() if is_argument else next(o for o in param.opts if o.startswith("--"))
        if name == source:
            argv += [bad] if is_argument else [name, bad]
        elif param.required:
            argv += [VALID[name]] if is_argument else [name, VALID[name]]
    if source == "--file":
        argv += ["--file", str(spec)] if "--file" not in argv else []
    needs = NEEDS.get((inputs.ALIASES.get(command, command), source), [])
    # Off a terminal a command that changes something needs --yes (exit 2 before any value check).
    argv += ["--yes"] if any("--yes" in param.opts for param in COMMANDS[command].params) else []
    return argv + [str(spec) if arg == "{file}" else arg for arg in needs]


@pytest.mark.parametrize(("command", "source"), _cases(), ids=lambda v: str(v).replace(" ", "-"))
def test_a_refused_value_is_named_and_nothing_is_sent(
    clean_emulator: Emulator, env: dict[str, str], tmp_path: Path, command: str, source: str
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(BAD_SPEC.format(role=ROLE), encoding="utf-8")
    bad = str(spec) if source == "--file" else BAD.get(source) or _model_bad(command, source)
    argv = _argv(command, source, bad, spec)
    res = run(argv, env)
    assert res.code == CODES.get(source, 252), (argv, res.stderr)
    assert (str(spec) if source == "--file" else source) in res.stderr, (argv, res.stderr)
    assert sum(clean_emulator.requests.counts().values()) == 0, (argv, clean_emulator.requests.counts())


def compile_job(emu: Emulator, name: str, **tags: str) -> None:
    emu.client("sagemaker").create_compilation_job(
        CompilationJobName=name,
        RoleArn=ROLE,
        InputConfig={
            "S3Uri": "s3://demo-models/resnet50/model.tar.gz",
            "Framework": "PYTORCH",
            "FrameworkVersion": "2.0",
            "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
        },
        OutputConfig={"S3OutputLocation": "s3://demo-models/compiled/", "TargetDevice": "ml_c5"},
        StoppingCondition={"MaxRuntimeInSeconds": 900},
        Tags=[{"Key": k, "Value": v} for k, v in {"neoctl-emulator:duration": "0", **tags}.items()],
    )


@pytest.fixture
def walk(clean_emulator: Emulator) -> Emulator:
    """Jobs (done, running, failing), an endpoint with two configs, an experiment and a trial."""
    emu = clean_emulator
    sm = emu.client("sagemaker")
    for name in ("walkjob-one", "walkjob-two"):
        compile_job(emu, name)
    compile_job(emu, "walkjob-long", **{"neoctl-emulator:duration": "600"})
    compile_job(emu, "walkjob-bad", **{"neoctl-emulator:fail": "ClientError: walk"})
    sm.create_model(
        ModelName="old-model", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "123456789012.dkr.ecr.x/y:1"}
    )
    for config in ("cfg-one", "cfg-two"):
        sm.create_endpoint_config(
            EndpointConfigName=config,
            ProductionVariants=[
                {
                    "VariantName": "blue-variant",
                    "ModelName": "old-model",
                    "InitialInstanceCount": 2,  # room for a canary, a linear step, a rolling batch
                    "InstanceType": "ml.c5.large",
                    "InitialVariantWeight": 1.0,
                }
            ],
        )
    sm.create_endpoint(EndpointName="ep-walk", EndpointConfigName="cfg-one")
    emu.client("cloudwatch").put_metric_alarm(
        AlarmName="walk-alarm-1",
        Namespace="AWS/SageMaker",
        MetricName="Invocation5XXErrors",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    sm.create_experiment(ExperimentName="walk-experiment")
    sm.create_trial(TrialName="walk-trial", ExperimentName="walk-experiment")
    sm.create_trial_component(TrialComponentName="walk-component")
    sm.associate_trial_component(TrialComponentName="walk-component", TrialName="walk-trial")
    return emu


Call = tuple[str, str, dict[str, Any]]


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Call]]:
    """Every request botocore makes in this process: (service, operation, parameters)."""
    from botocore.client import BaseClient

    calls: list[Call] = []
    original = BaseClient._make_api_call

    def snapshot(value: Any) -> Any:
        # Values as sent; a streamed body (an upload's part, holding locks) by its type only.
        if isinstance(value, dict):
            return {key: snapshot(item) for key, item in value.items()}
        if isinstance(value, list):
            return [snapshot(item) for item in value]
        if value is None or isinstance(value, str | bytes | int | float | dt.datetime):
            return value
        return f"<{type(value).__name__}>"

    def spy(self: Any, operation: str, params: dict[str, Any]) -> Any:
        calls.append((self.meta.service_model.service_name, operation, snapshot(params)))
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", spy)
    yield calls


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))
    else:
        yield path, value


def _covers(pattern: tuple[Any, ...], path: tuple[Any, ...]) -> bool:
    return len(pattern) <= len(path) and all(
        p == q or (p == EACH and isinstance(q, int)) for p, q in zip(pattern, path, strict=False)
    )


def _settled(emu: Emulator, name: str = "ep-walk") -> None:
    for _ in range(100):
        if emu.client("sagemaker").describe_endpoint(EndpointName=name)["EndpointStatus"] == "InService":
            return
        time.sleep(0.05)
    raise AssertionError(f"{name} never settled")


def _spec_values(text: str) -> list[str]:
    import yaml

    return [str(v) for _, v in _leaves(yaml.safe_load(text))]


def test_every_value_sent_is_a_row_of_the_table_and_every_row_is_seen(
    walk: Emulator, env: dict[str, str], tmp_path: Path, captured: list[Call]
) -> None:
    spec_text = (
        f"name: walkjob-created\nrole: {ROLE}\n"
        "model: {uri: s3://demo-models/resnet50/model.tar.gz, framework: pytorch, framework_version: '2.0',"
        " inputs: {input0: [1, 3, 224, 224]}}\n"
        "output: {uri: s3://demo-models/compiled/walkjob-created/, target: ml_c5}\n"
        "tags: {neoctl-emulator:duration: '0'}\n"
    )
    spec = tmp_path / "walk.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    deployment = tmp_path / "walk-deployment.yaml"
    deployment.write_text(WALK_DEPLOYMENT, encoding="utf-8")
    policies = [
        *POLICIES,
        (["--deployment-config", str(deployment)], {"--deployment-config": ["walk-alarm-1", "INSTANCE_COUNT"]}),
    ]
    body, smoke = tmp_path / "walk-body.json", tmp_path / "walk-smoke.json"
    body.write_bytes(WALK_BODY)
    smoke.write_bytes(SMOKE_BODY)
    code = tmp_path / "walk-code"
    code.mkdir()
    (code / "walk_entry.py").write_text("def model_fn(model_dir):\n    return None\n", encoding="utf-8")
    first = run(["list", "--max-items", "1", "-o", "json"], env)
    token = first.json()["NextToken"]
    times = ("--created-after", "2000-01-01", "--created-before", "2999-01-01")
    after, before = dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
    sorted_as = {"--sort-by": "name", "--sort-order": "descending", "--page-size": 37}
    sorting = ("--sort-by", "name", "--sort-order", "descending", "--page-size", "37")
    steps: list[tuple[list[str], dict[str, Any], int]] = [
        (["describe", "walkjob-one"], {"NAME": "walkjob-one"}, 0),
        (
            [
                *("list", "--status", "completed", "--name-contains", "walkjob", *times, *sorting),
                *("--modified-after", "2001-01-01", "--modified-before", "2998-01-01"),
            ],
            {"--name-contains": "walkjob", "--status": "completed", **sorted_as}
            | {"--created-after": after, "--created-before": before}
            | {"--modified-after": after.replace(year=2001), "--modified-before": before.replace(year=2998)},
            0,
        ),
        (["list", "--starting-token", token], {}, 0),
        (
            ["trials", "--experiment", "walk-experiment", "--trial-component", "walk-component", *times, *sorting],
            {"--experiment": "walk-experiment", "--trial-component": "walk-component", **sorted_as}
            | {"--created-after": after, "--created-before": before},
            0,
        ),
        (["stop", "walkjob-long", "--yes", "--wait", "--poll", "0.1"], {"NAMES": "walkjob-long"}, 0),
        (["wait", "walkjob-bad", "--poll", "0.1"], {"NAMES": "walkjob-bad"}, 1),
        (
            ["logs", "walkjob-one", "--since", "2000-01-01"],
            {"NAME": "walkjob-one", "--since": int(after.timestamp() * 1000)},
            0,
        ),
        (["download", "walkjob-one", "--to", str(tmp_path / "dl")], {"NAME": "walkjob-one"}, 0),
        (
            [
                *("deploy", "walkjob-one", "--endpoint", "ep-walk", "--variant", "blue-variant"),
                *("--image", "walk.example/img:1", "--role", "arn:aws:iam::123456789012:role/WalkRole"),
                *("--env", "WALK_KEY=walk-value-1", "--exclude", "DesiredWeight", "--yes"),
                *("--canary", "13%", "--bake", "7s", "--alarm", "walk-alarm-1", "--max-time", "601s"),
            ],
            {
                "JOB": "walkjob-one",
                "--endpoint": "ep-walk",
                "--variant": "blue-variant",
                "--image": "walk.example/img:1",
                "--role": "arn:aws:iam::123456789012:role/WalkRole",
                "--env": "walk-value-1",
                "--exclude": "DesiredWeight",
                **CANARY_GIVEN,
            },
            0,
        ),
        # The compiled model repacked with inference code (a model of its own).
        (
            [
                *("deploy", "walkjob-one", "--endpoint", "ep-walk"),
                *("--code", str(code), "--entry-point", "walk_entry.py", "--yes"),
            ],
            {"--entry-point": "walk_entry.py"},
            0,
        ),
        # Three more traffic policies, each on a deploy of its own (a model of its own).
        *(
            (["deploy", "walkjob-one", "--endpoint", "ep-walk", "--env", f"WALK_STEP={n}", *flags, "--yes"], given, 0)
            for n, (flags, given) in enumerate(policies, start=2)
        ),
        (
            [
                *("deploy", "walkjob-two", "--endpoint", "ep-fresh", "--instance-type", "ml.c5.xlarge"),
                *("--instance-count", "3", "--yes", "--wait", "--poll", "0.1"),
                *("--smoke", str(smoke), "--smoke-content-type", "text/x-walk-smoke"),
            ],
            {"JOB": "walkjob-two", "--endpoint": "ep-fresh", "--instance-type": "ml.c5.xlarge", "--instance-count": 3}
            | {"--smoke": SMOKE_BODY, "--smoke-content-type": "text/x-walk-smoke"},
            0,
        ),
        (["endpoint", "describe", "ep-walk"], {"ENDPOINT": "ep-walk"}, 0),
        (
            [
                *("endpoint", "invoke", "ep-walk", "--body", str(body), "--content-type", "text/x-walk-in"),
                *("--accept", "text/x-walk-out", "--variant", "blue-variant", "--out", str(tmp_path / "answer")),
            ],
            {"ENDPOINT": "ep-walk", "--body": WALK_BODY, "--content-type": "text/x-walk-in"}
            | {"--accept": "text/x-walk-out", "--variant": "blue-variant"},
            0,
        ),
        (
            ["endpoint", "logs", "ep-walk", "--variant", "blue-variant", "--since", "2000-01-01"],
            {"ENDPOINT": "ep-walk", "--variant": "blue-variant", "--since": int(after.timestamp() * 1000)},
            0,
        ),
        (["endpoint", "logs", "ep-gone"], {"ENDPOINT": "ep-gone"}, 254),  # no log group: is there an endpoint?
        (["endpoint", "history", "ep-walk"], {"ENDPOINT": "ep-walk"}, 0),
        (
            [
                *("endpoint", "list", "--status", "inservice", "--name-contains", "ep-walk", *times, *sorting),
                *("--modified-after", "2001-01-01", "--modified-before", "2998-01-01"),
            ],
            {"--name-contains": "ep-walk", "--status": "inservice", **sorted_as}
            | {"--created-after": after, "--created-before": before}
            | {"--modified-after": after.replace(year=2001), "--modified-before": before.replace(year=2998)},
            0,
        ),
        (
            ["endpoint", "rollback", "ep-walk", "--exclude", "DesiredWeight", "--yes", *CANARY_FLAGS],
            {"ENDPOINT": "ep-walk", "--exclude": "DesiredWeight", **CANARY_GIVEN},
            0,
        ),
        # Back along the chain the four deploys recorded, each with another policy.
        *((["endpoint", "rollback", "ep-walk", *flags, "--yes"], given, 0) for flags, given in policies),
        (
            [
                *("endpoint", "update", "ep-walk", "--config", "cfg-two", "--retain-all"),
                *("--exclude", "DesiredWeight", "--retain-deployment-config", "--yes"),
            ],
            {"ENDPOINT": "ep-walk", "--config": "cfg-two", "--exclude": "DesiredWeight"},
            0,
        ),
        *(
            (["endpoint", "update", "ep-walk", "--config", config, *flags, "--yes"], given, 0)
            for config, (flags, given) in zip(
                ("cfg-one", "cfg-two", "cfg-one", "cfg-two"), [(CANARY_FLAGS, CANARY_GIVEN), *policies], strict=True
            )
        ),
        (["endpoint", "wait", "ep-walk", "--poll", "0.1"], {"ENDPOINT": "ep-walk"}, 0),
        (["create", "-f", str(spec), "--wait", "--poll", "0.1"], {"--file": _spec_values(spec_text)}, 0),
        (["create", "-f", str(spec)], {"--file": _spec_values(spec_text)}, 0),  # again: it exists
        (["validate", "--online", "-f", str(spec)], {"--file": _spec_values(spec_text)}, 0),
    ]
    unlisted: list[str] = []
    seen: set[inputs.Fill] = set()
    for argv, given, code in steps:
        _settled(walk)
        captured.clear()
        res = run(argv, env)
        assert res.code == code, (argv, res.stderr)
        command = " ".join(argv[:2]) if argv[0] == "endpoint" else argv[0]
        rows = inputs.rows(command)
        for service, operation, params in captured:
            name = operation if service == "sagemaker" else f"{service}.{operation}"
            for path, leaf in _leaves(params):
                for source, values in given.items():
                    if not any(_holds(leaf, value, source) for value in _as_list(values)):
                        continue
                    matched = [r for r in rows if r.source == source and r.operation == name and _covers(r.path, path)]
                    if not matched:
                        unlisted.append(f"{command} {source} → {name} {path}")
                    seen.update(matched)
    assert not unlisted, f"values that reached requests the table does not list: {sorted(set(unlisted))}"
    walked = {" ".join(argv[:2]) if argv[0] == "endpoint" else argv[0] for argv, _, _ in steps}
    # Not seen on this walk, each for its reason: the region is not given (AWS_REGION is),
    # switches hold no value to recognise, a token is decoded before it is sent, and no
    # job that create waits for fails.
    unseen = [
        r
        for r in inputs.INPUTS
        if r.command in walked
        and r not in seen
        and r.source not in {"--region", "--starting-token", *SWITCHES}
        and not (r.command == "create" and r.operation.startswith("logs."))
        # no endpoint fails on this walk: the log tail of a failed one is read in test_invoke_logs.py
        and not (r.operation.startswith("logs.") and "of a failed" in r.rule and r.command != "wait")
    ]
    assert not unseen, f"rows never seen on the walk: {unseen}"


def _as_list(values: Any) -> list[Any]:
    return values if isinstance(values, list) else [values]


def _holds(leaf: Any, value: Any, source: str) -> bool:
    if isinstance(value, bytes):  # a file's bytes (--body, --smoke): sent as they are
        return leaf == value
    if isinstance(value, dt.datetime):
        return isinstance(leaf, dt.datetime) and leaf == value
    if isinstance(value, int):
        return isinstance(leaf, int) and not isinstance(leaf, bool) and leaf == value
    if not isinstance(leaf, str) or len(value) < 4:
        return False
    # Flags take any case (completed → COMPLETED); a spec's values reach requests in parts
    # too: the bucket of an S3 URI, a role's name.
    leaf, value = leaf.casefold(), value.casefold()
    return value in leaf or (source == "--file" and len(leaf) >= 5 and leaf in value)


def test_the_issues_deploy_cases_create_nothing(clean_emulator: Emulator, env: dict[str, str]) -> None:
    compile_job(clean_emulator, "rn50-c5")
    clean_emulator.requests.clear()
    new = ["--instance-type", "ml.c5.xlarge", "--yes"]
    cases = [
        (["deploy", "rn50-c5", "--endpoint", "bad_name!", *new], "--endpoint 'bad_name!' does not match"),
        (["deploy", "rn50-c5", "--endpoint", "e" * 64, *new], "--endpoint is 64 characters long"),
        (["deploy", "rn50-c5", "--endpoint", "e", "--role", "not an arn", *new], "--role 'not an arn'"),
        (["deploy", "rn50-c5", "--endpoint", "e", "--image", "my registry/img:1", *new], "--image 'my registry"),
        (["deploy", "rn50-c5", "--endpoint", "e", "--env", "1BAD-KEY=x", *new], "--env '1BAD-KEY'"),
        (["deploy", "rn50-c5", "--endpoint", "e", "--env", "K=" + "v" * 2000, *new], "--env K is 2000 characters"),
        (["deploy", "rn50-c5", "--endpoint", "e", "--instance-type", "ml.c5.bogus", "--yes"], "did you mean ml.c5."),
        (["deploy", "../x", "--endpoint", "e", "--yes"], "JOB '../x' does not match"),
    ]
    for argv, text in cases:
        res = run(argv, env)
        assert res.code == 252, (argv, res.stderr)
        assert text in res.stderr, (argv, res.stderr)
    assert sum(clean_emulator.requests.counts().values()) == 0, clean_emulator.requests.counts()
    sm = clean_emulator.client("sagemaker")
    assert sm.list_models()["Models"] == [] and sm.list_endpoint_configs()["EndpointConfigs"] == []


def test_tab_completion_asks_nothing_for_a_word_no_name_can_hold(
    clean_emulator: Emulator, aim_neoctl_at: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neoctl.cli import completion

    aim_neoctl_at(clean_emulator.endpoint_url)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    compile_job(clean_emulator, "walkjob-one")
    clean_emulator.requests.clear()
    for complete in (completion.job_names, completion.endpoint_names, completion.endpoint_config_names):
        assert complete("bad name!") == []
    assert sum(clean_emulator.requests.counts().values()) == 0
    assert completion.job_names("walkjob") == ["walkjob-one"]  # the seam is live


def test_the_walk_covers_every_command_that_sends(tmp_path: Path) -> None:
    """Every command with rows is walked by both tests above (or is an alias of one)."""
    assert {c for c, _ in _cases()} == {c for c in COMMANDS if inputs.rows(c)}
    assert json.dumps(sorted(inputs.ALIASES)) == '["update-endpoint"]'


def test_a_plan_the_model_refuses_creates_nothing(clean_emulator: Emulator, env: dict[str, str]) -> None:
    """What deploy takes from the job, and the whole of each request, are checked once the
    look-ups are done and before the first request that creates anything."""
    sm = clean_emulator.client("sagemaker")
    sm.create_compilation_job(  # past neoctl's checks: a role ARN SageMaker would refuse for a model
        CompilationJobName="odd-role",
        RoleArn="arn:aws:iam::123456789012:user/NotARole",
        InputConfig={"S3Uri": "s3://demo-models/m.tar.gz", "Framework": "PYTORCH", "FrameworkVersion": "2.0"},
        OutputConfig={"S3OutputLocation": "s3://demo-models/compiled/", "TargetDevice": "ml_c5"},
        StoppingCondition={"MaxRuntimeInSeconds": 900},
        Tags=[{"Key": "neoctl-emulator:duration", "Value": "0"}],
    )
    compile_job(clean_emulator, "rn50-c5")
    clean_emulator.requests.clear()
    new = ["--endpoint", "fresh", "--instance-type", "ml.c5.xlarge", "--yes"]
    role = run(["deploy", "odd-role", *new], env)
    assert role.code == 252, role.stderr
    assert "the job's RoleArn (or give --role) 'arn:aws:iam::123456789012:user/NotARole' does not match" in role.stderr
    many = [arg for i in range(100) for arg in ("--env", f"KEY_{i}=v")]  # 100 given, over the 5 documented for PyTorch
    env_size = run(["deploy", "rn50-c5", *new, *many], env)
    assert env_size.code == 252, env_size.stderr
    assert "--env has 105 entries; at most 100 are allowed" in env_size.stderr
    assert sm.list_models()["Models"] == [] and sm.list_endpoint_configs()["EndpointConfigs"] == []
    assert not any(k.startswith("sagemaker.Create") for k in clean_emulator.requests.counts())
