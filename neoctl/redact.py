"""Secrets never printed: a log handler for --debug that redacts credentials.

botocore's debug log shows the Authorization header (access key id and signature),
the session token header and, from the credential resolver, key values. Known secrets
are registered as soon as they are resolved and replaced wherever they appear;
patterns catch the rest (keys from a source we did not see, signatures).
"""

from __future__ import annotations

import logging
import re
import sys

MASK = "****"
_secrets: set[str] = set()

_PATTERNS = [
    # Access key ids: AKIA (long-term) and ASIA (temporary) and friends.
    (re.compile(r"\b(AKIA|ASIA|AROA|AIDA|ANPA|AGPA)[A-Z0-9]{12,}\b"), MASK),
    (re.compile(r"(Signature=)[0-9a-fA-F]+"), r"\1" + MASK),
    (re.compile(r"(Credential=)[^/,\s]+"), r"\1" + MASK),
    (
        re.compile(r"((?:X-Amz-Security-Token|x-amz-security-token)['\"]?\s*[:=]\s*['\"]?(?:b')?)[^'\",\s}]+"),
        r"\1" + MASK,
    ),
    (
        re.compile(
            r"((?:aws_secret_access_key|aws_session_token|SecretAccessKey|SessionToken|Token)"
            r"['\"]?\s*[:=]\s*['\"]?)[^'\",\s}]+"
        ),
        r"\1" + MASK,
    ),
]


def register_secret(value: str | None) -> None:
    """Redact this exact value from everything logged from now on."""
    if value and len(value) >= 8:
        _secrets.add(value)


def redact(text: str) -> str:
    """`text` with every known secret and credential-shaped string masked."""
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats a record, then masks secrets in the whole text, arguments included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def install_redacting_log_handler(level: int = logging.DEBUG) -> None:
    """Send botocore/boto3/urllib3 debug logs to stderr through the redactor."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(name)s [%(levelname)s] %(message)s"))
    for name in ("botocore", "boto3", "urllib3", "neoctl"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.addHandler(handler)
        logger.propagate = False
