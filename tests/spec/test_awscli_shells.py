"""`neoctl create --dry-run --aws-cli` lines, run by real shells, send the dry-run request.

Each line is run by bash, sh, dash and zsh (each skipped when not installed), and by an
interactive bash and zsh reading it from stdin as if pasted (history expansion on `!`),
with `aws` a fake on PATH that writes its argv. The argv is read back the way the AWS CLI
reads it: flag → member through botocore's model, strings as they are, structures and
lists as JSON, a separate value starting with `-` refused (argparse) and a string starting
with `file://` & co refused (the CLI would read that file). When the AWS CLI itself is
installed, its own parser reads the lines too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import botocore
import botocore.session
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neoctl.spec.awscli import PARAMFILE_PREFIXES, aws_cli_line

NEOCTL = Path(sys.executable).parent / "neoctl"
LINE_START = "aws sagemaker create-compilation-job "
GLOBAL_OPTIONS = {"--region": "region", "--profile": "profile", "--endpoint-url": "endpoint_url"}
# What the AWS CLI v1 resolves as a file or URL in a top-level argument (awscli/paramfile.py).
AWS_CLI_PARAMFILE_PREFIXES = ("file://", "fileb://", "http://", "https://")

# How each shell runs a script: as `-c SCRIPT`, or read from stdin as if pasted.
SHELLS: dict[str, list[str]] = {
    "bash": ["bash", "--norc", "--noprofile", "-c"],
    "sh": ["sh", "-c"],
    "dash": ["dash", "-c"],
    "zsh": ["zsh", "-f", "-c"],
    "bash-interactive": ["bash", "--norc", "--noprofile", "-i"],
    "zsh-interactive": ["zsh", "-f", "-i"],
}
STDIN_SHELLS = {"bash-interactive", "zsh-interactive"}
# Requests, each with the --region/--profile/--endpoint-url given to the renderer.
Jobs = list[tuple[dict[str, Any], dict[str, str]]]


def _shell_params() -> list[Any]:
    params = []
    for name, argv in SHELLS.items():
        missing = shutil.which(argv[0]) is None
        reason = f"{argv[0]} is not installed (apt-get install {argv[0]}; not installed for the tests)"
        params.append(pytest.param(name, id=name, marks=[pytest.mark.skipif(missing, reason=reason)]))
    return params


SHELL_PARAMS = _shell_params()

# The fake `aws`: a separate program, so the argv crosses execve as the real one's would.
# It writes argc and each argument NUL-terminated, byte for byte (no argument holds a NUL).
FAKE_AWS = '#!/bin/sh\nprintf "%s\\0" "$#" "$@"\n'


@pytest.fixture(scope="module")
def fake_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bin_dir = tmp_path_factory.mktemp("fakebin")
    aws = bin_dir / "aws"
    aws.write_text(FAKE_AWS)
    aws.chmod(0o755)
    return bin_dir


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the shells run: an injected `touch pwned` would leave a file here."""
    return tmp_path_factory.mktemp("shellcwd")


def shell_env(bin_dir: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BASH_ENV", "ENV")}
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        HOME=str(home),
        HISTFILE="/dev/null",
        INPUTRC="/dev/null",
        PS1="",
        PS2="",
        HOSTILE="expanded!",
    )
    return env


def run_in_shell(shell: str, script: str, bin_dir: Path, cwd: Path) -> list[list[str]]:
    """The argv of every `aws` the shell ran for `script`, in order."""
    argv = SHELLS[shell]
    env = shell_env(bin_dir, cwd)
    if shell in STDIN_SHELLS:
        proc = subprocess.run(
            argv, input=script.encode() + b"\n", capture_output=True, cwd=cwd, env=env, timeout=60, check=False
        )
    else:
        proc = subprocess.run([*argv, script], capture_output=True, cwd=cwd, env=env, timeout=60, check=False)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, stderr
    if shell not in STDIN_SHELLS:  # an interactive shell prints its prompts and job-control notes
        assert stderr == ""
    leftovers = sorted(p.name for p in cwd.iterdir())
    for name in leftovers:  # so that one failure does not fail the next tests too
        (cwd / name).unlink()
    assert leftovers == [], "the line ran a command it only quoted"
    fields = proc.stdout.split(b"\0")
    assert fields.pop() == b""
    calls = []
    while fields:
        argc = int(fields.pop(0))
        calls.append([f.decode("utf-8") for f in fields[:argc]])
        del fields[:argc]
    return calls


