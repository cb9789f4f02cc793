"""Shared helpers: the installed `neoctl` run as a user runs it, unable to reach AWS."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import inprocess
import pytest


@dataclass(frozen=True)
class CliResult:
    """What one `neoctl` process did."""

    code: int
    stdout: str
    stderr: str
    seconds: float


class EndpointSink:
    """A loopback TCP port that records every connection made to it (and answers none)."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._server.close()


@pytest.fixture
def stub_server() -> Iterator[Callable[[type[BaseHTTPRequestHandler]], str]]:
    """Serve a test's own HTTP handler (an S3 that misbehaves on purpose) on 127.0.0.1,
    one thread per connection; `stub_server(Handler)` is its URL. Stopped after the test."""
    servers: list[ThreadingHTTPServer] = []

    def serve(handler: type[BaseHTTPRequestHandler]) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


# What a FlakyS3 does with one GET: None serves it, ("cut", n) sends n bytes of what was
# asked then drops the connection, ("stall", n, seconds or an Event) sends n bytes then
# waits that long (an Event: until it is set, 60 s at most),
# ("replaced",) answers 412 as S3 does once the object's ETag no longer matches If-Match.
Fault = tuple[Any, ...] | None


@dataclass
class FlakyS3:
    """An S3 holding one object (any key) whose connections fail as a test decides."""

    url: str
    etag: str
    requests: list[tuple[str, str]]  # (Range, If-Match) of each GET, in arrival order


@pytest.fixture
def flaky_s3(
    stub_server: Callable[[type[BaseHTTPRequestHandler]], str],
) -> Callable[[bytes, Callable[[int, int], Fault]], FlakyS3]:
    """`flaky_s3(body, fault)`: a stub S3 serving `body` (ranges too, If-Match checked),
    where `fault(n, start)` says what happens to the n-th GET (from 0), asked from `start`."""

    def make(body: bytes, fault: Callable[[int, int], Fault]) -> FlakyS3:
        lock = threading.Lock()
        stub = FlakyS3("", '"5d41402abc4b2a76b9719d911017c592"', [])

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                asked = self.headers.get("Range", "")
                with lock:
                    number = len(stub.requests)
                    stub.requests.append((asked, self.headers.get("If-Match", "")))
                ranged = re.fullmatch(r"bytes=(\d+)-(\d*)", asked)
                start = int(ranged[1]) if ranged else 0
                end = min(int(ranged[2]), len(body) - 1) if ranged and ranged[2] else len(body) - 1
                what = fault(number, start)
                if what == ("replaced",) or self.headers.get("If-Match", stub.etag) != stub.etag:
                    self._answer(412, b"<Error><Code>PreconditionFailed</Code></Error>")
                    return
                self.send_response(206 if ranged else 200)
                self.send_header("Content-Length", str(end - start + 1))
                if ranged:
                    self.send_header("Content-Range", f"bytes {start}-{end}/{len(body)}")
                self.send_header("ETag", stub.etag)
                self.end_headers()
                if what is None:
                    self.wfile.write(body[start : end + 1])
                    return
                self.wfile.write(body[start : start + what[1]])
                self.wfile.flush()
                if what[0] == "stall" and isinstance(what[2], threading.Event):
                    what[2].wait(60)
                elif what[0] == "stall":
                    time.sleep(what[2])
                self.close_connection = True  # the rest never comes

            def _answer(self, status: int, xml: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(xml)))
                self.end_headers()
                self.wfile.write(xml)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        stub.url = stub_server(Handler)
        return stub

    return make


@pytest.fixture(scope="session")
def endpoint_sink() -> Iterator[EndpointSink]:
    """Where AWS_ENDPOINT_URL points in offline tests: anything sent is counted. The
    corpus tests assert it stays at 0 for the whole session: a test that means to
    connect takes its own (own_endpoint_sink)."""
    sink = EndpointSink()
    yield sink
    sink.close()


@pytest.fixture
def own_endpoint_sink() -> Iterator[EndpointSink]:
    """A sink for one test, which may connect to it."""
    sink = EndpointSink()
    yield sink
    sink.close()


