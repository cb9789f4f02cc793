"""Which command-line value reaches which request member: the one table.

Each row says that a command's flag or argument fills a member of a request the command
sends. The commands name their values by it in a refusal (`origin`) and check values a
look-up would carry before it is made (`check_inputs`), both through neoctl.apimodel.requests,
before their first request. tests/apimodel/test_inputs.py proves every option and argument
of the app is here or in NOT_SENT; tests/e2e/test_every_request_checked.py walks every
command against the emulator and proves every row refused when its value is bad, and the
table complete (every member a value given reached is a row). docs/reliability.md's table
is generated from it (scripts/gen_inputs_table.py).

Operations without a service prefix are SageMaker's, judged against the installed model;
`sagemaker-runtime.` rows (InvokeEndpoint) are judged against the installed runtime model
(neoctl/apimodel/runtime.py); `s3.`, `iam.` and `logs.` rows name the SageMaker member whose
check covers them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from neoctl.apimodel.requests import EACH, Path


@dataclass(frozen=True)
class Fill:
    """`command`'s `source` (a flag, or an argument as --help names it) fills `path` of
    `operation`'s request. `as_is`: the value lands unchanged, so the model's rule for the
    member is also the rule for the value (else it is parsed or a name is built from it,
    and `rule` says how it is kept valid)."""

    command: str
    source: str
    operation: str
    path: Path
    rule: str = ""
    as_is: bool = True


_JOB = ("CompilationJobName",)
_ANY_CASE = "any case; the model's spelling is sent"
_TIME = "ISO 8601 time or an age (30m, 12h, 7d), parsed by neoctl"
_PRINTED_ONLY = "only a token neoctl printed (a raw service token would fail remotely)"
_LOG_STREAM = (
    "NAME + '/', after NAME passed CompilationJobName (1-63 letters, digits, hyphens), "
    "which CloudWatch's stream-name rule (no ':' or '*') always accepts"
)
_STREAMS = "the job's streams as CloudWatch named them (NAME/...), listed by DescribeLogStreams"
_SHARED = (
    "the part all the names share (3+ characters), listing them at once; "
    "a part of a valid CompilationJobName is a valid NameContains"
)
_JOB_NAMED = "a name built from JOB (its first 45-54 characters and a digest): valid whenever JOB is"
_INVOKE = "sagemaker-runtime.InvokeEndpoint"
_BODY = (
    "the file's bytes as they are, at most the runtime model's BodyBlob max (6 MiB); a bigger file is refused unread"
)
_ENDPOINT_GROUP = (
    "'/aws/sagemaker/Endpoints/' + the name, after the name passed EndpointName (letters, digits, hyphens), "
    "which CloudWatch's group-name rule always accepts"
)
_ENDPOINT_ARN = "the endpoint's ARN as DescribeEndpoint answered it, after ENDPOINT passed EndpointName"
_SPEC = "the job spec, every field: validated by the same model check (spec/batch.py)"


def _jobs(command: str, *operations: str) -> tuple[Fill, ...]:
    return tuple(Fill(command, "NAMES" if command in ("stop", "wait") else "NAME", op, _JOB) for op in operations)


def _logs(command: str, source: str, when: str = "") -> tuple[Fill, ...]:
    """A job's log streams, read by `logs` and for a failed job after a wait."""
    return (
        Fill(command, source, "logs.DescribeLogStreams", ("logStreamNamePrefix",), when + _LOG_STREAM, as_is=False),
        Fill(command, source, "logs.FilterLogEvents", ("logStreamNames", EACH), when + _STREAMS, as_is=False),
    )


def _polled(command: str, source: str, when: str = "") -> Fill:
    """What a wait for jobs lists them by (neoctl/jobs/poller.py)."""
    return Fill(command, source, "ListCompilationJobs", ("NameContains",), when + _SHARED, as_is=False)


