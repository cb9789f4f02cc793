"""batch: every document of every file validated together, all or nothing."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neoctl.errors import EXIT_INVALID_INPUT, Problem, SpecError
from neoctl.spec.batch import Batch, load_batch, summary
from neoctl.spec.yamlload import MAX_FILE_BYTES

from .samples import API, NEO

Load = Callable[..., Batch]
Problems = Callable[..., list[Problem]]
Write = Callable[..., str]


def renamed(text: str, name: str) -> str:
    """The sample job under another name, with its own output prefix (jobs of one batch
    that share an output prefix, target and model file name would overwrite each other)."""
    return (
        text.replace("name: resnet50\n", f"name: {name}\n", 1)
        .replace("CompilationJobName: resnet50-c5", f"CompilationJobName: {name}")
        .replace("s3://my-bucket/compiled/\n", f"s3://my-bucket/compiled/{name}/\n")
    )


def test_documents_and_files_in_order_with_where_they_were_written(load: Load) -> None:
    batch = load(renamed(NEO, "a") + "---\n" + renamed(API, "b"), renamed(NEO, "c"))
    assert [(j.name, j.file, j.line, j.form) for j in batch.jobs] == [
        ("a", "job0.yaml", 1, "neoctl"),
        ("b", "job0.yaml", 12, "api"),
        ("c", "job1.yaml", 1, "neoctl"),
    ]
    assert batch.warnings == []


def test_api_form_is_accepted_as_is(load: Load) -> None:
    [job] = load(API).jobs
    assert job.request == yaml.safe_load(API)


def test_api_form_json_text_is_used_verbatim(load: Load) -> None:
    compact = API.replace("""'{"input0": [1, 3, 224, 224]}'""", """'{"input0":[1,3,224,224]}'""")
    [job] = load(compact).jobs
    assert job.request["InputConfig"]["DataInputConfig"] == '{"input0":[1,3,224,224]}'


def test_api_form_yaml_structures_become_json_text_in_order(load: Load) -> None:
    text = (
        API.replace("Framework: PYTORCH", "Framework: MXNET")
        .replace(
            """  DataInputConfig: '{"input0": [1, 3, 224, 224]}'\n""",
            "  DataInputConfig:\n    data: [1, 3, 600, 800]\n    im_info: [1, 3]\n",
        )
        .replace(
            "  TargetDevice: ml_c5\n",
            "  TargetDevice: jetson_tx2\n  CompilerOptions: {gpu-code: sm_62, trt-ver: 6.0.1}\n",
        )
    )
    [job] = load(text).jobs
    assert job.request["InputConfig"]["DataInputConfig"] == '{"data": [1, 3, 600, 800], "im_info": [1, 3]}'
    assert job.request["OutputConfig"]["CompilerOptions"] == '{"gpu-code": "sm_62", "trt-ver": "6.0.1"}'


def test_api_form_pytorch_list_form_as_yaml(load: Load) -> None:
    text = API.replace("""'{"input0": [1, 3, 224, 224]}'""", "[[1, 3, 224, 224]]")
    [job] = load(text).jobs
    assert job.request["InputConfig"]["DataInputConfig"] == "[[1, 3, 224, 224]]"


def test_api_form_misspelled_member_points_at_the_key(problems: Problems) -> None:
    [problem] = problems(API.replace("StoppingCondition:", "StopingCondition:"))
    assert problem.render() == (
        "job0.yaml:11:1: StopingCondition: unknown field StopingCondition (did you mean StoppingCondition?)"
    )


def test_one_bad_job_rejects_the_batch_and_all_problems_are_listed(write: Write) -> None:
    good = write(renamed(NEO, "good"), "good.yaml")
    bad1 = write(renamed(NEO, "bad1").replace("ml_c5", "ml_c55"), "bad1.yaml")
    bad2 = write(renamed(API, "bad2").replace("model.tar.gz", "model.zip") + "---\n- just a list\n", "bad2.yaml")
    with pytest.raises(SpecError) as info:
        load_batch([good, bad1, bad2])
    assert info.value.exit_code == EXIT_INVALID_INPUT
    assert info.value.message == "3 problems in the job spec(s); nothing was sent"
    assert [(p.file, p.line) for p in info.value.problems] == [("bad1.yaml", 10), ("bad2.yaml", 4), ("bad2.yaml", 14)]


def test_the_same_name_twice_across_documents(problems: Problems) -> None:
    [problem] = problems(NEO + "---\n" + NEO.replace("ml_c5", "rasp4b"))
    assert problem.render() == (
        "job0.yaml:12: CompilationJobName: job name resnet50 is used twice in "
        "this batch (also job0.yaml:1) (give each job its own name)"
    )


def test_the_same_name_twice_across_files(problems: Problems) -> None:
    [problem] = problems(renamed(API, "resnet50"), NEO)
    assert problem.file == "job1.yaml"
    assert "(also job0.yaml:1)" in problem.message


def test_a_file_given_twice_is_a_duplicate(write: Write) -> None:
    path = write(NEO)
    with pytest.raises(SpecError, match="1 problem"):
        load_batch([path, path])


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "---\n...\n"])
def test_empty_files(problems: Problems, text: str) -> None:
    [problem] = problems(text)
    assert problem.message == "the file is empty: it holds no job spec"


def test_an_empty_document_in_a_valid_multi_document_file_is_fine(load: Load) -> None:
    batch = load("---\n" + NEO + "---\n---\n# nothing here\n---\n" + renamed(API, "second"))
    assert [j.name for j in batch.jobs] == ["resnet50", "second"]


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf" + NEO.encode(), NEO.replace("\n", "\r\n").encode()])
def test_bom_and_crlf_files_are_valid(load: Load, data: bytes) -> None:
    [job] = load(data).jobs
    assert job.name == "resnet50"
    assert job.request["OutputConfig"]["TargetDevice"] == "ml_c5"


@pytest.mark.parametrize(
    "data",
    [NEO.replace("resnet50\n", "résumé\n").encode("latin-1"), NEO.encode("utf-16"), b"name: \xff\xfe\n"],
)
def test_non_utf8_files_are_refused_clearly(problems: Problems, data: bytes) -> None:
    [problem] = problems(data)
    assert problem.message.startswith("the file is not UTF-8")
    assert problem.hint == "save the file as UTF-8"


def test_an_unreadable_file(write: Write) -> None:
    with pytest.raises(SpecError) as info:
        load_batch(["missing.yaml", write(NEO)])
    [problem] = info.value.problems
    assert problem.file == "missing.yaml"
    assert problem.message.startswith("cannot read the file")


def test_a_directory_is_not_a_spec(write: Write, tmp_path: Path) -> None:
    write(NEO)
    (tmp_path / "dir").mkdir()
    with pytest.raises(SpecError, match="1 problem") as info:
        load_batch(["dir"])
    assert info.value.problems[0].message.startswith("cannot read the file")


def test_an_oversized_file_is_refused_without_parsing(problems: Problems) -> None:
    [problem] = problems(NEO + "#" * MAX_FILE_BYTES + "\n")
    assert problem.message == f"the file is larger than {MAX_FILE_BYTES:,} bytes"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(NEO.encode())))
    [job] = load_batch(["-"]).jobs
    assert (job.name, job.file) == ("resnet50", "<stdin>")


def test_yaml_problems_stop_that_document_only(problems: Problems) -> None:
    found = problems(
        NEO.replace("name: resnet50", "name: !!binary cmVz")
        + "---\n"
        + renamed(NEO, "second").replace("ml_c5", "ml_c9")
    )
    assert [(p.path, p.line) for p in found] == [("name", 1), ("output.target (OutputConfig.TargetDevice)", 21)]


def test_merge_keys_share_settings_between_documents_of_a_file(load: Load) -> None:
    text = (
        "name: resnet50-c5\n"
        "role: arn:aws:iam::123456789012:role/SageMakerNeoRole\n"
        "model: &model\n"
        "  uri: s3://my-bucket/models/resnet50/model.tar.gz\n"
        "  framework: pytorch\n"
        "  inputs: {input0: [1, 3, 224, 224]}\n"
        "output: {uri: 's3://my-bucket/compiled/', target: ml_c5}\n"
    )
    other = (
        text.replace("&model", "")
        .replace("name: resnet50-c5", "name: resnet50-onnx")
        .replace("framework: pytorch", "framework: pytorch\n  framework_version: '1.13'")
    )
    [job] = load(text).jobs
    assert job.request["InputConfig"]["Framework"] == "PYTORCH"
    merged = (
        text
        + "---\n"
        + other.split("model:")[0]
        + (
            "model:\n  <<: {uri: 's3://my-bucket/models/resnet50/model.tar.gz', framework: pytorch}\n"
            "  framework: onnx\n  inputs: {input0: [1, 3, 224, 224]}\n"
            "output: {uri: 's3://my-bucket/compiled/onnx/', target: ml_c5}\n"
        )
    )
    jobs = load(merged).jobs
    assert jobs[1].request["InputConfig"]["Framework"] == "ONNX"


def test_summary_for_validate(load: Load) -> None:
    text = NEO.replace(
        "  target: ml_c5\n",
        "  platform: {os: linux, arch: arm64, accelerator: nvidia}\n"
        "  compiler_options: {gpu-code: sm_72, trt-ver: 7.1.3, cuda-ver: '10.2'}\n",
    )
    [job] = load(text).jobs
    assert summary(job) == {
        "CompilationJobName": "resnet50",
        "Model": "PYTORCH 2.0",
        "Target": "LINUX/ARM64/NVIDIA",
        "File": "job0.yaml",
        "Line": 1,
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", "a job spec must be a mapping of fields, not a list"),
        ("just text\n", "a job spec must be a mapping of fields, not a single value"),
        ("42\n", "a job spec must be a mapping of fields, not a single value"),
    ],
)
def test_a_document_that_is_not_a_mapping(problems: Problems, text: str, message: str) -> None:
    [problem] = problems(text)
    assert (problem.message, problem.line, problem.column) == (message, 1, 1)


@pytest.mark.parametrize("value", ["null", "5", "[a]", "ml_c5", "targets"])
def test_output_of_the_wrong_type_is_a_problem_not_a_crash(problems: Problems, value: str) -> None:
    found = problems(NEO.split("output:")[0] + f"output: {value}\n")
    assert [p.path for p in found] == ["output"]


# Open-ended input: whatever the YAML, load_batch returns a Batch or raises SpecError.

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["ml_c5", "PYTORCH", "1.10", "15m", "s3://b/m.tar.gz", "<<"]),
)
_keys = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "name",
            "role",
            "model",
            "output",
            "uri",
            "framework",
            "inputs",
            "target",
            "targets",
            "platform",
            "os",
            "arch",
            "tags",
            "max_runtime",
            "max_wait",
            "vpc",
            "package",
            "CompilationJobName",
            "InputConfig",
            "OutputConfig",
            "DataInputConfig",
            "StoppingCondition",
            "TargetPlatform",
            "Tags",
            "Key",
            "Value",
            "CompilerOptions",
        ]
    ),
)
_trees = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=5)),
    max_leaves=25,
)


def _neo_with(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(NEO)
    parent = spec
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return spec


def _check_never_crashes(text: str, tmp_path: Path) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        batch = load_batch([str(path)])
    except SpecError as exc:
        assert exc.problems
        for problem in exc.problems:
            problem.render()
    else:
        assert batch.jobs
        json.dumps([job.request for job in batch.jobs])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=_trees)
def test_arbitrary_yaml_trees_only_raise_spec_error(tree: Any, tmp_path: Path) -> None:
    _check_never_crashes(yaml.safe_dump(tree, allow_unicode=True), tmp_path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    where=st.sampled_from(
        [
            ("name",),
            ("role",),
            ("model",),
            ("model", "uri"),
            ("model", "framework"),
            ("model", "inputs"),
            ("model", "framework_version"),
            ("output",),
            ("output", "target"),
            ("output", "targets"),
            ("output", "platform"),
            ("output", "compiler_options"),
            ("max_runtime",),
            ("max_wait",),
            ("tags",),
            ("vpc",),
        ]
    ),
    value=_trees,
)
def test_a_valid_spec_with_any_part_replaced_only_raises_spec_error(
    where: tuple[str, ...], value: Any, tmp_path: Path
) -> None:
    _check_never_crashes(yaml.safe_dump(_neo_with(where, value), allow_unicode=True), tmp_path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!<>|'\"#,?%@`\n\t 0123")), max_size=60))
def test_arbitrary_yaml_text_only_raises_spec_error(text: str, tmp_path: Path) -> None:
    _check_never_crashes(text, tmp_path)


@pytest.mark.parametrize(("key", "label"), [("1.5", "tags[1.5]"), ("1", "tags[1]"), ("true", "tags[True]")])
def test_tag_keys_that_are_not_text_are_one_problem_at_their_line(problems: Problems, key: str, label: str) -> None:
    found = problems(NEO + f"tags:\n  team: ml\n  {key}: x\n")
    assert len(found) == 1
    assert found[0].path.startswith(label)
    assert found[0].line == NEO.count("\n") + 3
    assert "must be text" in found[0].message


# --- issue 21: what ran in public is accepted and sent as SageMaker takes it ----------------


def test_python_style_members_are_sent_as_json_in_the_api_form(load: Load) -> None:
    # Written as every Developer Guide CLI example writes them.
    text = API.replace("""'{"input0": [1, 3, 224, 224]}'""", """"{'input0':[1,3,224,224]}\"""").replace(
        "  TargetDevice: ml_c5\n", "  TargetDevice: ml_c5\n  CompilerOptions: \"{'dtype': 'long'}\"\n"
    )
    batch = load(text)
    [job] = batch.jobs
    assert job.request["InputConfig"]["DataInputConfig"] == '{"input0": [1, 3, 224, 224]}'
    assert job.request["OutputConfig"]["CompilerOptions"] == '{"dtype": "long"}'
    assert batch.warnings == []


