"""catalog: what `neoctl devices` lists comes from the installed model."""

from __future__ import annotations

import botocore.session

from neoctl.spec.catalog import catalog


def test_catalog_matches_botocore() -> None:
    service = botocore.session.get_session().get_service_model("sagemaker")
    shape = service.operation_model("CreateCompilationJob").input_shape
    output = shape.members["OutputConfig"]
    data = catalog()
    assert data["BotocoreVersion"] == botocore.__version__
    assert data["TargetDevices"] == list(output.members["TargetDevice"].enum)
    assert data["Frameworks"] == list(shape.members["InputConfig"].members["Framework"].enum)
    platform = output.members["TargetPlatform"].members
    assert data["TargetPlatform"] == {k: list(platform[k].enum) for k in ("Os", "Arch", "Accelerator")}