def _listing(command: str, operation: str, names: Mapping[str, str], times: Mapping[str, str]) -> tuple[Fill, ...]:
    rows = [Fill(command, flag, operation, (member,)) for flag, member in names.items()]
    rows += [Fill(command, flag, operation, (member,), _TIME, as_is=False) for flag, member in times.items()]
    return (
        *rows,
        Fill(command, "--sort-by", operation, ("SortBy",), "kebab case or the model's, any case", as_is=False),
        Fill(command, "--sort-order", operation, ("SortOrder",), _ANY_CASE, as_is=False),
        Fill(command, "--page-size", operation, ("MaxResults",), "sent by the paginator as MaxResults"),
        Fill(command, "--starting-token", operation, ("NextToken",), _PRINTED_ONLY, as_is=False),
    )


def _endpoint_change(command: str, endpoint: str, with_retain_all: str = "") -> tuple[Fill, ...]:
    exclude = ("ExcludeRetainedVariantProperties", EACH, "VariantPropertyType")
    return (
        Fill(command, endpoint, "DescribeEndpoint", ("EndpointName",)),
        Fill(command, endpoint, "UpdateEndpoint", ("EndpointName",)),
        Fill(command, "--exclude", "UpdateEndpoint", exclude, _ANY_CASE + with_retain_all, as_is=False),
        *_traffic(command),
    )


_DC = "DeploymentConfig"
_ROUTING = (_DC, "BlueGreenUpdatePolicy", "TrafficRoutingConfiguration")
_ROLLING = (_DC, "RollingUpdatePolicy")
_SIZE = (
    "10% (CAPACITY_PERCENT) or a count of instances (INSTANCE_COUNT), at least the model's minimum; "
    "{share} of the variant's instances, checked once the endpoint is described (neoctl/endpoints/traffic.py)"
)
_DURATION = "a duration (90s, 10m, 1h) in whole seconds, within the model's range for the member"


def _traffic(command: str) -> tuple[Fill, ...]:
    """A traffic policy's flags (neoctl/endpoints/traffic.py): the DeploymentConfig they
    build, and the one DescribeAlarms that finds its alarms."""
    alarm = (_DC, "AutoRollbackConfiguration", "Alarms", EACH, "AlarmName")
    found = (
        "the same names, once each passed AlarmName (1-255 characters, not blank), which CloudWatch's "
        "AlarmName (1-255) takes; one request for all; each must exist in the region"
    )
    return (
        Fill(
            command,
            "--canary",
            "UpdateEndpoint",
            (*_ROUTING, "CanarySize"),
            _SIZE.format(share="at most 50%"),
            as_is=False,
        ),
        Fill(
            command,
            "--linear",
            "UpdateEndpoint",
            (*_ROUTING, "LinearStepSize"),
            _SIZE.format(share="10-50%"),
            as_is=False,
        ),
        Fill(
            command,
            "--rolling",
            "UpdateEndpoint",
            (*_ROLLING, "MaximumBatchSize"),
            _SIZE.format(share="5-50%") + "; one variant, not serverless",
            as_is=False,
        ),
        Fill(command, "--bake", "UpdateEndpoint", (*_ROUTING, "WaitIntervalInSeconds"), _DURATION, as_is=False),
        Fill(command, "--bake", "UpdateEndpoint", (*_ROLLING, "WaitIntervalInSeconds"), _DURATION, as_is=False),
        *(
            Fill(
                command,
                "--max-time",
                "UpdateEndpoint",
                (*policy, "MaximumExecutionTimeoutInSeconds"),
                _DURATION + ", and more than the baking the plan asks for",
                as_is=False,
            )
            for policy in ((_DC, "BlueGreenUpdatePolicy"), _ROLLING)
        ),
        Fill(command, "--alarm", "UpdateEndpoint", alarm),
        Fill(command, "--alarm", "cloudwatch.DescribeAlarms", ("AlarmNames", EACH), found, as_is=False),
        Fill(
            command,
            "--deployment-config",
            "UpdateEndpoint",
            (_DC,),
            "the file's DeploymentConfig, every field checked against the model (file:line) and by the rules "
            "of the flags above",
            as_is=False,
        ),
        Fill(
            command,
            "--deployment-config",
            "cloudwatch.DescribeAlarms",
            ("AlarmNames", EACH),
            "the file's alarm names, once the file passed the model: " + found[len("the same names, ") :],
            as_is=False,
        ),
    )


