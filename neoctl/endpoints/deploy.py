"""`neoctl deploy`: a COMPLETED compilation job becomes what an endpoint serves.

Steps, each skipped when its result already exists (so running the same deploy again
finishes a partial one, and a finished one creates nothing): CreateModel, then a new
endpoint config — a copy of the endpoint's current one with only the chosen variant's
ModelName swapped (and its InstanceType / InitialInstanceCount when --instance-type /
--instance-count are given), tagged with the config it replaces — then UpdateEndpoint with
RetainAllVariantProperties (instance counts set by autoscaling survive, unless
--instance-count sets one: DesiredInstanceCount is then excluded from what is retained), or
CreateEndpoint when there is no endpoint yet. Names carry a digest of what they define.
A model compiled for another instance family than the variant's is refused (252) on a new
endpoint and an existing one alike; --allow-target-mismatch makes it a warning.
"""

from __future__ import annotations

import hashlib
import json
import shlex
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from neoctl.apimodel.inputs import origin
from neoctl.apimodel.requests import EACH, Path
from neoctl.errors import Interrupted, InvalidInput, NeoctlError, ServiceError, UsageError

if TYPE_CHECKING:
    from neoctl.api.s3 import Progress
    from neoctl.api.session import AwsOptions
    from neoctl.endpoints.traffic import TrafficPolicy
    from neoctl.models.code import CodeDir

PREVIOUS_TAG = "neoctl:previous-config"
JOB_TAG = "neoctl:job"
NEW_VARIANT = "AllTraffic"  # the SDK's name for a new endpoint's only variant


@dataclass
class DeployArgs:
    """What `neoctl deploy` was asked to do."""

    job: str
    endpoint: str
    variant: str | None = None
    image: str | None = None
    role: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    instance_type: str | None = None
    instance_count: int | None = None  # None: 1 on a new endpoint, the current one's otherwise
    exclude: list[str] = field(default_factory=list)
    traffic: TrafficPolicy | None = None  # how the update shifts traffic (default: all at once)
    allow_overwritten: bool = False  # serve the artifact even when modified after the job completed
    allow_target_mismatch: bool = False  # a model compiled for another instance family: a warning, not 252
    code: str | None = None  # --code DIR: served in code/ of the compiled archive, repacked (neoctl.models.repack)
    entry_point: str | None = None  # --entry-point: the script in DIR the container runs (SAGEMAKER_PROGRAM)
    # The --code folder as plan_deploy listed and hashed it, for apply_deploy to pack without
    # reading it a third time (a file changed since is still found while packing).
    code_dir: CodeDir | None = field(default=None, repr=False, compare=False)

    def given(self) -> dict[str, Any]:
        """Each value by the flag or argument it came from (neoctl.apimodel.inputs' names);
        None for what was not given. --exclude is in the model's spelling."""
        from neoctl.endpoints.update import variant_property

        return {
            "JOB": self.job,
            "--endpoint": self.endpoint,
            "--variant": self.variant,
            "--image": self.image,
            "--role": self.role,
            "--env": self.env or None,
            "--instance-type": self.instance_type,
            "--instance-count": self.instance_count,
            "--exclude": [variant_property(e) for e in self.exclude] or None,
            "--alarm": list(self.traffic.alarms) or None if self.traffic is not None else None,
            "--entry-point": self.entry_point,
        }

    def command(self) -> str:
        """The command line that runs this deploy again."""
        line = f"neoctl deploy {self.job} --endpoint {self.endpoint}"
        if self.variant:
            line += f" --variant {self.variant}"
        if self.instance_type:
            line += f" --instance-type {self.instance_type}"
        if self.instance_count is not None:
            line += f" --instance-count {self.instance_count}"
        if self.code:
            line += f" --code {shlex.quote(self.code)}"
        if self.entry_point:
            line += f" --entry-point {shlex.quote(self.entry_point)}"
        if self.allow_overwritten:
            line += " --allow-overwritten"
        if self.allow_target_mismatch:
            line += " --allow-target-mismatch"
        return line


