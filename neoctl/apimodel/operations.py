"""The SageMaker operations neoctl calls: the one list.

Two caches are derived from it: the constraints neoctl checks (neoctl.apimodel) and
the cut-down botocore model every SageMaker client is built from
(neoctl.api.slim_model). A client built without an operation has no method for it,
so tests/apimodel/test_operations.py scans neoctl's code for every SageMaker
operation it names and fails when one is missing here. Each cache is keyed by a
digest of this list and of the code that derives it, so adding a call (or changing
how a cache is derived) rebuilds the cache by itself: there is no number to bump.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SAGEMAKER = (
    "CreateCompilationJob",
    "DescribeCompilationJob",
    "ListCompilationJobs",
    "StopCompilationJob",
    "ListTrials",
    "DescribeEndpoint",
    "DescribeEndpointConfig",
    "UpdateEndpoint",
    "ListEndpoints",
    "ListEndpointConfigs",
    "CreateModel",
    "DescribeModel",
    "CreateEndpointConfig",
    "CreateEndpoint",
    "ListTags",
    "AddTags",
)


def cache_key(deriving_module: str) -> str:
    """12 hex digits naming a cache derived by the module at `deriving_module` from SAGEMAKER."""
    digest = hashlib.sha256(",".join(SAGEMAKER).encode())
    digest.update(Path(deriving_module).read_bytes())
    return digest.hexdigest()[:12]