@cache
def member_types() -> dict[str, tuple[str, str]]:
    """flag → (member, botocore type) for CreateCompilationJob, as the AWS CLI builds its table."""
    model = botocore.session.get_session().get_service_model("sagemaker")
    shape = model.operation_model("CreateCompilationJob").input_shape
    return {"--" + botocore.xform_name(m, "-"): (m, s.type_name) for m, s in shape.members.items()}


def parse_aws_argv(argv: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The request and global options the AWS CLI would build from `argv` (after `aws`)."""
    assert argv[:2] == ["sagemaker", "create-compilation-job"]
    words = argv[2:]
    request: dict[str, Any] = {}
    options: dict[str, str] = {}
    while words:
        word = words.pop(0)
        assert word.startswith("--"), f"stray word {word!r}"
        name, joined, value = word.partition("=")
        if not joined:
            assert words, f"{word} has no value"
            value = words.pop(0)
            # argparse takes a separate word starting with "-" for an option ("expected one argument").
            assert not value.startswith("-"), f"argparse reads {value!r} after {word} as an option"
        assert value != "--", f"argparse drops the value -- of {name}"
        if name in GLOBAL_OPTIONS:
            assert GLOBAL_OPTIONS[name] not in options, f"{name} given twice"
            options[GLOBAL_OPTIONS[name]] = value
            continue
        assert name in member_types(), f"unknown flag {name}"
        member, type_name = member_types()[name]
        assert member not in request, f"{name} given twice"
        if type_name == "string":
            assert not value.startswith(AWS_CLI_PARAMFILE_PREFIXES), f"the AWS CLI reads {value!r} as a file"
            request[member] = value
        elif type_name in ("structure", "list"):
            # The AWS CLI takes JSON when the value starts with { or [, its shorthand otherwise.
            assert value.lstrip()[:1] == ("{" if type_name == "structure" else "["), value
            request[member] = json.loads(value)
        else:
            pytest.fail(f"{member} is a {type_name}: this parser does not know how the CLI reads it")
    return request, options


# A line editor acts on the control characters it reads (readline: DEL erases, ESC starts a
# key sequence, TAB completes, CR ends the line); no quoting stops that. JSON values carry
# none (the renderer escapes them), but top-level strings and options can only be quoted:
# for the interactive shell they are tested without control characters other than \n.
# (CompilationJobName's and RoleArn's patterns allow none.)
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _for_line_editor(jobs: Jobs) -> Jobs:
    def plain(value: Any) -> Any:
        return _CONTROL.sub("?", value) if isinstance(value, str) else value

    return [
        ({k: plain(v) for k, v in request.items()}, {k: plain(v) for k, v in options.items()})
        for request, options in jobs
    ]


def assert_round_trip(shell: str, jobs: Jobs, bin_dir: Path, cwd: Path) -> None:
    if shell in STDIN_SHELLS:
        jobs = _for_line_editor(jobs)
    script = "\n".join(aws_cli_line(request, **options) for request, options in jobs)
    calls = run_in_shell(shell, script, bin_dir, cwd)
    assert [parse_aws_argv(call) for call in calls] == [
        (request, {k: v for k, v in options.items() if v}) for request, options in jobs
    ]


# -- hand-written requests ---------------------------------------------------------------------

NASTY = "it's \"q\" '' $HOME ${HOSTILE} $(touch pwned) `touch pwned` ! !! !$ \\ \\' * ? [a] {b,c} ~ # ; & | < >"
UNICODE = "ü 😀 👩‍💻 e\u0301 \u05d0\u05d1\u05d2 \u202eRTL\u202c \u00a0nbsp \u2028 \u2029 \x85 \x1b[31m"


def known_request() -> dict[str, Any]:
    inputs = {f"in {NASTY}\n{UNICODE}": [1, 3, 224, 224], 'second"': [1, 3, 64, 64]}
    return {
        "CompilationJobName": f"{NASTY}\n{UNICODE}",
        "RoleArn": "arn:aws:iam::123456789012:role/Neo",
        "InputConfig": {
            "S3Uri": f"s3://bucket/{NASTY}{UNICODE}/m.tar.gz",
            "Framework": "PYTORCH",
            "DataInputConfig": json.dumps(inputs, ensure_ascii=False),
        },
        "OutputConfig": {
            "S3OutputLocation": "s3://b/o",
            "TargetDevice": "ml_c5",
            "CompilerOptions": json.dumps({"k": NASTY + UNICODE}, ensure_ascii=False),
            "KmsKeyId": NASTY,
        },
        "VpcConfig": {"SecurityGroupIds": [NASTY], "Subnets": [UNICODE, "-x", "=x"]},
        "StoppingCondition": {"MaxRuntimeInSeconds": 900, "MaxWaitTimeInSeconds": 1000},
        "Tags": [{"Key": NASTY, "Value": UNICODE}, {"Key": "empty", "Value": ""}],
    }


@pytest.mark.parametrize("shell", SHELL_PARAMS)
def test_a_nasty_request_round_trips(shell: str, fake_bin: Path, workdir: Path) -> None:
    options = {"region": f"eu-west-1 {NASTY}", "profile": UNICODE, "endpoint_url": "http://127.0.0.1:4566"}
    assert_round_trip(shell, [(known_request(), options)], fake_bin, workdir)


@pytest.mark.parametrize("shell", SHELL_PARAMS)
def test_values_argparse_or_zsh_would_misread_round_trip(shell: str, fake_bin: Path, workdir: Path) -> None:
    edge = ["-abc", "-", "--region", "--x=y", "-1", "=ls", "=", "", " -x", "-a b", "a--"]
    jobs = [
        (
            {"CompilationJobName": value, "RoleArn": value, "ModelPackageVersionArn": value},
            {"region": value, "profile": value, "endpoint_url": value},
        )
        for value in edge
    ]
    assert_round_trip(shell, jobs, fake_bin, workdir)


# -- any request -------------------------------------------------------------------------------

PIECES = [
    "'",
    '"',
    "''",
    "'\"'\"'",
    "$HOME",
    "$HOSTILE",
    "${HOSTILE}",
    "$(touch pwned)",
    "`touch pwned`",
    "$((1+1))",
    "!",
    "!!",
    "!$",
    "!-1",
    "\\",
    "\\'",
    "\\n",
    "\n",
    "\r",
    "\t",
    "*",
    "?",
    "[a]",
    "{a,b}",
    "~",
    "#",
    ";",
    "&",
    "&&",
    "|",
    "<",
    ">",
    "=",
    "-",
    "--",
    "%",
    "^",
    "😀",
    "👩‍💻",
    "\u202e",
    "\u05d0\u05d1",
    "e\u0301",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\x85",
    "\x1b[0m",
    "\x7f",
    "file://",
    "ü",
    " ",
]
CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(CHARS, max_size=4)), max_size=6).map("".join)
# Values the renderer refuses (test_awscli.py): exactly "--", and a top-level string
# starting with file:// & co.
OPTION_TEXT = TEXT.filter(lambda s: s != "--")
TOP_TEXT = OPTION_TEXT.filter(lambda s: not s.startswith(PARAMFILE_PREFIXES))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


SHAPES = st.lists(st.integers(1, 512), min_size=1, max_size=4)
DATA_INPUT = st.one_of(
    st.dictionaries(TEXT, SHAPES, min_size=1, max_size=3).map(_json),
    st.lists(SHAPES, min_size=1, max_size=2).map(_json),
    TEXT,
)
COMPILER_OPTIONS = st.one_of(st.dictionaries(TEXT, TEXT, max_size=3).map(_json), TEXT)
S3 = st.builds(lambda bucket, path: f"s3://{bucket}/{path}", TEXT, TEXT)
TARGET = st.one_of(
    st.fixed_dictionaries({"TargetDevice": TEXT}),
    st.fixed_dictionaries(
        {"TargetPlatform": st.fixed_dictionaries({"Os": TEXT, "Arch": TEXT}, optional={"Accelerator": TEXT})}
    ),
)
OUTPUT_CONFIG = st.builds(
    lambda base, target: base | target,
    st.fixed_dictionaries({"S3OutputLocation": S3}, optional={"CompilerOptions": COMPILER_OPTIONS, "KmsKeyId": TEXT}),
    TARGET,
)
REQUESTS = st.fixed_dictionaries(
    {
        "CompilationJobName": TOP_TEXT,
        "RoleArn": TOP_TEXT,
        "OutputConfig": OUTPUT_CONFIG,
        "StoppingCondition": st.fixed_dictionaries(
            {"MaxRuntimeInSeconds": st.integers(1, 2419200)},
            optional={
                "MaxWaitTimeInSeconds": st.integers(1, 2419200),
                "MaxPendingTimeInSeconds": st.integers(1800, 2419200),
            },
        ),
    },
    optional={
        "InputConfig": st.fixed_dictionaries(
            {"S3Uri": S3, "Framework": st.sampled_from(["PYTORCH", "TENSORFLOW", "ONNX"])},
            optional={"FrameworkVersion": TEXT, "DataInputConfig": DATA_INPUT},
        ),
        "ModelPackageVersionArn": TOP_TEXT,
        "VpcConfig": st.fixed_dictionaries(
            {
                "SecurityGroupIds": st.lists(TEXT, min_size=1, max_size=3),
                "Subnets": st.lists(TEXT, min_size=1, max_size=3),
            }
        ),
        "Tags": st.lists(st.fixed_dictionaries({"Key": TEXT, "Value": TEXT}), max_size=4),
    },
)
OPTIONS = st.fixed_dictionaries(
    {}, optional={"region": OPTION_TEXT, "profile": OPTION_TEXT, "endpoint_url": OPTION_TEXT}
)


@pytest.mark.parametrize("shell", SHELL_PARAMS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(jobs=st.lists(st.tuples(REQUESTS, OPTIONS), min_size=1, max_size=3))
def test_any_request_round_trips(shell: str, jobs: Jobs, fake_bin: Path, workdir: Path) -> None:
    assert_round_trip(shell, jobs, fake_bin, workdir)


# -- neoctl end to end -------------------------------------------------------------------------

# Valid values: tag values allow letters, spaces (incl. NBSP, U+2028), digits and _.:/=+-@;
# input names, CompilerOptions values and S3 URI paths are free text.
SPEC_NASTY = 'it\'s "q" $HOME $(touch pwned) `touch pwned` !! \\ \\n * ? [a] {b,c} # ; & | < > ~ % ^'
SPEC_UNICODE = "ü 😀 👩‍💻 e\u0301 \u05d0\u05d1\u05d2 \u202eRTL\u202c \u00a0 \u2028 \u2029"
TAG_VALUE = "spaces _.:/=+-@ 1 \u00a0\u2028 \u05d0\u05d1\u05d2 Ünïcode"
NEO_SPEC = {
    "name": "nasty-job",
    "role": "arn:aws:iam::123456789012:role/service-role/Neo+=,.@-_",
    "model": {
        "uri": f"s3://bucket/{SPEC_NASTY} {SPEC_UNICODE}/model.tar.gz",
        "framework": "pytorch",
        "framework_version": "1.13",
        "inputs": {f"in {SPEC_NASTY}\n{SPEC_UNICODE}": [1, 3, 224, 224], "second'\"": [1, 3, 64, 64]},
    },
    "output": {
        "uri": f"s3://bucket/out/{SPEC_NASTY}{SPEC_UNICODE}/",
        "targets": ["ml_c5", {"os": "linux", "arch": "arm64", "accelerator": "mali"}, "jetson_nano"],
        # Raw, the DEL would erase the closing quote before it in a line editor and run `touch`.
        "compiler_options": {"note": SPEC_NASTY + SPEC_UNICODE, "mcpu": "cortex-a72", "trap": "'\x7f;touch pwned;#"},
        "kms_key": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab",
    },
    "vpc": {"security_groups": ["sg-0123456789abcdef0"], "subnets": ["subnet-0123"]},
    "max_runtime": "1h30m",
    "tags": {"Ünïcode key": TAG_VALUE, "empty": ""},
}
API_SPEC = {
    "CompilationJobName": "api-job",
    "RoleArn": "arn:aws:iam::123456789012:role/Neo",
    "InputConfig": {
        "S3Uri": f"https://bucket.s3.amazonaws.com/{SPEC_NASTY}/m.tar.gz",
        "Framework": "TENSORFLOW",
        "FrameworkVersion": "2.9",
        "DataInputConfig": _json({f"x {SPEC_NASTY} {SPEC_UNICODE}": [1, 224, 224, 3]}),
    },
    "OutputConfig": {
        "S3OutputLocation": "s3://bucket/out",
        "TargetDevice": "ml_c5",
        "CompilerOptions": _json({"note": f"{SPEC_NASTY}\n{SPEC_UNICODE}"}),
    },
    "StoppingCondition": {"MaxRuntimeInSeconds": 900},
    "Tags": [{"Key": "k", "Value": TAG_VALUE}],
}


def run_neoctl(*args: str, cwd: Path, code: int = 0) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(NEOCTL_CACHE_DIR=str(cwd / "cache"), NO_COLOR="1")
    proc = subprocess.run(
        [str(NEOCTL), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == code, proc.stderr
    return proc


@pytest.fixture(scope="module")
def spec_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Two spec files (a 3-target fan-out in the neoctl form, one job in the API form)."""
    where = tmp_path_factory.mktemp("specs")
    for name, spec in (("neo.yaml", NEO_SPEC), ("api.yaml", API_SPEC)):
        (where / name).write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return where, ["-f", "neo.yaml", "-f", "api.yaml"]


@pytest.fixture(scope="module")
def dry_run(spec_files: tuple[Path, list[str]]) -> tuple[str, list[dict[str, Any]]]:
    """(the --aws-cli stdout, the -o json requests) for the same specs."""
    where, files = spec_files
    lines = run_neoctl("create", *files, "--dry-run", "--aws-cli", cwd=where).stdout
    requests = json.loads(run_neoctl("create", *files, "--dry-run", "-o", "json", cwd=where).stdout)
    return lines, requests


def test_the_dry_run_requests_hold_the_nasty_strings(dry_run: tuple[str, list[dict[str, Any]]]) -> None:
    # Guards the tests below against a spec that lost its nasty parts on the way.
    _, requests = dry_run
    assert [r["CompilationJobName"] for r in requests] == [
        "nasty-job-ml-c5",
        "nasty-job-linux-arm64-mali",
        "nasty-job-jetson-nano",
        "api-job",
    ]
    first = requests[0]
    assert json.loads(first["InputConfig"]["DataInputConfig"])[f"in {SPEC_NASTY}\n{SPEC_UNICODE}"]
    assert json.loads(first["OutputConfig"]["CompilerOptions"])["note"] == SPEC_NASTY + SPEC_UNICODE
    assert json.loads(first["OutputConfig"]["CompilerOptions"])["trap"] == "'\x7f;touch pwned;#"
    assert first["Tags"][0] == {"Key": "Ünïcode key", "Value": TAG_VALUE}
    assert json.loads(requests[3]["OutputConfig"]["CompilerOptions"]) == {"note": f"{SPEC_NASTY}\n{SPEC_UNICODE}"}


def test_stdout_is_one_line_per_job_and_nothing_else(dry_run: tuple[str, list[dict[str, Any]]]) -> None:
    lines, requests = dry_run
    assert lines.endswith("\n")
    assert len(lines[:-1].split("\n")) == len(requests)
    assert all(line.startswith(LINE_START) for line in lines[:-1].split("\n"))
    # The specs hold U+2028 (a tag value), U+2029 and DEL: still one line per job for any reader.
    assert len(lines.splitlines()) == len(requests)


@pytest.mark.parametrize("shell", SHELL_PARAMS)
def test_the_printed_lines_send_the_dry_run_requests_in_order(
    shell: str, dry_run: tuple[str, list[dict[str, Any]]], fake_bin: Path, workdir: Path
) -> None:
    lines, requests = dry_run
    calls = run_in_shell(shell, lines, fake_bin, workdir)
    assert [parse_aws_argv(call) for call in calls] == [(request, {}) for request in requests]


def test_a_single_job_line_sends_the_single_dry_run_object(
    spec_files: tuple[Path, list[str]], fake_bin: Path, workdir: Path
) -> None:
    where, _ = spec_files
    line = run_neoctl("create", "-f", "api.yaml", "--dry-run", "--aws-cli", cwd=where).stdout
    request = json.loads(run_neoctl("create", "-f", "api.yaml", "--dry-run", "-o", "json", cwd=where).stdout)
    assert isinstance(request, dict)
    [call] = run_in_shell("bash", line, fake_bin, workdir)
    assert parse_aws_argv(call) == (request, {})


# A profile name the AWS CLI's config file can hold (no spaces or quotes) that a shell would expand.
CLI_OPTIONS = {"region": "eu-west-1", "profile": "ml$HOME`id`!ü;&|*", "endpoint_url": "http://127.0.0.1:4566"}


@pytest.fixture(scope="module")
def lines_with_options(spec_files: tuple[Path, list[str]]) -> str:
    where, _ = spec_files
    return run_neoctl(
        "create",
        "-f",
        "neo.yaml",
        "--dry-run",
        "--aws-cli",
        "--region",
        CLI_OPTIONS["region"],
        "--profile",
        CLI_OPTIONS["profile"],
        "--endpoint-url",
        CLI_OPTIONS["endpoint_url"],
        cwd=where,
    ).stdout


def test_region_profile_and_endpoint_url_are_on_every_line(
    lines_with_options: str, dry_run: tuple[str, list[dict[str, Any]]], fake_bin: Path, workdir: Path
) -> None:
    _, requests = dry_run
    assert lines_with_options.count("\n") == 3
    assert all(line.startswith(LINE_START) for line in lines_with_options[:-1].split("\n"))
    calls = run_in_shell("bash", lines_with_options, fake_bin, workdir)
    assert [parse_aws_argv(call) for call in calls] == [(request, CLI_OPTIONS) for request in requests[:3]]


def test_an_option_the_aws_cli_cannot_receive_is_an_error_and_prints_no_line(
    spec_files: tuple[Path, list[str]],
) -> None:
    where, files = spec_files
    proc = run_neoctl("create", *files, "--dry-run", "--aws-cli", "--profile=--", cwd=where, code=252)
    assert proc.stdout == ""
    assert "--profile cannot be given the value --" in proc.stderr


# -- the AWS CLI itself, when installed ----------------------------------------------------------

REAL_AWS = """#!{python}
import json, sys
from awscli.clidriver import create_clidriver

def capture(call_parameters, parsed_globals, **kwargs):
    options = {{k: getattr(parsed_globals, k) for k in ("region", "profile", "endpoint_url")}}
    print(json.dumps({{"request": call_parameters, "options": options}}))
    return 0  # the command's result: nothing is sent

driver = create_clidriver()
driver.session.register("calling-command.sagemaker.create-compilation-job", capture)
sys.exit(driver.main(sys.argv[1:]))
"""


@cache
def awscli_python() -> str | None:
    """A Python that imports the AWS CLI (v1), or None."""
    candidates = [sys.executable, shutil.which("python3")]
    aws = shutil.which("aws")
    if aws:
        with open(aws, "rb") as fh:
            first = fh.readline().decode("utf-8", "replace")
        if first.startswith("#!") and "python" in first:
            candidates.append(first[2:].split()[0])
    for python in filter(None, candidates):
        proc = subprocess.run(
            [python, "-c", "import sys, awscli.clidriver; print(sys.executable)"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if proc.returncode == 0:
            return proc.stdout.strip()
    return None


@pytest.fixture(scope="module")
def real_aws(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    python = awscli_python()
    if python is None:
        pytest.skip("the AWS CLI (awscli) is not installed")
    where = tmp_path_factory.mktemp("realaws")
    bin_dir = where / "bin"
    bin_dir.mkdir()
    (bin_dir / "aws").write_text(REAL_AWS.format(python=python))
    (bin_dir / "aws").chmod(0o755)
    profiles = [CLI_OPTIONS["profile"], "-dev"]
    (where / "config").write_text("".join(f"[profile {p}]\n" for p in profiles))
    return bin_dir, where


def run_real_aws(script: str, real_aws: tuple[Path, Path]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    bin_dir, where = real_aws
    env = {k: v for k, v in shell_env(bin_dir, where).items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=str(where / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(where / "none"),
        AWS_DEFAULT_REGION="us-east-1",
        PYTHONUTF8="1",
    )
    proc = subprocess.run(
        ["bash", "-e", "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=where,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return [(out["request"], out["options"]) for out in map(json.loads, proc.stdout.splitlines())]


def test_the_aws_cli_reads_the_printed_lines_as_the_dry_run_requests(
    real_aws: tuple[Path, Path], lines_with_options: str, dry_run: tuple[str, list[dict[str, Any]]]
) -> None:
    lines, requests = dry_run
    received = run_real_aws(lines_with_options + lines.split("\n")[3], real_aws)
    assert received == [(r, CLI_OPTIONS) for r in requests[:3]] + [
        (requests[3], {"region": None, "profile": None, "endpoint_url": None})
    ]


def test_the_aws_cli_reads_values_starting_with_dash_or_equals(real_aws: tuple[Path, Path]) -> None:
    request = {
        "CompilationJobName": "-abc",
        "RoleArn": "=ls",
        "ModelPackageVersionArn": "-a b",
        "OutputConfig": {"S3OutputLocation": "file:///etc/passwd"},
        "StoppingCondition": {"MaxRuntimeInSeconds": 60},
    }
    [received] = run_real_aws(aws_cli_line(request, profile="-dev"), real_aws)
    assert received == (request, {"region": None, "profile": "-dev", "endpoint_url": None})


def test_the_refused_prefixes_are_the_aws_cli_paramfile_prefixes(real_aws: tuple[Path, Path]) -> None:
    code = (
        "import json, awscli.clidriver; "  # clidriver first: paramfile alone is a circular import
        "from awscli.paramfile import LOCAL_PREFIX_MAP, REMOTE_PREFIX_MAP; "
        "print(json.dumps(sorted([*LOCAL_PREFIX_MAP, *REMOTE_PREFIX_MAP])))"
    )
    python = awscli_python()
    assert python
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(out.stdout) == sorted(PARAMFILE_PREFIXES) == sorted(AWS_CLI_PARAMFILE_PREFIXES)
