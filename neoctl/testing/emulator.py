"""The Emulator: moto's server mode on loopback, with neoctl's SageMaker extensions."""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import Any

import boto3
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.moto_api._internal.models import moto_api_backend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.sagemaker.models import sagemaker_backends
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from neoctl.testing import endpoints, moto_pin, patches
from neoctl.testing.faults import FaultPlan
from neoctl.testing.middleware import EmulatorMiddleware
from neoctl.testing.requests import RequestLog
from neoctl.testing.runtime import STATE_LOCK, EmulatorSettings

LOOPBACK = "127.0.0.1"


class _QuietRequestHandler(WSGIRequestHandler):
    # One access-log line per SDK call drowns test output and the CLI's banner.
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class Emulator:
    """A local SageMaker (plus its runtime, S3, IAM, CloudWatch and CloudWatch Logs) on
    http://127.0.0.1:<port>.

    It starts as an account that holds what examples/ name (neoctl.testing.seed: the
    role SageMakerNeoRole and the model objects), so create's pre-flight passes.

    Compilation jobs take `job_seconds` to finish (STARTING, INPROGRESS, then
    COMPLETED); a job's tags can override that (``neoctl-emulator:duration``) or
    make it fail (``neoctl-emulator:fail`` = FailureReason). Stopping a job and
    finishing an endpoint update take `transition_seconds`. The waits an UpdateEndpoint's
    DeploymentConfig asks for (bakes, termination waits, its time limit) are multiplied by
    `deployment_time_scale`: at 0.01 a 600 s bake lasts 6 s.

    Limitation: moto keeps its state in process-wide globals, so emulators that
    run at the same time in one process share jobs, endpoints and buckets, and
    `reset()` on one clears them all. Each emulator keeps its own port, timings
    and injected faults. Emulators run one after another are independent as long
    as `reset()` is called in between. The patches to moto's classes stay
    installed for the life of the process but act only on requests that reach
    an emulator's server; moto's in-process mocks (mock_aws) keep stock behaviour.
    """

    def __init__(
        self,
        port: int = 0,
        job_seconds: float = 3.0,
        *,
        transition_seconds: float = 1.0,
        deployment_time_scale: float = 0.01,
        seeded: bool = True,
    ) -> None:
        if job_seconds < 0 or transition_seconds < 0 or deployment_time_scale < 0:
            raise ValueError("job_seconds, transition_seconds and deployment_time_scale must be >= 0")
        self._requested_port = port
        self.settings = EmulatorSettings(
            job_seconds=job_seconds,
            transition_seconds=transition_seconds,
            deployment_time_scale=deployment_time_scale,
        )
        self._faults = FaultPlan()
        self.requests = RequestLog()  # calls that reached this emulator, by service.Operation
        self.seeded = seeded  # start (and reset) with neoctl.testing.seed's role, buckets and objects
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Emulator:
        """Bind 127.0.0.1 and serve in a background thread; raises OSError if the port is taken.

        Warns (MotoVersionWarning) when the installed moto is not the pinned one."""
        if self._server is not None:
            return self
        moto_pin.warn_if_unpinned()
        patches.install()
        app = EmulatorMiddleware(
            DomainDispatcherApplication(create_backend_app), self.settings, self._faults, self.requests
        )
        # Not moto's ThreadedMotoServer: it binds inside its thread, where
        # werkzeug answers a taken port with sys.exit(1), so start() would hang.
        # Binding here first turns that into an OSError for the caller.
        listener = socket.create_server((LOOPBACK, self._requested_port))
        try:
            server = make_server(
                LOOPBACK,
                self._requested_port,
                app,
                threaded=True,
                request_handler=_QuietRequestHandler,
                fd=listener.fileno(),
            )
        finally:
            listener.close()  # werkzeug serves from its own duplicate of the socket
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"neoctl-emulator-{server.port}",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread
        if self.seeded:
            self._seed()
        self.requests.clear()
        return self

    def _seed(self) -> None:
        from neoctl.testing.seed import seed

        seed(self.client)

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        if thread is not None:
            thread.join()
        server.server_close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    def _require_server(self) -> BaseWSGIServer:
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._server

    @property
    def port(self) -> int:
        return self._require_server().port

    @property
    def address(self) -> tuple[str, int]:
        """The address the listening socket is bound to, as the OS reports it."""
        host, port = self._require_server().socket.getsockname()[:2]
        return str(host), int(port)

    @property
    def endpoint_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def client(self, service: str, region: str = "us-east-1", **kwargs: Any) -> Any:
        """A boto3 client for `service` aimed at this emulator, with dummy credentials."""
        kwargs.setdefault("aws_access_key_id", "testing")
        kwargs.setdefault("aws_secret_access_key", "testing")
        return boto3.client(service, endpoint_url=self.endpoint_url, region_name=region, **kwargs)

    def reset(self) -> None:
        """Forget every resource (in all of moto, see the class docstring) and all faults;
        then seed the default account again (unless seeded=False)."""
        self.clear_faults()
        with STATE_LOCK:
            moto_api_backend.reset()
        if self.seeded:
            self._seed()
        self.requests.clear()

    def inject_fault(self, action: str | None, kind: str, count: int = 1) -> None:
        """Make the next `count` SageMaker requests for `action` (None: any action) fail;
        sagemaker-runtime's InvokeEndpoint counts as one, named "InvokeEndpoint".

        kind: "throttle" (HTTP 400 ThrottlingException), "500" (InternalFailure),
        "503" (ServiceUnavailable) or "slow:<seconds>" (answer normally, late).
        Faults are consumed in the order they were injected.
        """
        self._faults.add(action, kind, count)

    def clear_faults(self) -> None:
        self._faults.clear()

    def pending_faults(self) -> int:
        """How many injected faults have not hit a request yet."""
        return self._faults.remaining()

    def add_completed_jobs(
        self,
        names: list[str],
        targets: tuple[str, ...] = ("ml_c5",),
        region: str = "us-east-1",
        account_id: str = DEFAULT_ACCOUNT_ID,
    ) -> None:
        """Put COMPLETED PyTorch jobs named `names` straight into moto's backend (the i-th
        for targets[i % len]): thousands in a second, where one CreateCompilationJob each
        takes ~15 ms. They carry no emulator lifecycle plan, so the emulator reports moto's
        own fields for them (COMPLETED): listing them is the same work for any client.

        Works on the in-process backend, so only for an emulator in this process."""
        from neoctl.testing.seed import ROLE_ARN

        backend = sagemaker_backends[account_id][region]
        with STATE_LOCK:
            for i, name in enumerate(names):
                backend.create_compilation_job(
                    compilation_job_name=name,
                    role_arn=ROLE_ARN,
                    output_config={
                        "S3OutputLocation": "s3://my-bucket/compiled/",
                        "TargetDevice": targets[i % len(targets)],
                    },
                    stopping_condition={"MaxRuntimeInSeconds": 900},
                    model_package_version_arn=None,
                    input_config={
                        "S3Uri": "s3://my-bucket/models/resnet50/model.tar.gz",
                        "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
                        "Framework": "PYTORCH",
                        "FrameworkVersion": "2.0",
                    },
                    vpc_config=None,
                    tags=None,
                )

    def set_variant_instance_count(
        self,
        endpoint: str,
        variant: str,
        count: int,
        region: str = "us-east-1",
        account_id: str = DEFAULT_ACCOUNT_ID,
    ) -> None:
        """Change a variant's instance count as autoscaling would (desired and current).

        Works on the in-process backend, so only for an emulator in this process."""
        backend = sagemaker_backends[account_id][region]
        endpoints.set_variant_instance_count(backend, endpoint, variant, count)
