"""`neoctl download`: a compiled model from S3 to a local directory, optionally unpacked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from neoctl.cli import options as opt
from neoctl.cli.runtime import printer, warn_unredirected


@opt.aws_command()
def download(
    common: opt.Common,
    name: opt.JobName,
    to: Annotated[
        Path, typer.Option("--to", help="Directory to download into (created if missing).", file_okay=False)
    ] = Path("."),
    extract: Annotated[
        bool,
        typer.Option(
            "--extract",
            help="Also unpack the archive as it arrives into DIR/<archive name without "
            ".tar.gz>/, which must not exist yet; an unsafe or corrupt archive is refused "
            "and nothing is kept, not even the archive (exit 252).",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace a file of the archive's name already in DIR (atomically, once the "
            "download is complete); without it such a file is refused (exit 252).",
        ),
    ] = False,
) -> None:
    """Download a completed job's compiled model (its S3ModelArtifacts), with a progress bar.

    The archive is written whole or not at all (Ctrl-C leaves no partial file); an
    existing file of the same name is kept unless --force.

    Examples:

    \b
      neoctl download resnet50-ml-c5
      neoctl download resnet50-ml-c5 --to ./compiled --extract
      neoctl download resnet50-ml-c5 --to ./compiled --force
      neoctl download resnet50-ml-c5 -o json --query Path
    """
    from neoctl.flags import check_name
    from neoctl.models.download import download_artifact
    from neoctl.output.transfer import download_view

    out = printer(common.output, common.query)
    check_name(name, "DescribeCompilationJob", "CompilationJobName", "NAME")
    warn_unredirected(out, common.aws.endpoint_url, "s3")
    result = download_artifact(common.aws, name, to, extract=extract, force=force, out=out)
    out.data(result, download_view)
