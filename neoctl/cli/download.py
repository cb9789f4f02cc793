"""`neoctl download`: a compiled model from S3 to a local directory, optionally unpacked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from neoctl.cli import options as opt
from neoctl.cli.printer import printer


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
            help="Unpack the archive as it arrives into DIR/<archive name without "
            ".tar.gz>/, which must not exist yet, writing no archive file (see "
            "--keep-archive); an unsafe or corrupt archive is refused and nothing is kept "
            "(exit 252).",
        ),
    ] = False,
    keep_archive: Annotated[
        bool,
        typer.Option(
            "--keep-archive",
            help="With --extract, also keep the archive as DIR/<archive name> (written whole, as without --extract).",
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
    allow_overwritten: opt.AllowOverwritten = False,
) -> None:
    """Download a completed job's compiled model (its S3ModelArtifacts), with a progress bar.

    The archive is written whole or not at all (Ctrl-C leaves no partial file); an
    existing file of the same name is kept unless --force. With --extract only the
    unpacked directory is written, unless --keep-archive. Before anything is written,
    an archive that is gone, or was modified after the job completed (a later job with
    the same output prefix overwrote it), is exit 254 (--allow-overwritten: a warning).

    Examples:

    \b
      neoctl download resnet50-ml-c5
      neoctl download resnet50-ml-c5 --to ./compiled --extract
      neoctl download resnet50-ml-c5 --to ./compiled --force
      neoctl download resnet50-ml-c5 -o json --query Path
    """
    from neoctl.api.session import endpoint_url_warning
    from neoctl.errors import UsageError
    from neoctl.flags import check_name
    from neoctl.models.download import download_artifact
    from neoctl.output.transfer import download_view

    if keep_archive and not extract:
        raise UsageError("--keep-archive keeps the archive next to what --extract unpacks: add --extract, or drop it")
    if force and extract and not keep_archive:
        raise UsageError(
            "--force replaces an archive file, and --extract writes none without --keep-archive",
            "add --keep-archive, or drop --force (an extracted directory is never replaced: remove it first)",
        )
    out = printer(common.output, common.query)
    check_name(name, "DescribeCompilationJob", "CompilationJobName", "NAME")
    if warning := endpoint_url_warning(common.aws, "s3"):
        out.warning(warning)
    result = download_artifact(
        common.aws,
        name,
        to,
        extract=extract,
        force=force,
        out=out,
        keep_archive=keep_archive,
        allow_overwritten=allow_overwritten,
    )
    out.data(result, download_view)
