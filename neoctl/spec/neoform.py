"""The neoctl spec form: its JSON Schema, and its translation into API requests.

The schema checks structure (unknown keys, types); enums, patterns and ranges are
checked afterwards on the API request against the botocore model, so that there is one
source of truth for them and a botocore upgrade needs no change here.
"""

from __future__ import annotations

from typing import Any

from neoctl.spec.datainput import encode
from neoctl.spec.durations import parse_duration, repeated_unit

Path = tuple[str | int, ...]

DEFAULT_MAX_RUNTIME = 86400  # the service's documented default: one day

_DURATION = {
    "description": 'Seconds, or a duration such as "90s", "15m", "2h", "1d", "1h30m".',
    # Each unit at most once: "1d1d" is refused (the lookahead finds a repeated unit).
    "anyOf": [
        {"type": "integer", "minimum": 1},
        {"type": "string", "pattern": r"^([0-9]+|(?!.*([smhd]).*\2)([0-9]+[smhd])+)$"},
    ],
}
_PLATFORM = {
    "type": "object",
    "description": "TargetPlatform: compile for an OS/architecture/accelerator instead of a device.",
    "properties": {
        "os": {"type": "string", "description": "LINUX or ANDROID (see `neoctl devices`)."},
        "arch": {"type": "string", "description": "X86_64, ARM64, ... (see `neoctl devices`)."},
        "accelerator": {"type": "string", "description": "NVIDIA, MALI, ... (optional)."},
    },
    "required": ["os", "arch"],
    "additionalProperties": False,
}
_SHAPE = {"type": "array", "items": {"type": ["integer", "string", "array"]}}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/neoctl/neoctl/schema/job.json",
    "title": "neoctl job spec",
    "description": "One SageMaker Neo compilation job (or one per target with `output.targets`).",
    "type": "object",
    "properties": {
        "name": {"type": "string", "description": "CompilationJobName; with targets, the prefix."},
        "role": {"type": "string", "description": "RoleArn: the IAM role SageMaker assumes."},
        "model": {
            "type": "object",
            "description": "InputConfig, or a model package version.",
            "properties": {
                "uri": {"type": "string", "description": "S3Uri of the model's .tar.gz (or .tgz)."},
                "framework": {
                    "type": "string",
                    "description": "Framework, case-insensitive: pytorch, tensorflow, ... (see `neoctl devices`).",
                },
                "framework_version": {
                    "type": "string",
                    "description": 'FrameworkVersion; quote it ("1.10", not 1.10).',
                },
                "inputs": {
                    "description": "DataInputConfig as YAML: input name → shape "
                    "(TensorFlow/TFLite NHWC, others NCHW); PyTorch may give a list of shapes.",
                    "anyOf": [
                        {"type": "object", "additionalProperties": {"anyOf": [_SHAPE, {"type": "object"}]}},
                        {"type": "array", "items": {"anyOf": [_SHAPE, {"type": "object"}]}},
                        {"type": "string"},
                    ],
                },
                "package": {
                    "type": "string",
                    "description": "ModelPackageVersionArn, instead of uri/framework/inputs.",
                },
                "path": {
                    "type": "string",
                    "description": "A local model instead of uri: a .tar.gz, a model file or a directory "
                    "(relative to the spec file), packed and uploaded under upload_to.",
                },
                "upload_to": {
                    "type": "string",
                    "description": "With path: the S3 prefix the packed model is uploaded under "
                    "(content-addressed: <prefix>/<sha256>/model.tar.gz).",
                },
            },
            "additionalProperties": False,
        },
        "output": {
            "type": "object",
            "description": "OutputConfig.",
            "properties": {
                "uri": {"type": "string", "description": "S3OutputLocation."},
                "target": {"type": "string", "description": "TargetDevice, e.g. ml_c5, jetson_nano."},
                "targets": {
                    "type": "array",
                    "minItems": 1,
                    "description": "One job per target, named <name>-<target>.",
                    "items": {"anyOf": [{"type": "string"}, _PLATFORM]},
                },
                "platform": _PLATFORM,
                "compiler_options": {
                    "description": "CompilerOptions, as YAML (sent as JSON) or a string "
                    "(JSON, or Python-style with single quotes: sent as JSON).",
                    "type": ["object", "string"],
                },
                "kms_key": {"type": "string", "description": "KmsKeyId for the output."},
            },
            "required": ["uri"],
            "additionalProperties": False,
        },
        "vpc": {
            "type": "object",
            "description": "VpcConfig.",
            "properties": {
                "security_groups": {"type": "array", "items": {"type": "string"}},
                "subnets": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["security_groups", "subnets"],
            "additionalProperties": False,
        },
        "max_runtime": _DURATION | {"description": "MaxRuntimeInSeconds (default 1d, at most 28d)."},
        "max_wait": _DURATION | {"description": "MaxWaitTimeInSeconds, sent as given."},
        "max_pending": _DURATION | {"description": "MaxPendingTimeInSeconds."},
        "tags": {
            "type": "object",
            "description": "Tags as key: value.",
            "additionalProperties": {"type": "string"},
        },
    },
    "required": ["name", "role", "model", "output"],
    "additionalProperties": False,
}