def _endpoint_logs(command: str, endpoint: str, when: str) -> Fill:
    """An endpoint's log group, read for the last lines of a failed endpoint (neoctl/endpoints/failure.py)."""
    return Fill(command, endpoint, "logs.FilterLogEvents", ("logGroupName",), when + _ENDPOINT_GROUP, as_is=False)


def _spec(command: str, *more: tuple[str, Path, str]) -> tuple[Fill, ...]:
    """A spec's values: what create sends, and the pre-flight look-ups (validate --online too)."""
    lookups = (
        ("s3.HeadObject", ("Bucket",), "model.uri's and output.uri's buckets, checked as S3 URIs"),
        (
            "s3.HeadObject",
            ("Key",),
            "model.uri's key, checked as InputConfig.S3Uri; the compiled model's key "
            "(output.uri's, the model file name, the target), checked as OutputConfig",
        ),
        ("s3.GetBucketLocation", ("Bucket",), "the buckets of model.uri and output.uri, checked as S3 URIs"),
        ("iam.GetRole", ("RoleName",), "the role ARN's name, checked as RoleArn"),
    )
    return tuple(Fill(command, "--file", op, path, rule, as_is=False) for op, path, rule in (*more, *lookups))


INPUTS: tuple[Fill, ...] = (
    *_spec("validate"),
    *_spec(
        "create",
        ("CreateCompilationJob", (), _SPEC),
        ("DescribeCompilationJob", _JOB, "the spec's name, after a create answered"),
    ),
    _polled("create", "--file", "with --wait: "),
    *_logs("create", "--file", "with --wait, of a failed job: "),
    *_jobs("describe", "DescribeCompilationJob"),
    *_listing(
        "list",
        "ListCompilationJobs",
        {"--name-contains": "NameContains"},
        {
            "--created-after": "CreationTimeAfter",
            "--created-before": "CreationTimeBefore",
            "--modified-after": "LastModifiedTimeAfter",
            "--modified-before": "LastModifiedTimeBefore",
        },
    ),
    Fill("list", "--status", "ListCompilationJobs", ("StatusEquals",), _ANY_CASE, as_is=False),
    *_jobs("stop", "DescribeCompilationJob", "StopCompilationJob"),
    _polled("stop", "NAMES", "with --wait: "),
    *_jobs("wait", "DescribeCompilationJob"),
    _polled("wait", "NAMES"),
    *_logs("wait", "NAMES", "of a failed job: "),
    *_jobs("logs", "DescribeCompilationJob"),
    *_logs("logs", "NAME"),
    Fill("logs", "--since", "logs.FilterLogEvents", ("startTime",), _TIME + ", in epoch milliseconds", as_is=False),
    *_jobs("download", "DescribeCompilationJob"),
    *_listing(
        "trials",
        "ListTrials",
        {"--experiment": "ExperimentName", "--trial-component": "TrialComponentName"},
        {"--created-after": "CreatedAfter", "--created-before": "CreatedBefore"},
    ),
    # deploy: every value is checked before DescribeCompilationJob; the requests, once
    # built from the job and the endpoint, are checked whole before CreateModel.
    Fill("deploy", "JOB", "DescribeCompilationJob", _JOB),
    Fill("deploy", "JOB", "CreateModel", ("Tags", EACH, "Value"), "the neoctl:job tag"),
    Fill("deploy", "JOB", "CreateEndpointConfig", ("Tags", EACH, "Value"), "the neoctl:job tag"),
    *(
        Fill("deploy", "JOB", op, path, _JOB_NAMED, as_is=False)
        for op, path in (
            ("DescribeModel", ("ModelName",)),
            ("CreateModel", ("ModelName",)),
            ("DescribeEndpointConfig", ("EndpointConfigName",)),
            ("CreateEndpointConfig", ("EndpointConfigName",)),
            ("CreateEndpointConfig", ("ProductionVariants", EACH, "ModelName")),
            ("CreateEndpoint", ("EndpointConfigName",)),
            ("UpdateEndpoint", ("EndpointConfigName",)),
        )
    ),
    *_endpoint_change("deploy", "--endpoint"),
    Fill("deploy", "--endpoint", "CreateEndpoint", ("EndpointName",)),
    Fill("deploy", "--image", "CreateModel", ("PrimaryContainer", "Image")),
    Fill("deploy", "--role", "CreateModel", ("ExecutionRoleArn",)),
    Fill("deploy", "--env", "CreateModel", ("PrimaryContainer", "Environment"), "KEY=VALUE, over the documented ones"),
    Fill(
        "deploy",
        "--entry-point",
        "CreateModel",
        ("PrimaryContainer", "Environment", "SAGEMAKER_PROGRAM"),
        "with --code: a file name at the top of the --code folder (checked there before anything is sent)",
    ),
    Fill(
        "deploy",
        "--variant",
        "CreateEndpointConfig",
        ("ProductionVariants", EACH, "VariantName"),
        "one of the endpoint's variants",
    ),
    Fill(
        "deploy",
        "--instance-type",
        "CreateEndpointConfig",
        ("ProductionVariants", EACH, "InstanceType"),
        "of the family compiled for (ml_c5 → ml.c5.*), checked once the job is described",
    ),
    Fill("deploy", "--instance-count", "CreateEndpointConfig", ("ProductionVariants", EACH, "InitialInstanceCount")),
    Fill(
        "deploy",
        "--region",
        "CreateModel",
        ("PrimaryContainer", "Environment", "SAGEMAKER_REGION"),
        "the client's region (--region, AWS_REGION, AWS_DEFAULT_REGION, the profile): "
        "a region that cannot be one is exit 253 before anything is sent",
        as_is=False,
    ),
    # deploy --smoke: the InvokeEndpoint request is built and checked whole before the
    # first look-up; the endpoint's name has the same rule in both models.
    Fill(
        "deploy",
        "--endpoint",
        _INVOKE,
        ("EndpointName",),
        "with --smoke: the same name, whose rule is CreateEndpoint's (letters, digits, hyphens, at most 63)",
        as_is=False,
    ),
    Fill("deploy", "--smoke", _INVOKE, ("Body",), "with --wait, once InService: " + _BODY, as_is=False),
    Fill("deploy", "--smoke-content-type", _INVOKE, ("ContentType",)),
    _endpoint_logs("deploy", "--endpoint", "with --wait, of a failed endpoint: "),
    Fill("endpoint describe", "ENDPOINT", "DescribeEndpoint", ("EndpointName",)),
    _endpoint_logs("endpoint describe", "ENDPOINT", "of a failed endpoint: "),
    Fill("endpoint invoke", "ENDPOINT", _INVOKE, ("EndpointName",)),
    Fill("endpoint invoke", "--body", _INVOKE, ("Body",), _BODY, as_is=False),
    Fill("endpoint invoke", "--content-type", _INVOKE, ("ContentType",)),
    Fill("endpoint invoke", "--accept", _INVOKE, ("Accept",)),
    Fill("endpoint invoke", "--variant", _INVOKE, ("TargetVariant",)),
    Fill("endpoint logs", "ENDPOINT", "logs.FilterLogEvents", ("logGroupName",), _ENDPOINT_GROUP, as_is=False),
    Fill(
        "endpoint logs",
        "ENDPOINT",
        "DescribeEndpoint",
        ("EndpointName",),
        "only when there is no log group: to tell a missing endpoint from one that never logged",
    ),
    Fill(
        "endpoint logs",
        "--variant",
        "logs.FilterLogEvents",
        ("logStreamNamePrefix",),
        "VARIANT + '/', after VARIANT passed VariantName (letters, digits, hyphens), "
        "which CloudWatch's stream-name rule (no ':' or '*') always accepts",
        as_is=False,
    ),
    Fill(
        "endpoint logs", "--since", "logs.FilterLogEvents", ("startTime",), _TIME + "; 10m when not given", as_is=False
    ),
    *_endpoint_change("endpoint update", "ENDPOINT", "; only with --retain-all"),
    _endpoint_logs("endpoint update", "ENDPOINT", "with --wait, of a failed update: "),
    Fill("endpoint update", "--config", "DescribeEndpointConfig", ("EndpointConfigName",)),
    Fill("endpoint update", "--config", "UpdateEndpoint", ("EndpointConfigName",)),
    Fill("endpoint update", "--retain-all", "UpdateEndpoint", ("RetainAllVariantProperties",), "a switch"),
    Fill("endpoint update", "--retain-deployment-config", "UpdateEndpoint", ("RetainDeploymentConfig",), "a switch"),
    *_endpoint_change("endpoint rollback", "ENDPOINT"),
    _endpoint_logs("endpoint rollback", "ENDPOINT", "with --wait, of a failed rollback: "),
    Fill("endpoint history", "ENDPOINT", "DescribeEndpoint", ("EndpointName",)),
    Fill("endpoint history", "ENDPOINT", "ListTags", ("ResourceArn",), _ENDPOINT_ARN, as_is=False),
    Fill("endpoint rollback", "ENDPOINT", "ListTags", ("ResourceArn",), _ENDPOINT_ARN, as_is=False),
    Fill(
        "endpoint rollback",
        "ENDPOINT",
        "AddTags",
        ("ResourceArn",),
        _ENDPOINT_ARN + ", tagged neoctl:rolled-back-from before the UpdateEndpoint",
        as_is=False,
    ),
    *_listing(
        "endpoint list",
        "ListEndpoints",
        {"--name-contains": "NameContains"},
        {
            "--created-after": "CreationTimeAfter",
            "--created-before": "CreationTimeBefore",
            "--modified-after": "LastModifiedTimeAfter",
            "--modified-before": "LastModifiedTimeBefore",
        },
    ),
    Fill("endpoint list", "--status", "ListEndpoints", ("StatusEquals",), _ANY_CASE, as_is=False),
    Fill(
        "endpoint list",
        "--name-contains",
        "DescribeEndpoint",
        ("EndpointName",),
        "for the table's Config column: each name ListEndpoints returned (one that contains it)",
        as_is=False,
    ),
    Fill("endpoint wait", "ENDPOINT", "DescribeEndpoint", ("EndpointName",)),
    *(
        Fill("(Tab completion)", "the word being completed", op, ("NameContains",), "an invalid word: no candidates")
        for op in ("ListCompilationJobs", "ListEndpoints", "ListEndpointConfigs")
    ),
)

