"""neoctl vs the AWS CLI, same work, same local emulator, one run: `make bench`.

Run with the project venv's python (it needs neoctl[emulator]); the AWS CLI comes from
its own venv (bench/.venv-aws, see bench/requirements-peer.txt). The emulator runs in
this process on 127.0.0.1, so jobs can be seeded straight into its moto backend; every
command under test is a separate process talking HTTP to it. Nothing leaves loopback.

    python bench/run.py                 # everything, prints the report (markdown)
    python bench/run.py --only 1,2      # some cases
    python bench/run.py --quick         # fewer repetitions and jobs: a smoke test

The report is also written to bench/last-run.md and bench/last-run.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from measure import CommandFailed, Run, Series, alternate, method, mib, ms, run_once
from models import MIB, run_cases

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
REGION = "us-east-1"
# What the emulator's account holds from the start (neoctl.testing.seed), and again after
# each reset: create's pre-flight checks the role, the model object and the bucket.
ROLE = "arn:aws:iam::123456789012:role/SageMakerNeoRole"
MODEL_URI = "s3://my-bucket/models/resnet50/model.tar.gz"
OUTPUT_URI = "s3://my-bucket/compiled/"
HEAVY = ("boto3", "botocore", "jsonschema")
# TargetDevice values both botocore models (neoctl's and the AWS CLI's vendored one) know.
TARGETS = (
    "ml_m4", "ml_m5", "ml_c4", "ml_c5", "ml_p2", "ml_p3", "ml_g4dn", "ml_inf1",
    "jetson_tx1", "jetson_tx2", "jetson_nano", "jetson_xavier", "rasp3b", "imx8qm",
    "deeplens", "rk3399", "rk3288", "aisage", "qcs605", "sitara_am57x",
)  # fmt: skip


# ---------------------------------------------------------------------------------------
# The report


@dataclass
class Verdict:
    target: str
    measured: str
    ok: bool | None  # None: information only

    @property
    def result(self) -> str:
        return {True: "PASS", False: "FAIL", None: "info"}[self.ok]


@dataclass
class Report:
    rows: list[tuple[str, Series, str]] = field(default_factory=list)  # case, series, note
    verdicts: list[tuple[str, Verdict]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, case: str, series: dict[str, Series], notes: dict[str, str] | None = None) -> None:
        for label, s in series.items():
            self.rows.append((case, s, (notes or {}).get(label, "")))

    def verdict(self, case: str, target: str, measured: str, ok: bool | None) -> None:
        v = Verdict(target, measured, ok)
        self.verdicts.append((case, v))
        print(f"  [{v.result}] {target}: {measured}", flush=True)

    def note(self, case: str, text: str) -> None:
        self.notes.append((case, text))
        print(f"  note: {text}", flush=True)

    def markdown(self, machine: dict[str, str], config: dict[str, Any]) -> str:
        out = ["## Machine and versions", ""]
        out += [f"- {k}: {v}" for k, v in machine.items()]
        out += ["", "Run: " + ", ".join(f"{k}={v}" for k, v in config.items()), ""]
        out += ["## Targets", "", "| case | target | measured | result |", "|---|---|---|---|"]
        out += [f"| {c} | {v.target} | {v.measured} | **{v.result}** |" for c, v in self.verdicts]
        out += [
            "",
            "## Every command (wall: median (min–max); peak RSS of the whole process: median (min–max))",
            "",
            "| case | command | runs | wall | peak RSS | note |",
            "|---|---|---|---|---|---|",
        ]
        out += [
            f"| {c} | `{s.label}` | {len(s.runs)} | {s.wall_text()} | {s.rss_text()} | {n} |" for c, s, n in self.rows
        ]
        if self.notes:
            out += ["", "## Notes", ""]
            out += [f"- case {c}: {t}" for c, t in self.notes]
        return "\n".join(out) + "\n"

    def as_json(self) -> dict[str, Any]:
        return {
            "commands": [
                {"case": c, "command": s.label, "note": n, "runs": [r.__dict__ for r in s.runs]}
                for c, s, n in self.rows
            ],
            "verdicts": [{"case": c, **v.__dict__, "result": v.result} for c, v in self.verdicts],
            "notes": [{"case": c, "text": t} for c, t in self.notes],
            **self.extra,
        }


def ratio(a: float, b: float) -> float:
    return a / b if b else math.inf


def ratios(a: Series, b: Series) -> str:
    """Ratio of the medians (what targets are judged on), and of the fastest runs: on a
    busy machine the fastest runs are the ones least disturbed by other processes."""
    return f"{ratio(a.wall_median(), b.wall_median()):.2f}× (fastest runs: {ratio(min(a.walls), min(b.walls)):.2f}×)"


# ---------------------------------------------------------------------------------------
# The emulator, in this process


class CountingApp:
    """WSGI wrapper that counts SageMaker actions as they arrive over HTTP."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        if target.startswith("SageMaker."):
            with self._lock:
                self.counts[target.removeprefix("SageMaker.")] += 1
        return self.app(environ, start_response)

    def snapshot(self) -> Counter[str]:
        with self._lock:
            return Counter(self.counts)


