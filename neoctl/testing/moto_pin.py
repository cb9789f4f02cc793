"""Which moto the emulator was written for, and what to say when another is present.

The emulator replaces methods on moto's internal classes (see patches.py), so it is
only known to work with the moto that the `emulator` extra pins. MOTO_VERSION is the
one copy of that pin in the code; a test checks it against pyproject.toml. This module
imports nothing of moto, so it can report a missing moto.
"""

from __future__ import annotations

import importlib.util
import warnings
from importlib import metadata

MOTO_VERSION = "5.2.1"
INSTALL = "pip install 'neoctl[emulator]'"


class MotoVersionWarning(RuntimeWarning):
    """The installed moto is not the one the emulator was written for."""


def installed_moto_version() -> str | None:
    """moto's version from its distribution metadata; None when that is missing."""
    try:
        return metadata.version("moto")
    except metadata.PackageNotFoundError:
        return None


def moto_importable() -> bool:
    """True when `import moto` can find the package (it is not imported here)."""
    try:
        return importlib.util.find_spec("moto") is not None
    except (ImportError, ValueError):
        return False


def version_warning(installed: str | None) -> str | None:
    """The warning for an installed moto other than the pinned one; None when it matches."""
    if installed == MOTO_VERSION:
        return None
    found = f"moto {installed} is installed" if installed else "the installed moto has no version metadata"
    return (
        f"warning: the emulator was written for moto {MOTO_VERSION} (neoctl[emulator] pins it); "
        f"{found}; if it misbehaves, run {INSTALL}"
    )


def warn_if_unpinned() -> None:
    """Issue a MotoVersionWarning when the installed moto differs from the pin.

    A warning, not a refusal: the patches touch a few moto classes, and a newer moto
    usually still serves; the message names the pin so a failure can be traced to it.
    """
    message = version_warning(installed_moto_version())
    if message is not None:
        warnings.warn(message.removeprefix("warning: "), MotoVersionWarning, stacklevel=3)


def import_failure(exc: ImportError) -> str | None:
    """The one-line error for an ImportError raised while importing the emulator.

    None when the failure is not about moto or its server extras (a bug in neoctl,
    which should surface with its traceback).
    """
    missing = exc.name or ""
    if missing.startswith("neoctl"):
        return None
    if isinstance(exc, ModuleNotFoundError):
        if missing == "moto" or not moto_importable():
            return f"error: the emulator needs moto; install it with {INSTALL}"
        if not missing.startswith("moto."):
            return (
                f"error: the emulator needs moto's server extras (no module named {missing!r}); "
                f"install them with {INSTALL}"
            )
    # moto is there but lacks an internal the emulator patches: a different moto.
    return (
        f"error: the emulator was written for moto {MOTO_VERSION} (neoctl[emulator] pins it) and cannot "
        f"load with moto {installed_moto_version() or '(unknown version)'}: {exc}; install the pin with {INSTALL}"
    )
