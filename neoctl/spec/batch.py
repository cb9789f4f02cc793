"""Spec files in, validated CreateCompilationJob requests out — all or nothing.

Every document of every file is checked before anything is returned; one bad job
rejects the whole batch with every problem found, so nothing is ever half-sent.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from neoctl.apimodel import ApiModel, load_model
from neoctl.apimodel import check as modelcheck
from neoctl.errors import Problem, SpecError
from neoctl.spec import datainput, neoform, rules
from neoctl.spec.yamlload import MAX_FILE_BYTES, Document, Path, decode, dotted, load_documents

if TYPE_CHECKING:
    from neoctl.models.contents import Reading
    from neoctl.models.plan import Upload

OPERATION = "CreateCompilationJob"
# Members given as YAML structures in the API form are sent as JSON text.
_JSON_MEMBERS = (("InputConfig", "DataInputConfig"), ("OutputConfig", "CompilerOptions"))


@dataclass
class Job:
    """One validated CreateCompilationJob request and where it was written."""

    request: dict[str, Any]
    file: str
    line: int | None
    form: str  # "api" or "neoctl"
    upload: Upload | None = None  # a local model (model.path) to upload before sending

    @property
    def name(self) -> str:
        """The CompilationJobName."""
        return str(self.request["CompilationJobName"])


@dataclass
class Batch:
    """The jobs of one command line, with the warnings found while checking them."""

    jobs: list[Job] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    packed: dict[tuple[str, str], Upload] = field(default_factory=dict)  # (model path, upload_to) → Upload

    def uploads(self) -> list[Upload]:
        """The distinct local models to upload (a fan-out shares one)."""
        return list(self.packed.values())

    def hash_models(self, hasher: Callable[[Upload], object] | None = None) -> None:
        """Compute each local model's input digest (reads every byte once) and put the
        content-addressed S3 URI in its jobs' requests; a no-op once done.

        `hasher(upload)` does the hashing (neoctl.models.upload.hash_upload shows progress);
        default: Upload.hash. Raises InvalidInput when a model cannot be read.
        """
        for upload in self.packed.values():
            if hasher is None:
                upload.hash()
            else:
                hasher(upload)
        from neoctl.models.plan import with_model_uri

        for job in self.jobs:
            if job.upload is not None:
                job.request = with_model_uri(job.request, job.upload)


def read_spec(path: str) -> bytes:
    """The bytes of a spec file ("-" is standard input); OSError when unreadable."""
    if path == "-":
        from neoctl import stdio

        if stdio.stdin_closed():
            raise OSError(errno.EBADF, "standard input is closed (<&-): pass the spec as a file, or pipe it in")
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    with open(path, "rb") as fh:
        return fh.read(MAX_FILE_BYTES + 1)


def load_batch(paths: list[str], *, hash_models: bool = True, reading: Reading | None = None) -> Batch:
    """Validated jobs for every document of every file; SpecError lists all problems.

    A local model (model.path) is listed (names, types, sizes) and checked against the
    archive rules; its contents are read only when `hash_models` (the default), to name
    its S3 object. With hash_models=False (what `validate` does) the requests hold a
    placeholder key segment until Batch.hash_models() runs. A model given as a .tar.gz
    is read whole to list it; `reading` hears of it (neoctl.models.contents.Reading).
    """
    batch = Batch()
    problems: list[Problem] = []
    for path in paths:
        label = "<stdin>" if path == "-" else path
        try:
            data = read_spec(path)
        except OSError as exc:
            problems.append(Problem(label, "", f"cannot read the file: {exc.strerror or exc}"))
            continue
        if len(data) > MAX_FILE_BYTES:
            problems.append(Problem(label, "", f"the file is larger than {MAX_FILE_BYTES:,} bytes"))
            continue
        text, problem = decode(data, label)
        if problem or text is None:
            problems.append(problem or Problem(label, "", "unreadable"))
            continue
        docs, found = load_documents(text, label)
        problems.extend(found)
        if not found and not any(d.data is not None for d in docs):
            problems.append(
                Problem(
                    label,
                    "",
                    "the file is empty: it holds no job spec",
                    hint="see `neoctl schema` or examples/ for the fields",
                )
            )
        for doc in docs:
            if doc.data is not None and not doc.broken:
                _check_document(doc, batch, problems, reading)
    _check_unique_names(batch, problems)
    _check_artifact_keys(batch, problems)
    if problems:
        raise SpecError(problems=_unique(problems))
    if hash_models:
        batch.hash_models()
    return batch


def _check_document(doc: Document, batch: Batch, problems: list[Problem], reading: Reading | None) -> None:
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        line, col = doc.where(())
        problems.append(
            Problem(
                doc.file,
                "",
                f"a job spec must be a mapping of fields, not {kind}",
                line=line,
                column=col,
                hint="write `Field: value` lines, as in examples/",
            )
        )
        return
    nulls = neoform.null_keys(doc.data)
    for path, message, hint, _kind in nulls:
        line, col = doc.where(path, key=True)
        problems.append(Problem(doc.file, dotted((*path[:-1], "~")), message, line, col, hint))
    if nulls:
        return
    model = load_model()
    if _form(doc.data, model) == "api":
        request = _sendable(_api_request(doc.data))
        _check_request(doc, request, {}, model, batch, problems, "api")
        return
    structural = neoform.structure_errors(doc.data)
    output = doc.data.get("output")
    exclusive = [k for k in ("target", "targets", "platform") if isinstance(output, dict) and k in output]
    if len(exclusive) > 1:
        structural.append(
            (
                ("output", exclusive[1]),
                f"give one of target, targets or platform, not {' and '.join(exclusive)}",
                "keep one of them",
                "value",
            )
        )
    for path, message, hint, kind in structural:
        line, col = doc.where(path, key=kind == "key")
        problems.append(Problem(doc.file, dotted(path), message, line, col, hint or _quote_hint(doc, path, message)))
    if structural:
        return
    for path, message, hint, _kind in neoform.repeated_targets(doc.data):
        line, col = doc.where(path)
        problems.append(Problem(doc.file, "output.targets", message, line, col, hint))
    data, upload = _local_model(doc, batch, problems, reading)
    if data is None:
        return
    for translated, origin in neoform.translate(data):
        request = _sendable(translated)
        if upload is not None:
            origin[("InputConfig", "S3Uri")] = ("model", "path")
        _check_request(doc, request, origin, model, batch, problems, "neoctl", upload)


def _local_model(
    doc: Document, batch: Batch, problems: list[Problem], reading: Reading | None
) -> tuple[dict[str, Any] | None, Upload | None]:
    """The spec with model.path listed and named as model.uri (None when that failed).

    No file contents are read here: the URI's key segment is a placeholder until
    Batch.hash_models() computes the input digest."""
    data: dict[str, Any] = doc.data
    model = data.get("model", {})
    if "path" not in model and "upload_to" not in model:
        return data, None

    def problem(key: str, message: str, hint: str | None) -> tuple[None, None]:
        line, col = doc.where(("model", key))
        problems.append(Problem(doc.file, f"model.{key}", message, line, col, hint))
        return None, None

    if "path" not in model:
        return problem("upload_to", "upload_to needs path (the local model to upload)", "add model.path")
    if "upload_to" not in model:
        return problem(
            "path",
            "path needs upload_to (the S3 prefix to upload it under)",
            "add model.upload_to: s3://bucket/prefix/",
        )
    if "uri" in model:
        return problem("path", "give uri or path, not both", "uri names a model already in S3")
    # Relative paths are relative to the spec file, so a spec works from any directory.
    base = os.path.dirname(doc.file) if doc.file != "<stdin>" else ""
    local = os.path.normpath(os.path.join(base, os.path.expanduser(model["path"])))
    key = (local, model["upload_to"])
    if key not in batch.packed:
        from neoctl.errors import NeoctlError
        from neoctl.models.plan import plan_upload

        try:
            # What Neo's loader would find, from names and sizes only: a wrong archive
            # is refused before anything is hashed, uploaded or created.
            contents = _archive_problems(local, str(model.get("framework", "")), reading)
            for level, message, hint in contents:
                line, col = doc.where(("model", "path"))
                found = Problem(doc.file, "model.path", message, line, col, hint)
                (problems if level == "error" else batch.warnings).append(found)
            if any(level == "error" for level, _, _ in contents):
                return None, None
            batch.packed[key] = plan_upload(local, model["upload_to"])
        except NeoctlError as exc:
            return problem("path", exc.message, exc.hint)
    upload = batch.packed[key]
    rest = {k: v for k, v in model.items() if k not in ("path", "upload_to")}
    return data | {"model": rest | {"uri": upload.s3_uri}}, upload


def _support(request: dict[str, Any]) -> list[Any]:
    """Neo's documented support for the framework, version and target (neoctl.spec.support)."""
    from neoctl.spec.support import support_findings

    inp = request.get("InputConfig") or {}
    device = (request.get("OutputConfig") or {}).get("TargetDevice")
    if not inp.get("Framework") or not isinstance(device, str):
        return []  # a model package or a TargetPlatform: no documented matrix applies
    return support_findings(str(inp["Framework"]), inp.get("FrameworkVersion"), device)