def hosting_target(job: dict[str, Any]) -> str:
    """The job's ml_* target; ServiceError (254) when it is not COMPLETED, InvalidInput (252)
    for an edge device or a TargetPlatform."""
    name = job.get("CompilationJobName", "")
    status = job.get("CompilationJobStatus", "")
    if status != "COMPLETED":
        raise ServiceError(
            f"compilation job {name} is {status}, not COMPLETED: there is no compiled model to deploy",
            f"wait for it with `neoctl wait {name}`"
            if status in ("STARTING", "INPROGRESS", "STOPPING")
            else f"see why with `neoctl describe {name}`",
            operation="DescribeCompilationJob",
            code="NotCompleted",
        )
    output = job.get("OutputConfig", {})
    target = str(output.get("TargetDevice", ""))
    if not target.startswith("ml_"):
        what = target or "TargetPlatform " + "/".join(str(v) for v in output.get("TargetPlatform", {}).values())
        raise InvalidInput(
            f"compilation job {name} was compiled for {what}, an edge target: SageMaker endpoints "
            "serve only models compiled for ml_* targets",
            f"fetch the compiled model with `neoctl download {name}` and deploy it on the device",
        )
    return target


def instance_family(target: str) -> str:
    """The hosting instance family of a compile target: ml_c5 → ml.c5."""
    return "ml." + target[len("ml_") :] + "."


def check_instance_type(target: str, instance_type: str, *, allow: bool = False) -> list[str]:
    """InvalidInput (252) when the instance type is not of the family the model was compiled for;
    with `allow` (--allow-target-mismatch), that refusal's message as a warning instead.
    ml_eia2 models run on CPU instances with an accelerator: any ml.c*/ml.m* instance."""
    if target == "ml_eia2":
        if instance_type.startswith(("ml.c", "ml.m")):
            return []
        error = InvalidInput(
            f"--instance-type {instance_type}: a model compiled for ml_eia2 runs on a CPU instance "
            "(ml.c5.*, ml.m5.* …) with an Elastic Inference accelerator",
            "pick an ml.c* or ml.m* instance type (or deploy anyway with --allow-target-mismatch)",
        )
    else:
        family = instance_family(target)
        if instance_type.startswith(family):
            return []
        error = InvalidInput(
            f"--instance-type {instance_type} does not match the compile target {target}: "
            f"the model runs on {family}* instances",
            f"pick one of the {family}* instance types (e.g. {family}xlarge), or compile for the family you want "
            "(or deploy anyway with --allow-target-mismatch)",
        )
    if allow:
        return [error.message]
    raise error


def check_variant_family(config: dict[str, Any], variant: str, target: str, endpoint: str, *, allow: bool) -> list[str]:
    """InvalidInput (252) when the variant of an existing endpoint (after --instance-type) runs
    on instances of another family than the model was compiled for: naming the job's target
    and the variant's instance type, with the two ways on. With `allow`: a warning instead."""
    family = "ml.c*/ml.m*" if target == "ml_eia2" else instance_family(target) + "*"
    prefixes = ("ml.c", "ml.m") if target == "ml_eia2" else (instance_family(target),)
    for item in config.get("ProductionVariants", []):
        kind = str(item.get("InstanceType") or "")
        if item["VariantName"] != variant or not kind or kind.startswith(prefixes):
            continue
        message = (
            f"endpoint {endpoint} variant {variant} runs on {kind} but the model was compiled for {target} "
            f"({family}): it cannot run there"
        )
        if allow:
            return [message]
        example = "ml.c5.xlarge" if target == "ml_eia2" else f"{instance_family(target)}xlarge"
        raise InvalidInput(
            message,
            f"move the variant to the family compiled for with --instance-type (e.g. --instance-type {example}), "
            "or deploy anyway with --allow-target-mismatch",
        )
    return []


def digest(value: Any) -> str:
    """8 hex digits naming a definition: equal definitions, equal names."""
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def model_request(
    job: dict[str, Any], image: str, role: str | None, env: dict[str, str], model_data: str | None = None
) -> dict[str, Any]:
    """The CreateModel request: the image, the job's artifacts (or `model_data`, the
    repacked archive of --code), its role (or --role) and VpcConfig."""
    definition: dict[str, Any] = {
        "Image": image,
        "ModelDataUrl": model_data or job["ModelArtifacts"]["S3ModelArtifacts"],
        "Environment": dict(sorted(env.items())),
    }
    request: dict[str, Any] = {
        "PrimaryContainer": definition,
        "ExecutionRoleArn": role or job["RoleArn"],
    }
    if job.get("VpcConfig"):
        request["VpcConfig"] = job["VpcConfig"]
    name = f"{job['CompilationJobName'][:54]}-{digest(request)}"
    return {"ModelName": name, **request, "Tags": [{"Key": JOB_TAG, "Value": job["CompilationJobName"]}]}


