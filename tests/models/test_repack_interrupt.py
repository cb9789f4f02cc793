"""Ctrl-C during deploy --code's repack ends at once, even while the compiled archive's
GetObject is stalled (the repack reads it in the upload's producer thread, which a
cancelled upload used to wait for until the read timed out: up to 60 s)."""

from __future__ import annotations

import gzip
import io
import os
import random
import signal
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MIB = 1024 * 1024
# A process of its own: a real SIGINT (interrupt_main cannot wake a thread blocked on a lock).
SCRIPT = """
import sys
from neoctl.api.session import AwsOptions
from neoctl.errors import Interrupted
from neoctl.models.code import open_code
from neoctl.models.repack import repack_artifact
try:
    repack_artifact(AwsOptions(region="us-east-1"), ("models", "compiled/model.tar.gz", sys.argv[2]),
                    open_code(sys.argv[1]), "compiled/model-code.tar.gz")
except Interrupted as exc:
    print(exc.message)
    sys.exit(130)
"""


def _compiled() -> bytes:
    weights = random.Random(1).randbytes(4 * MIB)
    plain = io.BytesIO()
    with tarfile.open(fileobj=plain, mode="w") as archive:
        info = tarfile.TarInfo("compiled.params")
        info.size = len(weights)
        archive.addfile(info, io.BytesIO(weights))
    return gzip.compress(plain.getvalue(), compresslevel=1)


def test_ctrl_c_while_the_compiled_archive_stalls_ends_within_seconds(
    flaky_s3: Callable[..., Any], tmp_path: Path
) -> None:
    released = threading.Event()
    stub = flaky_s3(_compiled(), lambda number, start: ("stall", MIB, released))  # 1 MiB, then nothing
    folder = tmp_path / "code"
    folder.mkdir()
    (folder / "inference.py").write_text("def model_fn(model_dir):\n    return None\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")} | {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL": stub.url,
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(folder), stub.etag], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while not stub.requests:  # the GET was made; its body stalls after 1 MiB
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.5)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
        took = time.monotonic() - started
    finally:
        released.set()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, out
    assert "interrupted while repacking the compiled model" in out
    assert took < 8, f"Ctrl-C took {took:.1f} s to end the repack"
