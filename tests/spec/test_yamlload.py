"""yamlload: safe loading with positions, duplicate keys, tags, bombs, encodings."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from neoctl.spec.yamlload import MAX_DEPTH, decode, dotted, load_documents


def one(text: str) -> tuple[object, list[str]]:
    docs, problems = load_documents(text, "f.yaml")
    assert len(docs) <= 1
    return (docs[0].data if docs else None), [p.render() for p in problems]


def test_values_keep_line_and_column_of_value_and_key() -> None:
    docs, problems = load_documents("a: 1\nb:\n  c: [x, {d: y}]\n", "f.yaml")
    assert problems == []
    doc = docs[0]
    assert doc.data == {"a": 1, "b": {"c": ["x", {"d": "y"}]}}
    assert doc.where(("a",)) == (1, 4)
    assert doc.where(("b", "c", 1, "d")) == (3, 14)
    assert doc.where(("b", "c"), key=True) == (3, 3)
    # A path that does not exist falls back to its nearest ancestor.
    assert doc.where(("b", "c", 0, "missing")) == (3, 7)


def test_raw_text_and_plain_flag_remember_how_a_scalar_was_written() -> None:
    docs, _ = load_documents('v: 1.10\nq: "1.10"\n', "f.yaml")
    doc = docs[0]
    assert doc.data == {"v": 1.1, "q": "1.10"}
    assert doc.raw[("v",)] == "1.10"
    assert ("v",) in doc.plain
    assert ("q",) not in doc.plain


def test_dates_stay_text() -> None:
    data, problems = one("when: 2024-01-01\n")
    assert data == {"when": "2024-01-01"}
    assert problems == []


def test_duplicate_key_names_both_lines_and_points_at_the_second() -> None:
    _, problems = one("name: a\nrole: r\nname: b\n")
    assert problems == ["f.yaml:3:1: name: duplicate key name on lines 1 and 3 (keep one of them)"]


def test_duplicate_nested_key_has_its_dotted_path() -> None:
    _, problems = one("output:\n  target: a\n  target: b\n")
    assert problems == ["f.yaml:3:3: output.target: duplicate key target on lines 2 and 3 (keep one of them)"]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ('x: !!python/object/apply:os.system ["touch neoctl-pwned-marker"]\n', "!!python/object/apply:os.system"),
        ("x: !!python/name:os.system\n", "!!python/name:os.system"),
        ("x: !!binary aGVsbG8=\n", "!!binary"),
        ("x: !!set {a, b}\n", "!!set"),
        ("x: !custom thing\n", "!custom"),
        ("x: !ruby/object:Gem::Installer {}\n", "!ruby/object:Gem::Installer"),
    ],
)
def test_tags_are_refused_and_never_constructed(
    text: str, tag: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data, problems = one(text)
    assert data == {"x": None}
    assert problems == [
        f"f.yaml:1:4: x: the YAML tag {tag} is not allowed (job specs hold plain data only; remove the tag)"
    ]
    assert list(tmp_path.iterdir()) == []


HANG_GUARD = 30.0


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    start = time.perf_counter()
    docs, problems = load_documents("\n".join(lines) + "\n", "f.yaml")
    # A hang guard, not a speed test (`make bench` measures speed): expanded, this bomb is
    # 9**9 nodes, far past a minute; refused, it takes milliseconds (4 s seen under load).
    assert time.perf_counter() - start < HANG_GUARD
    assert docs == []
    assert len(problems) == 1
    assert "alias bomb" in problems[0].message


def test_merge_bomb_is_bounded() -> None:
    lines = ["k0: &k0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}"]
    for i in range(1, 12):
        lines.append(f"k{i}: &k{i} {{<<: [{', '.join([f'*k{i - 1}'] * 9)}]}}")
    start = time.perf_counter()
    docs, problems = load_documents("\n".join(lines) + "\n", "f.yaml")
    assert time.perf_counter() - start < HANG_GUARD  # merged eagerly it would be 9**11 keys
    assert problems == []
    assert docs[0].data["k11"] == {c: i for i, c in enumerate("abcdefghi", 1)}


def test_alias_inside_its_own_anchor_is_a_problem_not_a_crash() -> None:
    data, problems = one("a: &x [1, *x]\n")
    assert data is None
    assert len(problems) == 1
    assert f"nested more than {MAX_DEPTH} levels" in problems[0]
    assert "own anchor" in problems[0]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_deep_nesting_is_a_problem_not_a_crash(depth: int) -> None:
    data, problems = one("a: " + "[" * depth + "]" * depth + "\n")
    assert data is None
    assert len(problems) == 1
    assert f"nested more than {MAX_DEPTH} levels deep" in problems[0]


def test_nesting_within_the_limit_loads() -> None:
    depth = MAX_DEPTH - 2  # the root mapping and its value take two levels
    data, problems = one("a: " + "[" * depth + "]" * depth + "\n")
    assert problems == []
    assert isinstance(data, dict)


def test_merge_keys_follow_yaml_rules_written_keys_override() -> None:
    text = (
        "base: &base {framework: pytorch, uri: s3://b/m.tar.gz}\n"
        "more: &more {uri: s3://b/other.tar.gz, framework_version: '2.0'}\n"
        "model:\n"
        "  <<: [*base, *more]\n"
        "  framework: onnx\n"
    )
    docs, problems = load_documents(text, "f.yaml")
    assert problems == []
    doc = docs[0]
    # Written keys win; among merged mappings, the first listed wins.
    assert doc.data["model"] == {"framework": "onnx", "uri": "s3://b/m.tar.gz", "framework_version": "2.0"}
    # The overriding value is located where it was written.
    assert doc.where(("model", "framework")) == (5, 14)


def test_merge_key_of_a_scalar_is_a_located_problem() -> None:
    _, problems = one("model:\n  <<: 5\n  a: 1\n")
    assert problems == [
        "f.yaml:2:7: model.<<: a merge key (<<) takes a mapping or a list of mappings "
        "(write <<: *name, where &name marks a mapping)"
    ]


def test_syntax_error_has_line_and_column() -> None:
    docs, problems = load_documents("a: 1\nb:\n  c: 2\n   d: 3\n", "f.yaml")
    assert docs == []
    assert len(problems) == 1
    assert (problems[0].line, problems[0].column) == (4, 5)
    assert problems[0].message.startswith("YAML syntax error")


def test_tab_indentation_says_to_use_spaces() -> None:
    _, problems = one("model:\n\turi: x\n")
    assert len(problems) == 1
    assert problems[0].startswith("f.yaml:2:1: YAML syntax error")
    assert "indent with spaces" in problems[0]


def test_complex_keys_are_refused() -> None:
    _, problems = one("? [a, b]\n: 1\n")
    assert problems == ["f.yaml:1:3: a mapping key must be a plain value"]


def test_every_document_of_a_stream_with_its_index() -> None:
    docs, problems = load_documents("a: 1\n---\n---\nb: 2\n", "f.yaml")
    assert problems == []
    # The empty document is kept as None (load_batch skips it).
    assert [(d.index, d.data) for d in docs] == [(0, {"a": 1}), (1, None), (2, {"b": 2})]
    assert docs[2].where(("b",)) == (4, 4)


def test_a_bad_document_does_not_hide_problems_in_earlier_ones() -> None:
    docs, problems = load_documents("a: 1\na: 2\n---\nb: [\n", "f.yaml")
    assert [p.line for p in problems] == [2, 5]
    assert docs[0].broken


def test_decode_strips_a_utf8_bom() -> None:
    assert decode(b"\xef\xbb\xbfname: x\n", "f") == ("name: x\n", None)


def test_decode_refuses_latin1_naming_line_and_byte() -> None:
    text, problem = decode(b"a: 1\nname: caf\xe9\n", "f.yaml")
    assert text is None
    assert problem is not None
    assert problem.render() == ("f.yaml:2: the file is not UTF-8 (byte 0xe9 at offset 14) (save the file as UTF-8)")


def test_dotted_paths() -> None:
    assert dotted(("Tags", 0, "Key")) == "Tags[0].Key"
    assert dotted(("output", "targets", 2)) == "output.targets[2]"
    assert dotted(()) == ""


@pytest.mark.parametrize(
    ("text", "where", "said"),
    [
        ("name: res\x1bnet\n", "f.yaml:1:10:", "control character 0x1b is not allowed in YAML"),
        ("a: 1\nrole: x\x01y\n", "f.yaml:2:8:", "control character 0x01 is not allowed in YAML"),
        ("a: [1,\n  2\x7f]\n", "f.yaml:2:4:", "control character 0x7f"),
        ("a: \ufffe\n", "f.yaml:1:4:", "character U+FFFE is not allowed"),
    ],
)
def test_unprintable_characters_are_named_with_their_position(text: str, where: str, said: str) -> None:
    data, problems = one(text)
    assert data is None
    assert len(problems) == 1
    assert problems[0].startswith(where), problems
    assert said in problems[0]
    assert "\x1b" not in problems[0] and "\x01" not in problems[0]


def test_keys_that_are_not_text_are_located_and_rendered() -> None:
    docs, problems = load_documents("tags:\n  a: b\n  1.5: x\n  2: y\n", "f.yaml")
    assert problems == []
    doc = docs[0]
    assert doc.where(("tags", 1.5)) == (3, 8)
    assert doc.where(("tags", 2)) == (4, 6)
    assert dotted(("tags", 1.5)) == "tags[1.5]"
    assert dotted(("tags", True)) == "tags[True]"