# Commands that are another's name: `update-endpoint` is `endpoint update`.
ALIASES = {"update-endpoint": "endpoint update"}

# Options and arguments that put nothing into any request, and why (checked all the same
# where they have a rule of their own). A key is "command source", or "* source" for every command.
NOT_SENT: dict[str, str] = {
    "* --allow-all-at-once": "lets a traffic policy SageMaker would ignore (Inf1) through",
    "endpoint wait --config": "compared with the endpoint's EndpointConfigName (checked as one first)",
    "* --output": "output format",
    "* --query": "applied to the result",
    "* --profile": "where credentials and settings come from",
    "* --region": "where requests go (deploy also sends it as SAGEMAKER_REGION)",
    "* --endpoint-url": "where SageMaker requests go",
    "* --debug": "logging",
    "* --yes": "confirmation",
    "* --dry-run": "sends nothing",
    "* --wait": "what the command does after sending",
    "* --timeout": "how long --wait waits",
    "* --poll": "how often --wait asks",
    "* --max-items": "where the paginator stops",
    "* --help": "help",
    "* --version": "version",
    "validate MORE": "more spec files, as --file",
    "validate --strict": "warnings as errors",
    "validate --online": "makes the look-ups (their values are --file's)",
    "create MORE": "more spec files, as --file",
    "create --aws-cli": "prints command lines",
    "create --concurrency": "how many requests at once",
    "create --strict": "warnings as errors",
    "create --no-preflight": "skips the look-ups",
    "download --to": "a local directory",
    "download --extract": "local unpacking",
    "download --keep-archive": "local unpacking",
    "download --force": "local file replacement",
    "download --allow-overwritten": (
        "accepts an artifact modified after its job completed (a warning, not exit 254); "
        "the HeadObject it relaxes takes its bucket and key from the job's S3ModelArtifacts"
    ),
    "deploy --allow-overwritten": (
        "accepts an artifact modified after its job completed (a warning, not exit 254); "
        "the HeadObject it relaxes takes its bucket and key from the job's S3ModelArtifacts"
    ),
    "logs --follow": "how long to read",
    "logs --tail": "how many of the events read are printed (the last N); a whole number, 1 or more",
    "deploy --allow-target-mismatch": (
        "turns the refusal of a model compiled for another instance family than the variant's "
        "into a warning; the InstanceType it relaxes is --instance-type's or the current config's"
    ),
    "deploy --code": (
        "a local folder, packed into code/ of the compiled archive repacked beside it in S3; CreateModel's "
        "ModelDataUrl is then that key: S3ModelArtifacts with '-code-' and a 16-hex digest before '.tar.gz'"
    ),
    "deploy --rollback-on-smoke-failure": (
        "what deploy does when the smoke test fails: `endpoint rollback`, whose request is built "
        "from the recorded tag and checked before it is sent"
    ),
    "endpoint invoke --out": "a local file for the answer",
    "endpoint logs --follow": "how long to read",
    "endpoint logs --tail": "how many of the events read are printed (the last N); a whole number, 1 or more",
    "devices --framework": "filters the installed model's devices",
    "devices --family": "filters the installed model's devices",
    "schema --form": "which schema to print",
}


