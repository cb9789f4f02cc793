"""Valid specs that tests change one thing in. Their line numbers matter to the tests."""

from __future__ import annotations

ROLE = "arn:aws:iam::123456789012:role/SageMakerNeoRole"

# A valid neoctl-form job; tests change one thing. Line numbers matter to the tests.
NEO = f"""\
name: resnet50
role: {ROLE}
model:
  uri: s3://my-bucket/models/resnet50/model.tar.gz
  framework: pytorch
  framework_version: "2.0"
  inputs: {{input0: [1, 3, 224, 224]}}
output:
  uri: s3://my-bucket/compiled/
  target: ml_c5
"""

# The same job in the API form.
API = f"""\
CompilationJobName: resnet50-c5
RoleArn: {ROLE}
InputConfig:
  S3Uri: s3://my-bucket/models/resnet50/model.tar.gz
  DataInputConfig: '{{"input0": [1, 3, 224, 224]}}'
  Framework: PYTORCH
  FrameworkVersion: "2.0"
OutputConfig:
  S3OutputLocation: s3://my-bucket/compiled/
  TargetDevice: ml_c5
StoppingCondition:
  MaxRuntimeInSeconds: 900
"""
