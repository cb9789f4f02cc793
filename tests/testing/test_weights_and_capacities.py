"""UpdateEndpointWeightsAndCapacities in the emulator: what an entry leaves out is kept,
as SageMaker keeps it (moto set it to None, and an invocation then failed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from neoctl.testing import Emulator

ROLE = "arn:aws:iam::123456789012:role/SageMakerNeoRole"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as emu:
        yield emu


def _endpoint(emu: Emulator, name: str) -> Any:
    sm = emu.client("sagemaker")
    sm.create_model(ModelName=f"{name}-m", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "x.example/img:1"})
    variant = {
        "VariantName": "main",
        "ModelName": f"{name}-m",
        "InitialInstanceCount": 1,
        "InstanceType": "ml.c5.xlarge",
        "InitialVariantWeight": 0.5,
    }
    sm.create_endpoint_config(EndpointConfigName=f"{name}-c", ProductionVariants=[variant])
    sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-c")
    return sm


def _variant(sm: Any, name: str) -> dict[str, Any]:
    variant: dict[str, Any] = sm.describe_endpoint(EndpointName=name)["ProductionVariants"][0]
    return variant


def test_a_count_alone_keeps_the_weight_and_invocations_still_answer(emulator: Emulator) -> None:
    sm = _endpoint(emulator, "scaled")
    sm.update_endpoint_weights_and_capacities(
        EndpointName="scaled", DesiredWeightsAndCapacities=[{"VariantName": "main", "DesiredInstanceCount": 3}]
    )
    variant = _variant(sm, "scaled")
    assert (variant["DesiredInstanceCount"], variant["CurrentInstanceCount"]) == (3, 3)
    assert (variant["DesiredWeight"], variant["CurrentWeight"]) == (0.5, 0.5)
    answer = emulator.client("sagemaker-runtime").invoke_endpoint(EndpointName="scaled", Body=b"{}")
    assert answer["InvokedProductionVariant"] == "main"


def test_a_weight_alone_keeps_the_count(emulator: Emulator) -> None:
    sm = _endpoint(emulator, "weighted")
    sm.update_endpoint_weights_and_capacities(
        EndpointName="weighted", DesiredWeightsAndCapacities=[{"VariantName": "main", "DesiredWeight": 2.0}]
    )
    variant = _variant(sm, "weighted")
    assert (variant["DesiredWeight"], variant["DesiredInstanceCount"]) == (2.0, 1)
