"""Secrets never printed."""

from __future__ import annotations

from neoctl.redact import MASK, redact, register_secret


def test_registered_secret_masked_anywhere() -> None:
    register_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    assert "wJalrXUtnFEMI" not in redact("secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end")


def test_patterns_catch_unregistered_credentials() -> None:
    header = (
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261127/us-east-1/"
        "sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027"
    )
    text = redact(header + " 'X-Amz-Security-Token': b'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH'")
    assert "AKIAIOSFODNN7EXAMPLE" not in text
    assert "fe5f80f77d5fa3beca038a248ff027" not in text
    assert "IQoJb3JpZ2luX2VjEJr" not in text
    assert f"Signature={MASK}" in text


def test_ordinary_text_untouched() -> None:
    assert redact("ListCompilationJobs returned 3 jobs") == "ListCompilationJobs returned 3 jobs"
