"""The client factory refuses settings botocore would take but never reach, before any call."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from neoctl.api import session
from neoctl.api.errors import translate
from neoctl.errors import EXIT_CONFIG, EXIT_INVALID_INPUT, ConfigError, InvalidInput

if TYPE_CHECKING:
    from conftest import EndpointSink


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SAGEMAKER", "AWS_PROFILE", "NEOCTL_READ_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKEFAKE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    session.client.cache_clear()  # each test is a new process
    session._session.cache_clear()


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://localhost:99999", "port from 1 to 65535"),
        ("http://localhost:0", "port from 1 to 65535"),
        ("http://localhost:http", "port from 1 to 65535"),
        ("ftp://x", "must be http or https"),
        ("notaurl", "must be http or https"),
        ("https://", "needs a host"),
    ],
)
def test_an_unreachable_endpoint_url_is_invalid_input_naming_the_flag(url: str, said: str) -> None:
    with pytest.raises(InvalidInput) as info:
        session.client(session.AwsOptions(endpoint_url=url))
    assert info.value.exit_code == EXIT_INVALID_INPUT
    assert info.value.message.startswith(f"--endpoint-url {url!r}:")
    assert said in info.value.message


def test_an_endpoint_from_the_environment_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER", "http://localhost:70000")
    with pytest.raises(InvalidInput, match=r"^AWS_ENDPOINT_URL_SAGEMAKER 'http://localhost:70000'"):
        session.client(session.AwsOptions())


def test_good_endpoint_urls_make_a_client() -> None:
    for url in ("http://localhost:8080", "https://api.sagemaker.us-east-1.amazonaws.com", "http://[::1]:9000/"):
        session.client(session.AwsOptions(endpoint_url=url))


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN", "Infinity"])
def test_a_timeout_that_is_not_finite_is_a_config_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("NEOCTL_READ_TIMEOUT", value)
    with pytest.raises(ConfigError, match=r"NEOCTL_READ_TIMEOUT=.*finite") as info:
        session.timeouts()
    assert info.value.exit_code == EXIT_CONFIG


@pytest.mark.parametrize("content", [b"[[[\n", b"\x00\x01\xff\xfe[default\n", b"[default]\nregion\n  = x\n\tbad"])
def test_a_garbage_aws_config_file_is_a_config_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: bytes
) -> None:
    config = tmp_path / "config"
    config.write_bytes(content)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    try:
        session.client(session.AwsOptions())
    except ConfigError as exc:  # already translated
        error = exc
    except Exception as exc:
        translated = translate(exc)
        assert translated is not None, repr(exc)
        error = translated
    else:
        pytest.fail("botocore read this file")
    assert error.exit_code == EXIT_CONFIG
    assert str(config) in error.message


@pytest.mark.parametrize(
    ("where", "named"),
    [("flag", "--region"), ("AWS_REGION", "AWS_REGION"), ("AWS_DEFAULT_REGION", "AWS_DEFAULT_REGION")],
)
def test_an_upper_case_region_is_a_config_error_naming_where_it_was_set(
    monkeypatch: pytest.MonkeyPatch, where: str, named: str
) -> None:
    options = session.AwsOptions(region="US-EAST-1") if where == "flag" else session.AwsOptions()
    monkeypatch.delenv("AWS_REGION", raising=False)
    if where != "flag":
        monkeypatch.setenv(where, "US-EAST-1")
    with pytest.raises(ConfigError) as info:
        session.client(options)
    assert info.value.exit_code == EXIT_CONFIG
    assert info.value.message == (
        f"{named} 'US-EAST-1' is not an AWS region: region names are lower case (did you mean us-east-1?)"
    )


def test_an_upper_case_region_in_the_profile_names_the_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\nregion = Eu-West-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    with pytest.raises(ConfigError, match=r"^the profile's region 'Eu-West-1' .*did you mean eu-west-1\?"):
        session.client(session.AwsOptions())


def test_an_upper_case_region_sends_nothing(
    neoctl_bin: str, offline_env: dict[str, str], own_endpoint_sink: EndpointSink, tmp_path: Path
) -> None:
    env = offline_env | {"AWS_ENDPOINT_URL": own_endpoint_sink.url, "AWS_ENDPOINT_URL_SAGEMAKER": own_endpoint_sink.url}
    proc = subprocess.run(
        [neoctl_bin, "list", "--region", "US-EAST-1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == EXIT_CONFIG, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "error: --region 'US-EAST-1' is not an AWS region: region names are lower case (did you mean us-east-1?)"
    ]
    assert own_endpoint_sink.connections == 0


class _EmptyBody:
    def stream(self, **_: object) -> list[bytes]:
        return [b""]


def _payload_hash_sent(endpoint: str) -> str:
    """The x-amz-content-sha256 a PutObject through neoctl's S3 client carries to `endpoint`
    (answered at the HTTP boundary with an empty 200: nothing leaves the process)."""
    from botocore.awsrequest import AWSResponse

    sent: list[str] = []

    def answer(request: object, **_: object) -> AWSResponse:
        sent.append(request.headers["x-amz-content-sha256"].decode())  # type: ignore[attr-defined]
        return AWSResponse(endpoint, 200, {}, _EmptyBody())

    s3 = session.client(session.AwsOptions(), "s3")
    s3.meta.events.register("before-send.s3.PutObject", answer)
    s3.put_object(Bucket="b", Key="k", Body=b"weights" * 1000)
    return sent[0]


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:8765", "http://localhost:9000", "http://[::1]:9000"])
def test_s3_over_http_to_this_machine_sends_the_payload_unsigned(
    monkeypatch: pytest.MonkeyPatch, endpoint: str
) -> None:
    # as botocore does over HTTPS: hashing every uploaded byte once more bought nothing on loopback
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    assert _payload_hash_sent(endpoint) == "UNSIGNED-PAYLOAD"


@pytest.mark.parametrize("endpoint", ["http://minio.internal:9000", "http://10.0.0.5:9000"])
def test_s3_over_http_to_another_host_keeps_the_payload_signed(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    import hashlib

    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    assert _payload_hash_sent(endpoint) == hashlib.sha256(b"weights" * 1000).hexdigest()


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8765", True),
        ("http://127.1.2.3", True),
        ("HTTP://LOCALHOST:1", True),
        ("http://[::1]:9000/", True),
        ("https://127.0.0.1:8765", False),
        ("http://localhost.example.com", False),
        ("http://10.0.0.5", False),
        ("http://", False),
    ],
)
def test_is_loopback_http(url: str, loopback: bool) -> None:
    assert session.is_loopback_http(url) is loopback


def test_endpoint_url_warning_names_the_services_it_does_not_redirect(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_IAM"):
        monkeypatch.delenv(name, raising=False)
    flag = session.AwsOptions(endpoint_url="http://localhost:8080")
    assert session.endpoint_url_warning(flag, "s3", "iam") == (
        "--endpoint-url applies to SageMaker only; s3 and iam requests go to AWS "
        "unless AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_IAM or AWS_ENDPOINT_URL is set"
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://localhost:9000")
    assert session.endpoint_url_warning(flag, "s3") is None
    assert session.endpoint_url_warning(flag, "s3", "iam") == (
        "--endpoint-url applies to SageMaker only; iam requests go to AWS "
        "unless AWS_ENDPOINT_URL_IAM or AWS_ENDPOINT_URL is set"
    )
    assert session.endpoint_url_warning(session.AwsOptions(), "iam") is None  # no flag, nothing to say
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://localhost:9000")
    assert session.endpoint_url_warning(flag, "iam") is None


@pytest.mark.parametrize(
    ("given", "meant"), [("us-east1", "us-east-1"), ("euwest-1", "eu-west-1"), ("uswest2", "us-west-2")]
)
def test_a_region_no_partition_holds_is_a_config_error_with_the_nearest(
    monkeypatch: pytest.MonkeyPatch, given: str, meant: str
) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    with pytest.raises(ConfigError) as info:
        session.client(session.AwsOptions(region=given))
    assert info.value.exit_code == EXIT_CONFIG
    assert info.value.message == f"--region {given!r} is not an AWS region (did you mean {meant}?)"


def test_a_region_that_fits_a_partition_but_is_not_in_the_data_yet_goes_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A region launched after this botocore was released must not be refused.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    made = session.client(session.AwsOptions(region="eu-west-9", endpoint_url="http://127.0.0.1:9"))
    assert made.meta.region_name == "eu-west-9"
