"""Cases 3-5 of `make bench`: listing jobs, and Tab completion over them.

3: `neoctl list -o json` of 1,001 jobs, with the floor ladder (bench/floors.py);
4: `neoctl list` of 10,000 jobs, peak RSS; 5: Tab completion (it completes over
case 3's jobs, so bench/run.py runs case 3 first whenever 5 is asked for).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from harness import BENCH, Lab, Report, ratio, ratios
from measure import alternate, mib, ms


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