class Lab:
    """The emulator, the tools, the environment every command runs in."""

    def __init__(self, work: Path, aws_venv: Path, job_seconds: float) -> None:
        from neoctl.testing import Emulator

        self.work = work
        self.neoctl = Path(sys.executable).with_name("neoctl")
        self.python = sys.executable
        self.aws = aws_venv / "bin" / "aws"
        self.aws_completer = aws_venv / "bin" / "aws_completer"
        for tool in (self.neoctl, self.aws):
            if not tool.exists():
                raise SystemExit(f"bench: {tool} not found (run `make bench`, which installs it)")
        self.emulator = Emulator(port=0, job_seconds=job_seconds, transition_seconds=0.5).start()
        self.counter: CountingApp | None = None
        server = getattr(self.emulator, "_server", None)
        if server is not None and hasattr(server, "app"):
            self.counter = CountingApp(server.app)
            server.app = self.counter
        self.url = self.emulator.endpoint_url
        assert self.url.startswith("http://127.0.0.1:"), self.url
        self.env = self._env()
        self.tmp_n = 0

    def _env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("AWS_", "NEOCTL_", "_NEOCTL_", "COMP_", "PYTHON")) and k != "NO_COLOR"
        }
        env.update(
            AWS_ENDPOINT_URL=self.url,
            AWS_REGION=REGION,
            AWS_DEFAULT_REGION=REGION,  # the AWS CLI v1 reads only this one
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",  # a dummy: the emulator takes any
            # No profile or config of the user's may change what either tool does.
            AWS_CONFIG_FILE=str(self.work / "no-aws-config"),
            AWS_SHARED_CREDENTIALS_FILE=str(self.work / "no-aws-credentials"),
            AWS_EC2_METADATA_DISABLED="true",
            NEOCTL_CACHE_DIR=str(self.work / "neoctl-cache"),
        )
        return env

    def close(self) -> None:
        self.emulator.stop()

    def reset(self) -> None:
        self.emulator.reset()

    def tmp(self, suffix: str) -> Path:
        self.tmp_n += 1
        return self.work / f"{self.tmp_n:04d}{suffix}"

    def run(
        self, argv: list[str], env: dict[str, str] | None = None, *, keep: bool = False, check: bool = True
    ) -> tuple[Run, Path | None]:
        """One measured run; with keep, stdout is kept in a file for checking."""
        out = self.tmp(".out") if keep else None
        err = self.tmp(".err")
        run = run_once(argv, env or self.env, stdout=out, stderr=err, cwd=self.work, check=check)
        err.unlink(missing_ok=True)
        return run, out

    def step(self, argv: list[str], env: dict[str, str] | None = None) -> Callable[[int], Run]:
        return lambda _rep: self.run(argv, env)[0]

    # -- seeding -------------------------------------------------------------------
    def backend(self) -> Any:
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.sagemaker.models import sagemaker_backends

        return sagemaker_backends[DEFAULT_ACCOUNT_ID][REGION]

    def seed(self, n: int, prefix: str) -> float:
        """n COMPLETED jobs straight into moto's backend; seconds it took.

        Such jobs carry no emulator lifecycle plan, so the emulator reports moto's own
        fields (COMPLETED) for them: listing them is the same work for any client."""
        from neoctl.testing.runtime import STATE_LOCK

        backend = self.backend()
        start = time.perf_counter()
        with STATE_LOCK:
            for i in range(n):
                backend.create_compilation_job(
                    compilation_job_name=f"{prefix}-{i:05d}",
                    role_arn=ROLE,
                    output_config={
                        "S3OutputLocation": OUTPUT_URI,
                        "TargetDevice": TARGETS[i % len(TARGETS)],
                    },
                    stopping_condition={"MaxRuntimeInSeconds": 900},
                    model_package_version_arn=None,
                    input_config={
                        "S3Uri": MODEL_URI,
                        "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
                        "Framework": "PYTORCH",
                        "FrameworkVersion": "2.0",
                    },
                    vpc_config=None,
                    tags=None,
                )
        return time.perf_counter() - start

    def job_names(self, prefix: str) -> list[str]:
        return [n for n in list(self.backend().compilation_jobs) if n.startswith(prefix)]


