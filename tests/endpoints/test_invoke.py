"""endpoints.invoke and api.runtime: the InvokeEndpoint request judged by the runtime model,
the body read within its limit, the answer saved whole, the errors' words."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest

from neoctl.apimodel.runtime import INVOKE, body_limit, load_runtime_model
from neoctl.endpoints import invoke
from neoctl.endpoints.smoke import check_rollback_possible, smoke_request
from neoctl.errors import EXIT_INVALID_INPUT, EXIT_SERVICE, InvalidInput, InvocationFailed


def test_the_body_limit_is_the_runtime_models() -> None:
    model = load_runtime_model()
    members = model.input_shape(INVOKE)["members"]
    assert body_limit() == model.shape(members["Body"])["max"] == 6_291_456
    assert model.shape(members["ContentType"])["max"] == 1024
    assert set(model.input_shape(INVOKE)["required"]) == {"EndpointName", "Body"}


def test_a_body_file_is_read_as_its_bytes(tmp_path: Path) -> None:
    data = bytes(range(256)) * 3 + b"\r\n\x00"
    path = tmp_path / "body.bin"
    path.write_bytes(data)
    assert invoke.read_body(str(path), "--body") == data


def test_a_file_too_big_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.bin"
    with path.open("wb") as fh:  # sparse: 10 MB on the size, nothing on disk
        fh.truncate(10_000_000)
    opened: list[str] = []
    real_open = open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    with pytest.raises(InvalidInput) as err:
        invoke.read_body(str(path), "--body")
    assert err.value.exit_code == EXIT_INVALID_INPUT
    assert f"--body {path} is 10,000,000 bytes: InvokeEndpoint takes at most 6,291,456 bytes" in err.value.message
    assert "nothing was sent" in err.value.message
    assert str(path) not in opened


def test_the_limit_itself_is_allowed_and_one_more_byte_is_not(tmp_path: Path) -> None:
    path = tmp_path / "b"
    path.write_bytes(b"x" * 10)
    assert invoke.read_body(str(path), "--body", limit=10) == b"x" * 10
    path.write_bytes(b"x" * 11)
    with pytest.raises(InvalidInput, match="11 bytes"):
        invoke.read_body(str(path), "--body", limit=10)


def test_stdin_is_read_up_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xff\xfebinary")))
    assert invoke.read_body("-", "--body") == b"\xff\xfebinary"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"y" * 11)))
    with pytest.raises(InvalidInput, match="stdin is more than 10 bytes"):
        invoke.read_body("-", "--body", limit=10)


def test_a_missing_file_names_the_flag(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        invoke.read_body(str(tmp_path / "nope.json"), "--smoke")
    assert err.value.message.startswith(f"--smoke {tmp_path / 'nope.json'}: No such file")


def test_the_request_is_judged_whole_and_named_by_its_flags() -> None:
    request = invoke.build_request("prod", b"{}", "application/json", "application/json", "blue")
    assert request == {
        "EndpointName": "prod",
        "Body": b"{}",
        "ContentType": "application/json",
        "Accept": "application/json",
        "TargetVariant": "blue",
    }
    assert invoke.build_request("prod", b"") == {"EndpointName": "prod", "Body": b""}
    with pytest.raises(InvalidInput) as err:
        invoke.build_request("bad_name!", b"{}", "text/ü", None, "no way")
    message = err.value.message
    assert "ENDPOINT 'bad_name!' does not match" in message
    assert "--content-type 'text/ü' does not match the pattern \\p{ASCII}*" in message
    assert "--variant 'no way' does not match" in message


def test_the_smoke_request_names_deploys_flags(tmp_path: Path) -> None:
    body = tmp_path / "smoke.json"
    body.write_bytes(b'{"x": 1}')
    assert smoke_request("prod", str(body), "application/json")["Body"] == b'{"x": 1}'
    with pytest.raises(InvalidInput) as err:
        smoke_request("prod", str(body), "x" * 1025)
    assert err.value.message.startswith("--smoke-content-type is 1025 characters long; at most 1024")


def test_a_rollback_needs_an_endpoint_that_exists() -> None:
    check_rollback_possible({"Call": {"Operation": "UpdateEndpoint"}}, "prod")
    with pytest.raises(InvalidInput, match="endpoint fresh does not exist yet"):
        check_rollback_possible({"Call": {"Operation": "CreateEndpoint"}}, "fresh")


def test_the_answer_is_saved_whole_and_out_is_checked_first(tmp_path: Path) -> None:
    target = tmp_path / "answer.bin"
    invoke.check_out(str(target))
    invoke.save_body(str(target), b"\x00\x01answer")
    assert target.read_bytes() == b"\x00\x01answer"
    assert [p.name for p in tmp_path.iterdir()] == ["answer.bin"]  # no .part left
    with pytest.raises(InvalidInput, match="is a folder"):
        invoke.check_out(str(tmp_path))
    with pytest.raises(InvalidInput, match="does not exist"):
        invoke.check_out(str(tmp_path / "missing" / "answer.bin"))


def _client_error(code: str, message: str, status: int, **members: Any) -> Any:
    from botocore.exceptions import ClientError

    response: dict[str, Any] = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
        **members,
    }
    return ClientError(response, "InvokeEndpoint")  # type: ignore[arg-type]


def test_a_model_error_says_what_the_container_answered_and_where_it_logged() -> None:
    from neoctl.api.runtime import failure

    exc = _client_error(
        "ModelError",
        'Received client error (400) from primary with message "bad shape". See https://…',
        424,
        OriginalStatusCode=400,
        OriginalMessage="bad shape",
        LogStreamArn="arn:aws:logs:us-east-1:1:log-group:/aws/sagemaker/Endpoints/prod:log-stream:AllTraffic/i-0abc",
    )
    err = failure(exc, "prod")
    assert isinstance(err, InvocationFailed) and err.exit_code == EXIT_SERVICE
    assert err.message == "InvokeEndpoint failed: the model in prod answered 400: bad shape"
    assert err.hint is not None
    assert "/aws/sagemaker/Endpoints/prod" in err.hint and "AllTraffic/i-0abc" in err.hint
    assert "neoctl endpoint logs prod" in err.hint
    assert err.response["OriginalStatusCode"] == 400 and err.response["HTTPStatusCode"] == 424


def test_a_missing_endpoint_and_other_errors() -> None:
    from neoctl.api.runtime import failure

    missing = failure(_client_error("ValidationError", "Endpoint nope of account 1 not found.", 400), "nope")
    assert missing.message == "InvokeEndpoint failed: ValidationError: Endpoint nope of account 1 not found."
    assert missing.hint is not None and "neoctl endpoint list" in missing.hint
    busy = failure(_client_error("ModelNotReadyException", "Model is loading", 429), "prod")
    assert busy.message == "InvokeEndpoint failed: ModelNotReadyException: Model is loading"
    assert busy.hint is not None and "/aws/sagemaker/Endpoints/prod" in busy.hint


def test_the_answer_goes_to_stdout_byte_for_byte() -> None:
    from neoctl.output import Printer

    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8")
    printer = Printer(stdout=stdout, stderr=io.StringIO())
    stdout.write("text first ")
    answer = b"\x89PNG\r\n\x1a\n\x00\xff no newline"
    printer.binary(answer)
    assert raw.getvalue() == b"text first " + answer
