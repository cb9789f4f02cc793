"""`neoctl download` through the installed CLI against the emulator, and the `.part` rule."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
import signal
import subprocess
import tarfile
import threading
import time
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest

from neoctl.api.s3download import download_file
from neoctl.api.session import AwsOptions
from neoctl.testing import DURATION_TAG, FAIL_TAG, Emulator

from .conftest import NEOCTL, run, spec

ARTIFACT = "s3://demo-models/compiled/model-ml_c5.tar.gz"  # what the emulator names it


@dataclass
class Artifact:
    """A COMPLETED job and its compiled model in the emulator's S3 (at ARTIFACT)."""

    job: str
    emulator: Emulator

    def stored(self) -> bytes:
        bucket, key = ARTIFACT.removeprefix("s3://").split("/", 1)
        return bytes(self.emulator.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())

    def replace(self, body: bytes) -> None:
        """Put other bytes where the job's artifact is (a hostile or a big archive)."""
        bucket, key = ARTIFACT.removeprefix("s3://").split("/", 1)
        self.emulator.client("s3").put_object(Bucket=bucket, Key=key, Body=body)


@pytest.fixture
def artifact(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> Artifact:
    """A completed job created through `neoctl create`, with its artifact in S3."""
    res = run(["create", "-f", str(spec(tmp_path, "dl-job", tags={DURATION_TAG: "0"}))], env)
    assert res.code == 0, res.stderr
    return Artifact("dl-job", clean_emulator)


@pytest.mark.parametrize("keep", [False, True], ids=["tree-only", "keep-archive"])
def test_download_and_extract(artifact: Artifact, env: dict[str, str], tmp_path: Path, keep: bool) -> None:
    target = tmp_path / "out" / "nested"
    flags = ["--keep-archive"] if keep else []
    res = run(["download", artifact.job, "--to", str(target), "--extract", *flags, "-o", "json"], env)
    assert res.code == 0, res.stderr
    archive = target / "model-ml_c5.tar.gz"
    expected = artifact.stored()
    # The archive's size and digest are reported whether or not it is written.
    assert res.json() == {
        "CompilationJobName": artifact.job,
        "S3Uri": ARTIFACT,
        **({"Path": str(archive)} if keep else {}),
        "Size": len(expected),
        "Sha256": hashlib.sha256(expected).hexdigest(),
        "Verified": "md5 (ETag)",  # a single-part object: its ETag is its MD5
        "ExtractedTo": str(target / "model-ml_c5"),
        "Files": 1,
    }
    manifest = json.loads((target / "model-ml_c5" / "compiled_model.json").read_text())
    assert manifest["CompilationJobName"] == artifact.job
    if keep:
        assert archive.read_bytes() == expected
        assert sorted(p.name for p in target.iterdir()) == ["model-ml_c5", "model-ml_c5.tar.gz"]  # no .part
    else:
        assert [p.name for p in target.iterdir()] == ["model-ml_c5"]  # no archive, no .part
    # Not a terminal: no bar, one line at the end.
    done = f"to {archive}" if keep else f"and extracted it into {target / 'model-ml_c5'}"
    assert res.stderr.count("\n") == 1 and res.stderr.startswith(f"downloaded {ARTIFACT} {done}")


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--keep-archive"], "--extract"),
        (["--extract", "--force"], "--keep-archive"),
    ],
)
def test_archive_flags_without_an_archive_to_act_on_are_usage_errors(
    artifact: Artifact, env: dict[str, str], tmp_path: Path, flags: list[str], says: str
) -> None:
    target = tmp_path / "out"
    requests = sum(artifact.emulator.requests.counts().values())
    res = run(["download", artifact.job, "--to", str(target), *flags], env)
    assert res.code == 2, res.stderr
    assert res.stderr.startswith("error: ") and says in res.stderr and "Traceback" not in res.stderr
    assert sum(artifact.emulator.requests.counts().values()) == requests  # nothing sent
    assert not target.exists()


