"""The emulator's starting account holds what examples/ name, so the examples pass
create's pre-flight against it as they would against a real account set up for them."""

from __future__ import annotations

from pathlib import Path

from neoctl.models.s3uri import parse_s3_uri
from neoctl.spec.batch import load_batch
from neoctl.testing import seed

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_every_example_resource_is_seeded() -> None:
    batch = load_batch(sorted(str(p) for p in EXAMPLES.glob("*.yaml")))
    uploaded = {u.s3_uri for u in batch.uploads()}
    assert batch.jobs
    for job in batch.jobs:
        request = job.request
        assert request["RoleArn"] == seed.ROLE_ARN, job.name
        model = request["InputConfig"]["S3Uri"]
        assert model in uploaded or model in seed.OBJECTS, f"{job.name}: seed {model}"
        assert parse_s3_uri(model)[0] in seed.BUCKETS
        assert parse_s3_uri(request["OutputConfig"]["S3OutputLocation"])[0] in seed.BUCKETS


def test_the_seeded_account_passes_preflight_for_every_example(aim_neoctl_at) -> None:  # type: ignore[no-untyped-def]
    from neoctl.api.session import AwsOptions
    from neoctl.jobs.preflight import preflight
    from neoctl.testing import Emulator

    batch = load_batch(sorted(str(p) for p in EXAMPLES.glob("*.yaml")))
    with Emulator(job_seconds=0) as emulator:
        emulator.reset()
        aim_neoctl_at(emulator.endpoint_url)
        assert preflight(AwsOptions(region="us-east-1"), batch) == []
        emulator.reset()