def fanout_spec(path: Path, name: str, targets: Iterable[str] = TARGETS) -> Path:
    path.write_text(
        f"""# {len(list(targets))}-target fan-out, written by bench/run.py
name: {name}
role: {ROLE}
model:
  uri: {MODEL_URI}
  framework: pytorch
  framework_version: "2.0"
  inputs: {{input0: [1, 3, 224, 224]}}
output:
  uri: {OUTPUT_URI}
  targets: [{", ".join(targets)}]
max_runtime: 15m
tags: {{team: bench}}
""",
        encoding="utf-8",
    )
    return path


def imported_modules(lab: Lab, args: list[str], env: dict[str, str]) -> tuple[int, set[str], float]:
    """Run neoctl under -X importtime: exit code, top-level packages imported, import µs total."""
    err = lab.tmp(".importtime")
    run = run_once([lab.python, "-X", "importtime", str(lab.neoctl), *args], env, stderr=err, cwd=lab.work, check=False)
    mods: set[str] = set()
    for line in err.read_text(errors="replace").splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":  # the header line
                mods.add(name.split(".")[0])
    return run.rc, mods, run.wall


# ---------------------------------------------------------------------------------------
# The cases


def case_help(lab: Lab, rep: Report, reps: int) -> None:
    print("case 1: --help / --version floors", flush=True)
    bare = [lab.python, str(BENCH / "bare_typer.py"), "--help"]
    series = alternate(
        {
            "neoctl --help": lab.step([str(lab.neoctl), "--help"]),
            "aws --version": lab.step([str(lab.aws), "--version"]),
            "bare Typer app --help": lab.step(bare),
        },
        reps,
    )
    rep.add("1", series, {"bare Typer app --help": "bench/bare_typer.py: neoctl's Typer settings"})
    n, a, b = (series[k].wall_median() for k in ("neoctl --help", "aws --version", "bare Typer app --help"))
    rep.verdict(
        "1",
        "`neoctl --help` ≤ 0.6× `aws --version` (wall)",
        ratios(series["neoctl --help"], series["aws --version"]),
        n <= 0.6 * a,
    )
    rep.verdict("1", "`neoctl --help` vs a bare Typer app's `--help`", f"{ratio(n, b):.2f}× (+{ms(n - b)})", None)
    # The import rule: cheap paths never load the AWS SDK or jsonschema.
    static = dict(lab.env, COMP_WORDS="neoctl de", COMP_CWORD="1", _NEOCTL_COMPLETE="complete_bash")
    for label, args, env in (
        ("--help", ["--help"], lab.env),
        ("--version", ["--version"], lab.env),
        ("static completion (`neoctl de<TAB>`)", [], static),
    ):
        rc, mods, _ = imported_modules(lab, args, env)
        heavy = sorted(m for m in HEAVY if m in mods)
        if rc != 0:
            rep.verdict("1", f"no {'/'.join(HEAVY)} imported for {label}", f"exit {rc}: not supported", False)
            continue
        rep.verdict(
            "1",
            f"no {'/'.join(HEAVY)} imported for {label}",
            f"imported: {', '.join(heavy)}" if heavy else f"none of them ({len(mods)} top-level modules)",
            not heavy,
        )


def case_validate(lab: Lab, rep: Report, reps: int) -> None:
    print("case 2: validate a 20-target fan-out", flush=True)
    spec = fanout_spec(lab.work / "fanout20.yaml", "bench-validate")
    validate = [str(lab.neoctl), "validate", "-f", str(spec)]
    _, out = lab.run(validate, keep=True)
    assert out is not None
    ok_lines = [line for line in out.read_text().splitlines() if line.startswith("ok")]
    if len(ok_lines) != len(TARGETS):
        raise SystemExit(f"bench: validate printed {len(ok_lines)} ok lines, expected {len(TARGETS)}")
    cold_dirs = iter(range(1_000_000))

    def cold(_rep: int) -> Run:
        # A fresh, empty model cache: the first run after installing or upgrading botocore.
        env = dict(lab.env, NEOCTL_CACHE_DIR=str(lab.work / f"cold-cache-{next(cold_dirs)}"))
        return lab.run(validate, env)[0]

    series = alternate(
        {
            "neoctl validate -f fanout20.yaml": lab.step(validate),
            "aws --version": lab.step([str(lab.aws), "--version"]),
            "neoctl validate (empty model cache)": cold,
        },
        reps,
    )
    rep.add("2", series, {"neoctl validate (empty model cache)": "first run per botocore version"})
    n, a = series["neoctl validate -f fanout20.yaml"].wall_median(), series["aws --version"].wall_median()
    rep.verdict(
        "2",
        "`neoctl validate` (20 jobs) ≤ 1.0× `aws --version`",
        ratios(series["neoctl validate -f fanout20.yaml"], series["aws --version"]),
        n <= a,
    )
    c = series["neoctl validate (empty model cache)"].wall_median()
    rep.verdict("2", "validate with an empty model cache vs `aws --version`", f"{ratio(c, a):.2f}×", None)


