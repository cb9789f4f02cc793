"""--help, --version and static work must not pay for boto3, botocore or jsonschema."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("boto3", "botocore", "jsonschema", "moto")


def _imported(args: list[str]) -> set[str]:
    code = (
        "import sys\nsys.argv = ['neoctl', *sys.argv[1:]]\n"
        "from neoctl.cli.main import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "import json\nprint(json.dumps(sorted(m.split('.')[0] for m in sys.modules)), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
    last = proc.stderr.strip().splitlines()[-1]
    import json

    return set(json.loads(last))


@pytest.mark.parametrize(
    "args", [["--help"], ["list", "--help"], ["create", "--help"], ["endpoint", "update", "--help"]]
)
def test_help_imports_no_heavy_module(args: list[str]) -> None:
    assert not _imported(args) & set(HEAVY)


def test_dry_run_of_api_form_needs_no_boto3(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    spec = Path(str(tmp_path)) / "job.yaml"
    spec.write_text(
        "CompilationJobName: light\nRoleArn: arn:aws:iam::123456789012:role/NeoRole\n"
        "InputConfig: {S3Uri: s3://b/m.tar.gz, Framework: XGBOOST}\n"
        "OutputConfig: {S3OutputLocation: s3://b/out/, TargetDevice: ml_c5}\n"
        "StoppingCondition: {MaxRuntimeInSeconds: 900}\n",
        encoding="utf-8",
    )
    # The model cache is warm after the first run; the second must not import botocore.
    _imported(["create", "-f", str(spec), "--dry-run", "-o", "json"])
    assert not _imported(["create", "-f", str(spec), "--dry-run", "-o", "json"]) & {"boto3", "botocore"}


def test_spec_layer_imports_no_cli_output_or_aws(tmp_path: pytest.TempPathFactory) -> None:
    """spec/ is pure: loading a batch (a local model included) pulls in no Typer, Rich,
    boto3/botocore (once the model cache is warm) and nothing of neoctl.api or neoctl.cli."""
    import json
    from pathlib import Path

    root = Path(str(tmp_path))
    (root / "model").mkdir()
    (root / "model" / "model.pth").write_bytes(b"w" * 100)
    spec = root / "job.yaml"
    spec.write_text(
        "name: pure\nrole: arn:aws:iam::123456789012:role/NeoRole\n"
        "model: {path: model, upload_to: 's3://b/m/', framework: xgboost}\n"
        "output: {uri: 's3://b/out/', target: ml_c5}\n",
        encoding="utf-8",
    )
    code = (
        "import json, sys\nfrom neoctl.spec.batch import load_batch\n"
        f"batch = load_batch([{str(spec)!r}])\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)  # warm
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    modules = set(json.loads(out.stdout.splitlines()[-1]))
    assert not {m for m in modules if m.split(".")[0] in ("typer", "rich", "boto3", "botocore", "click")}
    layers = ("neoctl.api", "neoctl.cli", "neoctl.output")
    assert not {m for m in modules if m in layers or m.startswith(tuple(f"{layer}." for layer in layers))}
