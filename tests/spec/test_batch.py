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
    return text.replace("name: resnet50\n", f"name: {name}\n", 1).replace(
        "CompilationJobName: resnet50-c5", f"CompilationJobName: {name}"
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
            "output: {uri: 's3://my-bucket/compiled/', target: ml_c5}\n"
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