def test_python_style_members_are_sent_as_json_in_the_neoctl_form(load: Load) -> None:
    text = NEO.replace("inputs: {input0: [1, 3, 224, 224]}", """inputs: "{'input0': [1, 3, 224, 224]}\"""").replace(
        "  target: ml_c5\n", "  target: ml_c5\n  compiler_options: \"{'dtype': 'int64'}\"\n"
    )
    [job] = load(text).jobs
    assert job.request["InputConfig"]["DataInputConfig"] == '{"input0": [1, 3, 224, 224]}'
    assert job.request["OutputConfig"]["CompilerOptions"] == '{"dtype": "int64"}'


def test_invalid_in_both_forms_is_still_refused(problems: Problems) -> None:
    [problem] = problems(API.replace("""'{"input0": [1, 3, 224, 224]}'""", """"{'input0': [1, 3, 224, 224]\""""))
    assert problem.path == "InputConfig.DataInputConfig"
    assert problem.message.startswith("DataInputConfig is not valid JSON")


def test_xgboost_with_inputs_is_accepted_and_sent_as_given(load: Load) -> None:
    # Was "XGBOOST takes no DataInputConfig" (tests/specs/bad/n10): the SDK sends one when
    # input_shape is given and those jobs completed.
    neo = NEO.replace("framework: pytorch", "framework: xgboost").replace(
        '  framework_version: "2.0"\n  inputs: {input0: [1, 3, 224, 224]}', "  inputs: {data: [1, 69]}"
    )
    api = (
        renamed(API, "churn")
        .replace("Framework: PYTORCH", "Framework: XGBOOST")
        .replace('  FrameworkVersion: "2.0"\n', "")
        .replace("""'{"input0": [1, 3, 224, 224]}'""", """'{"data": [1, 69]}'""")
    )
    batch = load(neo, api)
    assert [j.request["InputConfig"]["DataInputConfig"] for j in batch.jobs] == ['{"data": [1, 69]}'] * 2
    assert batch.warnings == []


