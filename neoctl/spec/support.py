"""Which framework versions Neo documents per target, and which targets take FrameworkVersion.

Pure rules over neoctl/facts/neo_support.json. Everything the documentation leaves open
(unverified, or sources that disagree) becomes a warning that says so; an error is kept
for targets the data marks "refused" by the service itself. Findings name API paths
(InputConfig.Framework, InputConfig.FrameworkVersion); callers map them to spec keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from neoctl.facts import neo_support

FRAMEWORK = "InputConfig.Framework"
FRAMEWORK_VERSION = "InputConfig.FrameworkVersion"

Level = Literal["warning", "error"]


@dataclass(frozen=True)
class Finding:
    """One thing to tell the user about a framework/version/target combination."""

    level: Level
    field: str
    message: str
    hint: str | None = None


def normalise_version(framework: str, version: str) -> str:
    """The FrameworkVersion the SageMaker SDK sends: the first two dot parts (1.8.1 → 1.8).

    `framework` is accepted so a framework with another scheme can be special-cased; the
    SDK (utils.get_short_version) treats all frameworks alike today.
    """
    return ".".join(version.strip().split(".")[:2])


def sent_version(framework: str, version: str, target_device: str | None, facts: dict[str, Any] | None = None) -> str:
    """The FrameworkVersion to send: `version` in the SDK's two-part form (1.8.1 → 1.8)
    where the SageMaker Python SDK would send that form, else `version` unchanged.

    The SDK sends utils.get_short_version(framework_version) for PyTorch and TensorFlow on
    every TargetDevice but its deny list (and for MXNet on ml_inf1), never for a
    TargetPlatform job: that is what public jobs sent and what the service matches
    (neo_support.json "framework_version.sdk_short_form" names the source). Only a version
    of three or more non-empty dot parts changes; where the SDK never sends the field, the
    value is left as given.
    """
    parts = version.split(".")
    if len(parts) < 3 or not all(p.isalnum() for p in parts) or not target_device:
        return version
    rule: dict[str, Any] = (facts or neo_support())["framework_version"]["sdk_short_form"]
    if target_device in rule["never"]:
        return version
    fw = framework.upper()
    if fw in rule["frameworks"] or fw in rule["also"].get(target_device, ()):
        return ".".join(parts[:2])
    return version


def target_family(target_device: str, facts: dict[str, Any] | None = None) -> str | None:
    """The family name a TargetDevice belongs to in neo_support.json, or None if unknown.

    ml_* devices are listed explicitly; every other device falls to the family whose
    rule is "not starting with ml_" (edge). Whether the device exists at all is the API
    model's business (its TargetDevice enum), not this function's.
    """
    families: dict[str, dict[str, Any]] = (facts or neo_support())["families"]
    for name, family in families.items():
        if target_device in family.get("devices", ()):
            return name
    for name, family in families.items():
        prefix = family.get("prefix_not")
        if prefix and not target_device.startswith(prefix):
            return name
    return None


def support_findings(
    framework: str,
    framework_version: str | None,
    target_device: str | None,
    facts: dict[str, Any] | None = None,
) -> list[Finding]:
    """Warnings (and errors where the service refuses) for one framework, version and target.

    No target device (a TargetPlatform job): no findings, the service takes
    FrameworkVersion there and documents no version matrix. No framework_version: only
    framework-level findings.
    """
    if not target_device:
        return []
    facts = facts or neo_support()
    fw = framework.upper()
    names: dict[str, str] = facts.get("display_names", {})
    name = names.get(fw, framework)
    findings: list[Finding] = []

    family_name = target_family(target_device, facts)
    family: dict[str, Any] = facts["families"][family_name] if family_name else {}
    whole_family_unverified = "unverified_family" in family
    versions: dict[str, list[str]] = family.get("versions", {})
    not_supported: dict[str, str] = family.get("not_supported", {})
    unverified: dict[str, str] = family.get("unverified", {})

    if family and not whole_family_unverified:
        listed_frameworks = ", ".join(names.get(f, f) for f in sorted(versions))
        if fw in not_supported:
            findings.append(
                Finding(
                    "warning",
                    FRAMEWORK,
                    f"{name} is not supported for {target_device}: {not_supported[fw]}",
                    f"frameworks listed for {target_device}: {listed_frameworks}",
                )
            )
        elif fw not in versions and fw not in unverified:
            findings.append(
                Finding(
                    "warning",
                    FRAMEWORK,
                    f"{name} is not listed for {target_device}; listed: {listed_frameworks}",
                    "the compilation may fail; neoctl sends the job anyway",
                )
            )

    if not framework_version:
        return findings

    refusal = _acceptance(target_device, facts, findings)
    if refusal:
        return [refusal]
    _documented_framework(fw, name, framework_version, facts, findings)

    if not family:
        return findings
    if whole_family_unverified or fw in unverified:
        reason = family.get("unverified_family") or unverified[fw]
        findings.append(
            Finding(
                "warning",
                FRAMEWORK_VERSION,
                f"{name} {framework_version} is not listed for {target_device}: {reason}",
                "unverified: neoctl sends it and the service decides",
            )
        )
    elif fw in versions:
        listed = _listed(fw, versions[fw])
        if normalise_version(fw, framework_version) not in listed:
            findings.append(
                Finding(
                    "warning",
                    FRAMEWORK_VERSION,
                    f"{name} {framework_version} is not listed for {target_device}; listed: {compress(listed)}",
                    "set framework_version to a listed version, or leave it out to let Neo choose",
                )
            )
    return findings


def _acceptance(target: str, facts: dict[str, Any], findings: list[Finding]) -> Finding | None:
    """The error if the service refuses FrameworkVersion for `target`; else add a warning if unverified."""
    rules: dict[str, Any] = facts["framework_version"]
    if target in rules.get("refused", {}):
        return Finding(
            "error",
            FRAMEWORK_VERSION,
            f"{target} does not take FrameworkVersion: {rules['refused'][target]}",
            f"remove framework_version for {target}",
        )
    if target not in rules.get("accepted", ()):
        reason = rules.get("unverified", {}).get(target, rules.get("unverified_default", "unverified"))
        findings.append(
            Finding(
                "warning",
                FRAMEWORK_VERSION,
                f"FrameworkVersion may be refused for {target}: {reason}",
                f"if the job is refused with 'Unsupported framework version field for target', "
                f"remove framework_version for {target}",
            )
        )
    return None


def _documented_framework(fw: str, name: str, version: str, facts: dict[str, Any], findings: list[Finding]) -> None:
    documented: list[str] = facts["framework_version"].get("documented_frameworks", [])
    if documented and fw not in documented:
        names: dict[str, str] = facts.get("display_names", {})
        findings.append(
            Finding(
                "warning",
                FRAMEWORK_VERSION,
                f"FrameworkVersion is documented only for {', '.join(names.get(f, f) for f in documented)}; "
                f"{name} {version} may be ignored or refused",
                "if the job is refused, remove framework_version",
            )
        )


def _listed(framework: str, versions: list[str]) -> list[str]:
    """The documented versions, normalised like the version sent, unique and in numeric order."""
    return sorted({normalise_version(framework, v) for v in versions}, key=_version_key)


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in version.split("."))


def compress(versions: list[str]) -> str:
    """Versions as text, runs of three or more consecutive minors as a range: 1.4–1.8, 1.12, 1.13, 2.0."""
    parts: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(run)
        run.clear()

    for version in versions:
        if run and _follows(run[-1], version):
            run.append(version)
        else:
            flush()
            run.append(version)
    flush()
    return ", ".join(parts)


def _follows(previous: str, version: str) -> bool:
    a, b = previous.split("."), version.split(".")
    if len(a) != 2 or len(b) != 2 or not all(p.isdigit() for p in a + b):
        return False
    return a[0] == b[0] and int(b[1]) == int(a[1]) + 1


@dataclass(frozen=True)
class DeviceVersions:
    """What the support facts document for one TargetDevice: its family, the framework
    versions listed for it (API framework name → versions in the two-part form sent), and
    where none are, why (`note`)."""

    family: str | None
    versions: dict[str, list[str]]
    note: str | None = None


def device_versions(target_device: str, facts: dict[str, Any] | None = None) -> DeviceVersions:
    """The framework versions Neo documents for `target_device` (for `neoctl devices`): the
    versions validate checks a framework_version against, normalised and in numeric order."""
    facts = facts or neo_support()
    family_name = target_family(target_device, facts)
    if family_name is None:
        return DeviceVersions(None, {}, f"not in neoctl's support facts (retrieved {facts.get('retrieved', '?')})")
    family: dict[str, Any] = facts["families"][family_name]
    if "unverified_family" in family:
        return DeviceVersions(family_name, {}, str(family["unverified_family"]))
    versions = {fw: _listed(fw, listed) for fw, listed in family.get("versions", {}).items()}
    return DeviceVersions(family_name, versions, None if versions else "no framework versions are documented")