def pick_variant(config: dict[str, Any], variant: str | None) -> str:
    """--variant, or the config's only variant; InvalidInput when it is ambiguous or absent."""
    names = [v["VariantName"] for v in config.get("ProductionVariants", [])]
    if variant is None:
        if len(names) == 1:
            return str(names[0])
        raise InvalidInput(
            f"endpoint config {config.get('EndpointConfigName')} has {len(names)} variants ({', '.join(names)})",
            "say which one serves the new model with --variant NAME",
        )
    if variant not in names:
        raise InvalidInput(
            f"endpoint config {config.get('EndpointConfigName')} has no variant {variant} ({', '.join(names)})",
            "pick one of its variants with --variant",
        )
    return variant


def config_fields() -> list[str]:
    """The CreateEndpointConfig members a copy carries over (all but the name and tags)."""
    from neoctl.apimodel import load_model

    members = load_model().input_shape("CreateEndpointConfig")["members"]
    return [m for m in members if m not in ("EndpointConfigName", "Tags")]


def copy_config(
    current: dict[str, Any],
    tags: list[dict[str, str]],
    variant: str,
    model_name: str,
    job_name: str,
    changes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The CreateEndpointConfig request copying `current` (every field, and its tags) with only
    `variant`'s ModelName swapped (and `changes`, members of that variant: InstanceType,
    InitialInstanceCount), tagged with the config it replaces."""
    import copy

    body = {k: copy.deepcopy(current[k]) for k in config_fields() if current.get(k) not in (None, [], {})}
    for item in body["ProductionVariants"]:
        if item["VariantName"] == variant:
            item["ModelName"] = model_name
            item.update(changes or {})
    kept = [t for t in tags if t["Key"] not in (PREVIOUS_TAG, JOB_TAG) and not t["Key"].startswith("aws:")]
    body["Tags"] = [
        *kept,
        {"Key": PREVIOUS_TAG, "Value": current["EndpointConfigName"]},
        {"Key": JOB_TAG, "Value": job_name},
    ]
    return {"EndpointConfigName": f"{job_name[:45]}-{model_name[-8:]}-{digest(body)}", **body}


def new_config(model_name: str, instance_type: str, count: int, job_name: str) -> dict[str, Any]:
    """The CreateEndpointConfig request of a new endpoint: one variant on `count` instances."""
    body: dict[str, Any] = {
        "ProductionVariants": [
            {
                "VariantName": NEW_VARIANT,
                "ModelName": model_name,
                "InitialInstanceCount": count,
                "InstanceType": instance_type,
                "InitialVariantWeight": 1.0,
            }
        ],
        "Tags": [{"Key": JOB_TAG, "Value": job_name}],
    }
    return {"EndpointConfigName": f"{job_name[:45]}-{model_name[-8:]}-{digest(body)}", **body}


def config_diff(current: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    """What differs between the current config and the new one: {Where, Field, Current, New}."""
    old = current or {}
    rows: list[dict[str, Any]] = []
    for key in [k for k in new if k not in ("EndpointConfigName", "ProductionVariants", "Tags")]:
        if old.get(key) != new[key]:
            rows.append({"Where": "config", "Field": key, "Current": old.get(key), "New": new[key]})
    before = {v["VariantName"]: v for v in old.get("ProductionVariants", [])}
    for variant in new["ProductionVariants"]:
        was = before.get(variant["VariantName"], {})
        for key in variant:
            if was.get(key) != variant[key]:
                rows.append(
                    {"Where": variant["VariantName"], "Field": key, "Current": was.get(key), "New": variant[key]}
                )
    return rows


CODE_WARN_BYTES = 100 * 1000 * 1000  # above this a --code folder likely holds more than code


def _code_size_warning(args: DeployArgs, code: CodeDir) -> list[str]:
    """A --code folder much bigger than scripts: all of it goes into code/ of the served
    archive, which every instance downloads and the container's model server loads from."""
    if code.tree.size <= CODE_WARN_BYTES:
        return []
    return [
        f"--code {args.code} holds {code.tree.size:,} bytes in {len(code.files):,} files: code/ is meant for "
        "the entry script and its requirements; check it holds no weights, .git or virtualenv "
        "(every instance downloads all of it)"
    ]