def judged(operation: str) -> bool:
    """Whether neoctl reads the model of `operation`'s service (SageMaker's, the runtime's),
    so that a value landing as it is can be judged by the member's own rule."""
    from neoctl.apimodel.runtime import is_runtime

    return "." not in operation or is_runtime(operation)


def rows(command: str) -> list[Fill]:
    """The table's rows for a command (an alias reads its command's)."""
    name = ALIASES.get(command, command)
    return [row for row in INPUTS if row.command == name]


def origin(command: str, operation: str) -> dict[Path, str]:
    """For neoctl.apimodel.requests: the members of `operation` that `command`'s values fill,
    each with the flag or argument that fills it."""
    return {row.path: row.source for row in rows(command) if row.operation == operation}


def check_inputs(command: str, given: Mapping[str, Any]) -> None:
    """InvalidInput (252) naming the flag, unless every value given (None: not given) is one
    the model accepts for each member the table says it lands in unchanged. For commands that
    look something up before they can build their requests: this runs before the look-up."""
    by_operation: dict[str, list[tuple[Path, str, Any]]] = {}
    for row in rows(command):
        value = given.get(row.source)
        if value is not None and row.as_is and judged(row.operation):
            by_operation.setdefault(row.operation, []).append((row.path, row.source, value))
    from neoctl.apimodel.requests import Refusal, refuse, value_refusals

    # --endpoint fills DescribeEndpoint's EndpointName and UpdateEndpoint's alike: say it once.
    once: dict[tuple[str | None, str], Refusal] = {}
    for operation, values in by_operation.items():
        for refusal in value_refusals(operation, values):
            once.setdefault((refusal.source, refusal.message), refusal)
    refuse(list(once.values()))