def _count_json(path: Path) -> int:
    return len(json.loads(path.read_text())["CompilationJobSummaries"])


def case_list(lab: Lab, rep: Report, reps: int, jobs: int) -> None:
    print(f"case 3: list {jobs} jobs as JSON", flush=True)
    lab.reset()
    rep.note("3", f"seeded {jobs} jobs into the emulator in {lab.seed(jobs, 'bench-list'):.2f} s")
    neo = [str(lab.neoctl), "list", "-o", "json"]
    aws = [str(lab.aws), "sagemaker", "list-compilation-jobs"]
    before = lab.counter.snapshot() if lab.counter else Counter()
    for argv in (neo, aws):
        _, out = lab.run(argv, keep=True)
        assert out is not None
        got = _count_json(out)
        if got != jobs:
            raise SystemExit(f"bench: {argv[0]} listed {got} jobs, expected {jobs}")
    if lab.counter:
        calls = lab.counter.snapshot()["ListCompilationJobs"] - before["ListCompilationJobs"]
        rep.note("3", f"both tools listed all {jobs} jobs; {calls} ListCompilationJobs calls for the two")
    floors = str(BENCH / "floors.py")
    series = alternate(
        {
            "neoctl list -o json": lab.step(neo),
            "aws sagemaker list-compilation-jobs": lab.step(aws),
            # The floor ladder: what any Python CLI pays for the same listing.
            "floor: raw HTTP + json, no SDK": lab.step([lab.python, floors, "raw-list"]),
            "floor: botocore import + client": lab.step([lab.python, floors, "botocore-client"]),
            "floor: botocore client + paginate + json": lab.step([lab.python, floors, "botocore-list"]),
            "floor: bare Typer `list -o json` (no work)": lab.step(
                [lab.python, str(BENCH / "bare_typer.py"), "list", "-o", "json"]
            ),
        },
        reps,
    )
    rep.add(
        "3",
        series,
        {
            "floor: raw HTTP + json, no SDK": "bench/floors.py raw-list: the emulator's own time + process",
            "floor: botocore import + client": "bench/floors.py botocore-client: no call made",
            "floor: botocore client + paginate + json": "bench/floors.py botocore-list",
            "floor: bare Typer `list -o json` (no work)": "Typer parsing neoctl list's 17 options",
        },
    )
    n = series["neoctl list -o json"].wall_median()
    a = series["aws sagemaker list-compilation-jobs"].wall_median()
    rep.verdict(
        "3",
        f"`neoctl list -o json` ({jobs} jobs) ≤ 0.6× the AWS CLI",
        ratios(series["neoctl list -o json"], series["aws sagemaker list-compilation-jobs"]),
        n <= 0.6 * a,
    )
    floor = series["floor: botocore client + paginate + json"].wall_median()
    raw = series["floor: raw HTTP + json, no SDK"].wall_median()
    rep.verdict(
        "3",
        "floors vs the AWS CLI: botocore script / raw HTTP script",
        f"{ratio(floor, a):.2f}× / {ratio(raw, a):.2f}×",
        None,
    )
    nr = series["neoctl list -o json"].rss_median()
    ar = series["aws sagemaker list-compilation-jobs"].rss_median()
    rep.verdict("3", f"peak RSS, list {jobs} jobs (neoctl / AWS CLI)", f"{mib(nr)} / {mib(ar)}", None)