@pytest.mark.parametrize("name", ["model.tgz", "mobilenet_v2_1.0_224_quant.tgz"])
def test_a_tgz_model_is_accepted_in_both_forms(load: Load, name: str) -> None:
    batch = load(NEO.replace("model.tar.gz", name), renamed(API, "api").replace("model.tar.gz", name))
    assert [j.request["InputConfig"]["S3Uri"].rsplit("/", 1)[1] for j in batch.jobs] == [name, name]
    assert batch.warnings == []


def test_zip_is_still_refused_naming_both_archive_names(problems: Problems) -> None:
    [problem] = problems(NEO.replace("model.tar.gz", "model.zip"))
    assert problem.message == "the model artifact must be a .tar.gz (or .tgz) archive, not .zip"


def test_max_wait_below_max_runtime_in_the_api_form(load: Load) -> None:
    # The public job: MaxWaitTimeInSeconds 60 < MaxRuntimeInSeconds 900 ran.
    stop = "  MaxWaitTimeInSeconds: 60\n  MaxRuntimeInSeconds: 900\n"
    batch = load(API.replace("  MaxRuntimeInSeconds: 900\n", stop))
    [job] = batch.jobs
    assert job.request["StoppingCondition"] == {"MaxWaitTimeInSeconds": 60, "MaxRuntimeInSeconds": 900}
    assert batch.warnings == []


