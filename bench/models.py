"""Cases 8-13 of `make bench`: big local models (issue 13) and big compiled ones.

Pack + upload + create, `create --dry-run`, peak RSS against model size, download +
extract, pack throughput against the disk, and `deploy --code`'s repack of a compiled
archive (S3 → S3), each side by side with what a user would do by hand (`tar czf`,
`aws s3 cp`, `tar xzf`) against the same emulator.

The models are weights-like: float32 drawn from N(0, 0.02), as trained weights are, so
they compress as real checkpoints do (~92% of their size with gzip), unlike zeros (which
vanish) or random bytes (which do not compress at all). One 16 MiB block is drawn with
the stdlib and tiled, each tile rotated by a different number of floats; deflate's 32 KiB
window could not see a 16 MiB repetition anyway, and a hash sees every byte.

Every generated file lives under the harness's work dir (removed at the end) and each
model is deleted as soon as its case is done, so the disk holds at most one model, its
archives and what the emulator keeps (objects are deleted after each run).

Every upload is really sent: each neoctl run gets an `upload_to` prefix of its own
(neoctl skips an upload whose content address is already under its prefix), and every
object uploaded by either tool is deleted once the run has been checked.
"""

from __future__ import annotations

import itertools
import json
import random
import shlex
import shutil
import statistics
import tarfile
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from measure import Run, Series, alternate, mib, ms, run_once

if TYPE_CHECKING:
    from harness import Lab, Report

MIB = 1024 * 1024
BLOCK_BYTES = 16 * MIB
BUCKET = "my-bucket"  # seeded by the emulator, as is the role
ROLE = "arn:aws:iam::123456789012:role/SageMakerNeoRole"
MB = 1_000_000  # throughput in MB/s (10^6 bytes), as the issue measures it

_block: bytes | None = None


