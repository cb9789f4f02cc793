"""What the installed API model knows: devices, frameworks, platform values."""

from __future__ import annotations

from neoctl.apimodel import load_model

OP = "CreateCompilationJob"


def catalog() -> dict[str, object]:
    """Allowed values for the fields users most often ask about."""
    model = load_model()
    return {
        "BotocoreVersion": model.botocore_version,
        "TargetDevices": model.enum(OP, "OutputConfig", "TargetDevice"),
        "Frameworks": model.enum(OP, "InputConfig", "Framework"),
        "TargetPlatform": {
            "Os": model.enum(OP, "OutputConfig", "TargetPlatform", "Os"),
            "Arch": model.enum(OP, "OutputConfig", "TargetPlatform", "Arch"),
            "Accelerator": model.enum(OP, "OutputConfig", "TargetPlatform", "Accelerator"),
        },
    }