@pytest.mark.parametrize(
    ("framework", "given", "target", "sent"),
    [
        ("pytorch", "1.8.1", "ml_c5", "1.8"),  # what the SageMaker Python SDK sends
        ("pytorch", "1.13.1", "ml_g4dn", "1.13"),
        ("tensorflow", "2.9.2", "ml_c5", "2.9"),
        ("tensorflow", "1.15.3", "jetson_nano", "1.15"),
        ("mxnet", "1.5.1", "ml_inf1", "1.5"),  # the SDK sends MXNet's on ml_inf1
        ("pytorch", "1.8", "ml_c5", "1.8"),
        ("mxnet", "1.8.0", "ml_c5", "1.8.0"),  # the SDK never sends MXNet's elsewhere: left alone
        ("onnx", "1.7.0", "ml_c5", "1.7.0"),
        ("pytorch", "1.8.1", "imx8mplus", "1.8.1"),  # the SDK's deny list: left alone
        ("pytorch", "1.8.1", "lambda", "1.8.1"),
    ],
)
def test_framework_version_is_sent_in_the_sdks_two_part_form(
    load: Load, framework: str, given: str, target: str, sent: str
) -> None:
    text = (
        NEO.replace("framework: pytorch", f"framework: {framework}")
        .replace('framework_version: "2.0"', f'framework_version: "{given}"')
        .replace("target: ml_c5", f"target: {target}")
    )
    [job] = load(text).jobs
    assert job.request["InputConfig"]["FrameworkVersion"] == sent


