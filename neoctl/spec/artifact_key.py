"""Where SageMaker Neo writes a job's compiled model, predicted from the request alone.

Pure: no network, no file reads. Used to refuse a batch whose jobs would overwrite each
other's output (neoctl.spec.batch); meant for pre-flight and download checks too.
"""

from __future__ import annotations

from typing import Any

# The one input name whose output name is seen in public (research21-keys §1–§3).
_INPUT_SUFFIX = ".tar.gz"


def artifact_key(request: dict[str, Any]) -> str | None:
    """The S3 URI Neo writes the compiled model of a CreateCompilationJob `request` to:
    `<S3OutputLocation without trailing "/">/<input file name minus .tar.gz>-<target>.tar.gz`,
    where <target> is the TargetDevice, or for a TargetPlatform `<Os>_<Arch>` plus
    `_<Accelerator>` when one is given. None when it cannot be known.

    Evidence (no AWS document states the rule; these are observed outputs):
    - TargetDevice: `traced_model.tar.gz` → `…/inf1-model/traced_model-ml_inf1.tar.gz`
      (VectorInstitute/ai-deployment-bootcamp, real account); `model.tar.gz` →
      `…/mobilenet-neo/model-ml_c5.tar.gz` (aws-samples/aws-greengrass-ml-deployment-sample
      Makefile); `mobilenet_ssd_v1.tar.gz` → `…/neo-output/mobilenet_ssd_v1-rasp3b.tar.gz`;
      the Developer Guide's edge tutorial reads `output/{model}-{target_device}.tar.gz`
      (doc_source/neo-getting-started-edge-step3.md).
    - TargetPlatform: `…/neo-output/model-LINUX_X86_64.tar.gz` (S3ModelArtifacts written to
      a file by adamvigneau/aws-ml-portfolio, Dec 2025); `…-LINUX_X86_64_NVIDIA.tar.gz`
      (aws-samples/amazon-ipc-ai-saas); `resnet18_model-LINUX_ARM64_NVIDIA.tar.gz`
      (aws/aws-panorama-cli README).
    - Only the last path part of the input names the output (the input folder never
      appears); inner dots are kept (`body_detector_yolo3_mobilenet1.0_coco-…`); a location
      with and without a trailing "/" gives the same key (both seen).
    - The key holds neither the job name nor a time, so two jobs with the same location,
      target and input file name write the same object.

    None (unknowable): a ModelPackageVersionArn job (no input name); an input not named
    `.tar.gz` (`.tgz` and others: the output name is unverified); a request missing its
    location or target. A local model (model.path) is always uploaded as
    `<upload_to>/<digest>/model.tar.gz` (neoctl.models.plan), so its key is known before
    the model is hashed: `<location>/model-<target>.tar.gz`.
    """
    inp = request.get("InputConfig")
    out = request.get("OutputConfig")
    if not isinstance(inp, dict) or not isinstance(out, dict):
        return None
    uri, location = inp.get("S3Uri"), out.get("S3OutputLocation")
    if not isinstance(uri, str) or not isinstance(location, str) or not location.strip("/"):
        return None
    name = uri.rsplit("/", 1)[-1]
    if not name.endswith(_INPUT_SUFFIX) or name == _INPUT_SUFFIX:
        return None
    target = _target(out)
    if target is None:
        return None
    return f"{location.rstrip('/')}/{name[: -len(_INPUT_SUFFIX)]}-{target}.tar.gz"


def _target(out: dict[str, Any]) -> str | None:
    device = out.get("TargetDevice")
    if isinstance(device, str) and device:
        return device
    platform = out.get("TargetPlatform")
    if not isinstance(platform, dict):
        return None
    parts = [platform.get("Os"), platform.get("Arch")]
    if platform.get("Accelerator") is not None:
        parts.append(platform["Accelerator"])
    if not all(isinstance(p, str) and p for p in parts):
        return None
    return "_".join(str(p) for p in parts)