@pytest.fixture(scope="session")
def offline_env(tmp_path_factory: pytest.TempPathFactory, endpoint_sink: EndpointSink) -> dict[str, str]:
    """An environment with fake credentials, every endpoint at the sink, caches in tmp."""
    home = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "NEOCTL_"))}
    env.update(
        {
            "HOME": str(home),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "NEOCTL_CACHE_DIR": str(tmp_path_factory.mktemp("neoctl-cache")),
            "AWS_CONFIG_FILE": str(home / "no-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-credentials"),
            "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE",
            "AWS_SECRET_ACCESS_KEY": "fake-secret-for-tests",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": endpoint_sink.url,
            "AWS_ENDPOINT_URL_SAGEMAKER": endpoint_sink.url,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_MAX_ATTEMPTS": "1",
            "NO_COLOR": "1",
        }
    )
    return env


@pytest.fixture(scope="session")
def neoctl_bin() -> str:
    """The installed console script (next to this Python, else on PATH)."""
    beside = Path(sys.executable).with_name("neoctl")
    found = str(beside) if beside.exists() else shutil.which("neoctl")
    if found is None:
        pytest.fail("the `neoctl` command is not installed: pip install -e .")
    return found


Runner = Callable[..., CliResult]


@pytest.fixture(scope="session")
def offline_neoctl(neoctl_bin: str, offline_env: dict[str, str]) -> Runner:
    """Run `neoctl ARGS` offline in `cwd`: in this process (tests/inprocess.py), or as the
    installed command in a subprocess with `process=True` or Popen arguments (`preexec_fn`).
    In-process runs share the process's environment: call it from one thread at a time."""

    def run(*args: str, cwd: Path, timeout: float = 30, process: bool = False, **popen: Any) -> CliResult:
        if not process and not popen and inprocess.wanted(args):
            return CliResult(*inprocess.run(args, offline_env, cwd))
        start = time.perf_counter()
        proc = subprocess.run(
            [neoctl_bin, *args],
            cwd=cwd,
            env=offline_env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **popen,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start)

    # Derive the API model cache once, before parallel runs race to write it.
    warm = run("devices", "-o", "json", cwd=Path(offline_env["HOME"]))
    assert warm.code == 0, warm.stderr
    return run


_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "", None}
_real_getaddrinfo = socket.getaddrinfo


def _loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name not in _LOOPBACK_NAMES and not str(name).startswith("127."):
        raise OSError(f"test tried to reach {name!r}: tests talk to 127.0.0.1 only")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True, scope="session")
def _no_traffic_beyond_loopback() -> Iterator[None]:
    """Every name lookup in the test process must be loopback: a test that would reach AWS
    (a client without the emulator's endpoint) fails here instead of sending anything."""
    socket.getaddrinfo = _loopback_only
    yield
    socket.getaddrinfo = _real_getaddrinfo


@pytest.fixture
def aim_neoctl_at(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Callable[[str], None]]:
    """`aim_neoctl_at(url)`: neoctl's own client factory, in this process, talks to `url`
    (an emulator) with dummy credentials and none of the developer's AWS settings."""
    from neoctl.api import session

    def aim(url: str) -> None:
        for name in list(os.environ):
            if name.startswith("AWS_"):
                monkeypatch.delenv(name)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        # --endpoint-url is SageMaker's only: S3 goes where AWS_ENDPOINT_URL says, as for a user.
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        session._session.cache_clear()
        session.client.cache_clear()

    yield aim
    session._session.cache_clear()
    session.client.cache_clear()


# What `make check` leaves out: a test that starts an emulator, a stub server or a
# subprocess. Found from the fixtures a test asks for and the modules its file uses, so a
# new test is sorted without anyone remembering a marker.
_E2E_FIXTURES = frozenset(
    {
        "emulator",
        "clean_emulator",
        "env",
        "offline_neoctl",
        "neoctl_bin",
        "stub_server",
        "flaky_s3",
        "own_endpoint_sink",
    }
)
_E2E_MODULES = ("subprocess", "Emulator", "inprocess")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: starts an emulator, a stub server or a subprocess (not in `make check`)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        uses = set(getattr(item, "fixturenames", ()))
        if (
            "/e2e/" in item.nodeid.replace("\\", "/")
            or uses & _E2E_FIXTURES
            or any(name in vars(module) for name in _E2E_MODULES)
        ):
            item.add_marker(pytest.mark.e2e)
