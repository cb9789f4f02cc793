"""A compiled model archive repacked with inference code in `code/`, streamed S3 → S3.

As the SageMaker Python SDK's `repack_model` does (neoctl/facts/inference_code.json),
but in one pass with bounded memory and no temp file: the compiled archive is read as it
downloads (GetObject, If-Match its ETag, so the bytes are those the key was named after),
each member is copied as it is, a `code/` already there is left out (replaced, as the
SDK replaces it when given a source_dir), the --code folder is added under `code/`, and
the gzip stream goes to S3 as a multipart upload (neoctl.api.s3upload: the object
appears whole or not at all). The code files are hashed again as they are packed: one
changed since the plan named the key raises InvalidInput and nothing is stored.
"""

from __future__ import annotations

import copy
import io
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neoctl.models.pack import EXEC_MODE, FIXED_MTIME, GzipSink, Sink, append_model
from neoctl.models.tarstream import CHUNK, ChunkReader, open_tar, read_errors

if TYPE_CHECKING:
    from neoctl.api.s3 import Progress
    from neoctl.api.session import AwsOptions
    from neoctl.models.code import CodeDir

CODE = "code"
# Recorded with the repacked object, for a person looking at it in the console.
SOURCE_METADATA = "neoctl-repacked-from"
CODE_METADATA = "neoctl-code-sha256"
LEFT_OUT_MAX = 64 * 1024 * 1024  # bytes of a replaced code/ kept for hard links into it
# What HeadObject says of the compiled archive's server-side encryption, named as PutObject
# takes it: the copy is encrypted as the original (a job's KmsKeyId, a bucket policy that
# requires SSE-KMS), as the SDK's repack passes its kms_key.
ENCRYPTION = ("ServerSideEncryption", "SSEKMSKeyId")


@dataclass(frozen=True)
class Repacked:
    """What a repack wrote: members copied from the compiled archive, files of its own
    code/ left out (replaced), and the code files added."""

    copied: int
    replaced: int
    added: int
    size: int  # bytes of the repacked archive


def _in_code(name: str) -> bool:
    name = _normal(name)
    return name == CODE or name.startswith(CODE + "/")


def repack(raw: ChunkReader, code: CodeDir, sink: Sink) -> tuple[int, int]:
    """Write into `sink` the gzip tar of `raw` (the compiled gzip tar, read once) without its
    code/, then `code`'s files under code/; (members copied, files of code/ left out).
    A broken archive raises InvalidInput; a code file changed since it was hashed too,
    naming it."""
    from neoctl.errors import InvalidInput

    if raw.peek(2) != b"\x1f\x8b":
        raise InvalidInput(
            "the compiled model archive is not gzip data: Neo writes, and SageMaker serves, a .tar.gz",
            "check it with `neoctl download JOB`; nothing was stored",
        )
    copied = replaced = 0
    left_out = _LeftOut()
    zipped = GzipSink(sink)
    try:
        with open_tar(raw) as source, tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as archive:  # type: ignore[call-overload]
            archive.copybufsize = CHUNK
            for member in source:
                if _in_code(member.name):
                    replaced += member.isfile()
                    left_out.keep(member, source)
                    continue
                if member.islnk() and _in_code(member.linkname):
                    # Its target is left out: the link becomes a file of the target's old
                    # bytes, as extracting, replacing code/ and packing again (the SDK) leaves it.
                    member, data = left_out.as_file(member)
                    archive.addfile(member, data)
                else:
                    # Data is read for regular files only: a hard link's header names an
                    # earlier member, already copied (reading it would seek back).
                    archive.addfile(member, source.extractfile(member) if member.isreg() else None)
                copied += 1
            folder = tarfile.TarInfo(CODE)
            folder.type, folder.mode, folder.mtime = tarfile.DIRTYPE, EXEC_MODE, FIXED_MTIME
            archive.addfile(folder)
            append_model(archive, code.tree, code.digest, marks=list(code.marks), prefix=CODE + "/")
    except read_errors() as exc:
        raise InvalidInput(
            f"the compiled model archive cannot be read as a tar: {exc or type(exc).__name__}",
            "check it with `neoctl download JOB --extract`; nothing was stored",
        ) from None
    zipped.close()
    return copied, replaced


