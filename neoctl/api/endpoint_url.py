"""Endpoint URLs (--endpoint-url, AWS_ENDPOINT_URL*) checked before any client is made.

botocore takes a malformed URL in several ways: `http://[::1` and `http://[zz]:80` raise a
bare ValueError deep inside client creation, `http://a b:80` or `http://u:p@host` are
sent as they are. Each is refused here with exit 252 naming the flag or the variable it
came from, before anything is sent. Pure: no boto3.
"""

from __future__ import annotations

import ipaddress
import os
import re
from urllib.parse import unquote, urlsplit

from neoctl.errors import InvalidInput

# The services neoctl makes clients for, each with the variables botocore and neoctl read
# for it (botocore spells CloudWatch Logs' CLOUDWATCH_LOGS, neoctl LOGS: both are read).
SERVICE_VARIABLES: dict[str, tuple[str, ...]] = {
    "sagemaker": ("AWS_ENDPOINT_URL_SAGEMAKER",),
    "s3": ("AWS_ENDPOINT_URL_S3",),
    "logs": ("AWS_ENDPOINT_URL_LOGS", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"),
    "iam": ("AWS_ENDPOINT_URL_IAM",),
    "sagemaker-runtime": ("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME",),
    "cloudwatch": ("AWS_ENDPOINT_URL_CLOUDWATCH",),  # the alarms of a traffic policy
}
VARIABLES = ("AWS_ENDPOINT_URL", *(name for names in SERVICE_VARIABLES.values() for name in names))

EXAMPLE = "https://api.sagemaker.us-east-1.amazonaws.com"
LOCAL = "http://127.0.0.1:8765"

# A host name as botocore accepts one (botocore.utils.is_valid_endpoint_url): dot-separated
# labels of 1 to 63 ASCII letters, digits and hyphens, no hyphen first or last; a trailing
# dot (a fully qualified name) allowed. Stricter would refuse what botocore sends.
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def check_endpoint_url(url: str, source: str) -> str:
    """`url` when it is an http(s) URL botocore can send to; InvalidInput (252) naming
    `source` (--endpoint-url or the variable) and what is wrong otherwise."""
    if problem := _problem(url):
        raise InvalidInput(f"{source} {_shown(url)}: {problem}", _hint(source))
    return url


def check_environment(environ: dict[str, str] | None = None) -> None:
    """Every endpoint variable of a service neoctl calls, when set: refused (252) before the
    first client is made, so that no command sends its first request and then stops on
    the endpoint of the next service it needed."""
    env = os.environ if environ is None else environ
    for name in VARIABLES:
        if value := env.get(name):
            check_endpoint_url(value, name)


def _problem(url: str) -> str | None:
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return "it contains a space or a control character (a copy-paste slip?)"
    scheme, sep, _ = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return "the scheme must be http or https, as in http://host:port"
    try:
        parts = urlsplit(url)
    except ValueError:  # brackets that do not pair, or do not hold an IP address
        parts = None
    netloc = parts.netloc if parts else url[len(scheme) + 3 :].split("/", 1)[0]
    if parts and (parts.query or parts.fragment or url.endswith(("?", "#"))):
        return "an endpoint URL has no ?query or #fragment"
    if "@" in netloc:
        return "an endpoint URL takes no user name or password (AWS signs each request instead)"
    return _host_problem(netloc)


def _host_problem(netloc: str) -> str | None:
    if netloc.startswith("["):
        literal, bracket, port = netloc[1:].partition("]")
        if not bracket:
            return "the [ of an IPv6 address is never closed, as in http://[::1]:8765"
        try:  # a zone is written %25eth0 in a URL
            ipaddress.IPv6Address(unquote(literal))
        except ValueError:
            return f"[{literal}] is not an IPv6 address (brackets hold only one, as in http://[::1]:8765)"
        if port and not port.startswith(":"):
            return f"after [{literal}] comes :port or nothing, not {port!r}"
        return _port_problem(port[1:] if port else None)
    if "[" in netloc or "]" in netloc:
        return "brackets only surround an IPv6 address, as in http://[::1]:8765"
    if netloc.count(":") > 1:
        return "an IPv6 address must be in brackets, as in http://[::1]:8765"
    host, colon, port = netloc.partition(":")
    if not host:
        return "the URL needs a host, as in http://127.0.0.1:8765"
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if not host.isascii():
        return f"{host!r}: write a host name with non-ASCII letters in its xn-- (IDNA) form"
    if "_" in host:
        return f"{host!r}: a host name has no underscore (use the address, or a name with hyphens)"
    if len(host) > 255 or not all(_LABEL.fullmatch(label) for label in labels):
        return f"{host!r} is not a host name or an IPv4 address"
    if all(label.isdigit() for label in labels) and not _is_ipv4(host):
        return f"{host!r} is not an IPv4 address"  # no top-level domain is a number: 127.0.0.256 is a slip
    return _port_problem(port if colon else None)


def _is_ipv4(host: str) -> bool:
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


def _port_problem(port: str | None) -> str | None:
    if port is None:
        return None
    if not port:
        return "nothing follows ':': give a port from 1 to 65535, or drop the ':'"
    if not port.isascii() or not port.isdigit() or not 1 <= int(port) <= 65535:
        return f"the port {port!r} is not valid: give a port from 1 to 65535"
    return None


def _shown(url: str) -> str:
    # A password in the URL must not reach the terminal or a CI log.
    return repr(re.sub(r"(?<=://)[^/@]*@", "***@", url))


def _hint(source: str) -> str:
    if source.startswith("--"):
        return f"e.g. {source} {EXAMPLE}, or {LOCAL} for the local emulator"
    return f"fix or unset {source}, e.g. {source}={LOCAL}"
