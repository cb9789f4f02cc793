"""`neoctl download`: a completed job's compiled model from S3 to a local directory,
written whole or not at all, optionally unpacked with the safe-extraction rules."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neoctl.errors import Interrupted, InvalidInput

if TYPE_CHECKING:
    from neoctl.api.session import AwsOptions
    from neoctl.models.extract import Unpacker
    from neoctl.output import Printer


def download_artifact(
    options: AwsOptions,
    name: str,
    to: Path = Path("."),
    *,
    extract: bool = False,
    force: bool = False,
    out: Printer | None = None,
    keep_archive: bool = False,
    allow_overwritten: bool = False,
) -> dict[str, Any]:
    """Download job `name`'s S3ModelArtifacts into `to` (progress on `out`); with `extract`,
    unpack it into `to/<archive name without .tar.gz>/`, which must not exist yet, and
    write no archive unless `keep_archive`. A file of the archive's name already in `to`
    is refused unless `force` (then replaced atomically). The extraction reads the archive
    as it arrives; an unsafe or unreadable archive raises InvalidInput and leaves nothing,
    the archive included.

    Before anything is written, the object is looked at (neoctl.models.artifact_check):
    gone, or modified after the job completed (another job overwrote it), is
    ServiceError (254) — the latter only a warning on `out` with `allow_overwritten`.

    Returns CompilationJobName, S3Uri, Path (the archive, when one is written), Size,
    Sha256 (of the archive as downloaded), Verified (what the bytes were checked against:
    "md5 (ETag)", "crc32 (S3 checksum)", … or "none: <why>"; bytes that are not the
    object's raise TransferCorrupted, exit 255, and leave nothing), and with `extract`
    ExtractedTo and Files.

    `keep_archive` without `extract`, and `force` with `extract` but no `keep_archive`,
    change nothing here (the archive is written; no archive is there to replace); the
    CLI refuses both as usage errors, since there they are flags typed for an effect.
    """
    from neoctl.api.jobs import describe_job
    from neoctl.api.s3download import download_file
    from neoctl.models.artifact_check import check_artifact
    from neoctl.models.artifacts import artifact_uri, extract_dir_name, local_name
    from neoctl.models.extract import Unpacker
    from neoctl.models.s3uri import parse_s3_uri

    job = describe_job(options, name)
    uri = artifact_uri(job)
    # A denied or failed look-up says nothing here: GetObject, next, reports the same cause.
    checked = check_artifact(
        options, job, uri, allow_overwritten=allow_overwritten, verb="downloads", warn_unchecked=False
    )
    if out is not None:
        for warning in checked:
            out.warning(warning)
    bucket, key = parse_s3_uri(uri)
    dest = _directory(to) / local_name(key)
    unpack_to = dest.parent / extract_dir_name(dest.name)
    result: dict[str, Any] = {"CompilationJobName": name, "S3Uri": uri}
    # With --extract the archive is only a means to the tree: writing it too costs its size
    # on disk and ~0.3 s per 249 MB here (page cache, fsync; bench/RESULTS.md case 11), so
    # it is kept only when asked. Its size and SHA-256 are reported either way.
    keep = keep_archive or not extract
    # With --extract the archive is unpacked as it arrives (into a hidden temp directory,
    # renamed once the archive is complete): one pass over the bytes, none over a file.
    # A refused or unreadable archive stops the download and nothing is kept, neither the
    # archive nor a partial tree: a hostile file is not left lying around to be opened
    # by hand, and the rest of it is not fetched for nothing (but see _unpack_checked).
    kept = f"nothing was downloaded or extracted ({dest.name} was not kept)" if keep else "nothing was kept"
    unpacker = Unpacker(unpack_to, dest.name, outcome=kept) if extract else None
    try:
        with contextlib.ExitStack() as stack:
            if unpacker is not None:
                stack.enter_context(unpacker)  # a taken target fails here, before the download
            progress = None
            if out is not None:
                from neoctl.output.transfer import TransferProgress

                done_line = (
                    f"downloaded {uri} to {dest}" if keep else f"downloaded {uri} and extracted it into {unpack_to}"
                )
                progress = stack.enter_context(TransferProgress(out, f"downloading {dest.name}", done_line))
            got = download_file(
                options,
                bucket,
                key,
                dest,
                progress,
                overwrite=force,
                consume=_unpack_checked(unpacker) if unpacker is not None else None,
                keep=keep,
            )
            done = unpacker.commit() if unpacker is not None else None
            if progress is not None:
                from neoctl.output.transfer import verified_phrase

                progress.outcome = verified_phrase(got.verified)
    except KeyboardInterrupt:
        if not keep:
            raise Interrupted("download interrupted; nothing was extracted") from None
        also = "; nothing was extracted" if extract else ""
        raise Interrupted(f"download interrupted; {dest} was not written{also}") from None
    if got.path is not None:
        result["Path"] = str(got.path)
    result |= {"Size": got.size, "Sha256": got.sha256, "Verified": got.verified}
    if done is not None:
        result |= {"ExtractedTo": str(done.path), "Files": done.files}
    return result


def _unpack_checked(unpacker: Unpacker) -> Callable[[Iterable[bytes]], None]:
    """The consumer of `download --extract`: the unpacking, and when the archive cannot be
    read (a bad gzip CRC, a cut tar), the rest of the download, so that its check against
    what S3 says of the object (neoctl.api.s3verify) tells a download damaged on the way
    (TransferCorrupted, 255: run it again) from an archive that is broken in S3 (252).
    A refused member (UnsafeArchive) stops at once: that archive is what S3 holds."""
    from neoctl.models.extract import UnsafeArchive

    def consume(chunks: Iterable[bytes]) -> None:
        try:
            unpacker.unpack(chunks)
        except UnsafeArchive:
            raise
        except InvalidInput:
            for _ in chunks:  # raises TransferCorrupted once the bytes prove not to be S3's
                pass
            raise

    return consume


def _directory(to: Path) -> Path:
    try:
        to.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InvalidInput(f"--to {to} exists and is not a directory") from None
    except OSError as exc:
        raise InvalidInput(f"--to {to}: cannot create the directory: {exc.strerror or exc}") from None
    return to