def test_download_to_the_current_directory_as_a_table(artifact: Artifact, env: dict[str, str], tmp_path: Path) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    res = run(["download", artifact.job], env, cwd=work)
    assert res.code == 0, res.stderr
    assert (work / "model-ml_c5.tar.gz").read_bytes() == artifact.stored()
    assert "model-ml_c5.tar.gz" in res.stdout and "Sha256" in res.stdout
    # What the bytes were checked against, in the table and on the final line.
    assert re.search(r"Verified +md5 \(ETag\)", res.stdout), res.stdout
    assert res.stderr.rstrip().endswith("; md5 (ETag) verified)"), res.stderr


def _flipped(body: bytes) -> bytes:
    at = len(body) // 2
    return body[:at] + bytes([body[at] ^ 0x40]) + body[at + 1 :]


@pytest.mark.parametrize(
    "flags", [[], ["--extract"], ["--extract", "--keep-archive"]], ids=["download", "extract", "keep"]
)
def test_a_download_changed_in_transit_exits_255_and_leaves_nothing(
    artifact: Artifact,
    env: dict[str, str],
    tmp_path: Path,
    flaky_s3: Callable[[bytes, Callable[[int, int], Any]], Any],
    flags: list[str],
) -> None:
    # Issue 23: bytes changed between S3 and here were written, exit 0 (and with --extract a
    # botocore traceback name, or "not a readable tar archive" as if the job's archive were bad).
    body = artifact.stored()
    stub = flaky_s3(_flipped(body), lambda _n, _start: None)
    stub.etag = f'"{hashlib.md5(body).hexdigest()}"'  # the object's true ETag, other bytes
    target = tmp_path / "out"
    res = run(["download", artifact.job, "--to", str(target), *flags], env | {"AWS_ENDPOINT_URL_S3": stub.url})
    assert res.code == 255, res.stderr
    assert res.stderr.splitlines() == [
        f"error: the download of {ARTIFACT} was corrupted in transit: its md5 is "
        f"{hashlib.md5(_flipped(body)).hexdigest()}, S3 says {hashlib.md5(body).hexdigest()}; nothing was kept",
        "hint: run the command again; if it fails again, something between S3 and this machine "
        "(a proxy, a network device) alters the bytes",
    ]
    assert res.stdout == ""
    assert list(target.iterdir()) == []  # no archive, no .part, no tree, no temp directory


def test_existing_file_is_kept_unless_force(artifact: Artifact, env: dict[str, str], tmp_path: Path) -> None:
    archive = tmp_path / "model-ml_c5.tar.gz"
    archive.write_bytes(b"mine")
    before = artifact.emulator.requests.counts()["s3.GET object"]
    res = run(["download", artifact.job, "--to", str(tmp_path)], env)
    assert res.code == 252, res.stderr
    assert str(archive) in res.stderr and "--force" in res.stderr
    assert archive.read_bytes() == b"mine"
    assert artifact.emulator.requests.counts()["s3.GET object"] == before  # refused before the download
    assert not archive.with_name(archive.name + ".part").exists()
    res = run(["download", artifact.job, "--to", str(tmp_path), "--force"], env)
    assert res.code == 0, res.stderr
    assert archive.read_bytes() == artifact.stored()


