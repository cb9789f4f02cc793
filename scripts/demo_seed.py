"""Seed the local emulator with what `make demo` shows besides compilation jobs:
an experiment with trials, and an endpoint with two configs (autoscaled to 3)."""

from __future__ import annotations

import sys

import boto3

ROLE = "arn:aws:iam::123456789012:role/SageMakerNeoRole"


def main(url: str) -> None:
    if not url.startswith("http://127.0.0.1:"):
        raise SystemExit("demo_seed only talks to the local emulator")
    sm = boto3.client(
        "sagemaker",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="emulator",
        aws_secret_access_key="emulator",
    )  # noqa: S106 (the emulator takes any key)
    sm.create_experiment(ExperimentName="resnet50-neo")
    for trial in ("resnet50-ml-c5-trial", "resnet50-jetson-trial"):
        sm.create_trial(TrialName=trial, ExperimentName="resnet50-neo")
    sm.create_model(
        ModelName="resnet50",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/neo:1"},
    )
    for config, count in (("resnet50-config-v1", 1), ("resnet50-config-v2", 2)):
        sm.create_endpoint_config(
            EndpointConfigName=config,
            ProductionVariants=[
                {
                    "VariantName": "main",
                    "ModelName": "resnet50",
                    "InitialInstanceCount": count,
                    "InstanceType": "ml.c5.xlarge",
                    "InitialVariantWeight": 1.0,
                }
            ],
        )
    sm.create_endpoint(EndpointName="resnet50-prod", EndpointConfigName="resnet50-config-v1")
    # Autoscaling moved the endpoint to 3 instances; --retain-all keeps them.
    sm.update_endpoint_weights_and_capacities(
        EndpointName="resnet50-prod", DesiredWeightsAndCapacities=[{"VariantName": "main", "DesiredInstanceCount": 3}]
    )


if __name__ == "__main__":
    main(sys.argv[1])
