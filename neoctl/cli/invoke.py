"""`neoctl endpoint invoke` and `neoctl endpoint logs`: what an endpoint answers, and what its
containers log."""

from __future__ import annotations

from typing import Annotated

import typer

from neoctl.cli import options as opt
from neoctl.cli.endpoint import EndpointName
from neoctl.cli.printer import printer


@opt.aws_command(output=False)
def invoke(
    common: opt.Common,
    endpoint: EndpointName,
    body: Annotated[
        str,
        typer.Option(
            "--body",
            help="File whose bytes are the request body, sent as they are (- reads stdin); at most 6 MiB.",
            show_default=False,
        ),
    ],
    content_type: Annotated[
        str | None,
        typer.Option(
            "--content-type", help="MIME type of the body (ContentType), e.g. application/json.", show_default=False
        ),
    ] = None,
    accept: Annotated[
        str | None,
        typer.Option("--accept", help="MIME type wanted for the answer (Accept).", show_default=False),
    ] = None,
    variant: Annotated[
        str | None,
        typer.Option(
            "--variant",
            help="Send to this production variant (TargetVariant) instead of by weight.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option("--out", help="Write the answer's body to this file instead of stdout.", show_default=False),
    ] = None,
) -> None:
    """Send one request to an endpoint (InvokeEndpoint); its answer goes to stdout, byte for byte.

    The latency and the variant that answered go to stderr. An error answer, the model's
    own (ModelError) or the service's, is exit 254 with its message and the log group to read.

    Examples:

    \b
      neoctl endpoint invoke resnet50-prod --body cat.jpg --content-type image/jpeg
      neoctl endpoint invoke resnet50-prod --body input.json --content-type application/json --out answer.json
      neoctl endpoint invoke resnet50-prod --body input.json --variant blue --accept application/json
    """
    from neoctl.api.session import endpoint_url_warning
    from neoctl.endpoints import invoke as calls
    from neoctl.output.invocations import invoked_message

    printed = printer()
    # The values first (nothing is read or sent while one is refused), then the body file.
    given = {"ENDPOINT": endpoint, "--content-type": content_type, "--accept": accept, "--variant": variant}
    calls.check_values("endpoint invoke", given)
    if out is not None:
        calls.check_out(out)
    request = calls.build_request(endpoint, calls.read_body(body, "--body"), content_type, accept, variant)
    if warning := endpoint_url_warning(common.aws, "sagemaker-runtime"):
        printed.warning(warning)
    result = calls.invoke_endpoint(common.aws, request)
    if out is not None:
        calls.save_body(out, result["Body"])
    else:
        printed.binary(result["Body"])
    printed.message(invoked_message(result, out))


@opt.aws_command()
def logs(
    common: opt.Common,
    endpoint: EndpointName,
    variant: Annotated[
        str | None,
        typer.Option("--variant", help="Only this variant's instances (streams VARIANT/...).", show_default=False),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="From this ISO 8601 time or age (30s, 10m, 2h, 1d); default 10m.", show_default=False
        ),
    ] = None,
    tail: Annotated[
        str | None,
        typer.Option(
            "--tail", help="Only the last N lines (with --follow: the last N, then new ones).", show_default=False
        ),
    ] = None,
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep printing new lines until Ctrl-C (exit 130; nothing is changed).")
    ] = False,
    poll: opt.Poll = "5",
) -> None:
    """Print an endpoint's container logs (/aws/sagemaker/Endpoints/NAME), every instance interleaved by time.

    Each line: time, stream (VARIANT/INSTANCE-ID), message. -o json prints one JSON list of
    {timestamp, stream, message}; with --follow, JSON Lines (one object per line as it comes).

    Examples:

    \b
      neoctl endpoint logs resnet50-prod
      neoctl endpoint logs resnet50-prod --variant AllTraffic --since 2h --tail 50
      neoctl endpoint logs resnet50-prod --follow
      neoctl endpoint logs resnet50-prod -o json --query "[?contains(message, 'Traceback')]"
    """
    from neoctl.api.session import endpoint_url_warning
    from neoctl.endpoints.logs import DEFAULT_SINCE, STOPPED, endpoint_log_events
    from neoctl.errors import Interrupted
    from neoctl.flags import count
    from neoctl.output.invocations import endpoint_log_line
    from neoctl.output.logs import print_log_events
    from neoctl.output.printer import escape
    from neoctl.polling import waiting

    printed = printer(common.output, common.query)
    last = count(tail, "--tail")  # checked before anything is sent
    interval = waiting(None, poll).poll
    if warning := endpoint_url_warning(common.aws, "logs"):
        printed.warning(warning)
    events = endpoint_log_events(common.aws, endpoint, variant, since, follow, interval, last)
    try:
        seen = print_log_events(printed, events, endpoint_log_line, follow=follow, query=common.query)
    except KeyboardInterrupt:  # between two reads the generator is not running: Ctrl-C lands here
        raise Interrupted(STOPPED.format(endpoint=endpoint)) from None
    if not seen:
        which = f" variant {escape(variant)}" if variant else ""
        printed.message(
            f"no log lines of endpoint {escape(endpoint)}{which} (--since {escape(since or DEFAULT_SINCE)}); "
            "start earlier with e.g. --since 1d"
        )