# Top-level keys of each form, used to tell the forms apart.
NEO_KEYS = frozenset(SCHEMA["properties"])


def structure_errors(data: dict[str, Any]) -> list[tuple[Path, str, str | None, str]]:
    """Schema violations as (path, message, hint, kind) tuples; kind "key" marks unknown keys."""
    from jsonschema import Draft202012Validator  # deferred: 70 ms, only for this form

    out: list[tuple[Path, str, str | None, str]] = []
    for err in Draft202012Validator(SCHEMA).iter_errors(data):
        _explain(err, out)
    return out


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
}


def _explain(err: Any, out: list[tuple[Path, str, str | None, str]]) -> None:
    from jsonschema import Draft202012Validator

    from neoctl.apimodel.check import type_name
    from neoctl.suggest import did_you_mean, one_of

    path: Path = tuple(err.absolute_path)
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        known = err.schema.get("properties", {})
        for key in err.instance:
            if key not in known:
                hint = did_you_mean(str(key), known) or f"known fields: {one_of(known)}"
                out.append(((*path, str(key)), f"unknown field {key}", hint, "key"))
    elif err.validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        out.append(((*path, missing), f"{missing} is required", None, "value"))
    elif err.validator == "minItems" and path[-1:] == ("targets",):
        out.append(
            (path, "targets is empty: list at least one target device, e.g. [ml_c5]", "or use target: ml_c5", "value")
        )
    elif err.validator == "anyOf" and err.schema.get("anyOf") is _DURATION["anyOf"]:
        value = err.instance
        if isinstance(value, int) and not isinstance(value, bool):
            out.append((path, f"must be at least 1 second, not {value}", None, "value"))
        elif unit := repeated_unit(value):
            out.append((path, f"{value!r} gives the unit {unit} twice", "write each unit once, e.g. 1h30m", "value"))
        else:
            out.append(
                (
                    path,
                    f"{value!r} is not a duration",
                    'give seconds (900) or a duration such as "90s", "15m", "2h", "1d", "1h30m"',
                    "value",
                )
            )
    elif err.validator == "anyOf":
        # Report what is wrong inside the alternative whose type fits, e.g. an unknown
        # key in a platform mapping, rather than "none of the alternatives matched".
        checker = Draft202012Validator.TYPE_CHECKER
        branches = err.schema["anyOf"]
        fits = [i for i, s in enumerate(branches) if any(checker.is_type(err.instance, t) for t in _types(s))]
        inner = [e for e in err.context if fits and e.relative_schema_path[0] == fits[0]]
        if inner:
            for sub in inner:
                _explain(sub, out)
        else:
            wanted = [_TYPE_WORDS.get(t, t) for s in branches for t in _types(s)]
            out.append((path, f"must be {_either(wanted)}, not {type_name(err.instance)}", None, "value"))
    elif err.validator == "type":
        wanted = [_TYPE_WORDS.get(t, t) for t in _types(err.schema)]
        out.append((path, f"must be {_either(wanted)}, not {type_name(err.instance)}", None, "value"))
    else:
        out.append((path, err.message, None, "value"))


