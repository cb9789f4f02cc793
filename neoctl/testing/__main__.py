"""`python -m neoctl.testing`: run the local SageMaker emulator in the foreground.

The endpoint URL is the first line on stdout, flushed at once, so a script can
read it while the server keeps running:

    python -m neoctl.testing --port 0 > emulator.url &
    until [ -s emulator.url ]; do sleep 0.1; done
    url=$(head -1 emulator.url)

(A plain `url=$(python -m neoctl.testing | head -1)` would wait for the server
to exit.) The human banner goes to stderr. SIGINT and SIGTERM stop the server
and exit 0. Without moto (the `emulator` extra) it prints one line saying how to
install it and exits 2; with a moto other than the pinned one it warns and runs.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import warnings
from types import FrameType

from neoctl.testing import moto_pin


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0-65535, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m neoctl.testing",
        description="Local SageMaker emulator (moto server mode) listening on 127.0.0.1 only.",
    )
    parser.add_argument("--port", type=_port, default=0, help="TCP port on 127.0.0.1; 0 picks a free one")
    parser.add_argument(
        "--job-seconds",
        type=_non_negative,
        default=3.0,
        help="how long a compilation job runs before COMPLETED (default 3)",
    )
    parser.add_argument(
        "--transition-seconds",
        type=_non_negative,
        default=1.0,
        help="how long STOPPING and endpoint Updating last (default 1)",
    )
    parser.add_argument(
        "--deployment-time-scale",
        type=_non_negative,
        default=0.01,
        help="multiplies the waits of an UpdateEndpoint DeploymentConfig (default 0.01: a 600 s bake lasts 6 s)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            # moto's own hint when flask is missing; the error below says it in one line.
            warnings.filterwarnings("ignore", "When using MotoServer", UserWarning)
            from neoctl.testing.emulator import Emulator
    except ImportError as exc:
        message = moto_pin.import_failure(exc)
        if message is None:
            raise
        print(message, file=sys.stderr)  # noqa: T201
        return 2
    warning = moto_pin.version_warning(moto_pin.installed_moto_version())
    if warning is not None:
        print(warning, file=sys.stderr, flush=True)  # noqa: T201
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    emulator = Emulator(
        port=args.port,
        job_seconds=args.job_seconds,
        transition_seconds=args.transition_seconds,
        deployment_time_scale=args.deployment_time_scale,
    )
    try:
        with warnings.catch_warnings():
            # Already said above, in one line rather than the warnings module's two.
            warnings.simplefilter("ignore", moto_pin.MotoVersionWarning)
            emulator.start()
    except OSError as exc:
        print(f"neoctl emulator: cannot listen on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)  # noqa: T201
        return 1
    try:
        print(emulator.endpoint_url, flush=True)  # noqa: T201
        print(  # noqa: T201
            f"neoctl emulator listening on {emulator.endpoint_url} (local SageMaker emulator, not AWS)",
            file=sys.stderr,
            flush=True,
        )
        # A timeout keeps the main thread responsive to signals on every platform.
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
