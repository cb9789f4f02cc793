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
    if repeated_unit(text):
        return None
    pos, total = 0, 0
    for match in _PART.finditer(text):
        if match.start() != pos:
            return None
        total += int(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    return total if pos == len(text) and pos > 0 else None


def repeated_unit(value: object) -> str | None:
    """The unit a duration gives twice ("1d1d" → "d"), or None: such a sum is a typo more
    often than a wish (1h1h for 2h?), so it is refused rather than added up."""
    if not isinstance(value, str):
        return None
    units = [m.group(2) for m in _PART.finditer(value.replace(" ", ""))]
    return next((u for i, u in enumerate(units) if u in units[:i]), None)


def spoken(seconds: float) -> str:
    """A duration as a preview says it: 600 → "10 min", 90 → "1 min 30 s", 5400 → "1 h 30 min"."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs or not parts:
        parts.append(f"{secs} s")
    return " ".join(parts)