def test_framework_version_1_8_1_gives_no_warning_and_the_api_form_is_trimmed_too(load: Load) -> None:
    neo = NEO.replace('framework_version: "2.0"', 'framework_version: "1.8.1"')
    api = renamed(API, "api").replace('FrameworkVersion: "2.0"', 'FrameworkVersion: "1.8.1"')
    batch = load(neo, api)
    assert [j.request["InputConfig"]["FrameworkVersion"] for j in batch.jobs] == ["1.8", "1.8"]
    assert batch.warnings == []


def test_framework_version_of_a_platform_job_is_left_alone(load: Load) -> None:
    text = NEO.replace('framework_version: "2.0"', 'framework_version: "1.8.1"').replace(
        "  target: ml_c5\n", "  platform: {os: linux, arch: x86_64}\n"
    )
    [job] = load(text).jobs
    assert job.request["InputConfig"]["FrameworkVersion"] == "1.8.1"


# --- jobs of one batch that would write the same compiled model ------------------------------


def test_two_jobs_writing_the_same_compiled_model_are_refused_naming_both(write: Write) -> None:
    first = write(NEO, "first.yaml")
    # Another model in another folder, but the same file name, output prefix and target.
    second = write(
        "# the second team's job\n" + NEO.replace("name: resnet50", "name: resnet50-v2").replace("resnet50/", "v2/"),
        "second.yaml",
    )
    with pytest.raises(SpecError) as info:
        load_batch([first, second])
    [problem] = info.value.problems
    assert info.value.exit_code == EXIT_INVALID_INPUT
    assert problem.render() == (
        "second.yaml:2: output.uri (OutputConfig.S3OutputLocation): jobs resnet50 (first.yaml:1) and "
        "resnet50-v2 (second.yaml:2) would write the same compiled model s3://my-bucket/compiled/model-ml_c5.tar.gz: "
        "Neo names it after the input file and the target only, so the last to finish overwrites the other "
        "(give each job its own output prefix, e.g. s3://my-bucket/compiled/resnet50-v2/)"
    )