def _open_code(args: DeployArgs) -> CodeDir | None:
    """--code DIR listed and hashed (InvalidInput naming --code or --entry-point), or None.
    --env SAGEMAKER_PROGRAM naming another script than --entry-point is a usage error: the
    container would run a script the repacked code/ may not hold."""
    from neoctl.models.code import DEFAULT_ENTRY_POINT, open_code

    if args.code is None:
        return None
    entry_point = args.entry_point or DEFAULT_ENTRY_POINT
    program = args.env.get("SAGEMAKER_PROGRAM")
    if program is not None and program != entry_point:
        raise UsageError(
            f"--env SAGEMAKER_PROGRAM={program} and --code's entry point {entry_point} name two scripts",
            f"name the script once: --entry-point {program} (and drop it from --env)",
        )
    return open_code(args.code, entry_point)


def plan_deploy(options: AwsOptions, args: DeployArgs) -> dict[str, Any]:
    """Everything the deploy would do, from the job and the endpoint as they are now; sends
    nothing that changes. See the module docstring for the steps."""
    from neoctl.api import endpoints as api
    from neoctl.api.jobs import describe_job
    from neoctl.apimodel.inputs import check_inputs
    from neoctl.endpoints.images import choose_image, environment
    from neoctl.endpoints.update import build_request, preview
    from neoctl.models.artifact_check import check_artifact

    # Every value given, before the first look-up sends any of them; the requests, once
    # built from the job and the endpoint, are checked whole below, before anything is created.
    check_inputs("deploy", args.given())
    code = args.code_dir = _open_code(args)  # listed and hashed: its refusals too come before the first look-up
    deployment = args.traffic.build() if args.traffic is not None else None
    job = describe_job(options, args.job)
    target = hosting_target(job)
    # The compiled model is still there and still the job's, before anything else is done.
    checked = check_artifact(
        options,
        job,
        str(job["ModelArtifacts"]["S3ModelArtifacts"]),
        allow_overwritten=args.allow_overwritten,
        verb="deploys",
    )
    region = api.region(options)
    image = choose_image(job, target, region, args.image)
    env = environment(str(job.get("InputConfig", {}).get("Framework", "")), region, args.env)
    repacked = None
    if code is not None:
        from neoctl.models.repack import plan_repack

        repacked = plan_repack(options, str(job["ModelArtifacts"]["S3ModelArtifacts"]), code)
        env["SAGEMAKER_PROGRAM"] = code.entry_point
    model = model_request(job, image.uri, args.role, env, repacked["Uri"] if repacked else None)
    endpoint = api.find_endpoint(options, args.endpoint)
    warnings: list[str] = [*checked, *(_code_size_warning(args, code) if code is not None else [])]
    plan: dict[str, Any] = {
        "Job": args.job,
        "Target": target,
        "Endpoint": args.endpoint,
        "Image": {"Uri": image.uri, "Source": image.source},
        "Model": {"Name": model["ModelName"], "Exists": api.find_model(options, model["ModelName"]) is not None},
        "Code": repacked,
        "Warnings": warnings,
    }
    if endpoint is None:
        if deployment is not None:
            raise UsageError(
                f"there is no endpoint {args.endpoint} yet: a traffic policy shifts the traffic of an update, "
                "and a new endpoint has none to shift",
                "create the endpoint without the policy first; later deploys to it take the policy",
            )
        if not args.instance_type:
            raise UsageError(
                f"there is no endpoint {args.endpoint} yet: creating it needs --instance-type",
                f"e.g. --instance-type {instance_family(target)}xlarge (the family compiled for)",
            )
        warnings.extend(check_instance_type(target, args.instance_type, allow=args.allow_target_mismatch))
        config = new_config(model["ModelName"], args.instance_type, args.instance_count or 1, args.job)
        current_config = None
        call: dict[str, Any] = {
            "Operation": "CreateEndpoint",
            "Request": {"EndpointName": args.endpoint, "EndpointConfigName": config["EndpointConfigName"]},
        }
        rows: list[dict[str, Any]] = []
        tags: list[dict[str, str]] = []
        already = False
    else:
        current_config = api.describe_endpoint_config(options, endpoint["EndpointConfigName"])
        variant = pick_variant(current_config, args.variant)
        serving = {v["VariantName"]: v.get("ModelName") for v in current_config.get("ProductionVariants", [])}
        now = next(v for v in current_config["ProductionVariants"] if v["VariantName"] == variant)
        already = serving.get(variant) == model["ModelName"] and all(
            now.get(k) == v
            for k, v in {"InstanceType": args.instance_type, "InitialInstanceCount": args.instance_count}.items()
            if v is not None
        )
        tags = api.list_tags(options, current_config["EndpointConfigArn"])
        # --instance-type / --instance-count change the copied variant (shown in the plan's
        # changes); a count set here is the count after the update, not the retained one.
        changes: dict[str, Any] = {}
        if args.instance_type:
            changes["InstanceType"] = args.instance_type
        if args.instance_count is not None:
            changes["InitialInstanceCount"] = args.instance_count
        config = copy_config(current_config, tags, variant, model["ModelName"], args.job, changes)
        warnings.extend(check_variant_family(config, variant, target, args.endpoint, allow=args.allow_target_mismatch))
        exclude = [*args.exclude, *(["DesiredInstanceCount"] if args.instance_count is not None else [])]
        request = build_request(
            args.endpoint,
            config["EndpointConfigName"],
            True,
            exclude,
            False,
            origin("deploy", "UpdateEndpoint"),
            deployment=deployment,
        )
        call = {"Operation": "UpdateEndpoint", "Request": request}
        rows = preview(endpoint, config, request, current_config)
        pending = (endpoint.get("PendingDeploymentSummary") or {}).get("EndpointConfigName")
        if pending == config["EndpointConfigName"]:
            already = True
        elif endpoint.get("EndpointStatus") != "InService" and not already:
            warnings.append(
                f"endpoint {args.endpoint} is {endpoint.get('EndpointStatus')}: UpdateEndpoint needs it InService"
            )
    if already and current_config is not None and endpoint and not endpoint.get("PendingDeploymentSummary"):
        # Deployed before: report the config that serves it and the one it replaced.
        plan["EndpointConfig"] = {
            "Name": current_config["EndpointConfigName"],
            "Previous": next((t["Value"] for t in tags if t["Key"] == PREVIOUS_TAG), None),
            "Exists": True,
            "Diff": [],
        }
    else:
        plan["EndpointConfig"] = {
            "Name": config["EndpointConfigName"],
            "Previous": current_config["EndpointConfigName"] if current_config else None,
            "Exists": api.find_endpoint_config(options, config["EndpointConfigName"]) is not None,
            "Diff": config_diff(current_config, config),
        }
    if deployment is not None and args.traffic is not None and current_config is not None and not already:
        from neoctl.endpoints.guardrails import plan_traffic
        from neoctl.endpoints.update import instance_counts

        plan["Traffic"] = plan_traffic(
            options,
            args.traffic,
            deployment,
            endpoint or {},
            current_config,
            config,
            instance_counts(rows),
            known_models=frozenset({model["ModelName"]}),
        )
        warnings.extend(plan["Traffic"]["Warnings"])
    plan["Call"] = call
    plan["Variants"] = rows
    plan["AlreadyServing"] = already
    plan["Requests"] = {"CreateModel": model, "CreateEndpointConfig": config}
    check_plan(plan, args, image.source, copied=current_config is not None)
    return plan


