"""spec.support: the documented framework/version/target facts, checked against the data file."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from neoctl.apimodel import load_model
from neoctl.facts import neo_support
from neoctl.spec.support import (
    FRAMEWORK,
    FRAMEWORK_VERSION,
    Finding,
    compress,
    normalise_version,
    sent_version,
    support_findings,
    target_family,
)


def levels(findings: list[Finding]) -> list[str]:
    return [f.level for f in findings]


# --- the data file -----------------------------------------------------------------


def test_data_names_its_sources_and_date() -> None:
    facts = neo_support()
    assert facts["retrieved"] == "2026-11-29"
    for abbreviation in ("DG", "SDK", "live docs", "NL", "BC"):
        assert facts["source"][abbreviation]
    assert "a869fa5c9b" in facts["source"]["DG"]
    assert "fc582aaa46" in facts["source"]["SDK"]
    assert "06788c088b" in facts["source"]["NL"]
    assert facts["notes"] and facts["framework_version"]["notes"]


def test_every_device_named_in_the_data_is_in_the_botocore_enum() -> None:
    enum = set(load_model().enum("CreateCompilationJob", "OutputConfig", "TargetDevice"))
    facts = neo_support()
    named = [d for family in facts["families"].values() for d in family.get("devices", [])]
    rules = facts["framework_version"]
    named += rules["accepted"] + list(rules["refused"]) + list(rules["unverified"])
    assert named
    assert sorted(set(named) - enum) == []


def test_every_framework_named_in_the_data_is_in_the_botocore_enum() -> None:
    enum = set(load_model().enum("CreateCompilationJob", "InputConfig", "Framework"))
    facts = neo_support()
    named: set[str] = set(facts["display_names"]) | set(facts["framework_version"]["documented_frameworks"])
    for family in facts["families"].values():
        for key in ("versions", "not_supported", "unverified"):
            named |= set(family.get(key, {}))
    assert sorted(named - enum) == []


def test_every_enum_device_has_a_family() -> None:
    for device in load_model().enum("CreateCompilationJob", "OutputConfig", "TargetDevice"):
        if not device.startswith("ml_"):
            assert target_family(device) == "edge"


def test_devices_belong_to_one_family() -> None:
    named = [d for family in neo_support()["families"].values() for d in family.get("devices", [])]
    assert len(named) == len(set(named))


# --- normalisation and families -------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "short"),
    [
        ("1.8.1", "1.8"),
        ("2.0.1", "2.0"),
        ("1.15.3", "1.15"),
        ("2.9", "2.9"),
        ("1.13", "1.13"),
        ("2.9.2", "2.9"),
        ("1.7.0", "1.7"),
        (" 1.10 ", "1.10"),
    ],
)
def test_normalise_version(version: str, short: str) -> None:
    assert normalise_version("PYTORCH", version) == short


@pytest.mark.parametrize(
    ("device", "family"),
    [
        ("ml_c5", "cloud"),
        ("ml_g4dn", "cloud"),
        ("ml_inf1", "inf1"),
        ("ml_inf2", "inf2_trn1"),
        ("ml_trn1", "inf2_trn1"),
        ("ml_eia2", "eia2"),
        ("ml_c6g", "graviton"),
        ("jetson_nano", "edge"),
        ("lambda", "edge"),
        ("coreml", "edge"),
        ("ml_future9", None),
    ],
)
def test_target_family(device: str, family: str | None) -> None:
    assert target_family(device) == family


def test_compress_ranges_of_three_or_more() -> None:
    assert compress(["1.4", "1.5", "1.6", "1.7", "1.8", "1.12", "1.13", "2.0"]) == "1.4–1.8, 1.12, 1.13, 2.0"
    assert compress(["1.15", "2.4", "2.5"]) == "1.15, 2.4, 2.5"
    assert compress([]) == ""


# --- the version matrix (fact sheet §1) ---------------------------------------------


@pytest.mark.parametrize(
    ("framework", "version", "target"),
    [
        ("PYTORCH", "2.0.1", "ml_c5"),
        ("pytorch", "1.13", "ml_g4dn"),  # live docs and SDK; DG lags
        ("PYTORCH", "1.8.1", "ml_p3"),
        ("TENSORFLOW", "1.15.3", "ml_m5"),  # listed as 1.15.3, compared as 1.15
        ("TENSORFLOW", "2.9.2", "ml_c4"),
        ("MXNET", "1.8", "ml_c5"),  # listed as 1.8.0
        ("TENSORFLOW", "2.5", "jetson_nano"),  # DG marks 2.5 ml.inf1-only; listed (see notes)
        ("TFLITE", "1.15", "rasp4b"),
        ("PYTORCH", "1.8", "lambda"),  # service accepts FrameworkVersion for lambda although the SDK never sends it
    ],
)
def test_listed_combinations_give_no_findings(framework: str, version: str, target: str) -> None:
    assert support_findings(framework, version, target) == []


def test_pytorch_1_10_on_ml_c5_warns_naming_the_listed_versions() -> None:
    assert support_findings("PYTORCH", "1.10", "ml_c5") == [
        Finding(
            "warning",
            FRAMEWORK_VERSION,
            "PyTorch 1.10 is not listed for ml_c5; listed: 0.4, 1.0–1.8, 1.12, 1.13, 2.0",
            "set framework_version to a listed version, or leave it out to let Neo choose",
        )
    ]


def test_tensorflow_2_9_on_jetson_nano_warns() -> None:
    [finding] = support_findings("TENSORFLOW", "2.9", "jetson_nano")
    assert finding.level == "warning"
    assert finding.message == "TensorFlow 2.9 is not listed for jetson_nano; listed: 1.15, 2.4, 2.5"


def test_tflite_in_the_cloud_warns_on_the_framework() -> None:
    [finding] = support_findings("TFLITE", None, "ml_c5")
    assert (finding.level, finding.field) == ("warning", FRAMEWORK)
    assert finding.message.startswith("TFLite is not supported for ml_c5")


def test_framework_not_listed_for_a_family_warns() -> None:
    [finding] = support_findings("ONNX", None, "ml_inf1")
    assert finding.message == "ONNX is not listed for ml_inf1; listed: MXNet, PyTorch, TensorFlow"


def test_mxnet_1_8_on_ml_inf1_is_listed() -> None:
    findings = support_findings("MXNET", "1.8", "ml_inf1")
    # Listed, so no version warning; only the acceptance of the field itself is unverified.
    assert not any("is not listed" in f.message for f in findings)
    assert "error" not in levels(findings)


def test_no_framework_version_no_version_warning() -> None:
    assert support_findings("PYTORCH", None, "ml_c5") == []
    assert support_findings("PYTORCH", "", "ml_inf1") == []


def test_target_platform_jobs_have_no_findings() -> None:
    assert support_findings("PYTORCH", "1.10", None) == []
    assert support_findings("TFLITE", "9.9", None) == []


# --- FrameworkVersion acceptance (fact sheet §2) -----------------------------------


def test_ml_inf1_refusal_of_2022_is_a_warning_not_an_error() -> None:
    findings = support_findings("PYTORCH", "1.9", "ml_inf1")
    assert levels(findings) == ["warning"]
    assert findings[0].field == FRAMEWORK_VERSION
    assert "ml_inf1" in findings[0].message and "unverified" in findings[0].message
    assert findings[0].hint is not None and "remove framework_version" in findings[0].hint


@pytest.mark.parametrize(
    ("framework", "version", "target"),
    [
        ("PYTORCH", "2.1", "ml_inf2"),
        ("TENSORFLOW", "2.10", "ml_trn1"),
        ("PYTORCH", "1.13", "ml_c6g"),
        ("PYTORCH", "1.8", "coreml"),
        ("SKLEARN", "1.0", "ml_c5"),
        ("DARKNET", "1.0", "jetson_nano"),
    ],
)
def test_unverified_data_warns_and_never_errors(framework: str, version: str, target: str) -> None:
    findings = support_findings(framework, version, target)
    assert findings
    assert set(levels(findings)) == {"warning"}


def test_unverified_family_says_not_listed() -> None:
    messages = [f.message for f in support_findings("PYTORCH", "2.1", "ml_inf2")]
    assert "PyTorch 2.1 is not listed for ml_inf2: no framework table is documented for ml_inf2 or ml_trn1" in messages


def test_framework_version_for_a_framework_the_api_does_not_document_warns() -> None:
    [finding] = support_findings("KERAS", "2.2.4", "ml_c5")
    assert finding.level == "warning"
    assert finding.message.startswith("FrameworkVersion is documented only for MXNet, PyTorch, TensorFlow, TFLite")


def test_no_target_is_refused_in_the_shipped_data() -> None:
    # The one documented refusal (ml_inf1, Mar 2022) is unverified today: see the data's notes.
    assert neo_support()["framework_version"]["refused"] == {}


def test_a_refusing_target_gives_one_error_naming_target_and_fix() -> None:
    facts: dict[str, Any] = copy.deepcopy(neo_support())
    facts["framework_version"]["refused"]["ml_inf1"] = "the service refuses it"
    assert support_findings("PYTORCH", "1.9", "ml_inf1", facts) == [
        Finding(
            "error",
            FRAMEWORK_VERSION,
            "ml_inf1 does not take FrameworkVersion: the service refuses it",
            "remove framework_version for ml_inf1",
        )
    ]
    assert support_findings("PYTORCH", None, "ml_inf1", facts) == []


# --- issue 21: the matrix is widened from public sources ------------------------------


def test_every_listed_version_names_its_source() -> None:
    facts = neo_support()
    for name, family in facts["families"].items():
        versions: dict[str, list[str]] = family.get("versions", {})
        sources: dict[str, dict[str, str]] = family.get("sources", {})
        assert {fw: sorted(v) for fw, v in versions.items()} == {fw: sorted(s) for fw, s in sources.items()}, name
        for by_version in sources.values():
            for source in by_version.values():
                # Each part names a source abbreviation of the file, or a public run.
                for part in source.split("; "):
                    assert part.startswith((*facts["source"], "run: ", "runs: ")), source


def test_every_public_run_the_data_names_is_in_the_public_corpus() -> None:
    public = Path(__file__).resolve().parents[1] / "specs" / "public"
    text = json.dumps(neo_support())
    named = set(re.findall(r"([\w.-]+\.yaml)", text))
    assert named
    assert sorted(n for n in named if not (public / n).is_file()) == []


@pytest.mark.parametrize(
    ("framework", "version", "target"),
    [
        ("TENSORFLOW", "2.4", "ml_c5"),  # a public job sent it; SDK neo-tensorflow.json aliases 2.4
        ("TENSORFLOW", "1.14", "ml_m5"),  # SDK neo-tensorflow.json version_aliases
        ("PYTORCH", "1.2", "ml_c5"),  # SDK neo-pytorch.json version_aliases
        ("MXNET", "1.4", "ml_p3"),  # SDK neo-mxnet.json version_aliases; a public job's model version
        ("PYTORCH", "1.5", "ml_inf1"),  # SDK inferentia-pytorch.json 1.5.1
        ("TENSORFLOW", "2.3", "ml_eia2"),  # a public job sent FrameworkVersion on ml_eia2
    ],
)
def test_versions_from_the_sdk_and_public_runs_are_listed(framework: str, version: str, target: str) -> None:
    findings = support_findings(framework, version, target)
    assert not any("is not listed" in f.message for f in findings), findings
    if target != "ml_inf1":  # FrameworkVersion acceptance on ml_inf1 stays unverified
        assert findings == []


@pytest.mark.parametrize(
    ("framework", "version", "target", "sent"),
    [
        ("PYTORCH", "1.8.1", "ml_c5", "1.8"),
        ("pytorch", "2.0.1", "ml_inf2", "2.0"),
        ("TENSORFLOW", "2.9.2", "rasp4b", "2.9"),
        ("MXNET", "1.5.1", "ml_inf1", "1.5"),
        ("MXNET", "1.8.0", "ml_c5", "1.8.0"),  # the SDK never sends MXNet's there
        ("KERAS", "2.2.4", "ml_c5", "2.2.4"),
        ("XGBOOST", "1.3.3", "ml_c5", "1.3.3"),
        ("PYTORCH", "1.8.1", "coreml", "1.8.1"),  # deny list
        ("PYTORCH", "1.8.1", None, "1.8.1"),  # TargetPlatform
        ("PYTORCH", "1.8", "ml_c5", "1.8"),
        ("PYTORCH", "1.8.", "ml_c5", "1.8."),  # not three parts: the pattern check judges it
        ("PYTORCH", "1.8.1.2", "ml_c5", "1.8"),
    ],
)
def test_sent_version_follows_the_sdk(framework: str, version: str, target: str | None, sent: str) -> None:
    assert sent_version(framework, version, target) == sent
