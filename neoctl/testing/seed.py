"""What the emulator's account holds from the start, as a real account would: the role
and the model objects that examples/, the demo and the tests name, so that create's
pre-flight finds them. Tests check that every model URI and role in examples/ is here."""

from __future__ import annotations

import io
import json
import tarfile
from typing import Any

ACCOUNT = "123456789012"  # moto's default account
ROLE = "SageMakerNeoRole"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE}"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
BUCKETS = ("my-bucket", "demo-models")
EXAMPLE_MODELS = (
    "bert-base",
    "churn",
    "efficientnet-b0",
    "faster-rcnn",
    "inception-v3",
    "mobilenet-v1",
    "mobilenet-v2",
    "resnet18",
    "resnet50",
    "siamese",
    "squeezenet",
    "ssd-mobilenet",
    "vgg16",
    "yolov3",
)
OBJECTS = (
    *(f"s3://my-bucket/models/{name}/model.tar.gz" for name in EXAMPLE_MODELS),
    "s3://demo-models/resnet50/model.tar.gz",
)


def _placeholder_archive() -> bytes:
    # A real (tiny) .tar.gz, so a compile "reads" something that untars.
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as archive:
        member = tarfile.TarInfo("model.pth")
        member.size = 4
        archive.addfile(member, io.BytesIO(b"\x00" * 4))
    return data.getvalue()


def seed(client: Any) -> None:
    """Create the role, buckets and objects through `client(service)` (an emulator's).

    Idempotent: emulators in one process share moto's state, so a second one finds
    the first one's seed."""
    from botocore.exceptions import ClientError

    iam = client("iam")
    try:
        iam.create_role(
            RoleName=ROLE,
            AssumeRolePolicyDocument=json.dumps(TRUST),
            Description="the role SageMaker Neo assumes in neoctl's examples",
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "EntityAlreadyExists":
            raise
    s3 = client("s3")
    for bucket in BUCKETS:
        s3.create_bucket(Bucket=bucket)  # re-creating your own bucket in us-east-1 succeeds
    body = _placeholder_archive()
    for uri in OBJECTS:
        bucket, _, key = uri[len("s3://") :].partition("/")
        s3.put_object(Bucket=bucket, Key=key, Body=body)