def repeated_targets(data: dict[str, Any]) -> list[tuple[Path, str, str | None, str]]:
    """One problem per target listed more than once in `output.targets`, with its count.

    Targets that make the same job name (ml_c5 and ML_C5) count as the same target: each
    repeat would otherwise be reported once per copy (5,000 copies, 4,999 lines).
    """
    out = data.get("output")
    targets = out.get("targets") if isinstance(out, dict) else None
    if not isinstance(targets, list):
        return []
    first: dict[str, int] = {}
    counts: dict[str, int] = {}
    for i, target in enumerate(targets):
        key = _suffix(target)
        first.setdefault(key, i)
        counts[key] = counts.get(key, 0) + 1
    found: list[tuple[Path, str, str | None, str]] = []
    for key, count in counts.items():
        if count > 1:
            target = targets[first[key]]
            label = target if isinstance(target, str) else key
            times = "twice" if count == 2 else f"{count:,} times"
            found.append(
                (
                    ("output", "targets", first[key]),
                    f"{label} appears {times} in targets",
                    "list each target once",
                    "value",
                )
            )
    return found


def null_keys(value: Any, path: Path = ()) -> list[tuple[Path, str, str | None, str]]:
    """Mapping keys YAML read as null (`~:`, `null:`, an empty key), anywhere in a spec:
    JSON would send them as the text "null" (an input named null), never what was meant."""
    out: list[tuple[Path, str, str | None, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key is None:
                out.append(
                    (
                        (*path, "None"),
                        f"a key in {'.'.join(str(p) for p in path) or 'the spec'} is null (~, null or empty)",
                        'give it a name, e.g. input0; quote it ("null") if that is the name',
                        "key",
                    )
                )
            out += null_keys(item, (*path, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += null_keys(item, (*path, i))
    return out


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def _either(words: list[str]) -> str:
    words = list(dict.fromkeys(words))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def translate(data: dict[str, Any]) -> list[tuple[dict[str, Any], dict[Path, Path]]]:
    """API request(s) for a schema-valid neoctl spec, each with its origin map.

    The origin map sends an API path (e.g. OutputConfig.TargetDevice) to the neoctl
    path it came from (output.target), so errors point at the line the user wrote.
    """
    req: dict[str, Any] = {"CompilationJobName": data["name"], "RoleArn": data["role"]}
    origin: dict[Path, Path] = {("CompilationJobName",): ("name",), ("RoleArn",): ("role",)}
    model = data["model"]
    if "package" in model:
        req["ModelPackageVersionArn"] = model["package"]
        origin[("ModelPackageVersionArn",)] = ("model", "package")
    if any(k in model for k in ("uri", "framework", "framework_version", "inputs")):
        inp: dict[str, Any] = {}
        origin[("InputConfig",)] = ("model",)
        for key, api in (
            ("uri", "S3Uri"),
            ("framework", "Framework"),
            ("framework_version", "FrameworkVersion"),
            ("inputs", "DataInputConfig"),
        ):
            if key in model:
                value = model[key]
                if key == "framework" and isinstance(value, str):
                    value = value.upper()
                if key == "inputs" and not isinstance(value, str):
                    value = encode(value)
                inp[api] = value
                origin[("InputConfig", api)] = ("model", key)
        req["InputConfig"] = inp
    out = data["output"]
    base_out: dict[str, Any] = {"S3OutputLocation": out["uri"]}
    origin[("OutputConfig",)] = ("output",)
    origin[("OutputConfig", "S3OutputLocation")] = ("output", "uri")
    if "compiler_options" in out:
        opts = out["compiler_options"]
        base_out["CompilerOptions"] = opts if isinstance(opts, str) else encode(opts)
        origin[("OutputConfig", "CompilerOptions")] = ("output", "compiler_options")
    if "kms_key" in out:
        base_out["KmsKeyId"] = out["kms_key"]
        origin[("OutputConfig", "KmsKeyId")] = ("output", "kms_key")
    if "vpc" in data:
        req["VpcConfig"] = {"SecurityGroupIds": data["vpc"]["security_groups"], "Subnets": data["vpc"]["subnets"]}
        origin[("VpcConfig",)] = ("vpc",)
        origin[("VpcConfig", "SecurityGroupIds")] = ("vpc", "security_groups")
        origin[("VpcConfig", "Subnets")] = ("vpc", "subnets")
    stop: dict[str, Any] = {}
    origin[("StoppingCondition",)] = ("max_runtime",)
    for key, api in (
        ("max_runtime", "MaxRuntimeInSeconds"),
        ("max_wait", "MaxWaitTimeInSeconds"),
        ("max_pending", "MaxPendingTimeInSeconds"),
    ):
        if key in data:
            seconds = parse_duration(data[key])
            stop[api] = seconds if seconds is not None else data[key]
            origin[("StoppingCondition", api)] = (key,)
    stop.setdefault("MaxRuntimeInSeconds", DEFAULT_MAX_RUNTIME)
    req["StoppingCondition"] = stop
    if "tags" in data:
        req["Tags"] = [{"Key": k, "Value": v} for k, v in data["tags"].items()]
        origin[("Tags",)] = ("tags",)
        for i, key in enumerate(data["tags"]):
            origin[("Tags", i)] = ("tags", key)

    if "targets" not in out:
        req["OutputConfig"] = base_out | _target(out, origin, ("output",))
        return [(req, origin)]
    jobs = []
    made: set[str] = set()
    for i, target in enumerate(out["targets"]):
        if _suffix(target) in made:
            continue  # a repeat: repeated_targets reports it once, with its count
        made.add(_suffix(target))
        one_origin = dict(origin)
        one = dict(req)
        one["OutputConfig"] = base_out | _target(
            {"target": target} if isinstance(target, str) else {"platform": target},
            one_origin,
            ("output", "targets", i),
        )
        one["CompilationJobName"] = f"{data['name']}-{_suffix(target)}"
        one_origin[("CompilationJobName",)] = ("output", "targets", i)
        jobs.append((one, one_origin))
    return jobs


def _target(out: dict[str, Any], origin: dict[Path, Path], at: Path) -> dict[str, Any]:
    if "target" in out:
        device = out["target"]
        origin[("OutputConfig", "TargetDevice")] = at if at[-1] != "output" else (*at, "target")
        return {"TargetDevice": device.lower() if isinstance(device, str) else device}
    if "platform" in out:
        plat = out["platform"]
        where = at if at[-1] != "output" else (*at, "platform")
        origin[("OutputConfig", "TargetPlatform")] = where
        result: dict[str, Any] = {}
        for key, api in (("os", "Os"), ("arch", "Arch"), ("accelerator", "Accelerator")):
            if key in plat:
                value = plat[key]
                result[api] = value.upper() if isinstance(value, str) else value
                origin[("OutputConfig", "TargetPlatform", api)] = (*where, key)
        return {"TargetPlatform": result}
    return {}


def _suffix(target: Any) -> str:
    if isinstance(target, dict):
        parts = [str(target.get(k, "")) for k in ("os", "arch", "accelerator") if target.get(k)]
        text = "-".join(parts)
    else:
        text = str(target)
    return text.lower().replace("_", "-")