def test_a_trailing_slash_does_not_hide_a_collision_across_forms_and_documents(problems: Problems) -> None:
    api = renamed(API, "api-job").replace("s3://my-bucket/compiled/api-job/", "s3://my-bucket/compiled")
    [problem] = problems(NEO + "---\n" + api)
    assert problem.path == "OutputConfig.S3OutputLocation"
    assert "resnet50 (job0.yaml:1) and api-job (job0.yaml:12)" in problem.message
    assert "s3://my-bucket/compiled/model-ml_c5.tar.gz" in problem.message


def test_a_fan_out_job_colliding_with_another_document(problems: Problems) -> None:
    fanout = NEO.replace("  target: ml_c5\n", "  targets: [rasp4b, jetson_nano]\n").replace(
        'framework_version: "2.0"', 'framework_version: "1.8"'
    )
    other = renamed(NEO, "edge").replace("compiled/edge/", "compiled/").replace("target: ml_c5", "target: jetson_nano")
    other = other.replace('framework_version: "2.0"', 'framework_version: "1.8"')
    [problem] = problems(fanout, other)
    assert "resnet50-jetson-nano (job0.yaml:10) and edge (job1.yaml:1)" in problem.message
    assert "model-jetson_nano.tar.gz" in problem.message


def test_each_later_writer_is_a_problem_of_its_own_naming_the_first(problems: Problems) -> None:
    texts = [NEO.replace("name: resnet50", f"name: r{i}") for i in range(4)]
    found = problems(*texts)
    assert [(p.file, p.message.split(" would")[0]) for p in found] == [
        (f"job{i}.yaml", f"jobs r0 (job0.yaml:1) and r{i} (job{i}.yaml:1)") for i in (1, 2, 3)
    ]


def test_a_fan_out_with_one_prefix_and_different_targets_is_fine(load: Load) -> None:
    text = NEO.replace("  target: ml_c5\n", "  targets: [ml_c5, ml_inf1, jetson_nano, rasp4b]\n").replace(
        '  framework_version: "2.0"\n', ""
    )
    assert len(load(text).jobs) == 4


def test_the_same_prefix_and_target_with_different_model_file_names_is_fine(load: Load) -> None:
    other = NEO.replace("name: resnet50", "name: other").replace("resnet50/model.tar.gz", "resnet50/other.tar.gz")
    assert len(load(NEO, other).jobs) == 2


def test_unknowable_keys_never_collide(load: Load) -> None:
    # A .tgz input's output name is unverified: no refusal on a guess.
    tgz = NEO.replace("model.tar.gz", "model.tgz")
    assert len(load(tgz, tgz.replace("name: resnet50", "name: other")).jobs) == 2


def test_local_models_collide_before_they_are_hashed(write: Write, tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "model.pth").write_bytes(name.encode())
    texts = [
        NEO.replace("name: resnet50", f"name: local-{name}").replace(
            "  uri: s3://my-bucket/models/resnet50/model.tar.gz\n",
            f"  path: {name}/\n  upload_to: s3://my-bucket/uploads/\n",
        )
        for name in ("a", "b")
    ]
    paths = [write(text, f"local-{i}.yaml") for i, text in enumerate(texts)]
    with pytest.raises(SpecError) as info:
        load_batch(paths, hash_models=False)
    [problem] = info.value.problems
    assert "local-a (local-0.yaml:1) and local-b (local-1.yaml:1)" in problem.message
    assert "s3://my-bucket/compiled/model-ml_c5.tar.gz" in problem.message
