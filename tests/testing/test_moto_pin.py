"""The emulator's start-up checks: moto missing, moto not the pinned version, and the
pin in the code kept equal to the one in pyproject.toml."""

from __future__ import annotations

import re
import select
import signal
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from neoctl.testing import Emulator, moto_pin

REPO_ROOT = Path(__file__).resolve().parents[2]
INSTALL_HINT = "install it with pip install 'neoctl[emulator]'"

# Runs `python -m neoctl.testing` with the named top-level modules made unimportable,
# as if they were not installed: a meta-path finder placed first answers every import
# of them (and their submodules) the way Python answers a missing package.
BLOCKING_RUNNER = """
import runpy, sys
blocked = set(sys.argv[1].split(","))

class Absent:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Absent)
sys.argv = ["neoctl.testing", *sys.argv[2:]]
runpy.run_module("neoctl.testing", run_name="__main__", alter_sys=True)
"""

# Runs `python -m neoctl.testing` as if another moto were installed, through the one
# seam the emulator reads the version from.
OTHER_MOTO_RUNNER = """
import runpy, sys
from neoctl.testing import moto_pin
moto_pin.installed_moto_version = lambda: "9.9.9"
sys.argv = ["neoctl.testing", *sys.argv[1:]]
runpy.run_module("neoctl.testing", run_name="__main__", alter_sys=True)
"""


def _run_without(modules: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKING_RUNNER, modules, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
    )


def test_the_pin_in_the_code_is_the_pin_in_pyproject() -> None:
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = [Requirement(r) for r in pyproject["project"]["optional-dependencies"]["emulator"]]
    moto = [r for r in extra if r.name == "moto"]
    assert len(moto) == 1
    assert "server" in moto[0].extras
    assert str(moto[0].specifier) == f"=={moto_pin.MOTO_VERSION}"


def test_without_moto_the_module_says_how_to_install_it_in_one_line() -> None:
    proc = _run_without("moto")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [f"error: the emulator needs moto; {INSTALL_HINT}"]


def test_without_moto_server_extras_the_module_names_the_missing_one() -> None:
    proc = _run_without("flask")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "error: the emulator needs moto's server extras (no module named 'flask'); "
        "install them with pip install 'neoctl[emulator]'"
    ]


def test_a_moto_without_the_patched_internals_is_refused_naming_the_pin() -> None:
    message = moto_pin.import_failure(ImportError("cannot import name 'CompilationJob'", name="moto.sagemaker.models"))
    assert message is not None
    assert message.startswith(
        f"error: the emulator was written for moto {moto_pin.MOTO_VERSION} (neoctl[emulator] pins it)"
    )
    assert "cannot import name 'CompilationJob'" in message
    assert message.endswith("install the pin with pip install 'neoctl[emulator]'")


def test_an_import_error_inside_neoctl_is_not_blamed_on_moto() -> None:
    assert moto_pin.import_failure(ModuleNotFoundError("No module named 'neoctl.gone'", name="neoctl.gone")) is None


def test_version_warning_names_the_pin_and_the_installed_version() -> None:
    assert moto_pin.version_warning(moto_pin.MOTO_VERSION) is None
    assert moto_pin.version_warning("5.3.0") == (
        f"warning: the emulator was written for moto {moto_pin.MOTO_VERSION} (neoctl[emulator] pins it); "
        "moto 5.3.0 is installed; if it misbehaves, run pip install 'neoctl[emulator]'"
    )
    unknown = moto_pin.version_warning(None)
    assert unknown is not None and "has no version metadata" in unknown


def test_module_warns_once_about_another_moto_and_still_serves() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", OTHER_MOTO_RUNNER, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        assert ready, "the emulator printed no URL"
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    warning = moto_pin.version_warning("9.9.9")
    assert stderr.splitlines()[0] == warning
    assert stderr.count("9.9.9") == 1  # printed once, not again by the warnings module
    assert "Traceback" not in stderr


def test_emulator_start_warns_about_another_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moto_pin, "installed_moto_version", lambda: "9.9.9")
    emulator = Emulator(port=0)
    expected = rf"written for moto {re.escape(moto_pin.MOTO_VERSION)} .*moto 9\.9\.9 is installed"
    with pytest.warns(moto_pin.MotoVersionWarning, match=expected):
        emulator.start()
    emulator.stop()


def test_emulator_start_is_silent_with_the_pinned_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moto_pin, "installed_moto_version", lambda: moto_pin.MOTO_VERSION)
    with warnings.catch_warnings():
        warnings.simplefilter("error", moto_pin.MotoVersionWarning)
        Emulator(port=0).start().stop()
