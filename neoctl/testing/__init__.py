"""A local SageMaker emulator for tests and demos: moto's server mode on 127.0.0.1
with the compilation-job lifecycle, StopCompilationJob, UpdateEndpoint and fault
injection that moto lacks. Needs the `emulator` extra (moto[server]).

    with Emulator(job_seconds=1.0) as emulator:
        sagemaker = emulator.client("sagemaker")

Run it standalone with ``python -m neoctl.testing --port 0``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neoctl.testing.compilation_lifecycle import DURATION_TAG, FAIL_TAG
    from neoctl.testing.emulator import Emulator
    from neoctl.testing.job_logs import LOG_GROUP

__all__ = ["DURATION_TAG", "FAIL_TAG", "LOG_GROUP", "Emulator"]

# Loaded on first use, not here: `python -m neoctl.testing` imports this package
# before its __main__, and must still run without moto to say how to install it.
_HOMES = {
    "DURATION_TAG": "neoctl.testing.compilation_lifecycle",
    "FAIL_TAG": "neoctl.testing.compilation_lifecycle",
    "Emulator": "neoctl.testing.emulator",
    "LOG_GROUP": "neoctl.testing.job_logs",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
