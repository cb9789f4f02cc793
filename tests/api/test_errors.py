"""botocore's exceptions, built as botocore raises them, turned into neoctl errors."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    DataNotFoundError,
    EndpointConnectionError,
    InvalidRegionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)

from neoctl.api.errors import is_throttling, translate
from neoctl.errors import (
    EXIT_CONFIG,
    EXIT_INVALID_INPUT,
    EXIT_OTHER,
    EXIT_SERVICE,
    ConfigError,
    ConnectionFailure,
    InvalidInput,
    NeoctlError,
    ServiceError,
)

URL = "https://api.sagemaker.us-east-1.amazonaws.com/"


def client_error(operation: str, code: str, message: str = "", status: int = 400) -> ClientError:
    """A ClientError as botocore raises it from a parsed error response."""
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"RequestId": "0d8c3f3e-1111-2222-3333-444455556666", "HTTPStatusCode": status},
    }
    return ClientError(response, operation)


def test_client_error_is_a_service_error_naming_operation_and_code() -> None:
    exc = client_error("CreateCompilationJob", "ValidationException", "1 validation error detected: RoleArn")
    err = translate(exc)
    assert type(err) is ServiceError
    assert err.exit_code == EXIT_SERVICE == 254
    assert err.message == "CreateCompilationJob failed: ValidationException: 1 validation error detected: RoleArn"
    assert (err.operation, err.code) == ("CreateCompilationJob", "ValidationException")
    assert err.hint is None  # no next step is known for this pair


def test_client_error_without_message_or_code_still_reads() -> None:
    err = translate(client_error("ListCompilationJobs", "InternalFailure", "   ", status=500))
    assert isinstance(err, ServiceError)
    assert err.message == "ListCompilationJobs failed: InternalFailure: no message"
    bare = ClientError({"Error": {}}, "DescribeEndpoint")
    err = translate(bare)
    assert isinstance(err, ServiceError)
    assert err.message == "DescribeEndpoint failed: Unknown: no message"


@pytest.mark.parametrize(
    ("operation", "code", "hint"),
    [
        ("DescribeCompilationJob", "ResourceNotFound", "list jobs with `neoctl list --name-contains ...`"),
        ("StopCompilationJob", "ResourceNotFound", "list jobs with `neoctl list --name-contains ...`"),
        ("DescribeEndpoint", "ValidationException", "list endpoints with `neoctl endpoint list`"),
        # These two hold for any operation.
        (
            "CreateCompilationJob",
            "ThrottlingException",
            "wait a little and run the command again; "
            "raise AWS_MAX_ATTEMPTS or set AWS_RETRY_MODE=adaptive to retry longer",
        ),
        (
            "ListCompilationJobs",
            "AccessDeniedException",
            "check the IAM permissions of the credentials in use (`aws sts get-caller-identity`)",
        ),
    ],
)
def test_known_operation_and_code_pairs_carry_the_next_step(operation: str, code: str, hint: str) -> None:
    err = translate(client_error(operation, code, "details from the service"))
    assert isinstance(err, ServiceError)
    assert err.exit_code == EXIT_SERVICE
    assert err.message == f"{operation} failed: {code}: details from the service"
    assert err.hint == hint


def test_a_hint_is_tied_to_its_operation() -> None:
    # ResourceNotFound from another operation must not suggest `neoctl list`.
    err = translate(client_error("DescribeEndpointConfig", "ResourceNotFound", "no such config"))
    assert err is not None and err.hint is None
    err = translate(client_error("CreateEndpoint", "ValidationException", "bad"))
    assert err is not None and err.hint is None


@pytest.mark.parametrize(
    "code",
    [
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "ExpiredTokenException",
        "ExpiredToken",
    ],
)
def test_refused_credentials_are_a_config_error(code: str) -> None:
    err = translate(client_error("ListCompilationJobs", code, "The security token included in the request is invalid."))
    assert type(err) is ConfigError
    assert err.exit_code == EXIT_CONFIG == 253
    assert err.message == (
        f"ListCompilationJobs: the credentials were refused ({code}): "
        "The security token included in the request is invalid."
    )
    assert err.hint == "refresh them (`aws sso login`, new keys) or pick another --profile"


def test_missing_credentials() -> None:
    for exc in (NoCredentialsError(), PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY")):
        err = translate(exc)
        assert type(err) is ConfigError
        assert err.exit_code == EXIT_CONFIG
        assert err.message == "no AWS credentials were found"
        assert err.hint is not None and "AWS_PROFILE" in err.hint and "aws configure" in err.hint


def test_unknown_profile_names_the_profile() -> None:
    err = translate(ProfileNotFound(profile="neo-staging"))
    assert type(err) is ConfigError
    assert err.exit_code == EXIT_CONFIG
    assert err.message == "the AWS profile was not found: The config profile (neo-staging) could not be found"
    assert err.hint == "check --profile / AWS_PROFILE"


def test_no_region_and_invalid_region() -> None:
    err = translate(NoRegionError())
    assert type(err) is ConfigError
    assert err.exit_code == EXIT_CONFIG
    assert (err.message, err.hint) == ("no AWS region is configured", "pass --region or set AWS_REGION")
    err = translate(InvalidRegionError(region_name="us east 1"))
    assert type(err) is ConfigError
    assert err.exit_code == EXIT_CONFIG
    assert err.message.startswith("the region is not valid: ")
    assert "'us east 1'" in err.message
    assert err.hint == "e.g. --region us-east-1"


@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (
            EndpointConnectionError(endpoint_url=URL),
            f'could not reach the endpoint: Could not connect to the endpoint URL: "{URL}"',
        ),
        (ConnectionClosedError(endpoint_url=URL), "could not reach the endpoint: "),
        (
            ReadTimeoutError(endpoint_url=URL),
            f'the endpoint did not answer in time: Read timeout on endpoint URL: "{URL}"',
        ),
        (ConnectTimeoutError(endpoint_url=URL), "the endpoint did not answer in time: "),
    ],
)
def test_network_failures_name_the_endpoint(exc: Exception, message: str) -> None:
    err = translate(exc)
    assert type(err) is ConnectionFailure
    assert err.exit_code == EXIT_OTHER == 255
    assert err.message.startswith(message)
    assert URL in err.message
    assert err.hint is not None


def test_connection_hint_points_at_the_endpoint_settings() -> None:
    err = translate(EndpointConnectionError(endpoint_url=URL))
    assert err is not None
    assert err.hint == "check --endpoint-url / AWS_ENDPOINT_URL and the network"


def test_parameter_validation_is_invalid_input_with_botocores_report() -> None:
    report = "Invalid length for parameter CompilationJobName, value: 0, valid min length: 1"
    err = translate(ParamValidationError(report=report))
    assert type(err) is InvalidInput
    assert err.exit_code == EXIT_INVALID_INPUT == 252
    assert err.message == f"invalid request parameters: Parameter validation failed:\n{report}"


def test_other_botocore_errors_keep_their_class_name() -> None:
    err = translate(DataNotFoundError(data_path="sagemaker/2017-07-24/service-2"))
    assert type(err) is NeoctlError
    assert err.exit_code == EXIT_OTHER
    assert err.message == "DataNotFoundError: Unable to load data for: sagemaker/2017-07-24/service-2"


@pytest.mark.parametrize(
    "exc", [ValueError("x"), KeyError("ResponseMetadata"), OSError("disk full"), KeyboardInterrupt()]
)
def test_anything_else_is_not_translated(exc: BaseException) -> None:
    assert translate(exc) is None


@pytest.mark.parametrize("code", ["ThrottlingException", "Throttling", "TooManyRequestsException"])
def test_throttling_codes(code: str) -> None:
    assert is_throttling(client_error("DescribeCompilationJob", code, "Rate exceeded"))


def test_not_throttling() -> None:
    assert not is_throttling(client_error("DescribeCompilationJob", "ValidationException", "bad"))
    assert not is_throttling(client_error("DescribeCompilationJob", "ServiceUnavailable", "busy", status=503))
    assert not is_throttling(ReadTimeoutError(endpoint_url=URL))
    assert not is_throttling(ValueError("Throttling"))
