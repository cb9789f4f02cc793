"""Options shared by many commands, declared once."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from neoctl.api.session import AwsOptions
from neoctl.cli import completion, state
from neoctl.errors import NeoctlError, QueryFailed, UsageError

if TYPE_CHECKING:
    from neoctl.output import Printer


class OutputFormat(StrEnum):
    """How a command prints its result."""

    table = "table"
    json = "json"
    yaml = "yaml"


def _debug_callback(value: bool) -> bool:
    # Recorded as soon as it is parsed, so the error handler can show tracebacks.
    if value:
        state.enable_debug()
    return value


SpecFiles = Annotated[
    list[str] | None,
    typer.Option(
        "--file",
        "-f",
        help="Job spec YAML file; repeat for several; - reads stdin.",
        show_default=False,
        autocompletion=completion.spec_files,
    ),
]
# `-f examples/*.yaml` expands to one -f and more words: those count as spec files too.
SpecArgs = Annotated[
    list[str] | None,
    typer.Argument(
        help="More job spec files (so `-f examples/*.yaml` works).",
        show_default=False,
        autocompletion=completion.spec_files,
    ),
]
Output = Annotated[
    OutputFormat,
    typer.Option("--output", "-o", help="Output format: table for people, json or yaml for scripts."),
]
Query = Annotated[
    str | None,
    typer.Option("--query", help="JMESPath expression applied to the JSON result, as in the AWS CLI."),
]
Profile = Annotated[
    str | None, typer.Option("--profile", help="AWS profile (default: AWS_PROFILE).", show_default=False)
]
Region = Annotated[
    str | None,
    typer.Option(
        "--region",
        help="AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile).",
        show_default=False,
    ),
]
EndpointUrl = Annotated[
    str | None,
    typer.Option(
        "--endpoint-url",
        help="SageMaker endpoint, e.g. the local emulator (default: AWS_ENDPOINT_URL_SAGEMAKER, AWS_ENDPOINT_URL).",
        show_default=False,
    ),
]
Debug = Annotated[
    bool,
    typer.Option(
        "--debug",
        help="Show botocore's wire log (credentials redacted) and tracebacks.",
        callback=_debug_callback,
    ),
]
Yes = Annotated[
    bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (needed when stdin is not a terminal).")
]

JobName = Annotated[
    str, typer.Argument(help="Compilation job name.", show_default=False, autocompletion=completion.job_names)
]
JobNames = Annotated[
    list[str],
    typer.Argument(help="Compilation job name(s).", show_default=False, autocompletion=completion.job_names),
]
SortOrder = Annotated[
    str | None,
    typer.Option(help="ascending or descending.", autocompletion=completion.sort_orders, show_default=False),
]
MaxItems = Annotated[
    int | None, typer.Option(min=1, help="Stop after this many items; prints a NextToken to resume from.")
]
PageSize = Annotated[int | None, typer.Option(help="Items per API call (1-100).")]
StartingToken = Annotated[str | None, typer.Option(help="Resume from a NextToken neoctl printed.")]
CreatedAfter = Annotated[
    str | None, typer.Option(help="ISO 8601 time (naive = UTC) or an age: 30m, 12h, 7d.", show_default=False)
]
CreatedBefore = Annotated[str | None, typer.Option(help="ISO 8601 time or age.", show_default=False)]
ModifiedAfter = Annotated[str | None, typer.Option(help="ISO 8601 time or age.", show_default=False)]
ModifiedBefore = ModifiedAfter
Timeout = Annotated[
    str | None,
    typer.Option("--timeout", help="Give up after this long (e.g. 90s, 30m, 2h); exit 124.", show_default=False),
]
Poll = Annotated[str, typer.Option("--poll", help="Seconds between status checks (grows while nothing changes).")]
Strict = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Treat every warning (support matrix, pre-flight) as an error: exit 252. A compiled model "
        "a job will overwrite stays a warning (running a job again is common).",
    ),
]
AllowOverwritten = Annotated[
    bool,
    typer.Option(
        "--allow-overwritten",
        help="Use the job's compiled model even when it was modified after the job completed "
        "(another job wrote the same key), with a warning; without it that is exit 254.",
    ),
]
Exclude = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        autocompletion=completion.variant_properties,
        help="With --retain-all: take this property from the new config instead: "
        "DesiredInstanceCount, DesiredWeight or DataCaptureConfig. Repeatable.",
    ),
]
# deploy and rollback always retain the current variant properties: no --retain-all there.
ExcludeRetained = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        autocompletion=completion.variant_properties,
        help="Take this property from the config switched to instead of keeping the current value: "
        "DesiredInstanceCount, DesiredWeight or DataCaptureConfig. Repeatable.",
    ),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show what would change; send nothing.")]
WaitInService = Annotated[
    bool,
    typer.Option(
        "--wait",
        help="Then follow the update: exit 0 once the endpoint serves the new config InService, "
        "1 when it Failed or SageMaker rolled it back.",
    ),
]
# The traffic policy of an endpoint update (neoctl.endpoints.traffic; docs/deploy.md).
Canary = Annotated[
    str | None,
    typer.Option(
        "--canary",
        help="Shift traffic in two steps: first a canary of this size (10% of the new fleet, "
        "or a count of instances, at most half), then the rest.",
        show_default=False,
    ),
]
Linear = Annotated[
    str | None,
    typer.Option(
        "--linear",
        help="Shift traffic in equal steps of this size (20%, 10-50% of the fleet, or a count of instances).",
        show_default=False,
    ),
]
Rolling = Annotated[
    str | None,
    typer.Option(
        "--rolling",
        help="A rolling update: replace the instances in batches of this size (1, or 25%; 5-50% of the fleet).",
        show_default=False,
    ),
]
Bake = Annotated[
    str | None,
    typer.Option(
        "--bake",
        help="Baking period after each step, alarms watched (e.g. 10m; 0 to 1h). Default 0.",
        show_default=False,
    ),
]
Alarm = Annotated[
    list[str] | None,
    typer.Option(
        "--alarm",
        help="A CloudWatch alarm of the region that rolls the update back if it fires while it bakes. "
        "Repeatable (up to 10).",
        show_default=False,
    ),
]
MaxTime = Annotated[
    str | None,
    typer.Option(
        "--max-time",
        help="Time limit of the whole deployment (10m to 8h); SageMaker rolls back past it.",
        show_default=False,
    ),
]
DeploymentConfigFile = Annotated[
    str | None,
    typer.Option(
        "--deployment-config",
        help="UpdateEndpoint's DeploymentConfig from a YAML or JSON file, instead of the flags above.",
        show_default=False,
    ),
]
AllowAllAtOnce = Annotated[
    bool,
    typer.Option(
        "--allow-all-at-once",
        help="Send the traffic policy to an Inf1 endpoint all the same (SageMaker updates it all at once).",
    ),
]


@dataclass(frozen=True)
class Common:
    """What the options every AWS command takes were given as (see aws_command)."""

    aws: AwsOptions
    output: OutputFormat = OutputFormat.table
    query: str | None = None


# In the order --help lists them, after the command's own options.
_OUTPUT_OPTIONS: dict[str, tuple[Any, Any]] = {"output": (Output, OutputFormat.table), "query": (Query, None)}
_AWS_OPTIONS: dict[str, tuple[Any, Any]] = {
    "profile": (Profile, None),
    "region": (Region, None),
    "endpoint_url": (EndpointUrl, None),
    "debug": (Debug, False),
}


def aws_command(*, output: bool = True) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command --profile, --region, --endpoint-url and --debug, and unless `output` is
    False -o/--output and --query, without listing them on its signature: the command takes
    one parameter `common: Common` instead.

    Typer has no option groups, and a Typer callback's options would have to come before the
    command name (`neoctl --region x list`); appending the options to the signature Typer
    reads keeps them where every AWS CLI user puts them, after the command.

    Before the command's body runs, and so before anything is sent: flags that contradict
    each other (cli/conflicts.py, exit 2) and a malformed --endpoint-url (exit 252). After
    it: a --query that failed on a result is exit 255 (see `_ended`).
    """
    shared = (_OUTPUT_OPTIONS if output else {}) | _AWS_OPTIONS

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "common"]
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
            for name, (annotation, default) in shared.items()
        ]
        # Typer passes its Context to a parameter of this type: which flags were typed.
        context = inspect.Parameter(_CONTEXT, inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)

        @functools.wraps(command)
        def run(**kwargs: Any) -> None:
            from neoctl.api.session import check_endpoints, forget_changes
            from neoctl.cli.conflicts import check

            check(kwargs.pop(_CONTEXT))
            given = {name: kwargs.pop(name) for name in shared}
            aws = AwsOptions(given["profile"], given["region"], given["endpoint_url"], given["debug"])
            if aws.endpoint_url is not None:  # the flag now, the variables when a client is made
                check_endpoints(AwsOptions(endpoint_url=aws.endpoint_url))
            forget_changes()
            state.begin_command()
            try:
                command(**kwargs, common=Common(aws, given.get("output", OutputFormat.table), given.get("query")))
            except UsageError as exc:
                raise _after_change(exc) from None
            finally:
                printers = state.end_command()
            _ended(printers)

        parameters = [*own, *added, context]
        # Typer reads both: the signature for the options, the annotations for their types.
        run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": None}
        return run

    return decorate


_CONTEXT = "neoctl_context"


def _after_change(exc: UsageError) -> NeoctlError:
    """Exit 2 promises that nothing was sent: once a request that changes something has
    gone out, a usage error found after it ends with 255, naming what was sent."""
    from neoctl.api.session import changes_sent

    sent = changes_sent()
    if not sent:
        return exc
    return NeoctlError(f"{exc.message} (after {_sent_text(sent)} was sent: what it changed stands)", exc.hint)


def _ended(printers: list[Printer]) -> None:
    """A --query that failed on a result the command printed (without it): QueryFailed,
    exit 255, saying whether anything was changed. Only when the command itself ended
    well: its own exit code (a failed job, a timeout) says more, and the warning was printed."""
    from neoctl.api.session import changes_sent

    if not any(p.query_failure for p in printers):
        return
    from neoctl.output.printer import QUERY_FAILED, QUERY_HINT

    sent = changes_sent()
    done = f"{_sent_text(sent)} was sent, and what it changed stands" if sent else "the command changed nothing"
    raise QueryFailed(f"{QUERY_FAILED}; {done}", QUERY_HINT)


def _sent_text(sent: dict[str, int]) -> str:
    return ", ".join(name + (f" ×{count}" if count > 1 else "") for name, count in sent.items())