def case_completion(lab: Lab, rep: Report, reps: int) -> None:
    print("case 5: Tab completion", flush=True)
    static = dict(lab.env, COMP_WORDS="neoctl de", COMP_CWORD="1", _NEOCTL_COMPLETE="complete_bash")
    names = dict(
        lab.env,
        COMP_WORDS="neoctl describe bench-list-0000",
        COMP_CWORD="2",
        _NEOCTL_COMPLETE="complete_bash",
    )
    line = "aws sagemaker list-comp"
    aws_static = dict(lab.env, COMP_LINE=line, COMP_POINT=str(len(line)))
    line2 = "aws sagemaker describe-compilation-job --compilation-job-name bench-list-0000"
    aws_names = dict(lab.env, COMP_LINE=line2, COMP_POINT=str(len(line2)))
    found: dict[str, list[str]] = {}
    for label, argv, env in (
        ("neoctl static", [str(lab.neoctl)], static),
        ("neoctl job names", [str(lab.neoctl)], names),
        ("aws static", [str(lab.aws_completer)], aws_static),
        ("aws job names", [str(lab.aws_completer)], aws_names),
    ):
        _, out = lab.run(argv, env, keep=True, check=False)
        assert out is not None
        found[label] = [w for w in out.read_text().split() if w]
    series = alternate(
        {
            "neoctl de<TAB> (static)": lab.step([str(lab.neoctl)], static),
            "aws_completer 'aws sagemaker list-comp'": lab.step([str(lab.aws_completer)], aws_static),
            "neoctl describe bench-list-0000<TAB> (job names)": lab.step([str(lab.neoctl)], names),
        },
        reps,
    )
    notes = {
        "neoctl de<TAB> (static)": f"{len(found['neoctl static'])} candidates: " + " ".join(found["neoctl static"][:5]),
        "aws_completer 'aws sagemaker list-comp'": f"{len(found['aws static'])} candidates",
        "neoctl describe bench-list-0000<TAB> (job names)": f"{len(found['neoctl job names'])} candidates",
    }
    rep.add("5", series, notes)
    s, a = (
        series["neoctl de<TAB> (static)"].wall_median(),
        series["aws_completer 'aws sagemaker list-comp'"].wall_median(),
    )
    rep.verdict("5", "static completion latency vs `aws_completer`", f"{ms(s)} vs {ms(a)} ({ratio(s, a):.2f}×)", None)
    j = series["neoctl describe bench-list-0000<TAB> (job names)"].wall_median()
    got = found["neoctl job names"]
    if got:
        rep.verdict("5", "job-name completion (1,001 jobs in the emulator)", f"{ms(j)}, {len(got)} candidates", None)
    else:
        rep.verdict(
            "5",
            "job-name completion (1,001 jobs in the emulator)",
            f"no candidates: not implemented yet ({ms(j)} to answer nothing)",
            None,
        )
    rep.note(
        "5",
        f"the AWS CLI v1 completer completes commands and options only; for job names it gave "
        f"{len(found['aws job names'])} candidates",
    )


def case_list_big(lab: Lab, rep: Report, reps: int, jobs: int) -> None:
    print(f"case 4: list {jobs} jobs", flush=True)
    lab.reset()
    rep.note("4", f"seeded {jobs} jobs into the emulator in {lab.seed(jobs, 'bench-big'):.2f} s")
    table = [str(lab.neoctl), "list"]
    neo_json = [str(lab.neoctl), "list", "-o", "json"]
    aws = [str(lab.aws), "sagemaker", "list-compilation-jobs"]
    for argv in (neo_json, aws):
        _, out = lab.run(argv, keep=True)
        assert out is not None
        got = _count_json(out)
        if got != jobs:
            raise SystemExit(f"bench: {argv[0]} listed {got} jobs, expected {jobs}")
        out.unlink()
    _, out = lab.run(table, keep=True)
    assert out is not None
    rows = sum(1 for line in out.read_text().splitlines() if "bench-big-" in line)
    out.unlink()
    rep.note("4", f"JSON from both tools had all {jobs} jobs; the neoctl table had {rows} job rows")
    floors = str(BENCH / "floors.py")
    series = alternate(
        {
            "neoctl list": lab.step(table),
            "aws sagemaker list-compilation-jobs": lab.step(aws),
            "neoctl list -o json": lab.step(neo_json),
            "floor: raw HTTP + json, no SDK": lab.step([lab.python, floors, "raw-list"]),
            "floor: botocore client + paginate + json": lab.step([lab.python, floors, "botocore-list"]),
        },
        reps,
        warmup=0,  # the checks above were the warm-up
    )
    rep.add(
        "4",
        series,
        {
            "floor: raw HTTP + json, no SDK": "the emulator's own time: it scans every job for each page",
            "floor: botocore client + paginate + json": "botocore's default datetime parsing, full result",
        },
    )
    a = series["aws sagemaker list-compilation-jobs"]
    for label in ("neoctl list", "neoctl list -o json"):
        s = series[label]
        rep.verdict(
            "4",
            f"`{label}` ({jobs} jobs) peak RSS below the AWS CLI's",
            f"{mib(s.rss_median())} vs {mib(a.rss_median())}",
            s.rss_median() < a.rss_median(),
        )
        rep.verdict(
            "4",
            f"`{label}` ({jobs} jobs) wall vs the AWS CLI",
            f"{ratio(s.wall_median(), a.wall_median()):.2f}×",
            None,
        )


