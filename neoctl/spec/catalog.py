"""What the installed API model knows: devices, frameworks, platform values."""

from __future__ import annotations

from neoctl.apimodel import load_model

OP = "CreateCompilationJob"


def catalog() -> dict[str, object]:
    """Allowed values for the fields users most often ask about, and for each TargetDevice
    the framework versions Neo documents for it (neoctl/facts/neo_support.json)."""
    model = load_model()
    devices = model.enum(OP, "OutputConfig", "TargetDevice")
    return {
        "BotocoreVersion": model.botocore_version,
        "TargetDevices": devices,
        "Frameworks": model.enum(OP, "InputConfig", "Framework"),
        "TargetPlatform": {
            "Os": model.enum(OP, "OutputConfig", "TargetPlatform", "Os"),
            "Arch": model.enum(OP, "OutputConfig", "TargetPlatform", "Arch"),
            "Accelerator": model.enum(OP, "OutputConfig", "TargetPlatform", "Accelerator"),
        },
        "SupportFacts": {"Retrieved": facts_date()},
        "Devices": [device_entry(device) for device in devices],
    }


def device_entry(device: str) -> dict[str, object]:
    """One TargetDevice as `devices -o json` shows it: its support family, the framework
    versions documented for it (the API's framework names; empty when none are), and a
    note saying why when none are."""
    from neoctl.spec.support import device_versions

    found = device_versions(device)
    return {"TargetDevice": device, "Family": found.family, "FrameworkVersions": found.versions, "Note": found.note}


def facts_date() -> str:
    """When the support facts were read from their sources (the later of retrieved and widened)."""
    from neoctl.facts import neo_support

    facts = neo_support()
    return str(max(str(facts.get("retrieved", "")), str(facts.get("widened", ""))))
