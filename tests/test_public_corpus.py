"""Configurations that ran in public pass `neoctl validate --strict` (issue 21).

tests/specs/public/ holds one AWS-API-form spec per public compilation job (or per
Developer Guide example users copy), each naming its `# source:` and `# evidence:`.
neoctl must never refuse nor warn about one of them: `--strict` (what the pre-commit hook
runs) turns every warning into an error. A file that fails here means a rule of neoctl is
wrong, not the file — fix the rule (unless the file misquotes its source).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from neoctl.apimodel import load_model
from neoctl.errors import SpecError
from neoctl.spec.batch import load_batch

if TYPE_CHECKING:  # fixtures' types; conftest itself is pytest's to import
    from conftest import EndpointSink, Runner

PUBLIC = Path(__file__).resolve().parent / "specs" / "public"
FILES = sorted(PUBLIC.glob("*.yaml"))
SOURCE = re.compile(r"^# source: \S", re.MULTILINE)
EVIDENCE = re.compile(r"^# evidence: \S", re.MULTILINE)
PLACEHOLDER = re.compile(r"s3://my-bucket(?=/|$)", re.MULTILINE)


@pytest.fixture(scope="module", autouse=True)
def _model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # The API model cache goes to a tmp dir, never to the home directory.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEOCTL_CACHE_DIR", str(tmp_path_factory.mktemp("neoctl-cache")))
        load_model.cache_clear()
        yield
    load_model.cache_clear()


def test_the_corpus_is_there() -> None:
    assert len(FILES) >= 10, f"expected the public configurations in {PUBLIC}"


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_each_file_names_its_source_and_evidence(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert SOURCE.search(text), f"{path.name} has no '# source:' line"
    assert EVIDENCE.search(text), f"{path.name} has no '# evidence:' line"


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_each_file_passes_strict_validation(path: Path) -> None:
    # What `neoctl validate --strict` does (neoctl.cli.batch.load_jobs): load the batch
    # without hashing local models, then refuse any warning.
    batch = load_batch([str(path)], hash_models=False)
    assert batch.jobs, f"{path.name} holds no job"
    assert [w.render() for w in batch.warnings] == []
    for job in batch.jobs:
        # What is sent is JSON, whichever way the file wrote it (Python-style included).
        for parent, key in (("InputConfig", "DataInputConfig"), ("OutputConfig", "CompilerOptions")):
            text = (job.request.get(parent) or {}).get(key)
            if text is not None:
                json.loads(text)


def test_as_one_batch_only_shared_placeholder_outputs_collide() -> None:
    # The files write to one placeholder bucket (s3://my-bucket/) where the real jobs used
    # each its own account's bucket. Put in one batch, two jobs of different notebooks can
    # then write the same compiled model (both mnist-inf1 examples: s3://my-bucket/
    # model-ml_inf1.tar.gz) — a true collision had they run at once, which neoctl rightly
    # refuses. Nothing else may be refused.
    try:
        load_batch([str(f) for f in FILES], hash_models=False)
    except SpecError as exc:
        assert [p.render() for p in exc.problems if "would write the same compiled model" not in p.message] == []


def test_the_installed_command_passes_them_all_at_once(
    offline_neoctl: Runner, tmp_path: Path, endpoint_sink: EndpointSink
) -> None:
    # One batch (so also: no job name used twice). Each file's copy gets a bucket of its
    # own in place of the shared placeholder (see above); nothing else is changed.
    copies = []
    for i, f in enumerate(FILES):
        copy = tmp_path / f.name
        copy.write_text(PLACEHOLDER.sub(f"s3://my-bucket-{i:02d}", f.read_text(encoding="utf-8")), encoding="utf-8")
        copies.append(copy)
    result = offline_neoctl("validate", "--strict", *[a for f in copies for a in ("-f", str(f))], cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "warning" not in result.stderr.casefold()
    for f in copies:
        assert f"({f}:" in result.stdout, f"{f.name} produced no job"
    assert endpoint_sink.connections == 0