def _archive_problems(local: str, framework: str, reading: Reading | None) -> list[tuple[str, str, str]]:
    """(level, message, hint) for what the model archive holds (neoctl.models.contents)."""
    from neoctl.models.contents import check_contents, list_model

    return [(p.level, p.message, p.hint) for p in check_contents(framework, list_model(local, reading))]


def _form(data: dict[str, Any], model: ApiModel) -> str:
    api_keys = set(model.input_shape(OPERATION)["members"])
    keys = {str(k) for k in data}
    if keys & api_keys:
        return "api"
    if keys & neoform.NEO_KEYS:
        return "neoctl"
    # Neither: guess from the spelling, so unknown-field hints come from the right list.
    return "api" if any(k[:1].isupper() for k in keys) else "neoctl"


def _api_request(data: dict[str, Any]) -> dict[str, Any]:
    request = dict(data)
    for parent, key in _JSON_MEMBERS:
        section = request.get(parent)
        if isinstance(section, dict) and isinstance(section.get(key), dict | list):
            request[parent] = dict(section) | {key: datainput.encode(section[key])}
    return request


def _sendable(request: dict[str, Any]) -> dict[str, Any]:
    """The request as it is sent, in either form: a DataInputConfig or CompilerOptions
    written Python-style ({'data': [1, 3, 224, 224]}) as its JSON, and a FrameworkVersion
    of three parts in the two-part form the SageMaker Python SDK sends (1.8.1 → 1.8; see
    neoctl.spec.support.sent_version). Anything else is left for the checks to judge."""
    from neoctl.spec.support import sent_version

    out = dict(request)
    for parent, key in _JSON_MEMBERS:
        section = out.get(parent)
        if isinstance(section, dict) and isinstance(section.get(key), str):
            out[parent] = dict(section) | {key: datainput.as_json(section[key])}
    inp, output = out.get("InputConfig"), out.get("OutputConfig")
    target = output.get("TargetDevice") if isinstance(output, dict) else None
    if isinstance(inp, dict):
        version, framework = inp.get("FrameworkVersion"), inp.get("Framework")
        if isinstance(version, str) and isinstance(framework, str) and isinstance(target, str):
            sent = sent_version(framework, version, target)
            if sent != version:
                out["InputConfig"] = dict(inp) | {"FrameworkVersion": sent}
    return out


