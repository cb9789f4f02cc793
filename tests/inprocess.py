"""`neoctl ARGS` run inside the test process, as the console script would run it.

A subprocess costs an interpreter, boto3's imports and botocore's models on every call
(~0.3-0.7 s of CPU on the project's 2-core machine); here they are paid once per test
worker. What a user sees is the same: `neoctl.cli.main.run()` is the console script's
entry point, with its own argv, environment, working directory and standard streams
(none of them a terminal, as under `subprocess.run(capture_output=True)`), and its exit
code taken from SystemExit.

What only a real process shows stays with subprocess runs (tests/e2e/test_sigterm.py,
test_exit_codes.py's closed pipes and descriptors, the imports of --help, Tab
completion, --debug's log handlers): `run(..., process=True)`, or every run at once
with NEOCTL_TESTS_SUBPROCESS=1 to prove the in-process runs say what the installed
command says.
"""

from __future__ import annotations

import gc
import io
import os
import signal
import sys
import time
from pathlib import Path

# What needs a process of its own: --debug installs logging handlers for the process.
PROCESS_ONLY_FLAGS = frozenset({"--debug"})


class _Kept(io.BytesIO):
    """A byte buffer that outlives its text wrapper (which closes it when collected)."""

    def close(self) -> None:
        pass


def wanted(args: list[str] | tuple[str, ...]) -> bool:
    """Whether these arguments can run in-process (NEOCTL_TESTS_SUBPROCESS=1: never)."""
    if os.environ.get("NEOCTL_TESTS_SUBPROCESS") == "1":
        return False
    return not PROCESS_ONLY_FLAGS.intersection(args)


def run(
    args: list[str] | tuple[str, ...], env: dict[str, str], cwd: Path | None = None, stdin: str | None = None
) -> tuple[int, str, str, float]:
    """(exit code, stdout, stderr, seconds) of `neoctl ARGS` run in this process."""
    from neoctl.api import session
    from neoctl.cli import main, state

    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    saved_argv = sys.argv
    saved_sigterm = signal.getsignal(signal.SIGTERM)
    out, err = _Kept(), _Kept()
    code = 0
    start = time.perf_counter()
    try:
        os.environ.clear()
        os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        sys.argv = ["neoctl", *args]
        sys.stdin = io.TextIOWrapper(io.BytesIO((stdin or "").encode()), encoding="utf-8")
        sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
        sys.stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
        session._session.cache_clear()  # a client per environment, as a new process would make
        session.client.cache_clear()
        state._debug = state._terminated = False
        try:
            main.run()
        except SystemExit as exc:
            if exc.code is None:
                code = 0
            elif isinstance(exc.code, int):
                code = exc.code
            else:  # Python prints a string exit "code" and exits 1
                sys.stderr.write(f"{exc.code}\n")
                code = 1
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        seconds = time.perf_counter() - start
        gc.unfreeze()  # run() freezes the heap for the interpreter's teardown
        signal.signal(signal.SIGTERM, saved_sigterm)
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        sys.argv = saved_argv
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        session._session.cache_clear()
        session.client.cache_clear()
    return code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace"), seconds
