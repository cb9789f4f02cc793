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

# Cases live by family: startup.py (1-2), listing.py (3-5), fanout.py (6), wait.py (7),
# models.py (8-13); the harness they share (Lab, Report) is harness.py. This file only
# imports them, and none of them imports it.

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from fanout import case_fanout
from harness import BENCH, REGION, ROOT, Lab, Report
from listing import case_completion, case_list, case_list_big
from measure import CommandFailed, method
from models import MIB, run_cases
from startup import case_help, case_validate
from wait import case_wait


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
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8,9,10,11,12,13", help="comma-separated case numbers")
    parser.add_argument("--reps", type=int, default=7, help="runs per command, fast cases (default 7)")
    parser.add_argument("--big-reps", type=int, default=3, help="runs per command, 10,000 jobs (default 3)")
    parser.add_argument("--fanout-reps", type=int, default=5, help="runs per command, fan-out (default 5)")
    parser.add_argument("--jobs", type=int, default=1001, help="jobs for case 3 (default 1001)")
    parser.add_argument("--big-jobs", type=int, default=10_000, help="jobs for case 4 (default 10000)")
    parser.add_argument("--wait-jobs", type=int, default=50, help="jobs for case 7 (default 50)")
    parser.add_argument("--model-mib", type=int, default=256, help="model size for cases 8, 9, 11, 13 (default 256)")
    parser.add_argument(
        "--rss-mib", default="256,512,1024,2048", help="model sizes for case 10 (default 256,512,1024,2048)"
    )
    parser.add_argument("--big-model-mib", type=int, default=1024, help="model size for case 12 (default 1024)")
    parser.add_argument("--model-reps", type=int, default=3, help="runs per command, cases 8, 9, 11, 13 (default 3)")
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
        if cases & {"8", "9", "10", "11", "12", "13"}:
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
