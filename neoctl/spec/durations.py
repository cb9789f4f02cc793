"""Durations as people write them: 900, "90s", "15m", "2h", "1d", "1h30m"."""

from __future__ import annotations

import re

_PART = re.compile(r"([0-9]+)([smhd])")  # ASCII digits: "²".isdigit() is True
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: object) -> int | None:
    """Seconds for a duration, or None when `value` is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip().replace(" ", "")
    if text.isascii() and text.isdigit():
        return int(text)
    pos, total = 0, 0
    for match in _PART.finditer(text):
        if match.start() != pos:
            return None
        total += int(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    return total if pos == len(text) and pos > 0 else None
