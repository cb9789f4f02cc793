"""The `aws sagemaker create-compilation-job` line that sends exactly a given request.

Each request member becomes its CLI flag; structures and lists are passed as JSON (so
DataInputConfig is JSON text inside JSON), and every word is single-quoted when it needs
to be, so that the line round-trips through bash, zsh, dash and sh — quotes, `$`,
backticks, `!` and non-ASCII included.

What the AWS CLI (v1 and v2) or zsh would otherwise misread:
- a value starting with `-` is taken by argparse for an option ("expected one argument"):
  such a value is written `--flag=value`, one word; a value that is exactly `--` reaches
  the CLI as an empty list whichever way it is written (argparse strips it), so it is refused;
- a string member starting with `file://`, `fileb://`, `http://` or `https://` is replaced
  by that file's or URL's content (the CLI's paramfile feature); no quoting prevents it,
  so such a request is refused (the API patterns of today's string members forbid them);
- zsh expands a word starting with an unquoted `=` into a command's path (EQUALS):
  such a word is quoted, which `shlex.quote` does not do.

JSON values are written without control characters or line separators (json.dumps already
escapes C0; DEL, C1, U+2028 and U+2029 are escaped here): the line stays one line for any
line reader, and a line editor receiving the paste (readline: DEL erases, ESC starts a key
sequence) sees none of them. Top-level strings cannot be escaped that way (the patterns
of CompilationJobName and RoleArn allow no control characters).
"""

from __future__ import annotations

import json
import re
import shlex
from functools import cache
from typing import Any

from neoctl.errors import InvalidInput

# Prefixes the AWS CLI v1 resolves in any top-level argument (v2 keeps the first two).
PARAMFILE_PREFIXES = ("file://", "fileb://", "http://", "https://")
# Raw in json.dumps(ensure_ascii=False) output; always inside a JSON string there.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029]")


@cache
def flag(member: str) -> str:
    """The AWS CLI flag for a request member: CompilationJobName → --compilation-job-name.

    The AWS CLI names its flags with botocore's `xform_name(member, "-")`; using the same
    function keeps acronyms (e.g. `KMSKey`) named as the CLI names them.
    """
    from botocore import xform_name  # deferred: only --aws-cli needs it

    return "--" + str(xform_name(member, "-"))


def aws_cli_words(
    request: dict[str, Any],
    *,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
) -> list[str]:
    """The argv of the `aws` command that sends `request`.

    InvalidInput when the AWS CLI would not receive a value as it is: a string member it
    would read from a file or URL, or a value that is exactly `--`.
    """
    words = ["aws", "sagemaker", "create-compilation-job"]
    for member, value in request.items():
        if isinstance(value, str):
            if value.startswith(PARAMFILE_PREFIXES):
                raise InvalidInput(
                    f"{member} starts with {value.split('//')[0]}//: the AWS CLI would send the "
                    "content of that file or URL instead of the value",
                    "send the request with neoctl itself (without --dry-run --aws-cli)",
                )
            text = value
        else:
            text = _json(value)
        words += _option(flag(member), text)
    for name, option in (("--region", region), ("--profile", profile), ("--endpoint-url", endpoint_url)):
        if option:
            words += _option(name, option)
    return words


def aws_cli_line(request: dict[str, Any], **options: str | None) -> str:
    """One shell-safe line, ready to paste."""
    return " ".join(_quote(word) for word in aws_cli_words(request, **options))


def _json(value: Any) -> str:
    # Non-ASCII stays readable; the escapes decode to the very same characters.
    text = json.dumps(value, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _option(name: str, value: str) -> list[str]:
    if value == "--":
        raise InvalidInput(
            f"{name} cannot be given the value -- on an AWS CLI line (its argument parser drops it)",
            "send the request with neoctl itself (without --dry-run --aws-cli)",
        )
    # argparse reads a separate word starting with "-" as an option, never as a value.
    return [f"{name}={value}"] if value.startswith("-") else [name, value]


def _quote(word: str) -> str:
    # shlex.quote leaves "=x" bare, and zsh would run `=x` through command lookup.
    if word.startswith("="):
        return "'" + word.replace("'", "'\"'\"'") + "'"
    return shlex.quote(word)