def case_fanout(lab: Lab, rep: Report, reps: int) -> None:
    print("case 6: 20-target fan-out create", flush=True)
    lab.reset()

    def neo(rep_i: int) -> Run:
        prefix = f"fo-n{rep_i + 1 if rep_i >= 0 else 'w' + str(-rep_i)}"
        spec = fanout_spec(lab.tmp(".yaml"), prefix)
        run = lab.run([str(lab.neoctl), "create", "-f", str(spec)])[0]
        _check_created(lab, prefix)
        return run

    def aws(rep_i: int) -> Run:
        prefix = f"fo-a{rep_i + 1 if rep_i >= 0 else 'w' + str(-rep_i)}"
        spec = fanout_spec(lab.tmp(".yaml"), prefix)
        # The very requests neoctl would send, one file per job, sent one `aws` call at a time.
        _, out = lab.run([str(lab.neoctl), "create", "-f", str(spec), "--dry-run", "-o", "json"], keep=True)
        assert out is not None
        lines = ["set -e"]
        for request in json.loads(out.read_text()):
            path = lab.tmp(".json")
            path.write_text(json.dumps(request))
            lines.append(f"'{lab.aws}' sagemaker create-compilation-job --cli-input-json 'file://{path}'")
        script = lab.tmp(".sh")
        script.write_text("\n".join(lines) + "\n")
        run = lab.run(["bash", str(script)])[0]
        _check_created(lab, prefix)
        return run

    series = alternate({"neoctl create -f fanout20.yaml": neo, "20 × aws sagemaker create-compilation-job": aws}, reps)
    rep.add(
        "6",
        series,
        {"20 × aws sagemaker create-compilation-job": "sequential, one bash script; RSS = largest"},
    )
    n, a = (s.wall_median() for s in series.values())
    rep.verdict(
        "6",
        "20-target fan-out ≤ 0.25× twenty sequential AWS CLI calls",
        ratios(*series.values()),
        n <= 0.25 * a,
    )


def _check_created(lab: Lab, prefix: str) -> None:
    got = len(lab.job_names(prefix + "-"))
    if got != len(TARGETS):
        raise SystemExit(f"bench: {got} jobs named {prefix}-*, expected {len(TARGETS)}")


def _wait_jobs(lab: Lab, prefix: str, count: int) -> list[str]:
    """`count` jobs through the real API, finishing at staggered times; every 10th fails."""
    from neoctl.testing import DURATION_TAG, FAIL_TAG

    sm = lab.emulator.client("sagemaker")
    names = []
    for i in range(count):
        name = f"{prefix}-{i:03d}"
        tags = [{"Key": DURATION_TAG, "Value": f"{2 + (i % 10) * 0.4:.1f}"}]
        if i % 10 == 7:
            tags.append({"Key": FAIL_TAG, "Value": "bench: simulated compiler error"})
        sm.create_compilation_job(
            CompilationJobName=name,
            RoleArn=ROLE,
            InputConfig={
                "S3Uri": MODEL_URI,
                "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
                "Framework": "PYTORCH",
                "FrameworkVersion": "2.0",
            },
            OutputConfig={"S3OutputLocation": OUTPUT_URI, "TargetDevice": TARGETS[i % 20]},
            StoppingCondition={"MaxRuntimeInSeconds": 900},
            Tags=tags,
        )
        names.append(name)
    return names