def weights_block() -> bytes:
    """16 MiB of float32 ~ N(0, 0.02), the same on every run (seeded)."""
    global _block
    if _block is None:
        rng = random.Random(13)
        _block = array("f", (rng.gauss(0.0, 0.02) for _ in range(BLOCK_BYTES // 4))).tobytes()
    return _block


def write_weights(path: Path, size: int) -> None:
    """`size` bytes of weights: the block tiled, tile i rotated by a tile-specific number
    of floats, so no two tiles are the same bytes (cheap: one slice copy per tile)."""
    block = weights_block()
    with path.open("wb") as out:
        written = 0
        for i in itertools.count():
            if written >= size:
                break
            shift = (i * 1_048_583 * 4) % len(block)  # a multiple of 4: whole floats
            tile = block[shift:] + block[:shift]
            chunk = tile[: size - written]
            out.write(chunk)
            written += len(chunk)


def make_model(root: Path, size: int) -> Path:
    """A PyTorch-like model directory of `size` bytes in all: one weights file (what
    neoctl's PyTorch rule wants at the root), inference code and a few small files."""
    root.mkdir(parents=True)
    (root / "code").mkdir()
    small = {
        "code/inference.py": "import torch\n\n\ndef model_fn(model_dir):\n    return torch.jit.load(model_dir)\n" * 20,
        "code/requirements.txt": "torch==2.0.1\nnumpy\n",
        "config.json": json.dumps({"hidden_size": 4096, "layers": 32, "dtype": "float32"}, indent=2) + "\n",
        "README.md": "# bench model\n\nWeights-like float32 data written by bench/models.py.\n",
    }
    for name, text in small.items():
        (root / name).write_text(text, encoding="utf-8")
    rest = size - sum((root / n).stat().st_size for n in small)
    write_weights(root / "model.pth", rest)
    return root


def make_compiled(root: Path, size: int) -> Path:
    """What a Neo job leaves: compiled.params (weights), compiled.so, compiled_model.json."""
    root.mkdir(parents=True)
    (root / "compiled_model.json").write_text('{"Framework": "PYTORCH", "Target": "ml_c5"}\n', encoding="utf-8")
    (root / "compiled.so").write_bytes(random.Random(7).randbytes(2 * MIB))  # machine code: barely compresses
    write_weights(root / "compiled.params", size - 2 * MIB)
    return root


ENTRY_POINT = "inference.py"  # deploy --code's default entry point


def code_text(stamp: int) -> str:
    """An inference script; `stamp` (fixed width) changes bytes, not the size."""
    body = "import torch\n\n\ndef model_fn(model_dir):\n    return torch.jit.load(model_dir)\n" * 20
    return f"{body}# bench run {stamp:08d}\n"


def make_code(root: Path) -> Path:
    """What `deploy --code DIR` takes: an entry point, its requirements and a helper module."""
    (root / "lib").mkdir(parents=True)
    (root / ENTRY_POINT).write_text(code_text(0), encoding="utf-8")
    (root / "requirements.txt").write_text("torch==2.0.1\nnumpy\n", encoding="utf-8")
    (root / "lib" / "util.py").write_text("def preprocess(x):\n    return x\n", encoding="utf-8")
    return root


def model_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def model_spec(path: Path, name: str, model_dir: Path, upload_to: str) -> Path:
    path.write_text(
        f"""# a local model, written by bench/models.py
name: {name}
role: {ROLE}
model:
  path: {model_dir}
  upload_to: {upload_to}
  framework: pytorch
  framework_version: "2.0"
  inputs: {{input0: [1, 3, 224, 224]}}
output:
  uri: s3://{BUCKET}/compiled/{name}/
  target: ml_c5
max_runtime: 15m
""",
        encoding="utf-8",
    )
    return path


def create_request(name: str, s3_uri: str) -> dict[str, Any]:
    """The request neoctl sends for model_spec (same role, input, output, runtime)."""
    return {
        "CompilationJobName": name,
        "RoleArn": ROLE,
        "InputConfig": {
            "S3Uri": s3_uri,
            "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
            "Framework": "PYTORCH",
            "FrameworkVersion": "2.0",
        },
        "OutputConfig": {"S3OutputLocation": f"s3://{BUCKET}/compiled/{name}/", "TargetDevice": "ml_c5"},
        "StoppingCondition": {"MaxRuntimeInSeconds": 900},
    }


class Models:
    """The cases, sharing the lab, the report and a counter that keeps names new."""

    def __init__(self, lab: Lab, report: Report) -> None:
        self.lab = lab
        self.report = report
        self.n = itertools.count(1)
        self.s3 = lab.emulator.client("s3")
        self.sm = lab.emulator.client("sagemaker")

    # -- helpers ---------------------------------------------------------------------
    def model(self, label: str, size: int, make: Callable[[Path, int], Path] = make_model) -> Path:
        root = self.lab.work / f"model-{label}-{next(self.n)}"
        print(f"  writing a {size // MIB} MiB weights-like model to {root}", flush=True)
        return make(root, size)

    def curl(self, *args: str) -> list[str]:
        """A bare HTTP request to the emulator (it checks no signatures): its floor."""
        return ["curl", "-sS", "--fail", "--noproxy", "*", *args]

    def uploaded(self, prefix: str) -> list[tuple[str, int]]:
        """(key, size) of the objects under s3://BUCKET/prefix."""
        got = self.s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
        return [(o["Key"], o["Size"]) for o in got.get("Contents", [])]

    def clear(self, prefix: str) -> None:
        for key, _ in self.uploaded(prefix):
            self.s3.delete_object(Bucket=BUCKET, Key=key)

    def check_created(self, name: str, prefix: str, minimum: int) -> None:
        """The job exists and an archive of at least `minimum` bytes was uploaded for it;
        then the upload is deleted (disk, and the next run must upload again)."""
        self.sm.describe_compilation_job(CompilationJobName=name)  # raises when missing
        objects = self.uploaded(prefix)
        if not objects or max(size for _, size in objects) < minimum:
            raise SystemExit(f"bench: nothing of ≥ {minimum} bytes uploaded under s3://{BUCKET}/{prefix}: {objects}")
        self.clear(prefix)

    def neoctl_create(self, model_dir: Path, size: int, tag: str) -> Callable[[int], Run]:
        def step(_rep: int) -> Run:
            name = f"bench-{tag}-n{next(self.n)}"
            prefix = f"bench-up/{name}/"  # new per run: the upload is never skipped
            spec = model_spec(self.lab.tmp(".yaml"), name, model_dir, f"s3://{BUCKET}/{prefix}")
            run = self.lab.run([str(self.lab.neoctl), "create", "-f", str(spec)])[0]
            self.check_created(name, prefix, size // 2)
            return run

        return step

    # -- case 8 ----------------------------------------------------------------------
    def case_create(self, model_dir: Path, size: int, reps: int) -> None:
        print(f"case 8: create from a {size // MIB} MiB local model (pack + upload + create)", flush=True)
        total = model_bytes(model_dir)

        def peer(_rep: int) -> Run:
            name = f"bench-create-a{next(self.n)}"
            prefix = f"bench-peer/{name}/"
            archive = self.lab.tmp(".tar.gz")
            request = self.lab.tmp(".json")
            request.write_text(json.dumps(create_request(name, f"s3://{BUCKET}/{prefix}model.tar.gz")))
            script = self.lab.tmp(".sh")
            script.write_text(
                "set -e\n"
                f"tar czf '{archive}' -C '{model_dir}' .\n"
                f"'{self.lab.aws}' s3 cp --only-show-errors '{archive}' 's3://{BUCKET}/{prefix}model.tar.gz'\n"
                f"'{self.lab.aws}' sagemaker create-compilation-job --cli-input-json 'file://{request}'\n"
            )
            run = self.lab.run(["bash", str(script)])[0]
            archive.unlink()
            self.check_created(name, prefix, size // 2)
            return run

        def floor(_rep: int) -> Run:
            key = f"bench-floor/{next(self.n)}/model.pth"
            run = self.lab.run(self.curl("-T", str(model_dir / "model.pth"), f"{self.lab.url}/{BUCKET}/{key}"))[0]
            if not self.uploaded(key):
                raise SystemExit(f"bench: curl did not upload s3://{BUCKET}/{key}")
            self.clear(key)
            return run

        neo_label = f"neoctl create -f spec.yaml ({size // MIB} MiB model)"
        peer_label = "tar czf + aws s3 cp + aws sagemaker create-compilation-job"
        floor_label = "floor: curl PUT of model.pth to the emulator (one request, no SDK)"
        steps = {neo_label: self.neoctl_create(model_dir, size, "create"), peer_label: peer, floor_label: floor}
        series = alternate(steps, reps, warmup=0)
        self.report.add(
            "8",
            series,
            {
                peer_label: "one bash script; RSS = largest of its processes",
                floor_label: "what the emulator (moto, in the harness's process) takes to receive the bytes",
            },
        )
        n, a = series[neo_label], series[peer_label]
        self.report.verdict(
            "8",
            f"create from a {size // MIB} MiB local model ≤ 0.2× tar czf + aws s3 cp + create-compilation-job",
            _ratios(n, a),
            n.wall_median() <= 0.2 * a.wall_median(),
        )
        self.report.note(
            "8",
            f"model: {total / MIB:.0f} MiB ({total} bytes) in 5 files; neoctl: {_rate(total, n)}; "
            f"peer: {_rate(total, a)}; each run uploads to a new prefix, objects deleted after each run",
        )

    # -- case 9 ----------------------------------------------------------------------
    def case_dry_run(self, model_dir: Path, size: int, reps: int) -> None:
        print(f"case 9: create --dry-run of a {size // MIB} MiB local model", flush=True)
        total = model_bytes(model_dir)
        name = f"bench-dry-n{next(self.n)}"
        spec = model_spec(self.lab.tmp(".yaml"), name, model_dir, f"s3://{BUCKET}/bench-dry/")
        dry = [str(self.lab.neoctl), "create", "--dry-run", "-f", str(spec)]

        def peer(_rep: int) -> Run:
            archive = self.lab.tmp(".tar.gz")
            run = self.lab.run(["tar", "czf", str(archive), "-C", str(model_dir), "."])[0]
            archive.unlink()
            return run

        neo_label = f"neoctl create --dry-run -f spec.yaml ({size // MIB} MiB model)"
        series = alternate({neo_label: self.lab.step(dry), "tar czf": peer}, reps, warmup=0)
        if self.uploaded("bench-dry/"):
            raise SystemExit("bench: create --dry-run uploaded something")
        self.report.add("9", series)
        n, a = series[neo_label], series["tar czf"]
        self.report.verdict(
            "9",
            f"create --dry-run of a {size // MIB} MiB local model ≤ 0.1× tar czf",
            _ratios(n, a),
            n.wall_median() <= 0.1 * a.wall_median(),
        )
        self.report.note("9", f"neoctl --dry-run: {_rate(total, n)}; tar czf: {_rate(total, a)}")

    # -- case 10 ---------------------------------------------------------------------
    def case_rss(self, sizes: list[int]) -> None:
        print(f"case 10: peak RSS of create at {', '.join(f'{s // MIB} MiB' for s in sizes)}", flush=True)
        points: list[tuple[int, Run]] = []
        for size in sizes:
            model_dir = self.model("rss", size)
            run = self.neoctl_create(model_dir, size, "rss")(0)  # one run: peak RSS hardly varies
            shutil.rmtree(model_dir)
            points.append((size, run))
            print(f"  {size // MIB} MiB: {mib(run.rss_kib)}, {ms(run.wall)}", flush=True)
            label = f"neoctl create -f spec.yaml ({size // MIB} MiB model)"
            self.report.add("10", {label: Series(label, [run])})
        peak = max(run.rss_kib for _, run in points)
        self.report.verdict(
            "10",
            "peak RSS of create ≤ 150 MiB at every size",
            ", ".join(f"{s // MIB} MiB: {mib(r.rss_kib)}" for s, r in points),
            peak <= 150 * 1024,
        )
        if len(points) >= 2:
            slope = _slope([(s / (1024 * MIB), r.rss_kib / 1024) for s, r in points])  # MiB of RSS per GiB
            self.report.extra["rss_slope_mib_per_gib"] = slope
            self.report.verdict(
                "10",
                "flat: RSS slope ≤ 5 MiB per GiB of model (least squares)",
                f"{slope:+.1f} MiB per GiB",
                slope <= 5,
            )

    # -- case 11 ---------------------------------------------------------------------
    def case_download(self, size: int, reps: int) -> None:
        print(f"case 11: download --extract of a {size // MIB} MiB artifact", flush=True)
        job, uri, artifact, files = self.compiled_job("dl", size)
        bucket, key = uri.removeprefix("s3://").split("/", 1)
        stem = key.rsplit("/", 1)[-1].removesuffix(".tar.gz")

        def check(dest: Path, extracted: Path, archive: bool = True) -> None:
            got = sum(1 for p in extracted.rglob("*") if p.is_file())
            kept = dest / f"{stem}.tar.gz"
            if got != files or (kept.stat().st_size != artifact if archive else kept.exists()):
                raise SystemExit(f"bench: {dest}: {got} files extracted, expected {files}; archive: {kept.exists()}")
            shutil.rmtree(dest)

        def neoctl(*flags: str) -> Callable[[int], Run]:
            def step(_rep: int) -> Run:
                dest = self.lab.tmp(".dl")
                run = self.lab.run([str(self.lab.neoctl), "download", job, "--to", str(dest), "--extract", *flags])[0]
                check(dest, dest / stem, archive=bool(flags))
                return run

            return step

        def peer(_rep: int) -> Run:
            dest = self.lab.tmp(".dl")
            script = self.lab.tmp(".sh")
            script.write_text(
                "set -e\n"
                f"'{self.lab.aws}' s3 cp --only-show-errors '{uri}' '{dest}/{stem}.tar.gz'\n"
                f"mkdir '{dest}/{stem}'\n"
                f"tar xzf '{dest}/{stem}.tar.gz' -C '{dest}/{stem}'\n"
            )
            run = self.lab.run(["bash", str(script)])[0]
            check(dest, dest / stem)
            return run

        def floor(_rep: int) -> Run:
            dest = self.lab.tmp(".get")
            run = self.lab.run(self.curl("-o", str(dest), f"{self.lab.url}/{bucket}/{key}"))[0]
            if dest.stat().st_size != artifact:
                raise SystemExit(f"bench: curl got {dest.stat().st_size} bytes, expected {artifact}")
            dest.unlink()
            return run

        neo_label = f"neoctl download JOB --to DIR --extract ({artifact / MIB:.0f} MiB artifact; the tree only)"
        keep_label = "neoctl download JOB --to DIR --extract --keep-archive (the tree and the archive, as the peer)"
        peer_label = "aws s3 cp + tar xzf"
        floor_label = "floor: curl GET of the artifact from the emulator (one request, no SDK, no extract)"
        steps = {neo_label: neoctl(), keep_label: neoctl("--keep-archive"), peer_label: peer, floor_label: floor}
        series = alternate(steps, reps, warmup=0)
        self.s3.delete_object(Bucket=bucket, Key=key)
        self.report.add(
            "11",
            series,
            {
                peer_label: "one bash script; RSS = largest of its processes",
                floor_label: "what the emulator (moto, in the harness's process) takes to send the bytes",
            },
        )
        n, a = series[neo_label], series[peer_label]
        self.report.verdict(
            "11",
            f"download --extract of a {artifact / MIB:.0f} MiB artifact ≤ 0.3× aws s3 cp + tar xzf",
            _ratios(n, a),
            n.wall_median() <= 0.3 * a.wall_median(),
        )
        self.report.note(
            "11",
            f"artifact {artifact} bytes ({files} files, {size * 1.0 / 0.92 / MIB:.0f} MiB extracted); "
            f"neoctl: {_rate(artifact, n)}; peer: {_rate(artifact, a)} (of the archive); "
            f"neoctl --keep-archive (writes what the peer writes): {_ratios(series[keep_label], a)}",
        )

    def compiled_job(self, tag: str, size: int) -> tuple[str, str, int, int]:
        """A seeded COMPLETED job whose S3ModelArtifacts holds a ~`size`-byte artifact
        (`make_compiled` packed with `tar czf`): (job, S3 URI, artifact bytes, its files)."""
        # Weights compress to ~92%: a compiled model of size/0.92 gives an artifact of ~size.
        compiled = self.model("compiled", int(size / 0.92), make_compiled)
        archive = self.lab.tmp(".tar.gz")
        run_once(["tar", "czf", str(archive), "-C", str(compiled), "."], self.lab.env)
        files = sum(1 for p in compiled.rglob("*") if p.is_file())
        shutil.rmtree(compiled)
        job = f"bench-{tag}-{next(self.n)}"
        self.seed_completed(job)
        uri = self.sm.describe_compilation_job(CompilationJobName=job)["ModelArtifacts"]["S3ModelArtifacts"]
        bucket, key = uri.removeprefix("s3://").split("/", 1)
        self.s3.upload_file(str(archive), bucket, key)
        artifact = archive.stat().st_size
        archive.unlink()
        return job, uri, artifact, files

    def seed_completed(self, name: str) -> None:
        """A COMPLETED job straight into moto (no emulator lifecycle plan, so the emulator
        never writes its own small artifact over the one the bench puts there)."""
        from neoctl.testing.runtime import STATE_LOCK

        with STATE_LOCK:
            self.lab.backend().create_compilation_job(
                compilation_job_name=name,
                role_arn=ROLE,
                output_config={"S3OutputLocation": f"s3://{BUCKET}/bench-dl/{name}/", "TargetDevice": "ml_c5"},
                stopping_condition={"MaxRuntimeInSeconds": 900},
                model_package_version_arn=None,
                input_config={
                    "S3Uri": f"s3://{BUCKET}/models/model.tar.gz",
                    "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
                    "Framework": "PYTORCH",
                    "FrameworkVersion": "2.0",
                },
                vpc_config=None,
                tags=None,
            )

    # -- case 12 ---------------------------------------------------------------------
    def case_throughput(self, size: int, reps: int) -> None:
        print(f"case 12: pack throughput of a {size // MIB} MiB model vs reading it", flush=True)
        model_dir = self.model("throughput", size)
        total = model_bytes(model_dir)
        files = sorted(str(p) for p in model_dir.rglob("*") if p.is_file())
        weights = str(model_dir / "model.pth")
        spec = model_spec(self.lab.tmp(".yaml"), f"bench-tp-dry-{next(self.n)}", model_dir, f"s3://{BUCKET}/tp/")
        cat_label = "cat files > /dev/null (page cache warm)"
        direct_label = "dd iflag=direct model.pth (page cache bypassed)"
        dry_label = f"neoctl create --dry-run ({size // MIB} MiB model)"
        create_label = f"neoctl create: pack + upload + create ({size // MIB} MiB model)"
        steps: dict[str, Callable[[int], Run]] = {
            cat_label: self.lab.step(["cat", *files]),
            dry_label: self.lab.step([str(self.lab.neoctl), "create", "--dry-run", "-f", str(spec)]),
            create_label: self.neoctl_create(model_dir, size, "tp"),
        }
        direct = ["dd", f"if={weights}", "of=/dev/null", "bs=8M", "iflag=direct"]
        if run_once(direct, self.lab.env, check=False).rc == 0:
            steps[direct_label] = self.lab.step(direct)
        else:
            self.report.note("12", "O_DIRECT reads are not supported here: no cache-bypassing disk figure")
        run_once(["cat", *files], self.lab.env)  # the warm-up: every byte in the page cache
        series = alternate(steps, reps, warmup=0)
        self.report.add("12", series)
        cat = series[cat_label]
        for label in (dry_label, create_label):
            s = series[label]
            self.report.verdict(
                "12",
                f"{label.split(' (')[0]}: throughput vs warm disk read",
                f"{_rate(total, s)} vs {_rate(total, cat)} ({cat.wall_median() / s.wall_median():.3f}×)",
                None,
            )
        if direct_label in series:
            d = series[direct_label]
            self.report.note("12", f"cold-ish disk (O_DIRECT, weights file only): {_rate(total, d)}")
        self.report.note(
            "12",
            "caches cannot be dropped here (/proc/sys/vm/drop_caches is not writable), so the model is read "
            "warm by every command; MB = 10^6 bytes",
        )
        shutil.rmtree(model_dir)

    # -- case 13 ---------------------------------------------------------------------
    def case_repack(self, size: int, reps: int) -> None:
        """deploy --code: the compiled archive repacked with a code folder, S3 → S3."""
        print(f"case 13: deploy --code (repack S3 → S3) of a {size // MIB} MiB artifact", flush=True)
        job, uri, artifact, files = self.compiled_job("rp", size)
        bucket, key = uri.removeprefix("s3://").split("/", 1)
        code = make_code(self.lab.work / f"code-{next(self.n)}")
        entry = code / ENTRY_POINT

        def deploy(endpoint: str, *flags: str) -> list[str]:
            instance = ["--instance-type", "ml.c5.xlarge"]
            return [str(self.lab.neoctl), "deploy", job, "--endpoint", endpoint, *instance, *flags, "-o", "json"]

        # The warm-up: the deploy path's byte code and API-model checks, no repack (a plan only).
        self.lab.run(deploy("bench-repack-dry", "--code", str(code), "--dry-run"))

        def neoctl(_rep: int) -> Run:
            # One byte of the entry point differs on every run: a new digest, so a new key
            # (the repack is never skipped as done), a new model and a new endpoint.
            stamp = next(self.n)
            entry.write_text(code_text(stamp), encoding="utf-8")
            run, out = self.lab.run(deploy(f"bench-repack-e{stamp}", "--code", str(code), "--yes"), keep=True)
            assert out is not None
            result = json.loads(out.read_text(encoding="utf-8"))
            out.unlink()
            self.check_repacked(result, files, entry.read_bytes())
            return run

        def bare(_rep: int) -> Run:
            run, out = self.lab.run(deploy(f"bench-repack-b{next(self.n)}", "--yes"), keep=True)
            assert out is not None
            if json.loads(out.read_text(encoding="utf-8")).get("Action") != "CreateEndpoint":
                raise SystemExit(f"bench: deploy without --code did not create an endpoint: {out.read_text()}")
            out.unlink()
            return run

        def peer(_rep: int) -> Run:
            # What the SageMaker Python SDK's repack_model does, with the shell's tools.
            dest = self.lab.tmp(".repack")
            to = f"{key.removesuffix('.tar.gz')}-peer-{next(self.n)}.tar.gz"
            script = self.lab.tmp(".sh")
            script.write_text(
                "set -e\n"
                f"mkdir -p '{dest}/x'\n"
                f"'{self.lab.aws}' s3 cp --only-show-errors '{uri}' '{dest}/model.tar.gz'\n"
                f"tar xzf '{dest}/model.tar.gz' -C '{dest}/x'\n"
                f"cp -r '{code}' '{dest}/x/code'\n"
                f"tar czf '{dest}/repacked.tar.gz' -C '{dest}/x' .\n"
                f"'{self.lab.aws}' s3 cp --only-show-errors '{dest}/repacked.tar.gz' 's3://{bucket}/{to}'\n"
            )
            run = self.lab.run(["bash", str(script)])[0]
            got = self.s3.head_object(Bucket=bucket, Key=to)["ContentLength"]
            if got < artifact // 2 or not (dest / "x" / "code" / ENTRY_POINT).is_file():
                raise SystemExit(f"bench: the peer's repack s3://{bucket}/{to} is {got} bytes, or has no code/")
            self.s3.delete_object(Bucket=bucket, Key=to)
            shutil.rmtree(dest)
            return run

        def floor(_rep: int) -> Run:
            to = f"bench-floor/{next(self.n)}/repacked.tar.gz"
            get = shlex.join(self.curl(f"{self.lab.url}/{bucket}/{key}"))
            put = shlex.join(self.curl("-T", "-", f"{self.lab.url}/{bucket}/{to}"))
            pipe = f"set -o pipefail; {get} | {put}"  # curl -T -: a chunked PUT, as the bytes arrive
            run = self.lab.run(["bash", "-c", pipe])[0]
            got = self.s3.head_object(Bucket=bucket, Key=to)["ContentLength"]
            if got != artifact:
                raise SystemExit(f"bench: curl copied {got} bytes, expected {artifact}")
            self.s3.delete_object(Bucket=bucket, Key=to)
            return run

        neo_label = (
            f"neoctl deploy JOB --endpoint NEW --instance-type ml.c5.xlarge --code DIR --yes -o json "
            f"({artifact / MIB:.0f} MiB artifact; repack + CreateModel + CreateEndpointConfig + CreateEndpoint)"
        )
        bare_label = "neoctl deploy JOB --endpoint NEW --instance-type ml.c5.xlarge --yes -o json (no --code)"
        peer_label = "aws s3 cp + mkdir + tar xzf + cp -r DIR x/code + tar czf + aws s3 cp"
        floor_label = "floor: curl GET of the artifact piped into a curl PUT of the same bytes (no SDK, no repack)"
        steps: dict[str, Callable[[int], Run]] = {
            neo_label: neoctl,
            bare_label: bare,
            peer_label: peer,
            floor_label: floor,
        }
        series = alternate(steps, reps, warmup=0)
        self.s3.delete_object(Bucket=bucket, Key=key)
        shutil.rmtree(code)
        self.report.add(
            "13",
            series,
            {
                neo_label: "one byte of code/inference.py changed per run: a new key, so every run repacks",
                bare_label: "the deploy's own look-ups and creates; the first run also creates the model and config",
                peer_label: "one bash script, the SageMaker Python SDK's repack_model by hand; RSS = largest process",
                floor_label: "what the emulator (moto, in the harness's process) takes to send and receive the bytes",
            },
        )
        n, b, a, f = (series[label] for label in (neo_label, bare_label, peer_label, floor_label))
        repack = max(n.wall_median() - b.wall_median(), 1e-9)  # deploy --code minus deploy without it
        self.report.verdict(
            "13",
            f"deploy --code of a {artifact / MIB:.0f} MiB artifact ≤ 1.0× aws s3 cp + tar xzf + tar czf + aws s3 cp",
            _ratios(n, a),
            n.wall_median() <= a.wall_median(),
        )
        self.report.note(
            "13",
            f"artifact {artifact} bytes ({files} files); neoctl: {_rate(artifact, n)}; peer: {_rate(artifact, a)}; "
            f"floor: {_rate(artifact, f)} (of the compiled archive); neoctl vs the floor: {_ratios(n, f)}; "
            f"the repack alone (deploy --code minus deploy without it, medians): {ms(repack)}, "
            f"{artifact / repack / MB:.0f} MB/s",
        )

    def check_repacked(self, result: dict[str, Any], files: int, entry: bytes) -> None:
        """The deploy repacked and created an endpoint; the object it names holds the
        compiled files and code/ENTRY_POINT with these bytes. Then it is deleted (disk)."""
        repacked = result.get("Repacked")
        if result.get("Action") != "CreateEndpoint" or not isinstance(repacked, dict):
            raise SystemExit(f"bench: deploy --code did not repack and create an endpoint: {result}")
        bucket, key = str(result["ModelDataUrl"]).removeprefix("s3://").split("/", 1)
        head = self.s3.head_object(Bucket=bucket, Key=key)
        if head["ContentLength"] != repacked["Size"] or "neoctl-code-sha256" not in head.get("Metadata", {}):
            raise SystemExit(f"bench: s3://{bucket}/{key}: {head['ContentLength']} bytes, {head.get('Metadata')}")
        compiled, script = 0, None
        body = self.s3.get_object(Bucket=bucket, Key=key)["Body"]
        with tarfile.open(fileobj=body, mode="r|gz") as archive:
            for member in archive:
                name = member.name.removeprefix("./")
                if member.isreg() and name == f"code/{ENTRY_POINT}":
                    data = archive.extractfile(member)
                    script = data.read() if data is not None else None
                elif member.isreg() and not name.startswith("code/"):
                    compiled += 1
        if compiled != files or script != entry:
            said = f"{compiled} compiled files (expected {files}), code/{ENTRY_POINT} as written: {script == entry}"
            raise SystemExit(f"bench: s3://{bucket}/{key}: {said}")
        self.s3.delete_object(Bucket=bucket, Key=key)


def run_cases(lab: Lab, report: Report, cases: set[str], size: int, rss_sizes: list[int], big: int, reps: int) -> None:
    """The cases asked for; 8 and 9 share one model; 11 and 13 make an artifact each."""
    models = Models(lab, report)
    # The warm-up: neoctl's API-model cache and both tools' byte code, cheaply (a warm-up
    # run of a big-model command would cost a minute; the page cache is warm anyway, each
    # model having just been written).
    lab.run([str(lab.neoctl), "list", "-o", "json"])
    lab.run([str(lab.aws), "sagemaker", "list-compilation-jobs"])
    if cases & {"8", "9"}:
        model_dir = models.model("create", size)
        if "8" in cases:
            models.case_create(model_dir, size, reps)
        if "9" in cases:
            models.case_dry_run(model_dir, size, reps)
        shutil.rmtree(model_dir)
    if "10" in cases:
        models.case_rss(rss_sizes)
    if "11" in cases:
        models.case_download(size, reps)
    if "12" in cases:
        models.case_throughput(big, max(1, reps // 3))
    if "13" in cases:
        models.case_repack(size, reps)


def _ratios(a: Series, b: Series) -> str:
    ma, mb = a.wall_median(), b.wall_median()
    return f"{ma / mb:.2f}× ({ms(ma)} vs {ms(mb)}; fastest runs: {min(a.walls) / min(b.walls):.2f}×)"


def _rate(total: int, series: Series) -> str:
    return f"{total / series.wall_median() / MB:.0f} MB/s"


def _slope(points: list[tuple[float, float]]) -> float:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else 0.0
