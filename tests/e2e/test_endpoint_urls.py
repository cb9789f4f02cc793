"""Every malformed endpoint URL, from --endpoint-url or any AWS_ENDPOINT_URL* variable neoctl
reads, is exit 252 naming where it came from, before anything is sent; good ones still work."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from neoctl.api.endpoint_url import VARIABLES, check_endpoint_url
from neoctl.errors import InvalidInput
from neoctl.testing import Emulator

from .conftest import run

if TYPE_CHECKING:
    from conftest import EndpointSink

# (URL, what the message says is wrong)
BAD = [
    ("http://[::1", "never closed"),
    ("http://[zz]:80", "[zz] is not an IPv6 address"),
    ("http://[127.0.0.1]:80", "[127.0.0.1] is not an IPv6 address"),
    ("http://[::1]x:80", "after [::1] comes :port"),
    ("http://::1:8765", "must be in brackets"),
    ("http://host]:80", "brackets only surround an IPv6 address"),
    ("http://localhost:99999", "port from 1 to 65535"),
    ("http://localhost:0", "port from 1 to 65535"),
    ("http://localhost:http", "port from 1 to 65535"),
    ("http://localhost:", "nothing follows ':'"),
    ("ftp://localhost", "must be http or https"),
    ("localhost:8080", "must be http or https"),
    ("https://", "needs a host"),
    ("http://:8080", "needs a host"),
    ("http://my host:80", "a space"),
    ("http://localhost:80 ", "a space"),
    (" http://localhost:80", "a space"),
    ("http://user:secret@localhost:80", "no user name or password"),
    ("http://localhost:80/?x=1", "no ?query or #fragment"),
    ("http://my_host:80", "no underscore"),
    ("http://bücher.example", "xn--"),
    ("http://a..b:80", "not a host name"),
    ("http://-a.example:80", "not a host name"),
    ("http://127.0.0.256:80", "not an IPv4 address"),
]
SOURCES = ["--endpoint-url", *VARIABLES]
GOOD = [
    "http://127.0.0.1:8765",
    "http://[::1]:8765",
    "http://[fe80::1%25eth0]:8765",
    "https://sagemaker.us-east-1.amazonaws.com",
    "HTTPS://API.SAGEMAKER.US-EAST-1.AMAZONAWS.COM/",
    "http://localhost:8080/prefix",
    "http://sagemaker.internal.",
    "http://xn--bcher-kva.example",
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(("url", "said"), BAD, ids=[u for u, _ in BAD])
def test_a_malformed_endpoint_url_is_252_naming_its_source_and_nothing_is_sent(
    offline_env: dict[str, str], endpoint_sink: EndpointSink, tmp_path: Path, source: str, url: str, said: str
) -> None:
    if source == "--endpoint-url":
        args, env = ["describe", "some-job", "--endpoint-url", url], offline_env
    else:  # S3's, CloudWatch Logs' and IAM's variables too: describe stops before its first request
        args, env = ["describe", "some-job"], offline_env | {source: url}
    before = endpoint_sink.connections
    res = run(args, env, cwd=tmp_path)
    assert res.code == 252, (source, url, res.code, res.stderr)
    first = res.stderr.splitlines()[0]
    assert first.startswith(f"error: {source} "), res.stderr
    assert said in first, res.stderr
    assert "secret" not in res.stderr  # a password in the URL never reaches a log
    hint = res.stderr.splitlines()[1]
    assert hint.startswith("hint: ") and source in hint
    assert res.stdout == ""
    assert endpoint_sink.connections == before


@pytest.mark.parametrize("url", [u for u, _ in BAD[:3]])
def test_the_flag_is_checked_even_when_nothing_would_be_sent(
    offline_env: dict[str, str], tmp_path: Path, url: str
) -> None:
    # `create --dry-run --aws-cli` prints the flag into every `aws` line: a broken one is refused.
    spec = str(Path(__file__).resolve().parents[2] / "examples" / "pytorch.yaml")
    res = run(["create", "-f", spec, "--dry-run", "--aws-cli", "--endpoint-url", url], offline_env, cwd=tmp_path)
    assert res.code == 252 and res.stderr.startswith("error: --endpoint-url "), res.stderr


def test_an_empty_variable_counts_as_unset(clean_emulator: Emulator, env: dict[str, str]) -> None:
    res = run(["list", "-o", "json"], env | {"AWS_ENDPOINT_URL_SAGEMAKER": "", "AWS_ENDPOINT_URL_S3": ""})
    assert res.code == 0, res.stderr


@pytest.mark.parametrize("url", GOOD)
def test_good_endpoint_urls_pass(url: str) -> None:
    assert check_endpoint_url(url, "--endpoint-url") == url


@pytest.mark.parametrize("source", ["--endpoint-url", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SAGEMAKER"])
def test_the_emulator_url_still_works_from_the_flag_and_the_variables(
    clean_emulator: Emulator, env: dict[str, str], source: str
) -> None:
    url = clean_emulator.endpoint_url
    without = {k: v for k, v in env.items() if k != "AWS_ENDPOINT_URL"}
    args, run_env = (
        (["list", "--endpoint-url", url], without) if source.startswith("--") else (["list"], without | {source: url})
    )
    res = run([*args, "-o", "json"], run_env)
    assert res.code == 0, res.stderr
    assert "CompilationJobSummaries" in res.json()


def test_an_ipv6_literal_passes_the_check_and_is_tried(offline_env: dict[str, str], tmp_path: Path) -> None:
    # Nothing listens on [::1]:9 here: the request is tried (255, unreachable), not refused as malformed.
    res = run(["describe", "some-job", "--endpoint-url", "http://[::1]:9"], offline_env, cwd=tmp_path)
    assert res.code == 255, res.stderr
    assert "not valid" not in res.stderr and "--endpoint-url 'http" not in res.stderr


def test_the_checker_says_invalid_input() -> None:
    with pytest.raises(InvalidInput) as info:
        check_endpoint_url("http://[::1", "AWS_ENDPOINT_URL_S3")
    assert info.value.exit_code == 252
    assert info.value.hint == "fix or unset AWS_ENDPOINT_URL_S3, e.g. AWS_ENDPOINT_URL_S3=http://127.0.0.1:8765"
