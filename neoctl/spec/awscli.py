"""The `aws sagemaker create-compilation-job` line that sends exactly a given request.

Each request member becomes its CLI flag; structures and lists are passed as JSON (so
DataInputConfig is JSON text inside JSON), and `shlex.join` quotes every word so that
the line round-trips through bash, zsh, dash and sh — quotes, `$`, backticks, `!` and
non-ASCII included.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

_CAPS = re.compile(r"(?<!^)(?=[A-Z])")


def flag(member: str) -> str:
    """The AWS CLI flag for a request member: CompilationJobName → --compilation-job-name."""
    return "--" + _CAPS.sub("-", member).lower()


def aws_cli_words(
    request: dict[str, Any], *, region: str | None = None, profile: str | None = None,
    endpoint_url: str | None = None,
) -> list[str]:
    """The argv of the `aws` command that sends `request`."""
    words = ["aws", "sagemaker", "create-compilation-job"]
    for member, value in request.items():
        words.append(flag(member))
        words.append(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    for name, value in (("--region", region), ("--profile", profile),
                        ("--endpoint-url", endpoint_url)):
        if value:
            words += [name, value]
    return words


def aws_cli_line(request: dict[str, Any], **options: str | None) -> str:
    """One shell-safe line, ready to paste."""
    return shlex.join(aws_cli_words(request, **options))

PARAMFILE_PREFIXES = ("file://", "fileb://", "http://", "https://")
