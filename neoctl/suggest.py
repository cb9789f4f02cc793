"""Near-miss suggestions: `jetson_nanoo` → "did you mean jetson_nano?"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to `word` (case-insensitive), or None when none is near."""
    options = list(choices)
    by_fold = {c.casefold(): c for c in options}
    folded = word.casefold()
    if folded in by_fold:
        return by_fold[folded]
    # Separators are the commonest slip: jetson-nano, ml.c5, JetsonNano.
    squashed = {c.casefold().replace("_", "").replace("-", ""): c for c in options}
    key = folded.replace("_", "").replace("-", "").replace(".", "")
    if key in squashed:
        return squashed[key]
    match = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=0.6)
    return by_fold[match[0]] if match else None


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint for an unknown value, e.g. "did you mean jetson_nano?"."""
    best = closest(word, choices)
    return f"did you mean {best}?" if best is not None and best != word else None


def one_of(choices: Iterable[str], limit: int = 12) -> str:
    """A short list of allowed values for a message."""
    options = list(choices)
    shown = ", ".join(options[:limit])
    return shown + (f", … ({len(options)} in all)" if len(options) > limit else "")