def _check_request(
    doc: Document,
    request: dict[str, Any],
    origin: dict[Path, Path],
    model: ApiModel,
    batch: Batch,
    problems: list[Problem],
    form: str,
    upload: Upload | None = None,
) -> None:
    found: list[Problem] = []

    def locate(api_path: Path) -> tuple[Path, str]:
        if not origin:
            return api_path, dotted(api_path)
        for cut in range(len(api_path), -1, -1):
            if api_path[:cut] in origin:
                neo = origin[api_path[:cut]]
                label = dotted(neo)
                api = dotted(api_path)
                return neo, f"{label} ({api})" if api else label
        return (), dotted(api_path)

    def make(path: Path, message: str, hint: str | None) -> Problem:
        where, label = locate(path)
        line, col = doc.where(where, key=message.startswith("unknown field"))
        hint = _quote_hint(doc, where, message) or hint
        if path == ("CompilationJobName",) and where[:2] == ("output", "targets") and hint is None:
            hint = f"the job name {_short(str(request['CompilationJobName']))} is <name>-<target>: shorten or fix name"
        return Problem(doc.file, label, message, line, col, hint)

    def report(path: Path, message: str, hint: str | None) -> None:
        found.append(make(path, message, hint))

    def warn(path: Path, message: str, hint: str | None) -> None:
        batch.warnings.append(make(path, message, hint))

    modelcheck.check(model, model.inputs[OPERATION], request, (), report)
    frameworks = model.enum(OPERATION, "InputConfig", "Framework")
    rules.check(request, frameworks, report, warn)
    if not found:  # the matrix speaks of valid values only
        for finding in _support(request):
            path = tuple(finding.field.split("."))
            (report if finding.level == "error" else warn)(path, finding.message, finding.hint)
    problems.extend(found)
    if not found:
        line, _ = doc.where(locate(("CompilationJobName",))[0])
        batch.jobs.append(Job(request, doc.file, line, form, upload))