def check_plan(plan: dict[str, Any], args: DeployArgs, image_source: str, *, copied: bool) -> None:
    """InvalidInput (252) unless the model accepts every request of the plan — all of them,
    before the first one creates anything. A refusal names the flag, or where neoctl took
    the value from (the job, the image it chose); a copied config's own values are
    SageMaker's and not judged again (neoctl.apimodel.requests)."""
    from neoctl.apimodel.requests import refusals, refuse

    model = origin("deploy", "CreateModel") | {
        ("PrimaryContainer", "Image"): "--image" if args.image else f"the image ({image_source}; or give --image)",
        ("PrimaryContainer", "ModelDataUrl"): (
            "the repacked archive of --code, beside the job's S3ModelArtifacts"
            if plan.get("Code")
            else "the job's S3ModelArtifacts"
        ),
        ("ExecutionRoleArn",): "--role" if args.role else "the job's RoleArn (or give --role)",
        ("VpcConfig",): "the job's VpcConfig",
    }
    config: dict[Path, str | None] = dict(origin("deploy", "CreateEndpointConfig"))
    request = plan["Requests"]["CreateEndpointConfig"]
    if copied:
        # The copy: SageMaker's values, but for the model swapped in, the tags deploy adds
        # (their count included) and the new name.
        config = {(key,): None for key in request}
        config[("EndpointConfigName",)] = "JOB"
        config[("Tags",)] = "the current config's tags and deploy's two"
        config[("Tags", EACH)] = None
        config[("Tags", len(request["Tags"]) - 1, "Value")] = "JOB"
        for i, variant in enumerate(request["ProductionVariants"]):
            if variant.get("ModelName") == plan["Model"]["Name"]:
                config[("ProductionVariants", i, "ModelName")] = "JOB"
                if args.instance_type:
                    config[("ProductionVariants", i, "InstanceType")] = "--instance-type"
                if args.instance_count is not None:
                    config[("ProductionVariants", i, "InitialInstanceCount")] = "--instance-count"
    call = plan["Call"]
    refuse(
        [
            *refusals("CreateModel", plan["Requests"]["CreateModel"], model),
            *refusals("CreateEndpointConfig", request, config),
            *refusals(call["Operation"], call["Request"], origin("deploy", call["Operation"])),
        ]
    )


