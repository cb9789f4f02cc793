"""Case 6 of `make bench`: `neoctl create -f` of a 20-target fan-out against twenty
sequential `aws sagemaker create-compilation-job` calls."""

from __future__ import annotations

import json

from harness import TARGETS, Lab, Report, fanout_spec, ratios
from measure import Run, alternate


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