def case_wait(lab: Lab, rep: Report, jobs: int, interval: float) -> None:
    print(f"case 7: API calls per poll while waiting on {jobs} jobs", flush=True)
    from neoctl.api.session import AwsOptions
    from neoctl.jobs.poller import JobPoller

    terminal = {"COMPLETED", "FAILED", "STOPPED"}
    lab.reset()
    # A few unrelated jobs, so that the listing has something to skip.
    lab.seed(150, "other")
    names = _wait_jobs(lab, "bench-wait", jobs)
    for key, value in lab.env.items():
        if key.startswith("AWS_"):
            os.environ[key] = value
    poller = JobPoller(AwsOptions(region=REGION, endpoint_url=lab.url), names)
    known = dict.fromkeys(names, "UNKNOWN")
    polls: list[dict[str, Any]] = []
    deadline = time.monotonic() + 120
    while True:
        pending = [n for n in names if known[n] not in terminal]
        if not pending:
            break
        if time.monotonic() > deadline:
            raise SystemExit("bench: the jobs did not finish within 120 s")
        before = Counter(poller.calls)
        statuses = poller.poll(pending)
        delta = Counter(poller.calls)
        delta.subtract(before)
        changed = [n for n in pending if statuses.get(n, known[n]) != known[n]]
        known.update(statuses)
        polls.append(
            {
                "pending": len(pending),
                "changed": len(changed),
                "list": delta["ListCompilationJobs"],
                "describe": delta["DescribeCompilationJob"],
                "other": sum(v for k, v in delta.items() if k not in ("ListCompilationJobs", "DescribeCompilationJob")),
            }
        )
        time.sleep(interval)
    failed = [n for n in names if known[n] == "FAILED"]
    before = Counter(poller.calls)
    for name in failed:
        poller.failure_reason(name)  # as `neoctl wait` does once the jobs have finished
    reason_describes = poller.calls["DescribeCompilationJob"] - before["DescribeCompilationJob"]
    list_ok = all(p["list"] <= math.ceil(p["pending"] / 100) for p in polls)
    describe_ok = all(p["describe"] <= p["changed"] for p in polls)
    neo_total = sum(p["list"] + p["describe"] + p["other"] for p in polls) + reason_describes
    peer_total = sum(p["pending"] for p in polls)
    per_poll = " ".join(f"{p['list']}L+{p['describe']}D/{p['changed']}Δ" for p in polls)
    rep.extra["wait_polls"] = polls
    rep.note("7", f"per poll (list pages + describes / jobs whose status changed): {per_poll}")
    rep.verdict(
        "7",
        f"≤ 1 list page per 100 pending jobs per poll ({jobs} jobs, {len(polls)} polls)",
        f"max {max(p['list'] for p in polls)} page(s) per poll",
        list_ok,
    )
    rep.verdict(
        "7",
        "describes only for jobs whose status changed",
        f"{sum(p['describe'] for p in polls)} describes while polling, "
        f"+{reason_describes} for FailureReason of {len(failed)} FAILED jobs",
        describe_ok and reason_describes <= len(failed),
    )
    rep.verdict(
        "7",
        "API calls for the whole wait: neoctl vs one describe per pending job per poll",
        f"{neo_total} vs {peer_total} ({ratio(neo_total, peer_total):.2f}×)",
        None,
    )
    _wait_end_to_end(lab, rep, jobs)


def _wait_end_to_end(lab: Lab, rep: Report, jobs: int) -> None:
    """`neoctl wait` as a user runs it, its calls counted at the emulator."""
    if lab.counter is None:
        rep.note("7", "server-side request counting unavailable; `neoctl wait` end to end skipped")
        return
    names = _wait_jobs(lab, "bench-cli-wait", jobs)
    before = lab.counter.snapshot()
    run, _ = lab.run([str(lab.neoctl), "wait", *names, "--poll", "1", "-o", "json"], check=False)
    after = lab.counter.snapshot()
    after.subtract(before)
    calls = ", ".join(f"{v} {k}" for k, v in sorted(after.items()) if v)
    rep.note(
        "7",
        f"`neoctl wait` on {jobs} jobs (--poll 1, every 10th fails): exit {run.rc}, {ms(run.wall)}, "
        f"{mib(run.rss_kib)}; calls seen by the emulator: {calls}",
    )


# ---------------------------------------------------------------------------------------


def machine(lab: Lab) -> dict[str, str]:
    def sh(*argv: str) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True, env=lab.env, check=False).stdout.strip()
        except OSError:
            return "?"

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = sh("free", "-h").splitlines()
    versions = ", ".join(
        f"{p} {metadata.version(p)}" for p in ("neoctl", "typer", "rich", "boto3", "botocore", "jsonschema", "moto")
    )
    aws_version = subprocess.run([str(lab.aws), "--version"], capture_output=True, text=True, env=lab.env, check=False)
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load average at start (1/5/15 min)": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "measurement": method(),
        "cpu": f"{cpu}, nproc {os.cpu_count()} ({sh('nproc')} usable)",
        "memory": mem[1].split()[1] if len(mem) > 1 else "?",
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "neoctl venv": versions,
        "AWS CLI": (aws_version.stdout or aws_version.stderr).strip(),
        "git": sh("git", "-C", str(ROOT), "describe", "--always", "--dirty"),
    }