def test_planted_part_symlink_is_refused_not_written_through(
    artifact: Artifact, env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "out"
    target.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (target / "model-ml_c5.tar.gz.part").symlink_to(victim)
    res = run(["download", artifact.job, "--to", str(target)], env)
    assert res.code == 252, res.stderr
    assert "model-ml_c5.tar.gz.part" in res.stderr and "not a regular file" in res.stderr
    assert victim.read_text() == "precious"
    assert (target / "model-ml_c5.tar.gz.part").is_symlink()  # left as found
    assert not (target / "model-ml_c5.tar.gz").exists()
    dangling = target / "model-ml_c5.tar.gz.part"
    dangling.unlink()
    dangling.symlink_to(tmp_path / "created-through-the-link")  # a link to nothing yet
    assert run(["download", artifact.job, "--to", str(target)], env).code == 252
    assert not (tmp_path / "created-through-the-link").exists()


def test_stale_regular_part_is_replaced(artifact: Artifact, env: dict[str, str], tmp_path: Path) -> None:
    keep = tmp_path / "other-name.bin"
    keep.write_bytes(b"another link to the same file")
    os.link(keep, tmp_path / "model-ml_c5.tar.gz.part")  # a hard link: unlinking the name must not touch `keep`
    res = run(["download", artifact.job, "--to", str(tmp_path)], env)
    assert res.code == 0, res.stderr
    assert (tmp_path / "model-ml_c5.tar.gz").read_bytes() == artifact.stored()
    assert keep.read_bytes() == b"another link to the same file"
    assert not (tmp_path / "model-ml_c5.tar.gz.part").exists()


def test_job_still_running_is_254_with_wait_hint(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    path = spec(tmp_path, "dl-slow", tags={DURATION_TAG: "600"})
    assert run(["create", "-f", str(path)], env).code == 0
    target = tmp_path / "never"
    res = run(["download", "dl-slow", "--to", str(target)], env)
    assert res.code == 254
    assert "compilation job dl-slow is" in res.stderr and "no compiled model" in res.stderr
    assert "neoctl wait dl-slow" in res.stderr
    assert not target.exists()


def test_failed_job_is_254_with_logs_hint(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    path = spec(tmp_path, "dl-failed", tags={DURATION_TAG: "0", FAIL_TAG: "ClientError: bad input"})
    assert run(["create", "-f", str(path)], env).code == 0
    res = run(["download", "dl-failed", "--to", str(tmp_path)], env)
    assert res.code == 254
    assert "is FAILED" in res.stderr and "neoctl logs dl-failed" in res.stderr


def test_unknown_job_is_254(clean_emulator: Emulator, env: dict[str, str], tmp_path: Path) -> None:
    res = run(["download", "no-such-job", "--to", str(tmp_path)], env)
    assert res.code == 254
    assert "no compilation job named no-such-job" in res.stderr


def test_taken_extract_directory_fails_before_downloading(
    artifact: Artifact, env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "out"
    (target / "model-ml_c5").mkdir(parents=True)
    (target / "model-ml_c5" / "mine.txt").write_text("keep")
    res = run(["download", artifact.job, "--to", str(target), "--extract"], env)
    assert res.code == 252
    assert "not empty" in res.stderr
    assert sorted(p.name for p in target.iterdir()) == ["model-ml_c5"]  # nothing downloaded


def _tar_gz(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_hostile_member_mid_stream_stops_the_download_and_keeps_nothing(
    artifact: Artifact, env: dict[str, str], tmp_path: Path
) -> None:
    # 6 MiB of data first, so the refusal comes while the archive is still arriving.
    artifact.replace(_tar_gz([("weights.bin", os.urandom(6 * 1024 * 1024)), ("../escaped.txt", b"owned")]))
    target = tmp_path / "out"
    res = run(["download", artifact.job, "--to", str(target), "--extract", "--keep-archive"], env)
    assert res.code == 252
    assert "'../escaped.txt'" in res.stderr and "path traversal" in res.stderr
    assert "nothing was downloaded or extracted (model-ml_c5.tar.gz was not kept)" in res.stderr
    assert not (tmp_path / "escaped.txt").exists()
    assert list(target.iterdir()) == []  # no archive, no .part, no temp directory, no tree


def test_corrupt_gzip_is_refused_and_nothing_kept(artifact: Artifact, env: dict[str, str], tmp_path: Path) -> None:
    good = _tar_gz([("model.bin", os.urandom(300_000))])
    artifact.replace(good[:-8] + bytes(b ^ 0xFF for b in good[-8:-4]) + good[-4:])  # a wrong CRC32 in the trailer
    target = tmp_path / "out"
    res = run(["download", artifact.job, "--to", str(target), "--extract"], env)
    assert res.code == 252, res.stderr
    assert "model-ml_c5.tar.gz is not a readable tar archive" in res.stderr
    assert "nothing was kept" in res.stderr
    assert list(target.iterdir()) == []


def test_streamed_extraction_of_a_weights_archive_matches_the_files(
    artifact: Artifact, env: dict[str, str], tmp_path: Path
) -> None:
    weights = array("f", (random.gauss(0, 0.02) for _ in range(1024 * 1024))).tobytes() * 3  # 12 MiB
    source = tmp_path / "model"
    (source / "sub").mkdir(parents=True)
    (source / "weights.bin").write_bytes(weights)
    (source / "sub" / "config.json").write_text('{"layers": 3}')
    os.link(source / "weights.bin", source / "sub" / "same-weights.bin")
    (source / "latest").symlink_to("weights.bin")
    subprocess.run(["tar", "czf", str(tmp_path / "a.tar.gz"), "-C", str(source), "."], check=True)
    body = (tmp_path / "a.tar.gz").read_bytes()
    artifact.replace(body)
    target = tmp_path / "out"
    res = run(["download", artifact.job, "--to", str(target), "--extract", "--keep-archive", "-o", "json"], env)
    assert res.code == 0, res.stderr
    assert res.json()["Sha256"] == hashlib.sha256(body).hexdigest() and res.json()["Size"] == len(body)
    assert res.json()["Files"] == 2  # the hard link counts as a link
    assert (target / "model-ml_c5.tar.gz").read_bytes() == body
    tree = target / "model-ml_c5"
    assert (tree / "weights.bin").read_bytes() == weights
    assert (tree / "sub" / "config.json").read_text() == '{"layers": 3}'
    assert os.stat(tree / "sub" / "same-weights.bin").st_ino == os.stat(tree / "weights.bin").st_ino
    assert os.readlink(tree / "latest") == "weights.bin"
    assert sorted(p.name for p in target.iterdir()) == ["model-ml_c5", "model-ml_c5.tar.gz"]


def test_download_to_a_read_only_mount_is_252_naming_the_path(
    artifact: Artifact, env: dict[str, str], tmp_path: Path
) -> None:
    mount = tmp_path / "ro"
    mount.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(mount)], check=True, capture_output=True
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a read-only tmpfs here (needs root and mount): {exc}")
    try:
        # --to below the mount (the folder cannot be made), the mount itself (no .part can be
        # made there; with --extract, no temp directory either, which is made first).
        cases = [
            (["--to", str(mount / "models")], str(mount / "models")),
            (["--to", str(mount)], str(mount / "model-ml_c5.tar.gz.part")),
            (["--to", str(mount), "--extract"], f"{mount}/.model-ml_c5."),
        ]
        for flags, named in cases:
            res = run(["download", artifact.job, *flags], env)
            assert res.code == 252, res.stderr
            error, *rest = res.stderr.splitlines()
            assert error.startswith("error: ") and named in error and error.endswith(": Read-only file system"), error
            assert [line for line in rest if not line.startswith("hint: ")] == []
        assert list(mount.iterdir()) == []
    finally:
        subprocess.run(["umount", str(mount)], check=False)


class _StallingS3(BaseHTTPRequestHandler):
    """Answers any GET of a 128 MiB object (a range of it, when asked: `download` without
    --extract fetches 16 MiB ranges in parallel), sends 2 MiB, then stalls."""

    release = threading.Event()
    SIZE = 128 * 1024 * 1024
    ranges: ClassVar[list[str]] = []  # the Range header of each GET

    def do_GET(self) -> None:
        self.ranges.append(self.headers.get("Range", ""))
        asked = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
        if asked is None:
            self.send_response(200)
            self.send_header("Content-Length", str(self.SIZE))
        else:
            start, end = int(asked[1]), min(int(asked[2]), self.SIZE - 1)
            self.send_response(206)
            self.send_header("Content-Length", str(end - start + 1))
            self.send_header("Content-Range", f"bytes {start}-{end}/{self.SIZE}")
        self.send_header("Content-Type", "application/x-gzip")
        self.send_header("ETag", '"0123456789abcdef0123456789abcdef"')
        self.end_headers()
        self.wfile.write(b"\0" * (2 * 1024 * 1024))
        self.wfile.flush()
        self.release.wait(30)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def stalling_s3(stub_server: Callable[[type[BaseHTTPRequestHandler]], str]) -> Iterator[str]:
    _StallingS3.release.clear()
    _StallingS3.ranges.clear()
    yield stub_server(_StallingS3)
    _StallingS3.release.set()  # before the server stops: its stalled threads end


@pytest.mark.parametrize(
    "flags", [[], ["--extract"], ["--extract", "--keep-archive"]], ids=["download", "extract", "extract-keep"]
)
@pytest.mark.parametrize(
    ("signum", "code"),
    # SIGTERM is what `timeout`, CI runners and `docker stop` send: treated as Ctrl-C, exit 143.
    [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
    ids=["ctrl-c", "sigterm"],
)
def test_interrupted_download_exits_130_or_143_and_leaves_no_file(
    artifact: Artifact,
    env: dict[str, str],
    tmp_path: Path,
    stalling_s3: str,
    flags: list[str],
    signum: signal.Signals,
    code: int,
) -> None:
    target = tmp_path / "out"
    part = target / "model-ml_c5.tar.gz.part"
    proc = subprocess.Popen(
        [NEOCTL, "download", artifact.job, "--to", str(target), *flags],
        env=env | {"AWS_ENDPOINT_URL_S3": stalling_s3},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Children of a shell without job control may inherit SIGINT ignored; Ctrl-C is not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 30
        # Without --extract, 4 ranges are in flight (each stalled) before the signal; with it,
        # the one stream (written to a .part only with --keep-archive).
        written = flags != ["--extract"]
        while not (
            ((part.exists() and part.stat().st_size >= 1024 * 1024) or not written)
            and len(_StallingS3.ranges) >= (4 - 3 * bool(flags))
        ):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the download never started"
            time.sleep(0.02)
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr
    assert "download interrupted" in stderr
    assert ("was not written" if written else "nothing was extracted") in stderr
    assert stdout == ""
    assert list(target.iterdir()) == []  # neither the file nor its .part (nor a temp directory)
    if not flags:
        assert sorted(_StallingS3.ranges)[:4] == [
            f"bytes={n * 16 * 2**20}-{(n + 1) * 16 * 2**20 - 1}" for n in range(4)
        ]


@pytest.mark.parametrize("flags", [["--extract"], []], ids=["extract", "ranges"])
def test_a_download_whose_connection_drops_midway_completes(
    artifact: Artifact,
    env: dict[str, str],
    tmp_path: Path,
    flaky_s3: Callable[[bytes, Callable[[int, int], Any]], Any],
    flags: list[str],
) -> None:
    # An archive of 70 MiB (ranged without --extract), served by an S3 that drops the first
    # connection after 5 MiB: the download goes on from there, the user sees no error.
    weights = random.Random(7).randbytes(70 * 1024 * 1024)
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz", compresslevel=1) as archive:
        info = tarfile.TarInfo("weights.bin")
        info.size = len(weights)
        archive.addfile(info, io.BytesIO(weights))
    body = packed.getvalue()
    stub = flaky_s3(body, lambda n, _start: ("cut", 5 * 1024 * 1024) if n == 0 else None)
    stub.etag = f'"{hashlib.md5(body).hexdigest()}"'  # as S3's: the MD5 of the bytes, which are checked
    target = tmp_path / "out"
    res = run(
        ["download", artifact.job, "--to", str(target), *flags, "-o", "json"], env | {"AWS_ENDPOINT_URL_S3": stub.url}
    )
    assert res.code == 0, res.stderr
    assert res.json()["Sha256"] == hashlib.sha256(body).hexdigest()
    if flags:
        assert (target / "model-ml_c5" / "weights.bin").read_bytes() == weights
    else:
        assert (target / "model-ml_c5.tar.gz").read_bytes() == body
    # The rest of what the cut GET asked for (the whole object, or the first 16 MiB range),
    # from the first missing byte, of the same version (If-Match).
    end = len(body) - 1 if flags else 16 * 1024 * 1024 - 1
    assert (f"bytes={5 * 1024 * 1024}-{end}", stub.etag) in stub.requests
    assert len(stub.requests) == (2 if flags else 5 + 1)  # ranges: 16+16+16+16+6 MiB, one resumed
    assert "Traceback" not in res.stderr and "error" not in res.stderr


def test_large_download_is_fetched_in_ranges_and_byte_identical(
    artifact: Artifact, env: dict[str, str], tmp_path: Path
) -> None:
    # 80 MiB: above RANGED_MIN (64 MiB), so 5 ranges of 16 MiB fetched in parallel.
    body = os.urandom(80 * 1024 * 1024 + 3)
    artifact.replace(body)
    before = artifact.emulator.requests.counts()["s3.GET object"]
    res = run(["download", artifact.job, "--to", str(tmp_path / "out"), "-o", "json"], env)
    assert res.code == 0, res.stderr
    assert artifact.emulator.requests.counts()["s3.GET object"] - before == 6
    archive = tmp_path / "out" / "model-ml_c5.tar.gz"
    assert res.json()["Sha256"] == hashlib.sha256(body).hexdigest() and res.json()["Size"] == len(body)
    assert archive.read_bytes() == body
    assert sorted(p.name for p in archive.parent.iterdir()) == ["model-ml_c5.tar.gz"]  # no .part


@pytest.fixture
def options(emulator: Emulator, aim_neoctl_at: Callable[[str], None]) -> AwsOptions:
    """neoctl's own client factory, in this process, aimed at the emulator."""
    aim_neoctl_at(emulator.endpoint_url)
    return AwsOptions(region="us-east-1", endpoint_url=emulator.endpoint_url)


class _InterruptAfter:
    """A progress reporter that raises KeyboardInterrupt after `limit` bytes, as Ctrl-C would."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.seen = 0

    def start(self, total: int | None) -> None:
        self.total = total

    def advance(self, amount: int) -> None:
        self.seen += amount
        if self.seen >= self.limit:
            raise KeyboardInterrupt


def test_interrupted_download_removes_the_part_and_keeps_the_old_file(
    clean_emulator: Emulator, options: AwsOptions, tmp_path: Path
) -> None:
    s3 = clean_emulator.client("s3")
    s3.create_bucket(Bucket="big")
    s3.put_object(Bucket="big", Key="model.tar.gz", Body=os.urandom(3 * 1024 * 1024 + 5))
    dest = tmp_path / "model.tar.gz"
    dest.write_bytes(b"previous complete download")
    progress = _InterruptAfter(limit=1024 * 1024)
    with pytest.raises(KeyboardInterrupt):
        download_file(options, "big", "model.tar.gz", dest, progress, overwrite=True)
    assert progress.seen >= 1024 * 1024 and progress.total == 3 * 1024 * 1024 + 5
    assert dest.read_bytes() == b"previous complete download"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.tar.gz"]  # no .part


def test_download_file_writes_the_whole_object(clean_emulator: Emulator, options: AwsOptions, tmp_path: Path) -> None:
    s3 = clean_emulator.client("s3")
    s3.create_bucket(Bucket="big")
    body = os.urandom(2 * 1024 * 1024 + 7)
    s3.put_object(Bucket="big", Key="m.tar.gz", Body=body)
    got = download_file(options, "big", "m.tar.gz", tmp_path / "m.tar.gz")
    assert got.size == len(body) and got.sha256 == hashlib.sha256(body).hexdigest()
    assert (tmp_path / "m.tar.gz").read_bytes() == body
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.tar.gz"]


def test_download_to_a_path_that_cannot_be_a_folder_is_252_naming_it(
    artifact: Artifact, env: dict[str, str], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    # --to naming the file itself is refused by the flag's check (usage, 2); below it, by the OS.
    for target, code in ((blocker, 2), (blocker / "below", 252)):
        res = run(["download", artifact.job, "--to", str(target)], env)
        assert res.code == code, res.stderr
        assert str(blocker) in res.stderr and "unexpected" not in res.stderr and "Traceback" not in res.stderr
