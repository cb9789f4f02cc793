"""Which container image serves a compiled model, and the environment it gets.

SageMaker names the image in DescribeCompilationJob's InferenceImage; the SDK uses only
that since v2.76.0. Older jobs (or answers without it) fall back to the documented Neo
images in neoctl/facts/neo_images.json, looked up as the SDK does: the framework, the
version normalised to two parts then aliased, and the processor of the target family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neoctl.errors import InvalidInput


@dataclass(frozen=True)
class Image:
    """An image URI and where it came from (shown in the plan)."""

    uri: str
    source: str


def processor(target: str) -> str:
    """cpu, gpu (ml_g*, ml_p*) or inf (ml_inf*)."""
    from neoctl.facts import neo_images

    prefixes: dict[str, str] = neo_images()["processors"]
    for prefix, kind in sorted(prefixes.items(), key=lambda item: -len(item[0])):
        if target.startswith(prefix):
            return kind
    return "cpu"


def short_version(version: str) -> str:
    """The first two dot parts, as the SDK sends FrameworkVersion (1.15.3 → 1.15)."""
    return ".".join(version.split(".")[:2])


def _family_kind(target: str) -> str | None:
    from neoctl.facts import neo_images

    for kind, targets in neo_images()["families"].items():
        if target in targets:
            return str(kind)
    return None


def _domain(region: str) -> str:
    from neoctl.facts import neo_images

    domains: dict[str, str] = neo_images()["domains"]
    return next(d for prefix, d in sorted(domains.items(), key=lambda i: -len(i[0])) if region.startswith(prefix))


def documented_image(region: str, framework: str, version: str, target: str) -> str | None:
    """The documented Neo image for a job's framework, version and target in a region, or None."""
    from neoctl.facts import neo_images

    facts = neo_images()
    account = facts["accounts"].get(region)
    kind = _family_kind(target)
    entry = facts["images"].get(framework.upper(), {}).get(kind or "")
    if account is None or entry is None:
        return None
    proc = processor(target)
    if "fixed_tag" in entry:
        tag = str(entry["fixed_tag"])
    else:
        if "any_version" in entry:
            key: str | None = str(entry["any_version"])
        else:
            short = short_version(version)
            key = entry["aliases"].get(short) or next((v for v in entry["versions"] if short_version(v) == short), None)
        if key is None:
            return None
        tag = facts["tag"].format(version=key, processor=proc)
    return str(facts["uri"]).format(account=account, region=region, domain=_domain(region), repo=entry["repo"], tag=tag)


def choose_image(job: dict[str, Any], target: str, region: str, override: str | None) -> Image:
    """--image, else the job's InferenceImage, else the documented image; InvalidInput (252)
    naming what was looked up when none matches."""
    if override:
        return Image(override, "--image")
    if job.get("InferenceImage"):
        return Image(str(job["InferenceImage"]), "the job's InferenceImage")
    config = job.get("InputConfig", {})
    framework = str(config.get("Framework", ""))
    version = str(config.get("FrameworkVersion", ""))
    uri = documented_image(region, framework, version, target)
    if uri is None:
        raise InvalidInput(
            f"no documented Neo image for {framework} {version or '(no version)'} on {target} "
            f"({processor(target)}) in {region}, and the job reports no InferenceImage",
            "give the image to serve with --image URI",
        )
    return Image(uri, f"documented Neo image for {framework} {short_version(version)} {processor(target)} in {region}")


def environment(framework: str, region: str, given: dict[str, str]) -> dict[str, str]:
    """The recommended environment for the framework, with the --env values on top."""
    from neoctl.facts import neo_images

    facts = neo_images()["environment"]
    env = {k: v.format(region=region) for k, v in facts["all"].items()}
    env.update(facts.get(framework.upper(), {}))
    env.update(given)
    return env


def parse_env(pairs: list[str]) -> dict[str, str]:
    """--env KEY=VALUE values as a dict; a missing '=' is a usage error."""
    from neoctl.errors import UsageError

    env: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--env {pair!r} is not KEY=VALUE", "e.g. --env SAGEMAKER_PROGRAM=serve.py")
        env[key] = value
    return env
