"""The image choice: InferenceImage first, --image over it, and the documented Neo images
(cases checked by hand against /work/shared/docs/neo-support.md §6)."""

from __future__ import annotations

import pytest

from neoctl.endpoints.images import choose_image, documented_image, environment, parse_env, processor
from neoctl.errors import InvalidInput, UsageError
from neoctl.facts import neo_images


@pytest.mark.parametrize(
    ("region", "framework", "version", "target", "uri"),
    [
        # PyTorch 2.0.1 → 2.0; cpu on c5; us-east-1's account.
        (
            "us-east-1",
            "PYTORCH",
            "2.0.1",
            "ml_c5",
            "785573368785.dkr.ecr.us-east-1.amazonaws.com/sagemaker-inference-pytorch:2.0-cpu-py3",
        ),
        # An SDK alias: PyTorch 1.2.0 → 1.4; gpu on g4dn.
        (
            "eu-west-1",
            "PYTORCH",
            "1.2.0",
            "ml_g4dn",
            "802834080501.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-inference-pytorch:1.4-gpu-py3",
        ),
        # TensorFlow 2.4 → 2.9.2, gpu on p3.
        (
            "ap-northeast-1",
            "TENSORFLOW",
            "2.4.1",
            "ml_p3",
            "941853720454.dkr.ecr.ap-northeast-1.amazonaws.com/sagemaker-inference-tensorflow:2.9.2-gpu-py3",
        ),
        # TensorFlow 1.15.3 as given.
        (
            "us-west-2",
            "TENSORFLOW",
            "1.15.3",
            "ml_m5",
            "301217895009.dkr.ecr.us-west-2.amazonaws.com/sagemaker-inference-tensorflow:1.15.3-cpu-py3",
        ),
        # Inferentia: its own repo, the inf processor, 1.5 → 1.5.1.
        (
            "us-east-2",
            "MXNET",
            "1.5",
            "ml_inf1",
            "007439368137.dkr.ecr.us-east-2.amazonaws.com/sagemaker-neo-mxnet:1.5.1-inf-py3",
        ),
        # MXNet 1.7 → 1.8 on the cloud image.
        (
            "eu-central-1",
            "MXNET",
            "1.7.0",
            "ml_c4",
            "746233611703.dkr.ecr.eu-central-1.amazonaws.com/sagemaker-inference-mxnet:1.8-cpu-py3",
        ),
        # XGBoost: one tag; China's domain.
        (
            "cn-north-1",
            "XGBOOST",
            "1.3.3",
            "ml_m5",
            "472730292857.dkr.ecr.cn-north-1.amazonaws.com.cn/xgboost-neo:latest",
        ),
    ],
)
def test_documented_images(region: str, framework: str, version: str, target: str, uri: str) -> None:
    assert documented_image(region, framework, version, target) == uri


@pytest.mark.parametrize(
    ("region", "framework", "version", "target"),
    [
        ("us-east-1", "PYTORCH", "1.5", "ml_inf1"),  # inferentia-pytorch has 1.7-1.9 only
        ("us-east-1", "PYTORCH", "2.0", "ml_inf2"),  # no fallback for inf2, trn1, c6g, m6g
        ("us-east-1", "PYTORCH", "2.0", "ml_eia2"),  # the SDK keeps the framework image
        ("mars-north-1", "PYTORCH", "2.0", "ml_c5"),  # no account known
        ("us-east-1", "TFLITE", "1.15", "ml_c5"),
    ],
)
def test_no_documented_image(region: str, framework: str, version: str, target: str) -> None:
    assert documented_image(region, framework, version, target) is None


def test_processors() -> None:
    assert [processor(t) for t in ("ml_c5", "ml_p3", "ml_g4dn", "ml_inf1", "ml_m5")] == [
        "cpu",
        "gpu",
        "gpu",
        "inf",
        "cpu",
    ]


def _job(**extra: object) -> dict[str, object]:
    return {"InputConfig": {"Framework": "PYTORCH", "FrameworkVersion": "1.8.1"}, **extra}


def test_choice_order() -> None:
    job = _job(InferenceImage="1.dkr.ecr.us-east-1.amazonaws.com/x:1")
    assert choose_image(job, "ml_c5", "us-east-1", "mine:1").source == "--image"
    assert choose_image(job, "ml_c5", "us-east-1", None).uri.endswith("/x:1")
    fallback = choose_image(_job(), "ml_c5", "us-east-1", None)
    assert fallback.uri.endswith("sagemaker-inference-pytorch:1.8-cpu-py3")
    assert "documented" in fallback.source


def test_no_match_names_the_lookup_and_image_flag() -> None:
    with pytest.raises(InvalidInput) as caught:
        choose_image(_job(), "ml_inf2", "us-east-1", None)
    assert "PYTORCH 1.8.1 on ml_inf2 (inf) in us-east-1" in caught.value.message
    assert "--image" in (caught.value.hint or "")


def test_environment_defaults_and_overrides() -> None:
    env = environment("PYTORCH", "eu-west-1", {"SAGEMAKER_PROGRAM": "serve.py"})
    assert env == {
        "SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
        "SAGEMAKER_REGION": "eu-west-1",
        "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
        "SAGEMAKER_PROGRAM": "serve.py",
        "MMS_DEFAULT_RESPONSE_TIMEOUT": "500",
    }
    assert "MMS_DEFAULT_RESPONSE_TIMEOUT" not in environment("TENSORFLOW", "us-east-1", {})


def test_parse_env() -> None:
    assert parse_env(["A=1", "B=x=y"]) == {"A": "1", "B": "x=y"}
    with pytest.raises(UsageError):
        parse_env(["nope"])


def test_facts_name_source_and_date() -> None:
    facts = neo_images()
    assert facts["retrieved"] == "2026-11-29"
    assert "fc582aaa46" in facts["source"]["SDK"] and "a869fa5c9b" in facts["source"]["DG"]
