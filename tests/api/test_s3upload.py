"""The byte pipe between the packing thread and s3transfer: every byte arrives once, in order."""

from __future__ import annotations

import random
import threading

import pytest

from neoctl.api.s3upload import _ChunkQueue


@pytest.mark.parametrize("seed", range(5))
def test_reads_of_any_size_give_back_the_written_bytes_in_order(seed: int) -> None:
    rng = random.Random(seed)
    pieces = [rng.randbytes(rng.randint(1, 3000)) for _ in range(200)]
    pipe = _ChunkQueue()

    def produce() -> None:
        for piece in pieces:
            pipe.write(piece)
            pipe.write(b"")  # a compressor often returns nothing: not an end of stream
        pipe.finish()

    thread = threading.Thread(target=produce)
    thread.start()
    got = []
    while chunk := pipe.read(rng.choice([1, 7, 512, 4096, 10_000])):
        got.append(chunk)
    thread.join()
    assert b"".join(got) == b"".join(pieces)
    assert pipe.sent == sum(map(len, pieces))
    assert pipe.read(100) == b""  # stays at the end


def test_a_producer_failure_surfaces_in_the_reader_not_as_a_clean_end() -> None:
    pipe = _ChunkQueue()
    pipe.write(b"abc")
    pipe.failure = OSError("disk went away")
    pipe.finish()
    assert pipe.read(2) == b"ab"
    with pytest.raises(OSError, match="disk went away"):
        pipe.read(10)