def _quote_hint(doc: Document, path: Path, message: str) -> str | None:
    # YAML 1.1 reads 1.10 as the number 1.1 and yes/no/on/off as booleans.
    for kind in ("a number", "a boolean"):
        if message.startswith("must be text, not " + kind) and path in doc.plain:
            raw = doc.raw.get(path, "")
            return f'quote it: "{raw}" — YAML reads an unquoted {raw} as {kind}'
    return None


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_unique_names(batch: Batch, problems: list[Problem]) -> None:
    # One line per repeated name, with its count: a name used 5,000 times is one mistake.
    seen: dict[str, list[Job]] = {}
    for job in batch.jobs:
        seen.setdefault(job.name, []).append(job)
    for name, jobs in seen.items():
        if len(jobs) < 2:
            continue
        first, second = jobs[0], jobs[1]
        times = "twice" if len(jobs) == 2 else f"{len(jobs):,} times"
        problems.append(
            Problem(
                second.file,
                "CompilationJobName",
                f"job name {name} is used {times} in this batch (also {first.file}:{first.line})",
                second.line,
                None,
                "give each job its own name",
            )
        )


def _check_artifact_keys(batch: Batch, problems: list[Problem]) -> None:
    """A problem for each job that would write the compiled model an earlier job of the
    batch writes (neoctl.spec.artifact_key): the last to finish would overwrite the
    others. Each names both jobs, where they are written, and the object."""
    from neoctl.spec.artifact_key import artifact_key

    writers: dict[str, dict[str, Job]] = {}
    for job in batch.jobs:
        key = artifact_key(job.request)
        if key is not None:
            # One job per name: a name used twice is its own problem, and the service
            # would refuse the second job before it wrote anything.
            writers.setdefault(key, {}).setdefault(job.name, job)
    for key, named in writers.items():
        first, *later = named.values()
        for job in later:
            location = str(job.request["OutputConfig"]["S3OutputLocation"]).rstrip("/")
            problems.append(
                Problem(
                    job.file,
                    "output.uri (OutputConfig.S3OutputLocation)"
                    if job.form == "neoctl"
                    else "OutputConfig.S3OutputLocation",
                    f"jobs {first.name} ({first.file}:{first.line}) and {job.name} ({job.file}:{job.line}) "
                    f"would write the same compiled model {key}: Neo names it after the input file and the "
                    "target only, so the last to finish overwrites the other",
                    job.line,
                    None,
                    f"give each job its own output prefix, e.g. {location}/{job.name}/",
                )
            )


def _unique(problems: list[Problem]) -> list[Problem]:
    # A fan-out repeats a shared mistake once per target; say it once.
    return list(dict.fromkeys(problems))


def summary(job: Job) -> dict[str, Any]:
    """What `validate` reports for a job: name, model, target, where it was written."""
    req = job.request
    inp = req.get("InputConfig") or {}
    model = " ".join(str(v) for v in (inp.get("Framework"), inp.get("FrameworkVersion")) if v)
    out = req.get("OutputConfig") or {}
    platform = out.get("TargetPlatform") or {}
    target = out.get("TargetDevice") or "/".join(str(v) for v in platform.values())
    return {
        "CompilationJobName": job.name,
        "Model": model or str(req.get("ModelPackageVersionArn", "")),
        "Target": target,
        "File": job.file,
        "Line": job.line,
    }
