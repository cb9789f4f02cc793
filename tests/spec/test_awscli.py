"""The `aws sagemaker create-compilation-job` renderer, without a shell: flag names, the
exact argv for a known request, and the values the AWS CLI or zsh would otherwise misread.

The round trips through real shells (and the AWS CLI itself) are in test_awscli_shells.py.
"""

from __future__ import annotations

import json
import re
import shlex

import botocore
import botocore.session
import pytest

from neoctl.errors import InvalidInput
from neoctl.spec.awscli import PARAMFILE_PREFIXES, aws_cli_line, aws_cli_words, flag

KNOWN = {
    "CompilationJobName": "resnet50-ml-c5",
    "RoleArn": "arn:aws:iam::123456789012:role/NeoRole",
    "InputConfig": {
        "S3Uri": "s3://bucket/models/resnet50.tar.gz",
        "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
        "Framework": "PYTORCH",
        "FrameworkVersion": "1.13",
    },
    "OutputConfig": {"S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5"},
    "StoppingCondition": {"MaxRuntimeInSeconds": 900},
    "Tags": [{"Key": "team", "Value": "vision"}],
}


def input_shape():
    model = botocore.session.get_session().get_service_model("sagemaker")
    return model.operation_model("CreateCompilationJob").input_shape


def test_flag_is_the_aws_cli_name_of_every_member_of_the_model():
    members = list(input_shape().members)
    assert {"CompilationJobName", "InputConfig", "ModelPackageVersionArn", "Tags"} <= set(members)
    for member in members:
        assert flag(member) == "--" + botocore.xform_name(member, "-"), member


def test_flag_names_acronyms_as_the_aws_cli_does():
    # Not in today's operation, but a future member like this must not become --k-m-s-key-id.
    assert flag("KMSKeyId") == "--" + botocore.xform_name("KMSKeyId", "-") == "--kms-key-id"


def test_words_of_a_known_request_are_exact():
    assert aws_cli_words(KNOWN, region="eu-west-1", profile="ml", endpoint_url="http://127.0.0.1:4566") == [
        "aws",
        "sagemaker",
        "create-compilation-job",
        "--compilation-job-name",
        "resnet50-ml-c5",
        "--role-arn",
        "arn:aws:iam::123456789012:role/NeoRole",
        "--input-config",
        '{"S3Uri": "s3://bucket/models/resnet50.tar.gz", '
        '"DataInputConfig": "{\\"input0\\": [1, 3, 224, 224]}", '
        '"Framework": "PYTORCH", "FrameworkVersion": "1.13"}',
        "--output-config",
        '{"S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5"}',
        "--stopping-condition",
        '{"MaxRuntimeInSeconds": 900}',
        "--tags",
        '[{"Key": "team", "Value": "vision"}]',
        "--region",
        "eu-west-1",
        "--profile",
        "ml",
        "--endpoint-url",
        "http://127.0.0.1:4566",
    ]


def test_the_line_of_a_known_request_is_exact():
    line = aws_cli_line({"CompilationJobName": "a-b", "StoppingCondition": {"MaxRuntimeInSeconds": 60}})
    assert line == (
        "aws sagemaker create-compilation-job --compilation-job-name a-b "
        """--stopping-condition '{"MaxRuntimeInSeconds": 60}'"""
    )


def test_no_global_option_is_added_unless_given():
    words = aws_cli_words(KNOWN, region=None, profile="", endpoint_url=None)
    assert not {"--region", "--profile", "--endpoint-url"} & set(words)


def test_non_ascii_is_kept_readable_and_data_input_config_is_json_in_json():
    request = {"InputConfig": {"DataInputConfig": json.dumps({"entrée 😀": [1, 3]}, ensure_ascii=False)}}
    words = aws_cli_words(request)
    assert words[-1] == '{"DataInputConfig": "{\\"entrée 😀\\": [1, 3]}"}'
    assert json.loads(json.loads(words[-1])["DataInputConfig"]) == {"entrée 😀": [1, 3]}


@pytest.mark.parametrize("value", ["-abc", "-", "--region", "-a b", "--x=y"])
def test_a_value_starting_with_a_dash_is_joined_to_its_flag(value):
    # argparse (the AWS CLI's parser) takes a separate "-abc" for an option and fails.
    words = aws_cli_words({"CompilationJobName": value}, profile=value)
    assert words[3:] == [f"--compilation-job-name={value}", f"--profile={value}"]


@pytest.mark.parametrize("prefix", PARAMFILE_PREFIXES)
@pytest.mark.parametrize("member", ["CompilationJobName", "RoleArn", "ModelPackageVersionArn"])
def test_a_string_member_the_aws_cli_would_read_from_a_file_or_url_is_refused(member, prefix):
    with pytest.raises(InvalidInput, match=f"{member} starts with {prefix}"):
        aws_cli_words({member: prefix + "/etc/passwd"})


@pytest.mark.parametrize("options", [{}, {"region": "--"}, {"profile": "--"}, {"endpoint_url": "--"}])
def test_a_value_that_is_exactly_two_dashes_is_refused(options):
    # argparse strips "--" from an option's values: the AWS CLI would receive [] instead.
    request = {"CompilationJobName": "--" if not options else "job"}
    with pytest.raises(InvalidInput, match="cannot be given the value --"):
        aws_cli_words(request, **options)


def test_paramfile_prefixes_inside_structures_are_sent_as_they_are():
    # Only a whole argument is resolved as a file/URL; JSON members are not.
    request = {"InputConfig": {"S3Uri": "https://bucket.s3.amazonaws.com/m.tar.gz", "DataInputConfig": "file://x"}}
    assert json.loads(aws_cli_words(request)[-1]) == request["InputConfig"]


@pytest.mark.parametrize("value", ["=ls", "=", "==x", "='"])
def test_a_word_starting_with_equals_is_quoted_for_zsh(value):
    # zsh (EQUALS, on by default) turns an unquoted `=ls` into /usr/bin/ls; shlex.quote leaves it bare.
    line = aws_cli_line({"CompilationJobName": value})
    assert line.split(" ", 4)[4].startswith("'")
    assert shlex.split(line)[4] == value


def test_the_line_splits_back_into_the_words():
    nasty = 'it\'s "q" $HOME $(id) `id` ! \\ \n * ? [a] {b,c} # ; & | < > ~ 😀 \u202e\u00a0\u2028'
    request = {"CompilationJobName": nasty, "RoleArn": "-" + nasty, "Tags": [{"Key": nasty, "Value": ""}]}
    words = aws_cli_words(request, region=nasty, profile="=" + nasty, endpoint_url="")
    assert shlex.split(aws_cli_line(request, region=nasty, profile="=" + nasty, endpoint_url="")) == words


def test_json_values_carry_no_control_characters_or_line_separators():
    # A line reader (str.splitlines splits on U+2028, U+2029, NEL) or a line editor receiving
    # the paste (readline: DEL erases the previous character) must see one plain line.
    odd = "a\x7f b\x1b[31m c\x85 d\u2028 e\u2029 f\n g\t h\x9f"
    request = {
        "InputConfig": {"DataInputConfig": json.dumps({odd: [1]}, ensure_ascii=False)},
        "OutputConfig": {"CompilerOptions": odd},
        "Tags": [{"Key": odd, "Value": odd}],
    }
    line = aws_cli_line(request)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", line)
    assert len(line.splitlines()) == 1
    words = shlex.split(line)
    assert [json.loads(words[i]) for i in (4, 6, 8)] == list(request.values())
