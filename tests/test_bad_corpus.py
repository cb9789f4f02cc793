"""Every bad spec through the CLI: the right exit code and message, no traceback, quick,
bounded memory, no side effect, and nothing sent to SageMaker.

Two corpora: the shared one (../shared/specs/bad, the floor) and ours (tests/specs/bad),
plus a few files generated here because they are awkward to commit. Both `neoctl validate`
and `neoctl create` (without --dry-run) run on each, in this process (tests/inprocess.py);
the installed command runs the whole corpus at once, and the alias bombs under a memory cap.
"""

from __future__ import annotations

import resource
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # fixtures' types; conftest itself is pytest's to import
    from conftest import EndpointSink, Runner

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "specs" / "bad"
OURS = REPO / "tests" / "specs" / "bad"
EXAMPLE = REPO / "examples" / "pytorch.yaml"
COMMANDS = ("validate", "create")
MARKER = "neoctl-pwned-marker"
# A hang guard, not a speed test (speed is `make bench`): the corpus runs 4 processes at
# once, and on a loaded 2-core machine one bad spec took 6-9 s (seen while other test
# suites ran beside it); a hang or a network retry loop takes far longer.
MAX_SECONDS = 30.0


@dataclass(frozen=True)
class Case:
    corpus: str
    name: str
    exit: int
    word: str
    flags: tuple[str, ...] = ()  # e.g. --strict, for rules that warn by default

    @property
    def id(self) -> str:
        return f"{self.corpus}/{self.name}"


def read_expected(folder: Path, corpus: str) -> list[Case]:
    if not (folder / "EXPECTED.tsv").is_file():
        return []
    cases = []
    for line in (folder / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, code, *rest = line.split("\t")
        word = rest[0].strip() if rest else ""
        flags = tuple(rest[1].split()) if len(rest) > 1 else ()
        cases.append(Case(corpus, name, int(code), word, flags))
    return cases


_SPEC = """\
name: {name}
role: arn:aws:iam::123456789012:role/SageMakerNeoRole
model:
  uri: s3://my-bucket/models/resnet50/model.tar.gz
  framework: pytorch
  inputs: {{input0: [1, 3, 224, 224]}}
output:
  uri: s3://my-bucket/compiled/
  target: ml_c5
"""

# Files written at run time: binary encodings and sizes that do not belong in git.
GENERATED: dict[str, tuple[bytes, int, str]] = {
    "g01-latin1.yaml": (_SPEC.format(name="résumé-net").encode("latin-1"), 252, "not UTF-8"),
    "g02-utf16.yaml": (_SPEC.format(name="resnet50").encode("utf-16"), 252, "not UTF-8"),
    "g03-huge-string.yaml": (_SPEC.format(name="a" * 1_000_000).encode(), 252, "at most 63"),
    "g04-over-size-limit.yaml": (_SPEC.format(name="resnet50").encode() + b"#" * (5 << 20) + b"\n", 252, "larger than"),
    # Raw control bytes (a pasted terminal escape): named with their line and column.
    "g05-escape-byte.yaml": (
        _SPEC.format(name="res\x1bnet").encode(),
        252,
        ":1:10: control character 0x1b is not allowed",
    ),
    "g06-soh-byte.yaml": (
        _SPEC.replace("ml_c5", "ml_c5\x01").format(name="r").encode(),
        252,
        ":9:16: control character 0x01",
    ),
}

SHARED_CASES = read_expected(SHARED, "shared")
OUR_CASES = read_expected(OURS, "ours") + [
    Case("generated", name, code, word) for name, (_, code, word) in GENERATED.items()
]
ALL_CASES = SHARED_CASES + OUR_CASES


@pytest.fixture(scope="module")
def generated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    for name, (data, _, _) in GENERATED.items():
        (folder / name).write_bytes(data)
    return folder


def spec_path(case: Case, generated: Path) -> Path:
    return {"shared": SHARED, "ours": OURS, "generated": generated}[case.corpus] / case.name


def test_shared_corpus_is_present() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"the shared bad-spec corpus is not at {SHARED} (a sibling checkout of the repo)")
    listed = {c.name for c in SHARED_CASES}
    assert listed == {p.name for p in SHARED.glob("*.yaml")}, "a shared file is missing from EXPECTED.tsv"
    assert len(listed) >= 22


