"""The bench harness, shared by every case module and the entry point (bench/run.py).

The report (Report, Verdict, ratios), the emulator in this process and the environment
every command runs in (Lab), and the fan-out spec that cases 2 and 6 share. Case modules
import from here; nothing here imports a case module.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from measure import Run, Series, run_once

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
REGION = "us-east-1"
# What the emulator's account holds from the start (neoctl.testing.seed), and again after
# each reset: create's pre-flight checks the role, the model object and the bucket.
ROLE = "arn:aws:iam::123456789012:role/SageMakerNeoRole"
MODEL_URI = "s3://my-bucket/models/resnet50/model.tar.gz"
OUTPUT_URI = "s3://my-bucket/compiled/"
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
        start = time.perf_counter()
        self.emulator.add_completed_jobs([f"{prefix}-{i:05d}" for i in range(n)], TARGETS, REGION)
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
