"""The job specs named by -f: the flag's rules, then the batch's warnings printed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neoctl.output import Printer
    from neoctl.spec.batch import Batch


def load_jobs(files: list[str], out: Printer, strict: bool = False) -> Batch:
    """Validate the whole batch (SpecError if anything is wrong); print its warnings,
    or with `strict` refuse them as errors. Local models are listed, not read: see
    neoctl.models.upload.hash_models."""
    from neoctl.errors import SpecError, UsageError
    from neoctl.output.transfer import archive_reading
    from neoctl.spec.batch import load_batch

    if not files:
        raise UsageError("no job spec given", "pass one or more with -f FILE (see examples/)")
    if files.count("-") > 1:
        # The second read of stdin would be empty: one spec would silently vanish.
        raise UsageError("-f - is given more than once: standard input can be read only once, pass it once")
    batch = load_batch(files, hash_models=False, reading=archive_reading(out))
    if strict and batch.warnings:
        raise SpecError(problems=batch.warnings)
    for warning in batch.warnings:
        out.warning(warning.render())
    return batch
