"""Cases 1-2 of `make bench`: start-up cost.

1: `neoctl --help` against `aws --version` and a bare Typer app, and which heavy
packages the cheap paths import; 2: `neoctl validate` of a 20-target fan-out.
"""

from __future__ import annotations

from harness import BENCH, TARGETS, Lab, Report, fanout_spec, ratio, ratios
from measure import Run, alternate, ms, run_once

HEAVY = ("boto3", "botocore", "jsonschema")


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
