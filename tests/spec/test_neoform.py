"""neoform: the friendly spec form, its schema, and its translation into requests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from jsonschema import Draft202012Validator

from neoctl.errors import Problem
from neoctl.spec.batch import Batch
from neoctl.spec.neoform import SCHEMA, structure_errors, translate

from .samples import NEO, ROLE

Load = Callable[..., Batch]
Problems = Callable[..., list[Problem]]


def test_translation_of_the_main_example_is_exact(load: Load) -> None:
    [job] = load(NEO).jobs
    assert job.form == "neoctl"
    assert job.request == {
        "CompilationJobName": "resnet50",
        "RoleArn": ROLE,
        "InputConfig": {
            "S3Uri": "s3://my-bucket/models/resnet50/model.tar.gz",
            "Framework": "PYTORCH",
            "FrameworkVersion": "2.0",
            "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 86400},  # the documented default: 1 day
        "OutputConfig": {"S3OutputLocation": "s3://my-bucket/compiled/", "TargetDevice": "ml_c5"},
    }
    assert job.line == 1


@pytest.mark.parametrize("spelling", ["pytorch", "PyTorch", "PYTORCH", "pyTorch"])
def test_framework_is_case_insensitive(load: Load, spelling: str) -> None:
    [job] = load(NEO.replace("framework: pytorch", f"framework: {spelling}")).jobs
    assert job.request["InputConfig"]["Framework"] == "PYTORCH"


def test_target_is_case_insensitive(load: Load) -> None:
    [job] = load(NEO.replace("target: ml_c5", "target: ML_C5")).jobs
    assert job.request["OutputConfig"]["TargetDevice"] == "ml_c5"


def test_mxnet_inputs_keep_their_order(load: Load) -> None:
    text = NEO.replace("framework: pytorch", "framework: mxnet").replace(
        "  inputs: {input0: [1, 3, 224, 224]}\n",
        "  inputs:\n    data: [1, 3, 600, 800]\n    im_info: [1, 3]\n    anchors: [9, 4]\n",
    )
    [job] = load(text).jobs
    assert job.request["InputConfig"]["DataInputConfig"] == (
        '{"data": [1, 3, 600, 800], "im_info": [1, 3], "anchors": [9, 4]}'
    )


def test_pytorch_list_form(load: Load) -> None:
    text = NEO.replace(
        "  inputs: {input0: [1, 3, 224, 224]}\n", "  inputs:\n    - [1, 3, 224, 224]\n    - [1, 3, 160, 160]\n"
    )
    [job] = load(text).jobs
    assert job.request["InputConfig"]["DataInputConfig"] == "[[1, 3, 224, 224], [1, 3, 160, 160]]"


def test_inputs_given_as_json_text_are_sent_verbatim(load: Load) -> None:
    text = NEO.replace("inputs: {input0: [1, 3, 224, 224]}", """inputs: '{"input0":[1,3,224,224]}'""")
    [job] = load(text).jobs
    assert job.request["InputConfig"]["DataInputConfig"] == '{"input0":[1,3,224,224]}'


def test_layout_slip_is_a_warning_and_the_job_is_still_valid(load: Load) -> None:
    batch = load(NEO.replace("[1, 3, 224, 224]", "[1, 224, 224, 3]"))
    assert [job.name for job in batch.jobs] == ["resnet50"]
    [warning] = batch.warnings
    assert warning.render().startswith(
        "job0.yaml:7:11: model.inputs (InputConfig.DataInputConfig): "
        "DataInputConfig input 'input0' [1, 224, 224, 3] looks channels-last"
    )
    assert warning.hint == "did you mean [1, 3, 224, 224]?"


def test_fan_out_names_one_job_per_target(load: Load) -> None:
    text = NEO.replace("  target: ml_c5\n", "  targets: [ml_c5, jetson_nano, rasp4b, ml_inf2]\n")
    jobs = load(text).jobs
    assert [j.name for j in jobs] == ["resnet50-ml-c5", "resnet50-jetson-nano", "resnet50-rasp4b", "resnet50-ml-inf2"]
    assert [j.request["OutputConfig"]["TargetDevice"] for j in jobs] == ["ml_c5", "jetson_nano", "rasp4b", "ml_inf2"]
    # Everything else is shared.
    assert all(j.request["InputConfig"] == jobs[0].request["InputConfig"] for j in jobs)


def test_fan_out_with_a_platform_target(load: Load) -> None:
    text = NEO.replace(
        "  target: ml_c5\n",
        "  targets:\n    - jetson_nano\n    - {os: linux, arch: arm64, accelerator: nvidia}\n"
        "  compiler_options: {gpu-code: sm_72, trt-ver: 7.1.3, cuda-ver: '10.2'}\n",  # NVIDIA needs them
    )
    jobs = load(text).jobs
    assert [j.name for j in jobs] == ["resnet50-jetson-nano", "resnet50-linux-arm64-nvidia"]
    assert jobs[1].request["OutputConfig"] == {
        "S3OutputLocation": "s3://my-bucket/compiled/",
        "CompilerOptions": '{"gpu-code": "sm_72", "trt-ver": "7.1.3", "cuda-ver": "10.2"}',
        "TargetPlatform": {"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"},
    }


def test_fan_out_derived_name_too_long_points_at_the_target(problems: Problems) -> None:
    name = "r" * 50  # + "-ml-c5" = 56 is fine; + "-jetson-xavier" = 64 is not
    text = NEO.replace("name: resnet50", f"name: {name}").replace(
        "  target: ml_c5\n", "  targets:\n    - ml_c5\n    - jetson_xavier\n"
    )
    [problem] = problems(text)
    assert (problem.line, problem.column) == (12, 7)
    assert problem.path == "output.targets[1] (CompilationJobName)"
    assert problem.message == "is 64 characters long; at most 63 are allowed"
    assert problem.hint is not None and f"{name}-jetson-xavier" in problem.hint


def test_fan_out_to_the_same_target_twice_is_one_problem(problems: Problems) -> None:
    text = NEO.replace("  target: ml_c5\n", "  targets: [ml_c5, ML_C5]\n")
    [problem] = problems(text)
    assert problem.path == "output.targets"
    assert problem.message == "ml_c5 appears twice in targets"
    assert problem.hint == "list each target once"


def test_5000_identical_targets_are_one_line_with_the_count(problems: Problems) -> None:
    listed = ", ".join(["ml_c5"] * 5000)
    text = NEO.replace("  target: ml_c5\n", f"  targets: [{listed}]\n")
    [problem] = problems(text)
    assert problem.render().endswith("output.targets: ml_c5 appears 5,000 times in targets (list each target once)")


def test_repeated_targets_do_not_hide_other_problems(problems: Problems) -> None:
    # Each distinct mistake is still said, once: the repeats and the unknown device.
    text = NEO.replace("  target: ml_c5\n", "  targets: [ml_c5, bogus, ml_c5, bogus, bogus, jetson_nano]\n")
    found = problems(text)
    messages = [p.message for p in found]
    assert "ml_c5 appears twice in targets" in messages
    assert "bogus appears 3 times in targets" in messages
    assert sum("'bogus' is not a valid value" in m for m in messages) == 1
    assert len(found) == 3


def test_platform_instead_of_target(load: Load) -> None:
    text = NEO.replace(
        "  target: ml_c5\n",
        "  platform: {os: android, arch: arm64, accelerator: mali}\n"
        "  compiler_options: {ANDROID_PLATFORM: 28, mattr: [+neon]}\n",
    )
    [job] = load(text).jobs
    assert job.request["OutputConfig"] == {
        "S3OutputLocation": "s3://my-bucket/compiled/",
        "CompilerOptions": '{"ANDROID_PLATFORM": 28, "mattr": ["+neon"]}',
        "TargetPlatform": {"Os": "ANDROID", "Arch": "ARM64", "Accelerator": "MALI"},
    }


def test_compiler_options_text_is_sent_verbatim(load: Load) -> None:
    text = NEO.replace("  target: ml_c5\n", '  target: ml_c5\n  compiler_options: \'{"dtype":"int8"}\'\n')
    [job] = load(text).jobs
    assert job.request["OutputConfig"]["CompilerOptions"] == '{"dtype":"int8"}'


@pytest.mark.parametrize(
    ("given", "seconds"),
    [("900", 900), ("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), ("28d", 2419200)],
)
def test_max_runtime_durations(load: Load, given: str, seconds: int) -> None:
    [job] = load(NEO + f"max_runtime: {given}\n").jobs
    assert job.request["StoppingCondition"] == {"MaxRuntimeInSeconds": seconds}


def test_stopping_condition_from_all_three(load: Load) -> None:
    [job] = load(NEO + "max_runtime: 1h\nmax_wait: 2h\nmax_pending: 30m\n").jobs
    assert job.request["StoppingCondition"] == {
        "MaxRuntimeInSeconds": 3600,
        "MaxWaitTimeInSeconds": 7200,
        "MaxPendingTimeInSeconds": 1800,
    }


def test_max_runtime_over_28_days(problems: Problems) -> None:
    [problem] = problems(NEO + "max_runtime: 29d\n")
    assert problem.render() == (
        "job0.yaml:11:14: max_runtime (StoppingCondition.MaxRuntimeInSeconds): "
        "2505600 seconds is more than 28 days (2419200) (use at most 2419200)"
    )


@pytest.mark.parametrize("given", ["15x", "1s5", "m", "1.5h", "'-1'", "'1h 30m'"])
def test_not_a_duration(problems: Problems, given: str) -> None:
    [problem] = problems(NEO + f"max_runtime: {given}\n")
    assert (problem.path, problem.line, problem.column) == ("max_runtime", 11, 14)
    assert problem.message.endswith("is not a duration")
    assert problem.hint is not None and '"15m"' in problem.hint


@pytest.mark.parametrize("given", [0, -1])
def test_a_runtime_is_at_least_a_second(problems: Problems, given: int) -> None:
    [problem] = problems(NEO + f"max_runtime: {given}\n")
    assert problem.message == f"must be at least 1 second, not {given}"


def test_max_wait_below_max_runtime_is_sent_as_given(load: Load) -> None:
    # Issue 21: "at least the runtime" is a managed Spot *training* rule; a public
    # compilation job ran with 60 < 900. Once a refusal, now neither error nor warning.
    batch = load(NEO + "max_runtime: 2h\nmax_wait: 1h\n")
    [job] = batch.jobs
    assert job.request["StoppingCondition"] == {"MaxRuntimeInSeconds": 7200, "MaxWaitTimeInSeconds": 3600}
    assert batch.warnings == []


def test_schema_no_longer_ties_max_wait_to_max_runtime() -> None:
    assert "max_runtime" not in SCHEMA["properties"]["max_wait"]["description"]


def test_tags_and_vpc(load: Load) -> None:
    text = NEO + (
        "tags:\n  project: vision\n  Kostenstelle: Forschung & Entwicklung\n"
        "vpc:\n  security_groups: [sg-0123456789abcdef0]\n  subnets: [subnet-1, subnet-2]\n"
    )
    [job] = load(text.replace(" & ", " + ")).jobs
    assert job.request["Tags"] == [
        {"Key": "project", "Value": "vision"},
        {"Key": "Kostenstelle", "Value": "Forschung + Entwicklung"},
    ]
    assert job.request["VpcConfig"] == {
        "SecurityGroupIds": ["sg-0123456789abcdef0"],
        "Subnets": ["subnet-1", "subnet-2"],
    }


def test_tag_with_a_bad_character(problems: Problems) -> None:
    [problem] = problems(NEO + "tags:\n  team: vision\n  owner: ml&ops\n")
    assert (problem.path, problem.line) == ("tags.owner (Tags[1].Value)", 13)
    assert "does not match the pattern" in problem.message


def test_model_package_instead_of_a_model(load: Load) -> None:
    package = "arn:aws:sagemaker:us-east-1:123456789012:model-package/resnet50/3"
    text = NEO.split("model:\n")[0] + f"model:\n  package: {package}\n" + "output:" + NEO.split("output:")[1]
    [job] = load(text).jobs
    assert job.request["ModelPackageVersionArn"] == package
    assert "InputConfig" not in job.request


def test_misspelled_key_points_at_the_key_and_suggests(problems: Problems) -> None:
    [problem] = problems(NEO.replace("  framework:", "  framwork:"))
    assert problem.render() == ("job0.yaml:5:3: model.framwork: unknown field framwork (did you mean framework?)")


def test_unquoted_framework_version_gets_a_quote_hint(problems: Problems) -> None:
    [problem] = problems(NEO.replace('framework_version: "2.0"', "framework_version: 1.10"))
    assert problem.render() == (
        "job0.yaml:6:22: model.framework_version: must be text, not a number "
        '(quote it: "1.10" — YAML reads an unquoted 1.10 as a number)'
    )


def test_target_typo_suggests_the_device(problems: Problems) -> None:
    [problem] = problems(NEO.replace("target: ml_c5", "target: jetson_nanoo"))
    assert problem.render() == (
        "job0.yaml:10:11: output.target (OutputConfig.TargetDevice): "
        "'jetson_nanoo' is not a valid value (did you mean jetson_nano?)"
    )


def test_target_and_platform_together(problems: Problems) -> None:
    [problem] = problems(NEO + "  platform: {os: linux, arch: arm64}\n")
    assert (problem.path, problem.line) == ("output.platform", 11)
    assert problem.message == "give one of target, targets or platform, not target and platform"


def test_unknown_key_inside_a_platform_target(problems: Problems) -> None:
    text = NEO.replace("  target: ml_c5\n", "  targets:\n    - {os: linux, arc: arm64}\n")
    found = {(p.path, p.message) for p in problems(text)}
    assert ("output.targets[0].arc", "unknown field arc") in found
    assert ("output.targets[0].arch", "arch is required") in found


def test_bool_dimension_points_at_the_dimension(problems: Problems) -> None:
    [problem] = problems(NEO.replace("[1, 3, 224, 224]", "[1, 3, yes, 224]"))
    assert (problem.path, problem.line, problem.column) == ("model.inputs.input0[2]", 7, 27)
    assert problem.message == "must be a whole number, text or a list, not a boolean"


def test_missing_required_sections(problems: Problems) -> None:
    found = {p.message for p in problems("name: resnet50\n")}
    assert found == {"role is required", "model is required", "output is required"}


def test_schema_is_valid_and_refuses_unknown_keys() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["additionalProperties"] is False
    errors = structure_errors({"name": "a", "role": "r", "model": {}, "output": {"uri": "u"}, "extra": 1})
    assert [(p, m, k) for p, m, _h, k in errors] == [(("extra",), "unknown field extra", "key")]


def test_translate_origin_maps_api_paths_back_to_the_spec() -> None:
    data = {
        "name": "n",
        "role": "r",
        "model": {"uri": "u", "framework": "onnx"},
        "output": {"uri": "o", "targets": ["ml_c5", "rasp4b"]},
        "max_runtime": "1h",
    }
    [(first, origin), (second, _)] = translate(data)
    assert first["CompilationJobName"] == "n-ml-c5"
    assert second["CompilationJobName"] == "n-rasp4b"
    assert origin[("OutputConfig", "TargetDevice")] == ("output", "targets", 0)
    assert origin[("InputConfig", "Framework")] == ("model", "framework")
    assert origin[("StoppingCondition", "MaxRuntimeInSeconds")] == ("max_runtime",)


def test_empty_targets_is_said_in_words() -> None:
    spec = {"name": "a", "role": ROLE, "model": {}, "output": {"uri": "s3://b/", "targets": []}}
    found = [(p, m) for p, m, _, _ in structure_errors(spec)]
    assert found == [(("output", "targets"), "targets is empty: list at least one target device, e.g. [ml_c5]")]


def test_null_keys_are_found_anywhere() -> None:
    from neoctl.spec.neoform import null_keys

    spec = {"model": {"inputs": {None: [1, 3]}}, "output": {"compiler_options": {"a": [{None: 1}]}}}
    paths = [p for p, _, _, _ in null_keys(spec)]
    assert paths == [("model", "inputs", "None"), ("output", "compiler_options", "a", 0, "None")]
    assert null_keys({"model": {"inputs": {"null": [1]}}}) == []  # a quoted "null" is a name
