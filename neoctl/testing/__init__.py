"""A local SageMaker emulator for tests and demos: moto's server mode on 127.0.0.1
with the compilation-job lifecycle, StopCompilationJob, UpdateEndpoint and fault
injection that moto lacks. Needs the `emulator` extra (moto[server]).

    with Emulator(job_seconds=1.0) as emulator:
        sagemaker = emulator.client("sagemaker")

Run it standalone with ``python -m neoctl.testing --port 0``.
"""

from neoctl.testing.compilation_lifecycle import DURATION_TAG, FAIL_TAG
from neoctl.testing.emulator import Emulator
from neoctl.testing.job_logs import LOG_GROUP

__all__ = ["DURATION_TAG", "FAIL_TAG", "LOG_GROUP", "Emulator"]
