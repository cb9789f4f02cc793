"""`neoctl download`: a compiled model from S3 to a local directory, optionally unpacked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from neoctl.cli import options as opt
from neoctl.cli.runtime import aws_options, printer

_SUFFIXES = (".tar.gz", ".tgz", ".tar")


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
    from neoctl.api.s3 import download_file, parse_s3_uri
    from neoctl.archive import check_destination
    from neoctl.archive import extract as unpack
    from neoctl.errors import Interrupted
    from neoctl.output.transfer import TransferProgress, download_view
    from neoctl.params import check_name

    # StopCompilationJob: its CompilationJobName has the same constraints and is in the cached model.
    check_name(name, "StopCompilationJob", "CompilationJobName", "NAME")
    out = printer(output, query)
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


def artifact_uri(job: dict[str, Any]) -> str:
    """The S3ModelArtifacts of a COMPLETED job; ServiceError (254) for any other job.

    254 rather than 252: the name is valid and the job exists; it is SageMaker's
    answer (the job's state) that has no model to give yet.
    """
    from neoctl.errors import ServiceError

    name = job.get("CompilationJobName", "")
    status = job.get("CompilationJobStatus", "UNKNOWN")
    uri = (job.get("ModelArtifacts") or {}).get("S3ModelArtifacts")
    if status == "COMPLETED" and uri:
        return str(uri)
    if status in ("STARTING", "INPROGRESS"):
        hint = f"wait for it with `neoctl wait {name}`, then download again"
    elif status == "FAILED":
        hint = f"see why with `neoctl describe {name}` and `neoctl logs {name}`"
    else:
        hint = f"see `neoctl describe {name}`"
    why = f"is {status}" if status != "COMPLETED" else "is COMPLETED but names no S3ModelArtifacts"
    raise ServiceError(
        f"compilation job {name} {why}: it has no compiled model to download",
        hint,
        operation="DescribeCompilationJob",
        code=f"Job{status.title()}",
    )


def local_name(key: str) -> str:
    """The file name for an S3 key: its last part, or model.tar.gz if that is unusable."""
    last = key.rsplit("/", 1)[-1]
    return last if last not in ("", ".", "..") and "\\" not in last else "model.tar.gz"


def extract_dir_name(file_name: str) -> str:
    """model-ml_c5.tar.gz -> model-ml_c5 (the directory --extract fills)."""
    for suffix in _SUFFIXES:
        if file_name.lower().endswith(suffix) and len(file_name) > len(suffix):
            return file_name[: -len(suffix)]
    return file_name + ".extracted"


def _directory(to: Path) -> Path:
    from neoctl.errors import InvalidInput

    try:
        to.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InvalidInput(f"--to {to} exists and is not a directory") from None
    except OSError as exc:
        raise InvalidInput(f"--to {to}: cannot create the directory: {exc.strerror or exc}") from None
    return to