def apply_deploy(
    options: AwsOptions,
    plan: dict[str, Any],
    args: DeployArgs,
    transfer: Callable[[str, str], AbstractContextManager[Progress]] | None = None,
) -> dict[str, Any]:
    """Carry out a plan: repack the compiled model with --code unless done before, create
    what does not exist yet, then UpdateEndpoint or CreateEndpoint. A failure after
    something was created says what exists and how to finish or undo. `transfer(doing,
    done)`: a progress view for the repack (a context manager that is a Progress)."""
    from neoctl.api import endpoints as api

    result: dict[str, Any] = {
        "Job": plan["Job"],
        "Endpoint": plan["Endpoint"],
        "Image": plan["Image"]["Uri"],
        "ImageSource": plan["Image"]["Source"],
        "ModelName": plan["Model"]["Name"],
        "ModelCreated": False,
        "EndpointConfigName": plan["EndpointConfig"]["Name"],
        "EndpointConfigCreated": False,
        "PreviousEndpointConfig": plan["EndpointConfig"]["Previous"],
        "Action": "none",
    }
    if plan.get("Code"):
        result |= {"ModelDataUrl": plan["Code"]["Uri"], "Repacked": False}
    if plan["AlreadyServing"]:
        return result
    model, config, call = plan["Model"]["Name"], plan["EndpointConfig"]["Name"], plan["Call"]
    steps = Steps(args.command(), {"model": model, "config": config, "endpoint": call["Request"]["EndpointName"]})
    if plan.get("Code"):
        repacked = plan["Code"]
        if not repacked["Exists"]:
            result["Repacked"] = _repack(options, repacked, args, transfer)
        steps.exists(f"repacked model {repacked['Uri']}", f"aws s3 rm {repacked['Uri']}")
    if not plan["Model"]["Exists"]:
        steps.run("CreateModel", lambda: api.create_model(options, plan["Requests"]["CreateModel"]))
        result["ModelCreated"] = True
    steps.exists(f"model {model}", f"aws sagemaker delete-model --model-name {model}")
    if not plan["EndpointConfig"]["Exists"]:
        create_config = plan["Requests"]["CreateEndpointConfig"]
        steps.run("CreateEndpointConfig", lambda: api.create_endpoint_config(options, create_config))
        result["EndpointConfigCreated"] = True
    steps.exists(f"endpoint config {config}", f"aws sagemaker delete-endpoint-config --endpoint-config-name {config}")
    send = api.update_endpoint if call["Operation"] == "UpdateEndpoint" else api.create_endpoint
    answer = steps.run(call["Operation"], lambda: send(options, call["Request"]))
    result["Action"] = call["Operation"]
    result["EndpointArn"] = answer.get("EndpointArn")
    return result