class _LeftOut:
    """The files of the compiled archive's code/ that later hard links may name: kept in
    memory up to LEFT_OUT_MAX bytes in all (scripts, not weights)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes | None] = {}  # None: over the budget, not kept
        self.size = 0

    def keep(self, member: tarfile.TarInfo, source: tarfile.TarFile) -> None:
        if not member.isreg():
            return
        if self.size + member.size > LEFT_OUT_MAX:
            self.files[_normal(member.name)] = None
            return
        reader = source.extractfile(member)
        self.files[_normal(member.name)] = reader.read() if reader is not None else b""
        self.size += member.size

    def as_file(self, link: tarfile.TarInfo) -> tuple[tarfile.TarInfo, io.BytesIO]:
        from neoctl.errors import InvalidInput

        data = self.files.get(_normal(link.linkname))
        if data is None:
            raise InvalidInput(
                f"the compiled model's {link.name} is a hard link to {link.linkname}, in the code/ that "
                "--code replaces, whose bytes neoctl did not keep",
                "repack it yourself (docs/deploy.md, Inference code), or deploy without --code",
            )
        file = copy.copy(link)  # TarInfo.replace is 3.11.4+ only
        file.type, file.linkname, file.size = tarfile.REGTYPE, "", len(data)
        file.pax_headers = {k: v for k, v in link.pax_headers.items() if k not in ("linkpath", "size")}
        return file, io.BytesIO(data)


def _normal(name: str) -> str:
    while name.startswith("./"):
        name = name[2:]
    return name.rstrip("/")


def repack_artifact(
    options: AwsOptions,
    source: tuple[str, str, str],
    code: CodeDir,
    dest_key: str,
    progress: Progress | None = None,
    encryption: dict[str, str] | None = None,
) -> Repacked:
    """Repack s3://bucket/key (`source` = bucket, key, ETag) with `code` into
    s3://bucket/dest_key (see the module docstring). `progress` counts the compiled
    archive's bytes as they arrive. `encryption`: the compiled archive's server-side
    encryption (ENCRYPTION members), for the copy. Ctrl-C / SIGTERM become Interrupted saying what S3
    holds then (asked with a HeadObject: the object appears whole or not at all)."""
    from neoctl.api.s3download import download_file
    from neoctl.api.s3upload import upload_stream
    from neoctl.errors import ServiceError

    bucket, key, etag = source
    counts: dict[str, Any] = {}

    def produce(sink: Sink) -> None:
        def consume(chunks: Any) -> None:
            counts["members"] = repack(ChunkReader(chunks), code, sink)

        # keep=False: the bytes go to the repack only (no file: the path is not used).
        download_file(options, bucket, key, Path("repack"), progress, consume=consume, keep=False, if_match=etag)

    metadata = {SOURCE_METADATA: f"s3://{bucket}/{key} {etag}", CODE_METADATA: code.digest}
    try:
        size = upload_stream(options, produce, bucket, dest_key, metadata=metadata, extra=encryption)
    except KeyboardInterrupt:
        raise _interrupted(options, bucket, dest_key, code) from None
    except ServiceError as exc:
        if exc.code not in ("PreconditionFailed", "412"):
            raise
        # GetObject If-Match the ETag the plan named the key after: the object is another now.
        raise ServiceError(
            f"the compiled model s3://{bucket}/{key} changed since the plan was made (its ETag); "
            "nothing was stored or created",
            "run the deploy again to plan it from what is there now (with --allow-overwritten if another job wrote it)",
            operation="GetObject",
            code=exc.code,
        ) from None
    copied, replaced = counts["members"]
    return Repacked(copied, replaced, len(code.files), size)


def stored(head: dict[str, Any] | None, code: CodeDir) -> bool:
    """Whether HeadObject's answer is a repack of this code (the key names the compiled
    archive's version too; the metadata guards against an object put there by hand)."""
    return head is not None and (head.get("Metadata") or {}).get(CODE_METADATA) == code.digest


def _interrupted(options: AwsOptions, bucket: str, key: str, code: CodeDir) -> Exception:
    from neoctl.api.s3 import existing_object
    from neoctl.errors import Interrupted

    uri = f"s3://{bucket}/{key}"
    try:
        whole: bool | None = stored(existing_object(options, bucket, key), code)
    except (Exception, KeyboardInterrupt):  # the network, or Ctrl-C again: unknown
        whole = None
    if whole:
        said = f"the repacked model was stored whole at {uri} (the next run reuses it)"
    elif whole is None:
        said = f"whether {uri} was stored could not be checked"
    else:
        said = f"nothing was stored at {uri}"
    return Interrupted(
        f"interrupted while repacking the compiled model with {code.path}; {said}; nothing else was created",
        "run the same deploy again: it repacks only if the repacked model is not there whole",
    )


def plan_repack(options: AwsOptions, artifact: str, code: CodeDir) -> dict[str, Any]:
    """Where the compiled archive `artifact` repacked with `code` goes, and whether it is
    there already: {"Dir", "EntryPoint", "Files", "Digest", "Size", "Source", "SourceETag", "Uri",
    "Exists", "Encryption" (the compiled archive's, which the copy gets)}.
    Sends HeadObject only (of the compiled archive, for its ETag, and of the repacked key).
    ServiceError (254) when the compiled archive cannot be read: the repack must GET it."""
    from neoctl.api.lookups import head_object
    from neoctl.api.s3 import existing_object
    from neoctl.errors import ServiceError
    from neoctl.models.code import repacked_key
    from neoctl.models.s3uri import parse_s3_uri

    bucket, key = parse_s3_uri(artifact)
    head = head_object(options, bucket, key)
    if head.outcome != "found":
        why = "access denied (needs s3:GetObject)" if head.outcome == "denied" else head.detail or head.outcome
        raise ServiceError(
            f"--code repacks the compiled model, but {artifact} cannot be read: {why}",
            "deploy from credentials that may read the job's output (s3:GetObject), or deploy without --code",
            operation="HeadObject",
            code="ArtifactUnreadable",
        )
    etag = str(head.value.get("ETag", ""))
    dest = repacked_key(key, etag, code)
    encryption = {k: str(head.value[k]) for k in ENCRYPTION if head.value.get(k)}
    return {
        "Dir": str(code.path),
        "EntryPoint": code.entry_point,
        "Files": code.files,
        "Digest": code.digest,
        "Size": code.tree.size,
        "Source": artifact,
        "SourceETag": etag,
        "Uri": f"s3://{bucket}/{dest}",
        "Exists": stored(existing_object(options, bucket, dest), code),
        "Encryption": encryption,
    }
