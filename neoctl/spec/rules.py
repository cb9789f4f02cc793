"""The rules of CreateCompilationJob that the API model cannot express."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeGuard

from neoctl.spec import datainput

Path = tuple[str | int, ...]
Report = Callable[[Path, str, "str | None"], None]

MAX_RUNTIME = 28 * 86400  # the docs: "The maximum value is 28 days"
# OutputConfig.CompilerOptions, botocore's docs: "It is required for NVIDIA accelerators",
# with gpu-code (also spelt gpu_code there), trt-ver and cuda-ver.
NVIDIA_OPTIONS = ("gpu-code", "trt-ver", "cuda-ver")
RESERVED_TAG_PREFIX = "aws:"  # AWS keeps tag keys starting aws: (in any case) for itself
# Model archive names that ran in public: .tar.gz and .tgz (fact sheet §3: aws-samples
# greengrass-v2-sagemaker-edge-manager-python compiled a .tgz in 2021).
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz")
# A file extension: a final ".xyz" of letters and digits with at least one letter
# (".zip", ".tar", ".pth", ".h5"); "resnet_v1.5_50" or ".../train" have none.
_EXTENSION = re.compile(r"\.([A-Za-z0-9]+)$")


def check(request: dict[str, Any], frameworks: list[str], report: Report, warn: Report) -> None:
    """Report every cross-field rule `request` breaks; warn on likely mistakes."""
    has_input = "InputConfig" in request
    has_package = "ModelPackageVersionArn" in request
    if has_input and has_package:
        report(
            ("ModelPackageVersionArn",),
            "give InputConfig or ModelPackageVersionArn, not both",
            "a model package already says where the model is and how it was trained",
        )
    elif not has_input and not has_package:
        report(("InputConfig",), "InputConfig is required (or ModelPackageVersionArn)", None)

    out = request.get("OutputConfig")
    if isinstance(out, dict):
        if "TargetDevice" in out and "TargetPlatform" in out:
            report(
                ("OutputConfig", "TargetPlatform"), "give TargetDevice or TargetPlatform, not both", "keep one of them"
            )
        elif "TargetDevice" not in out and "TargetPlatform" not in out:
            report(
                ("OutputConfig", "TargetDevice"),
                "TargetDevice or TargetPlatform is required",
                "e.g. TargetDevice: ml_c5 (see `neoctl devices`)",
            )
        _json_text(out, "CompilerOptions", ("OutputConfig", "CompilerOptions"), report)
        _nvidia_options(out, report)

    tags = request.get("Tags")
    if isinstance(tags, list):
        for i, tag in enumerate(tags):
            key = tag.get("Key") if isinstance(tag, dict) else None
            if isinstance(key, str) and key.lower().startswith(RESERVED_TAG_PREFIX):
                report(
                    ("Tags", i),
                    f"tag key {key} starts with aws:, a prefix AWS reserves for itself",
                    "rename the tag: drop or change the aws: prefix",
                )

    stop = request.get("StoppingCondition")
    if isinstance(stop, dict):
        runtime = stop.get("MaxRuntimeInSeconds")
        if _int(runtime) and runtime > MAX_RUNTIME:
            report(
                ("StoppingCondition", "MaxRuntimeInSeconds"),
                f"{runtime} seconds is more than 28 days ({MAX_RUNTIME})",
                f"use at most {MAX_RUNTIME}",
            )
        # No rule ties MaxWaitTimeInSeconds to MaxRuntimeInSeconds: "at least the runtime" is
        # documented for managed Spot *training*, and a public compilation job ran with
        # 60 < 900 (aws-samples/greengrass-v2-sagemaker-edge-manager-python; field notes).

    inp = request.get("InputConfig")
    if isinstance(inp, dict):
        uri = inp.get("S3Uri")
        suffix = wrong_archive_suffix(uri) if isinstance(uri, str) else None
        if suffix:
            report(
                ("InputConfig", "S3Uri"),
                f"the model artifact must be a .tar.gz (or .tgz) archive, not {suffix}",
                "pack the model with `tar czf model.tar.gz ...` and point S3Uri at it",
            )
        framework = inp.get("Framework")
        text = inp.get("DataInputConfig")
        if framework in frameworks and (text is None or isinstance(text, str)):
            datainput.check(framework, text, ("InputConfig", "DataInputConfig"), report, warn)


def wrong_archive_suffix(uri: str) -> str | None:
    """The extension of a model URI that names something other than a gzip tar
    (".zip", ".tar", ".pth"), or None for .tar.gz, .tgz and names without an extension.

    Neo reads the object, not its name, so a name without an extension (the Developer
    Guide's CLI example points S3Uri at `.../train`) is left to the service; a name that
    says it is another format is refused.
    """
    name = uri.rsplit("/", 1)[-1]
    if name.lower().endswith(ARCHIVE_SUFFIXES):
        return None
    found = _EXTENSION.search(name)
    if found is None or found[1].isdigit():
        return None
    tar = name.lower().endswith(".tar." + found[1].lower())  # .tar.bz2, .tar.xz: say so
    return (".tar." if tar else ".") + found[1]


def _nvidia_options(out: dict[str, Any], report: Report) -> None:
    platform = out.get("TargetPlatform")
    accelerator = platform.get("Accelerator") if isinstance(platform, dict) else None
    if not isinstance(accelerator, str) or accelerator.upper() != "NVIDIA":
        return
    text = out.get("CompilerOptions")
    options: Any = {}
    if isinstance(text, str):
        try:
            options = datainput.parse(text)
        except ValueError:
            return  # already reported as invalid JSON
    given = set(options) if isinstance(options, dict) else set()
    if "gpu_code" in given:
        given.add("gpu-code")
    missing = [key for key in NVIDIA_OPTIONS if key not in given]
    if missing:
        report(
            ("OutputConfig", "CompilerOptions" if text is not None else "TargetPlatform"),
            f"compiler options missing for an NVIDIA accelerator: {', '.join(missing)}",
            'e.g. compiler_options: {gpu-code: sm_72, trt-ver: 7.1.3, cuda-ver: "10.2"}; see examples/platform.yaml',
        )


def _int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _json_text(parent: dict[str, Any], key: str, path: Path, report: Report) -> None:
    text = parent.get(key)
    if isinstance(text, str):
        try:
            datainput.parse(text)  # JSON, or a Python-style literal (sent as JSON)
        except ValueError as exc:
            report(path, f"{key} is not valid JSON: {exc}", "write it as YAML instead of a string")