def serve(jobs: int, aws_venv: Path) -> int:
    """The benchmark's emulator, seeded, in the foreground: for profiling one command by hand."""
    work = Path(tempfile.mkdtemp(prefix="neoctl-bench-serve-"))
    lab = Lab(work, aws_venv, job_seconds=3.0)
    try:
        lab.seed(jobs, "bench-list")
        print(lab.url, flush=True)
        print(
            f"emulator with {jobs} jobs; point a client at it with:\n"
            f"  export AWS_ENDPOINT_URL={lab.url} AWS_REGION={REGION} AWS_DEFAULT_REGION={REGION} "
            "AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x",
            file=sys.stderr,
            flush=True,
        )
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    finally:
        lab.close()
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8,9,10,11,12", help="comma-separated case numbers")
    parser.add_argument("--reps", type=int, default=7, help="runs per command, fast cases (default 7)")
    parser.add_argument("--big-reps", type=int, default=3, help="runs per command, 10,000 jobs (default 3)")
    parser.add_argument("--fanout-reps", type=int, default=5, help="runs per command, fan-out (default 5)")
    parser.add_argument("--jobs", type=int, default=1001, help="jobs for case 3 (default 1001)")
    parser.add_argument("--big-jobs", type=int, default=10_000, help="jobs for case 4 (default 10000)")
    parser.add_argument("--wait-jobs", type=int, default=50, help="jobs for case 7 (default 50)")
    parser.add_argument("--model-mib", type=int, default=256, help="model size for cases 8, 9, 11 (default 256)")
    parser.add_argument(
        "--rss-mib", default="256,512,1024,2048", help="model sizes for case 10 (default 256,512,1024,2048)"
    )
    parser.add_argument("--big-model-mib", type=int, default=1024, help="model size for case 12 (default 1024)")
    parser.add_argument("--model-reps", type=int, default=3, help="runs per command, cases 8, 9, 11 (default 3)")
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: 2 runs, 2,000 jobs for case 4, 64 MiB models, 1 run"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--aws-venv", type=Path, default=BENCH / ".venv-aws")
    parser.add_argument("--out", type=Path, default=BENCH / "last-run", help="report basename (.md, .json)")
    parser.add_argument(
        "--serve",
        type=int,
        metavar="JOBS",
        help="for profiling: only start the emulator seeded with JOBS jobs, print its URL, wait for Ctrl-C",
    )
    args = parser.parse_args(argv)
    if args.serve is not None:
        return serve(args.serve, args.aws_venv)
    if args.quick:
        args.reps, args.big_reps, args.fanout_reps, args.big_jobs = 2, 1, 2, 2000
        args.model_mib, args.rss_mib, args.big_model_mib, args.model_reps = 64, "64,128", 128, 1
    cases = {c.strip() for c in args.only.split(",") if c.strip()}

    work = Path(tempfile.mkdtemp(prefix="neoctl-bench-"))
    lab = Lab(work, args.aws_venv, job_seconds=3.0)
    report = Report()
    started = time.perf_counter()
    try:
        info = machine(lab)
        print(f"bench: emulator at {lab.url}; work dir {work}", flush=True)
        if "1" in cases:
            case_help(lab, report, args.reps)
        if "2" in cases:
            case_validate(lab, report, args.reps)
        if "3" in cases or "5" in cases:
            case_list(lab, report, args.reps, args.jobs)  # case 5 completes over these jobs
        if "5" in cases:
            case_completion(lab, report, args.reps)
        if "4" in cases:
            case_list_big(lab, report, args.big_reps, args.big_jobs)
        if "6" in cases:
            case_fanout(lab, report, args.fanout_reps)
        if "7" in cases:
            case_wait(lab, report, args.wait_jobs, interval=0.5)
        if cases & {"8", "9", "10", "11", "12"}:
            rss_sizes = [int(x) * MIB for x in args.rss_mib.split(",") if x.strip()]
            run_cases(lab, report, cases, args.model_mib * MIB, rss_sizes, args.big_model_mib * MIB, args.model_reps)
    except CommandFailed as exc:
        print(f"bench: a command failed: {exc}", file=sys.stderr)
        return 1
    finally:
        lab.close()
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    info["load average at end (1/5/15 min)"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    report.rows.sort(key=lambda row: int(row[0]))
    report.verdicts.sort(key=lambda row: int(row[0]))
    report.notes.sort(key=lambda row: int(row[0]))
    config = {
        "reps": args.reps,
        "big_reps": args.big_reps,
        "fanout_reps": args.fanout_reps,
        "jobs": args.jobs,
        "big_jobs": args.big_jobs,
        "wait_jobs": args.wait_jobs,
        "model_mib": args.model_mib,
        "rss_mib": args.rss_mib,
        "big_model_mib": args.big_model_mib,
        "model_reps": args.model_reps,
        "elapsed": f"{elapsed:.0f} s",
    }
    text = report.markdown(info, config)
    print("\n" + text)
    args.out.with_suffix(".md").write_text(text, encoding="utf-8")
    args.out.with_suffix(".json").write_text(
        json.dumps({"machine": info, "config": config, **report.as_json()}, indent=1), encoding="utf-8"
    )
    failed = [v for _, v in report.verdicts if v.ok is False]
    print(f"bench: {len(failed)} target(s) missed; report in {args.out.with_suffix('.md')}", flush=True)
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
