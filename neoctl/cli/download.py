"""`neoctl download`: a compiled model from S3 to a local directory, optionally unpacked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from neoctl.cli import options as opt
from neoctl.cli.runtime import aws_options, printer, warn_unredirected


def download(
    name: opt.JobName,
    to: Annotated[
        Path, typer.Option("--to", help="Directory to download into (created if missing).", file_okay=False)
    ] = Path("."),
    extract: Annotated[
        bool,
        typer.Option(
            "--extract",
            help="Also unpack the archive into DIR/<archive name without "
            ".tar.gz>/, which must not exist yet; unsafe archives are refused.",
        ),
    ] = False,
    profile: opt.Profile = None,
    region: opt.Region = None,
    endpoint_url: opt.EndpointUrl = None,
    debug: opt.Debug = False,
    output: opt.Output = opt.OutputFormat.table,
    query: opt.Query = None,
) -> None:
    """Download a completed job's compiled model (its S3ModelArtifacts), with a progress bar.

    The archive is written whole or not at all (Ctrl-C leaves no partial file).

    Examples:

    \b
      neoctl download resnet50-ml-c5
      neoctl download resnet50-ml-c5 --to ./compiled --extract
      neoctl download resnet50-ml-c5 -o json --query Path
    """
    from neoctl.api.jobs import describe_job
    from neoctl.api.s3 import download_file
    from neoctl.errors import Interrupted
    from neoctl.flags import check_name
    from neoctl.models.artifacts import artifact_uri, extract_dir_name, local_name
    from neoctl.models.extract import check_destination
    from neoctl.models.extract import extract as unpack
    from neoctl.models.s3uri import parse_s3_uri
    from neoctl.output.transfer import TransferProgress, download_view

    check_name(name, "DescribeCompilationJob", "CompilationJobName", "NAME")
    out = printer(output, query)
    warn_unredirected(out, endpoint_url, "s3")
    options = aws_options(profile, region, endpoint_url, debug)
    uri = artifact_uri(describe_job(options, name))
    bucket, key = parse_s3_uri(uri)
    dest = _directory(to) / local_name(key)
    unpack_to = dest.parent / extract_dir_name(dest.name)
    if extract:
        check_destination(unpack_to)  # before the download, not after it
    result: dict[str, Any] = {"CompilationJobName": name, "S3Uri": uri}
    try:
        with TransferProgress(out, f"downloading {dest.name}", f"downloaded {uri} to {dest}") as progress:
            got = download_file(options, bucket, key, dest, progress)
    except KeyboardInterrupt:
        raise Interrupted(f"download interrupted; {dest} was not written") from None
    result |= {"Path": str(got.path), "Size": got.size, "Sha256": got.sha256}
    if extract:
        try:
            done = unpack(dest, unpack_to)
        except KeyboardInterrupt:
            raise Interrupted(f"extraction interrupted; {dest} is complete, nothing was extracted") from None
        result |= {"ExtractedTo": str(done.path), "Files": done.files}
    out.data(result, download_view)


def _directory(to: Path) -> Path:
    from neoctl.errors import InvalidInput

    try:
        to.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InvalidInput(f"--to {to} exists and is not a directory") from None
    except OSError as exc:
        raise InvalidInput(f"--to {to}: cannot create the directory: {exc.strerror or exc}") from None
    return to
