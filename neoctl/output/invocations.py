"""What `endpoint invoke`, `deploy --smoke` and `endpoint logs` say: the line about an
invocation (stderr: stdout holds the answer's bytes alone) and an endpoint's log lines."""

from __future__ import annotations

from typing import Any

from neoctl.output.jobs import log_line
from neoctl.output.printer import escape, printable


def invoked_message(result: dict[str, Any], saved_to: str | None = None) -> str:
    """`invoked resnet50-prod (variant AllTraffic) in 23.4 ms: 1,234 bytes of application/json`
    as Rich markup (user-sourced parts escaped), for stderr."""
    variant = result.get("InvokedProductionVariant") or "not reported"
    kind = result.get("ContentType") or "no content type"
    where = f" → {escape(saved_to)}" if saved_to else ""
    return (
        f"invoked {escape(result.get('EndpointName', ''))} (variant {escape(variant)}) "
        f"in {result.get('LatencyMs', 0):.1f} ms: {result.get('BodyLength', 0):,} bytes of {escape(kind)}{where}"
    )


def endpoint_log_line(event: dict[str, Any]) -> str:
    """`2026-12-05T03:58:53.908Z AllTraffic/i-0abc… message`: time, stream (variant and
    instance), message; control characters neutralised."""
    stamp, _, message = log_line(event).partition(" ")
    return f"{stamp} {printable(str(event.get('logStreamName', '')))} {message}"


def smoke_failed_message(endpoint: str, response: dict[str, Any]) -> str:
    """The smoke test's failure, with what the endpoint answered (plain text)."""
    said = response.get("OriginalMessage") or response.get("Message") or "no message"
    status = response.get("OriginalStatusCode") or response.get("HTTPStatusCode")
    code = response.get("Code", "error")
    answered = f"{code} (HTTP {status})" if status else str(code)
    return f"smoke test of endpoint {endpoint} failed: it answered {answered}: {said}"


def preview_body(data: bytes, limit: int = 200) -> str:
    """The start of an answer's body as text, for a message (binary shown as such)."""
    try:
        text = data[:limit].decode("utf-8")
    except UnicodeDecodeError:
        return f"{len(data):,} bytes of binary data"
    return printable(text) + ("…" if len(data) > limit else "")
