"""`neoctl devices` (issue 23 item 24): the framework versions Neo documents per TargetDevice,
in a table that fits 80 columns, and in -o json a field per device, saying where none are."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from neoctl.output.specs import catalog_view
from neoctl.spec.catalog import catalog
from neoctl.spec.support import FRAMEWORK_VERSION, device_versions, support_findings


def render(width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, no_color=True, highlight=False)
    console.print(catalog_view(catalog()), crop=False)
    out = console.file
    assert isinstance(out, io.StringIO)
    return [line.rstrip() for line in out.getvalue().splitlines()]


@pytest.mark.parametrize("width", [80, 120])
def test_every_line_fits_and_each_framework_keeps_its_versions_on_a_line(width: int) -> None:
    shown = render(width)
    assert max(len(line) for line in shown) <= width
    text = "\n".join(shown)
    for expected in ("PyTorch 0.4, 1.0–1.8, 1.12, 1.13, 2.0", "TensorFlow 1.4–1.15, 2.4, 2.9", "MXNet 1.5, 1.8"):
        assert expected in text


def test_every_device_of_the_model_is_in_the_versions_table() -> None:
    data = catalog()
    table = "\n".join(render(80)).split("Framework versions by TargetDevice")[1]
    for device in data["TargetDevices"]:  # type: ignore[attr-defined]
        assert f" {device}," in table or f" {device} " in table, device


def test_targets_without_a_table_say_so() -> None:
    rows = "\n".join(render(80)).split("├")
    inf2 = next(row for row in rows if "│ ml_inf2, ml_trn1 " in row)
    assert "no framework table is documented for" in inf2 and "ml_inf2 or ml_trn1" in inf2
    graviton = next(row for row in rows if "│ ml_m6g, ml_c6g " in row)
    assert "no framework table is documented for" in graviton and "ml_c6g or ml_m6g" in graviton


def test_json_has_one_entry_per_device_with_versions_or_a_note() -> None:
    data = catalog()
    devices = data["Devices"]
    assert isinstance(devices, list)
    assert [d["TargetDevice"] for d in devices] == data["TargetDevices"]
    for entry in devices:
        assert set(entry) == {"TargetDevice", "Family", "FrameworkVersions", "Note"}
        assert bool(entry["FrameworkVersions"]) != bool(entry["Note"]), entry


def test_a_device_the_facts_do_not_know_is_said_to_be_unknown() -> None:
    facts = {"retrieved": "2026-11-29", "families": {"cloud": {"devices": ["ml_c5"], "versions": {}}}}
    found = device_versions("ml_new", facts)
    assert found.family is None and found.versions == {}
    assert found.note == "not in neoctl's support facts (retrieved 2026-11-29)"


def test_the_versions_shown_are_those_validate_accepts() -> None:
    # What `devices` lists and what validate warns about come from the same facts: a
    # listed version never draws a "not listed" warning for its device.
    for entry in catalog()["Devices"]:  # type: ignore[attr-defined]
        for framework, versions in entry["FrameworkVersions"].items():
            for version in versions:
                findings = support_findings(framework, version, entry["TargetDevice"])
                assert not [f for f in findings if f.field == FRAMEWORK_VERSION and "not listed" in f.message], (
                    entry["TargetDevice"],
                    framework,
                    version,
                    findings,
                )
