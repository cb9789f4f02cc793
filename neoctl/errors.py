"""One exception hierarchy; each class carries the exit code the CLI ends with.

Exit codes follow the AWS CLI v2 so that scripts written for `aws` keep working:
0 success, 1 a waited-on job failed, 2 usage, 124 timeout, 130 interrupted,
143 terminated (SIGTERM), 252 invalid input, 253 configuration, 254 the service said no, 255 anything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_JOB_FAILED = 1
EXIT_USAGE = 2
EXIT_TIMEOUT = 124
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM: `timeout`, CI runners, `docker stop`
EXIT_OUTPUT_CLOSED = 141  # 128 + SIGPIPE: the reader of stdout left (`| head`)
EXIT_INVALID_INPUT = 252
EXIT_CONFIG = 253
EXIT_SERVICE = 254
EXIT_OTHER = 255


class NeoctlError(Exception):
    """Base of every error neoctl reports to a user: a message, a hint, an exit code."""

    exit_code = EXIT_OTHER

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(NeoctlError):
    """Flags that contradict each other or a value a flag cannot take."""

    exit_code = EXIT_USAGE


class InvalidInput(NeoctlError):
    """A value the API would refuse, caught before sending."""

    exit_code = EXIT_INVALID_INPUT


class PreflightFailed(InvalidInput):
    """Pre-flight found what SageMaker would refuse; `details` names every problem."""

    def __init__(self, message: str, details: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.details = details


class ConfigError(NeoctlError):
    """No credentials, no region, an unknown profile."""

    exit_code = EXIT_CONFIG


class ServiceError(NeoctlError):
    """SageMaker (or S3, CloudWatch Logs) answered with an error."""

    exit_code = EXIT_SERVICE

    def __init__(self, message: str, hint: str | None = None, *, operation: str = "", code: str = "") -> None:
        super().__init__(message, hint)
        self.operation = operation
        self.code = code


class BatchIncomplete(ServiceError):
    """Some jobs of a batch were refused, conflict, or their fate is unknown."""


class ConnectionFailure(NeoctlError):
    """The endpoint could not be reached or did not answer in time."""

    exit_code = EXIT_OTHER


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec: where it is, what is wrong, how to fix it."""

    file: str
    path: str  # field path, e.g. "OutputConfig.TargetDevice" or "model.framework"
    message: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    hint: str | None = None

    def render(self) -> str:
        """The one-line form: `file:line:col: path: message (hint)`."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.path + ': ' if self.path else ''}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass
class SpecError(NeoctlError):
    """Every problem of a batch at once; nothing is sent while one exists."""

    problems: list[Problem] = field(default_factory=list)
    exit_code = EXIT_INVALID_INPUT

    def __post_init__(self) -> None:
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the job spec(s); nothing was sent")


class QueryFailed(NeoctlError):
    """A --query of valid syntax failed on the result (`abs(@)` on an object). The result has
    been printed without it; 255, as the AWS CLI ends then, and never 2: the command may have
    changed something, and 2 promises that nothing was sent."""

    exit_code = EXIT_OTHER


class JobsFailed(NeoctlError):
    """A waited-on job ended FAILED (or STOPPED); the result has already been printed."""

    exit_code = EXIT_JOB_FAILED


class InvocationFailed(ServiceError):
    """InvokeEndpoint answered with an error (the model's own, ModelError, or the service's);
    `response` holds what it said: Code, Message, and for a ModelError OriginalStatusCode,
    OriginalMessage, LogStreamArn."""

    def __init__(self, message: str, hint: str | None = None, *, response: dict[str, object] | None = None) -> None:
        super().__init__(message, hint, operation="InvokeEndpoint", code=str((response or {}).get("Code", "")))
        self.response = response or {}


class SmokeTestFailed(NeoctlError):
    """deploy --smoke: the endpoint is InService but its one invocation failed (exit 1, as a
    failed wait); the result has already been printed."""

    exit_code = EXIT_JOB_FAILED


class WaitTimeout(NeoctlError):
    """--timeout elapsed with jobs still running."""

    exit_code = EXIT_TIMEOUT


class OutputClosed(NeoctlError):
    """stdout was closed by its reader; nothing more to say."""

    exit_code = EXIT_OUTPUT_CLOSED


class Interrupted(NeoctlError):
    """Ctrl-C; the message says what keeps running remotely."""

    exit_code = EXIT_INTERRUPTED


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread as Ctrl-C is, so every Ctrl-C cleanup runs
    (no `.part`, no temporary archive, the "keeps running" message); exit 143."""
