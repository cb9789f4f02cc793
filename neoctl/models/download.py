"""`neoctl download`: a completed job's compiled model from S3 to a local directory,
written whole or not at all, optionally unpacked with the safe-extraction rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from neoctl.errors import Interrupted, InvalidInput

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.output import Printer


def download_artifact(
    options: AwsOptions,
    name: str,
    to: Path = Path("."),
    *,
    extract: bool = False,
    force: bool = False,
    out: Printer | None = None,
) -> dict[str, Any]:
    """Download job `name`'s S3ModelArtifacts into `to` (progress on `out`); with `extract`,
    unpack it into `to/<archive name without .tar.gz>/`, which must not exist yet. A file
    of the archive's name already in `to` is refused unless `force` (then replaced atomically).

    Returns CompilationJobName, S3Uri, Path, Size, Sha256 (and ExtractedTo, Files).
    """
    from neoctl.api.jobs import describe_job
    from neoctl.api.s3 import download_file
    from neoctl.models.artifacts import artifact_uri, extract_dir_name, local_name
    from neoctl.models.extract import check_destination
    from neoctl.models.extract import extract as unpack
    from neoctl.models.s3uri import parse_s3_uri

    uri = artifact_uri(describe_job(options, name))
    bucket, key = parse_s3_uri(uri)
    dest = _directory(to) / local_name(key)
    unpack_to = dest.parent / extract_dir_name(dest.name)
    if extract:
        check_destination(unpack_to)  # before the download, not after it
    result: dict[str, Any] = {"CompilationJobName": name, "S3Uri": uri}
    try:
        if out is None:
            got = download_file(options, bucket, key, dest, overwrite=force)
        else:
            from neoctl.output.transfer import TransferProgress

            with TransferProgress(out, f"downloading {dest.name}", f"downloaded {uri} to {dest}") as progress:
                got = download_file(options, bucket, key, dest, progress, overwrite=force)
    except KeyboardInterrupt:
        raise Interrupted(f"download interrupted; {dest} was not written") from None
    result |= {"Path": str(got.path), "Size": got.size, "Sha256": got.sha256}
    if extract:
        try:
            done = unpack(dest, unpack_to)
        except KeyboardInterrupt:
            raise Interrupted(f"extraction interrupted; {dest} is complete, nothing was extracted") from None
        result |= {"ExtractedTo": str(done.path), "Files": done.files}
    return result


def _directory(to: Path) -> Path:
    try:
        to.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InvalidInput(f"--to {to} exists and is not a directory") from None
    except OSError as exc:
        raise InvalidInput(f"--to {to}: cannot create the directory: {exc.strerror or exc}") from None
    return to
