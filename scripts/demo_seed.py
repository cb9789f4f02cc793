"""Seed the local emulator with what `make demo` shows besides compilation jobs:
an experiment with trials, an endpoint with two configs (autoscaled to 3), and two
CloudWatch alarms on it for the canary deployments.

`python scripts/demo_seed.py URL` seeds; `python scripts/demo_seed.py URL fire-when-baking
ENDPOINT ALARM` waits until ENDPOINT's update is in a Baking phase (polling DescribeEndpoint),
then sets ALARM to ALARM, as a real 5XX burst on the canary would."""

from __future__ import annotations

import sys
import time
from typing import Any

import boto3

ROLE = "arn:aws:iam::123456789012:role/SageMakerNeoRole"
ALARMS = {"resnet50-prod-5xx": "Invocation5XXErrors", "resnet50-prod-latency": "ModelLatency"}


def client(service: str, url: str) -> Any:
    if not url.startswith("http://127.0.0.1:"):
        raise SystemExit("demo_seed only talks to the local emulator")
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="emulator",
        aws_secret_access_key="emulator",  # noqa: S106 (the emulator takes any key)
    )


def fire_when_baking(url: str, endpoint: str, alarm: str, timeout: float = 60.0) -> None:
    sm = client("sagemaker", url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = sm.describe_endpoint(EndpointName=endpoint).get("PendingDeploymentSummary") or {}
        statuses = [s["Status"] for v in pending.get("ProductionVariants", []) for s in v.get("VariantStatus", [])]
        if "Baking" in statuses:
            client("cloudwatch", url).set_alarm_state(
                AlarmName=alarm, StateValue="ALARM", StateReason="Threshold Crossed: 5XX errors on the canary"
            )
            print(f"(demo) {endpoint} is baking: alarm {alarm} set to ALARM", file=sys.stderr)  # noqa: T201
            return
        time.sleep(0.2)
    raise SystemExit(f"(demo) {endpoint} did not start baking within {timeout:.0f} s")


def main(url: str) -> None:
    sm = client("sagemaker", url)
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
    cloudwatch = client("cloudwatch", url)
    for alarm, metric in ALARMS.items():
        cloudwatch.put_metric_alarm(
            AlarmName=alarm,
            Namespace="AWS/SageMaker",
            MetricName=metric,
            Dimensions=[{"Name": "EndpointName", "Value": "resnet50-prod"}, {"Name": "VariantName", "Value": "main"}],
            Statistic="Sum" if metric == "Invocation5XXErrors" else "Average",
            Period=60,
            EvaluationPeriods=1,
            Threshold=1 if metric == "Invocation5XXErrors" else 500000,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
        )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[2] == "fire-when-baking":
        fire_when_baking(sys.argv[1], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        raise SystemExit(__doc__)