def _repack(
    options: AwsOptions,
    planned: dict[str, Any],
    args: DeployArgs,
    transfer: Callable[[str, str], AbstractContextManager[Progress]] | None,
) -> dict[str, int]:
    """The repack of the plan's Code: the folder read again and checked to be what the plan
    hashed (its digest names the key), then streamed (neoctl.models.repack)."""
    from neoctl.models.repack import repack_artifact
    from neoctl.models.s3uri import parse_s3_uri

    code = args.code_dir if args.code_dir is not None else _open_code(args)
    if code is None or code.digest != planned["Digest"]:
        raise InvalidInput(
            f"--code {args.code} changed since the plan was made; nothing was created",
            "run the deploy again once nothing writes to the folder",
        )
    bucket, key = parse_s3_uri(planned["Source"])
    dest = parse_s3_uri(planned["Uri"])[1]
    source = (bucket, key, planned["SourceETag"])
    encryption = planned.get("Encryption") or None
    if transfer is None:
        done = repack_artifact(options, source, code, dest, encryption=encryption)
    else:
        with transfer(
            f"repacking {key.rsplit('/', 1)[-1]} with {args.code}", f"repacked with {args.code} to {planned['Uri']}"
        ) as progress:
            done = repack_artifact(options, source, code, dest, progress, encryption)
    return {"Copied": done.copied, "ReplacedCodeFiles": done.replaced, "AddedCodeFiles": done.added, "Size": done.size}


# What a request in flight when deploy is interrupted may have done (SageMaker carries
# out a request it received even when nobody waits for the answer), and its undo.
_IN_FLIGHT = {
    "CreateModel": ("model {model} may exist", "aws sagemaker delete-model --model-name {model}"),
    "CreateEndpointConfig": (
        "endpoint config {config} may exist",
        "aws sagemaker delete-endpoint-config --endpoint-config-name {config}",
    ),
    "CreateEndpoint": (
        "endpoint {endpoint} may be being created",
        "aws sagemaker delete-endpoint --endpoint-name {endpoint}",
    ),
    "UpdateEndpoint": (
        "endpoint {endpoint} may be updating to endpoint config {config}",
        "neoctl endpoint rollback {endpoint}",
    ),
}


@dataclass
class Steps:
    """A deploy's steps as they run: what exists so far, so that a failed step and an
    interrupted one (Ctrl-C, SIGTERM) say the same: what exists now, and the commands
    that finish or undo it."""

    again: str  # the command that finishes the deploy
    names: dict[str, str]  # model, config, endpoint: for _IN_FLIGHT's messages
    made: list[str] = field(default_factory=list)
    undo: list[str] = field(default_factory=list)  # newest first: undo in this order

    def exists(self, what: str, undo: str) -> None:
        """Record what exists now (created, or found from an earlier run)."""
        self.made.append(what)
        self.undo.insert(0, undo)

    def run(self, operation: str, call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """`call()`; a failure becomes `stranded`'s error, an interruption `interrupted`'s."""
        try:
            return call()
        except KeyboardInterrupt:
            maybe, undo = (text.format(**self.names) for text in _IN_FLIGHT[operation])
            raise interrupted(operation, self.made, [undo, *self.undo], self.again, maybe) from None
        except Exception as exc:
            raise stranded(exc, self.made, self.undo, self.again) from exc


def _ways_out(again: str, undo: list[str]) -> str:
    finish = f"finish with `{again}` and the same options (it reuses what exists)"
    return f"{finish}; or undo with `{'` then `'.join(undo)}`" if undo else finish


def stranded(exc: BaseException, made: list[str], undo: list[str], again: str) -> BaseException:
    """The error of a failed step, saying what exists now and the commands that finish or undo."""
    from neoctl.api.errors import translate

    error = exc if isinstance(exc, NeoctlError) else translate(exc)
    if error is None or not made:
        return error or exc
    error.message = f"{error.message}; exists now: {', '.join(made)}"
    error.hint = _ways_out(again, undo)
    error.args = (error.message,)
    return error


def interrupted(operation: str, made: list[str], undo: list[str], again: str, maybe: str) -> Interrupted:
    """The error of a deploy interrupted (Ctrl-C: exit 130; SIGTERM: 143) while `operation`
    was in flight, in a failed step's words: what exists now, what the request in flight
    `maybe` did (it was sent; SageMaker carries it out all the same), and the commands that
    finish or undo it."""
    exists = f"exists now: {', '.join(made)}; " if made else ""
    return Interrupted(
        f"interrupted during {operation}; {exists}{maybe} (the request was sent)", _ways_out(again, undo)
    )
