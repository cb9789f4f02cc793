"""Floors under `neoctl list`: what any Python CLI must pay to list jobs from the emulator.

    python bench/floors.py raw-list        # HTTP + JSON only: the emulator's own time
    python bench/floors.py botocore-client # import botocore, create the SageMaker client
    python bench/floors.py botocore-list   # ...and page through every job, print JSON

Each runs as its own process under the benchmark's measurement, so the difference
between two rungs is the cost of one layer. Needs the AWS_* variables the harness sets.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.parse
from http.client import HTTPConnection
from typing import Any

# The emulator reads the region from the credential scope; it checks no signature.
AUTH = "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=0"


def raw_list() -> None:
    url = urllib.parse.urlsplit(os.environ["AWS_ENDPOINT_URL"])
    assert url.hostname == "127.0.0.1", url
    conn = HTTPConnection(url.hostname, url.port)
    jobs: list[Any] = []
    token = None
    while True:
        body: dict[str, Any] = {"MaxResults": 100}
        if token:
            body["NextToken"] = token
        conn.request(
            "POST",
            "/",
            json.dumps(body),
            {
                "X-Amz-Target": "SageMaker.ListCompilationJobs",
                "Content-Type": "application/x-amz-json-1.1",
                "Authorization": AUTH,
            },
        )
        page = json.loads(conn.getresponse().read())
        jobs += page["CompilationJobSummaries"]
        token = page.get("NextToken")
        if not token:
            break
    json.dump({"CompilationJobSummaries": jobs}, sys.stdout, indent=4)


def botocore_client() -> Any:
    import botocore.session

    return botocore.session.get_session().create_client("sagemaker", region_name="us-east-1")


def botocore_list() -> None:
    result = botocore_client().get_paginator("list_compilation_jobs").paginate().build_full_result()
    json.dump(result, sys.stdout, indent=4, default=str)


if __name__ == "__main__":
    {"raw-list": raw_list, "botocore-client": botocore_client, "botocore-list": botocore_list}[sys.argv[1]]()
