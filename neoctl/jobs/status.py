"""Compilation job statuses: which ones are final, which ones a wait counts as failure."""

from __future__ import annotations

FINISHED = frozenset({"COMPLETED", "FAILED", "STOPPED"})
BAD = frozenset({"FAILED", "STOPPED"})  # a wait on these exits 1 (after `stop`, only FAILED)
