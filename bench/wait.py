"""Case 7 of `make bench`: API calls per poll while waiting on jobs (`JobPoller`), then
`neoctl wait` end to end, its calls counted by the emulator."""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from typing import Any

from harness import MODEL_URI, OUTPUT_URI, REGION, ROLE, TARGETS, Lab, Report, ratio
from measure import mib, ms


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