def test_our_corpus_is_complete() -> None:
    listed = [c.name for c in OUR_CASES if c.corpus == "ours"]
    assert sorted(listed) == sorted(p.name for p in OURS.glob("*.yaml")), "EXPECTED.tsv is out of date"
    assert len(listed) + len(GENERATED) >= 25


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", ALL_CASES, ids=[c.id for c in ALL_CASES])
def test_bad_spec_is_refused(
    case: Case,
    command: str,
    offline_neoctl: Runner,
    generated_dir: Path,
    tmp_path: Path,
    endpoint_sink: EndpointSink,
) -> None:
    # In an empty working dir of its own (03-python-tag would write a marker file there).
    result = offline_neoctl(command, *case.flags, "-f", str(spec_path(case, generated_dir)), cwd=tmp_path)
    assert result.code == case.exit, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip(), "no message at all"
    assert case.word.casefold() in result.stderr.casefold(), result.stderr
    # Each problem names its file; the summary says nothing was sent.
    assert Path(case.name).name in result.stderr
    assert "nothing was sent" in result.stderr
    assert result.stdout == ""
    assert result.seconds < MAX_SECONDS
    assert list(tmp_path.iterdir()) == [], "the command left files in its working dir"
    assert not (tmp_path / MARKER).exists()
    assert endpoint_sink.connections == 0


@pytest.mark.parametrize("command", COMMANDS)
def test_the_installed_command_refuses_the_whole_corpus(
    offline_neoctl: Runner, generated_dir: Path, tmp_path: Path, endpoint_sink: EndpointSink, command: str
) -> None:
    """The installed `neoctl`, one process for every case at once: 252, each file named on
    stderr, nothing on stdout, nothing sent, nothing left in the working dir."""
    paths = [spec_path(case, generated_dir) for case in ALL_CASES if not case.flags]
    result = offline_neoctl(command, *[a for p in paths for a in ("-f", str(p))], cwd=tmp_path, process=True)
    assert result.code == 252, result.stderr
    assert "Traceback" not in result.stderr
    missing = [p.name for p in paths if p.name not in result.stderr]
    assert not missing, result.stderr
    assert "nothing was sent" in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []
    assert endpoint_sink.connections == 0


@pytest.mark.parametrize("name", ["04-alias-bomb.yaml", "n37-alias-bomb-neoform.yaml"])
def test_alias_bomb_fits_in_bounded_memory(offline_neoctl: Runner, tmp_path: Path, name: str) -> None:
    path = (SHARED if name[0].isdigit() else OURS) / name
    if not path.exists():
        pytest.skip(f"{path} is absent")

    def cap_memory() -> None:
        # 512 MiB of address space: a Python + botocore run uses well under half of it,
        # an expanded bomb far more.
        resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))

    result = offline_neoctl("create", "-f", str(path), cwd=tmp_path, preexec_fn=cap_memory)
    assert result.code == 252, result.stderr
    assert "alias bomb" in result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr


@pytest.mark.parametrize(
    "order",
    [("good", "bad"), ("bad", "good"), ("good", "bad", "good")],
    ids=["bad-last", "bad-first", "bad-between"],
)
def test_a_bad_file_beside_valid_ones_sends_nothing(
    offline_neoctl: Runner, endpoint_sink: EndpointSink, tmp_path: Path, order: tuple[str, ...]
) -> None:
    bad = OURS / "n02-target-typo.yaml"
    goods = iter([EXAMPLE, REPO / "examples" / "fanout.yaml"])
    args = [a for role in order for a in ("-f", str(bad if role == "bad" else next(goods)))]
    result = offline_neoctl("create", *args, cwd=tmp_path)
    assert result.code == 252, result.stderr
    assert "n02-target-typo.yaml:9:11" in result.stderr
    assert "did you mean rasp4b" in result.stderr
    assert result.stdout == ""
    assert endpoint_sink.connections == 0


def test_every_problem_of_a_batch_is_listed_at_once(offline_neoctl: Runner, tmp_path: Path) -> None:
    files = ["n01-misspelled-framework.yaml", "n07-duration-typo.yaml", "n28-second-doc-bad.yaml"]
    result = offline_neoctl("validate", *[a for f in files for a in ("-f", str(OURS / f))], cwd=tmp_path)
    assert result.code == 252
    for expected in (
        "n01-misspelled-framework.yaml:5:3: model.framwork",
        "n07-duration-typo.yaml:10:14: max_runtime",
        "n28-second-doc-bad.yaml:13:7: role (RoleArn)",
        "3 problems in the job spec(s); nothing was sent",
    ):
        assert expected in result.stderr
