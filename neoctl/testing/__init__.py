"""A local SageMaker emulator for tests and demos: moto's server mode on 127.0.0.1
with the compilation-job lifecycle, StopCompilationJob, phased endpoint deployments
(UpdateEndpoint's DeploymentConfig, alarm-driven rollback), InvokeEndpoint, endpoint
logs and fault injection that moto lacks. Needs the `emulator` extra (moto[server]).

    with Emulator(job_seconds=1.0) as emulator:
        sagemaker = emulator.client("sagemaker")

Run it standalone with ``python -m neoctl.testing --port 0``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neoctl.testing.compilation_lifecycle import DURATION_TAG, FAIL_TAG
    from neoctl.testing.deployments import FAIL_TAG as ENDPOINT_FAIL_TAG
    from neoctl.testing.deployments import FAILURE_KINDS, ROLLBACK_FAIL_TAG
    from neoctl.testing.emulator import Emulator
    from neoctl.testing.endpoint_logs import LOG_GROUP_PREFIX as ENDPOINT_LOG_GROUP_PREFIX
    from neoctl.testing.invocations import INVOKE_FAIL_TAG, INVOKE_LATENCY_TAG
    from neoctl.testing.job_logs import LOG_GROUP

__all__ = [
    "DURATION_TAG",
    "ENDPOINT_FAIL_TAG",
    "ENDPOINT_LOG_GROUP_PREFIX",
    "FAILURE_KINDS",
    "FAIL_TAG",
    "INVOKE_FAIL_TAG",
    "INVOKE_LATENCY_TAG",
    "LOG_GROUP",
    "ROLLBACK_FAIL_TAG",
    "Emulator",
]

# Loaded on first use, not here: `python -m neoctl.testing` imports this package
# before its __main__, and must still run without moto to say how to install it.
_HOMES = {
    "DURATION_TAG": ("neoctl.testing.compilation_lifecycle", "DURATION_TAG"),
    "ENDPOINT_FAIL_TAG": ("neoctl.testing.deployments", "FAIL_TAG"),
    "ENDPOINT_LOG_GROUP_PREFIX": ("neoctl.testing.endpoint_logs", "LOG_GROUP_PREFIX"),
    "FAILURE_KINDS": ("neoctl.testing.deployments", "FAILURE_KINDS"),
    "FAIL_TAG": ("neoctl.testing.compilation_lifecycle", "FAIL_TAG"),
    "INVOKE_FAIL_TAG": ("neoctl.testing.invocations", "INVOKE_FAIL_TAG"),
    "INVOKE_LATENCY_TAG": ("neoctl.testing.invocations", "INVOKE_LATENCY_TAG"),
    "LOG_GROUP": ("neoctl.testing.job_logs", "LOG_GROUP"),
    "ROLLBACK_FAIL_TAG": ("neoctl.testing.deployments", "ROLLBACK_FAIL_TAG"),
    "Emulator": ("neoctl.testing.emulator", "Emulator"),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home[0]), home[1])
    globals()[name] = value
    return value
