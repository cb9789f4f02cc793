"""What a model archive holds, checked against what Neo's loader looks for (neoctl.models.contents)."""

from __future__ import annotations

import gzip
import io
import os
import re
import tarfile
import time
import tracemalloc
from pathlib import Path

import pytest

from neoctl.errors import InvalidInput
from neoctl.models.contents import ContentProblem, Member, check_contents, list_archive, list_model

from .packing import package

ROOT = "at the archive root; code/ allowed"


def _tree(root: Path, *names: str) -> Path:
    """Files (and folders, named with a trailing /) under `root`; file content is its name."""
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        path = root / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(name)
    return root


def _targz(path: Path, *names: str, prefix: str = "") -> Path:
    """A .tar.gz of small files (and folders, with a trailing /), names as given (plus `prefix`)."""
    with tarfile.open(path, "w:gz") as archive:
        for name in names:
            info = tarfile.TarInfo(prefix + name.rstrip("/"))
            if name.endswith("/"):
                info.type = tarfile.DIRTYPE
                archive.addfile(info)
            else:
                data = name.encode()
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return path


def _members(*names: str) -> list[Member]:
    return [Member(n.rstrip("/"), "dir" if n.endswith("/") else "file", 1) for n in names]


def _check(framework: str, *names: str) -> list[tuple[str, str, str]]:
    return [(p.level, p.message, p.hint) for p in check_contents(framework, _members(*names))]


# -- listing ------------------------------------------------------------------------


def test_directory_lists_what_pack_packs(tmp_path: Path) -> None:
    model = _tree(tmp_path / "model", "model.pth", "code/inference.py", "code/requirements.txt", "empty/")
    (model / "link.pth").symlink_to("model.pth")  # inside the directory: followed, as pack does
    members = list_model(model)
    assert members == [
        Member("code", "dir"),
        Member("code/inference.py", "file", 17),
        Member("code/requirements.txt", "file", 21),
        Member("empty", "dir"),
        Member("link.pth", "file", 9),
        Member("model.pth", "file", 9),
    ]
    packed = package(model, workdir=tmp_path)
    try:
        with tarfile.open(packed.path, "r:gz") as archive:
            assert [m.name for m in members] == archive.getnames()
            assert [m.size for m in members] == [i.size for i in archive.getmembers()]
    finally:
        packed.path.unlink(missing_ok=True)


def test_directory_link_leaving_it_is_refused_as_pack_refuses_it(tmp_path: Path) -> None:
    model = _tree(tmp_path / "model", "model.pth")
    (tmp_path / "secret").write_text("x")
    (model / "extra.pth").symlink_to(tmp_path / "secret")
    with pytest.raises(InvalidInput, match="points outside the model directory"):
        list_model(model)


def test_single_file_is_one_member_named_after_it(tmp_path: Path) -> None:
    path = _tree(tmp_path / "deep" / "folder", "resnet50.pth") / "resnet50.pth"
    assert list_model(path) == [Member("resnet50.pth", "file", 12)]


def test_archive_names_are_normalised_like_an_extraction(tmp_path: Path) -> None:
    # `tar czf model.tar.gz -C dir .` writes "." and "./name": both mean the root.
    path = tmp_path / "model.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        archive.add(_tree(tmp_path / "src", "model.pth", "code/inference.py"), arcname=".")
    assert [(m.name, m.kind) for m in list_model(path)] == [
        ("code", "dir"),
        ("code/inference.py", "file"),
        ("model.pth", "file"),
    ]


def test_archive_links_and_tgz_suffix(tmp_path: Path) -> None:
    path = _targz(tmp_path / "model.tgz", "weights/model.pth")
    with tarfile.open(tmp_path / "l.tgz", "w:gz") as archive:
        link = tarfile.TarInfo("model.pth")
        link.type = tarfile.SYMTYPE
        link.linkname = "weights/model.pth"
        archive.addfile(link)
    assert list_model(path) == [Member("weights/model.pth", "file", 17)]
    assert list_model(tmp_path / "l.tgz") == [Member("model.pth", "link", 0)]


class _CountingReader(io.RawIOBase):
    """A file that counts the bytes read from it and refuses to seek."""

    def __init__(self, raw: io.BufferedReader) -> None:
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.bytes_read += len(data)
        return len(data)

    def seekable(self) -> bool:
        return False


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.left)
        buffer[:n] = bytes(n)
        self.left -= n
        return n


def test_archive_is_listed_from_its_headers_in_one_pass_and_bounded_memory(tmp_path: Path) -> None:
    big = 64 << 20  # 64 MiB of zeros: under 100 KiB compressed
    path = tmp_path / "model.tar.gz"
    with tarfile.open(path, "w:gz", compresslevel=1) as archive:
        info = tarfile.TarInfo("model.pth")
        info.size = big
        archive.addfile(info, io.BufferedReader(_Zeros(big)))
        note = tarfile.TarInfo("notes.txt")
        note.size = 2
        archive.addfile(note, io.BytesIO(b"hi"))
    with path.open("rb") as raw:
        counting = _CountingReader(raw)
        tracemalloc.start()
        started = time.perf_counter()
        members = list_archive(io.BufferedReader(counting), "model.tar.gz")
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert members == [Member("model.pth", "file", big), Member("notes.txt", "file", 2)]
    assert counting.bytes_read == os.path.getsize(path)  # every byte once, no seek back
    assert peak < 8 << 20, f"peak {peak} bytes: member data was kept"
    assert seconds < 60  # a hang guard under load; speed is `make bench`'s


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"PK\x03\x04 a zip file", "Not a gzipped file (b'PK')"),
        (gzip.compress(b"not a tar header " * 64), "invalid header"),
        (b"", "empty file"),
    ],
    ids=["zip", "gzip-not-tar", "empty"],
)
def test_not_a_gzip_tar_is_refused_with_neos_words(tmp_path: Path, data: bytes, why: str) -> None:
    path = tmp_path / "model.tar.gz"
    path.write_bytes(data)
    with pytest.raises(InvalidInput) as caught:
        list_model(path)
    assert caught.value.message == (
        f"model path {path} is not a gzip tar; SageMaker Neo would fail with 'Unable to untar input model' ({why})"
    )
    assert caught.value.hint == (
        "pack the model with `tar czf model.tar.gz -C MODEL_DIR .`, or give the directory itself"
    )


def test_truncated_archive_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("model.pth")
        info.size = 1 << 20
        archive.addfile(info, io.BytesIO(os.urandom(1 << 20)))
    path.write_bytes(path.read_bytes()[:300_000])
    with pytest.raises(InvalidInput, match="is not a gzip tar"):
        list_model(path)


def test_uncompressed_tar_and_missing_path_are_refused(tmp_path: Path) -> None:
    tar = tmp_path / "model.tar"
    with tarfile.open(tar, "w"):
        pass
    with pytest.raises(InvalidInput, match=r"uncompressed tar; SageMaker Neo needs a \.tar\.gz"):
        list_model(tar)
    with pytest.raises(InvalidInput, match="does not exist"):
        list_model(tmp_path / "nope")


# -- checking: the common rules -----------------------------------------------------


@pytest.mark.parametrize(
    ("framework", "names"),
    [
        ("PYTORCH", ["model.pth"]),
        ("PYTORCH", ["model.pth", "code/", "code/inference.py", "code/helper.pth"]),  # code/ not counted
        ("PYTORCH", ["model.pth", ".model.pth", "._model.pth"]),  # hidden (macOS ._ files) not counted
        ("pytorch", ["model.pth"]),  # the neoctl form spells it in lower case
        ("ONNX", ["model.onnx", "labels.txt"]),
        ("TFLITE", ["model.tflite"]),
        ("KERAS", ["model.h5"]),
        ("SKLEARN", ["model.joblib"]),
        ("DARKNET", ["yolov3.cfg", "yolov3.weights"]),
        ("MXNET", ["resnet-symbol.json", "resnet-0000.params", "hyperparams.json", "model-shapes.json"]),
        ("MXNET", ["model0-symbol.json", "model1-symbol.json", "model0-0000.params"]),  # Autopilot
        ("TENSORFLOW", ["saved_model.pb", "variables/", "variables/variables.index"]),
        ("TENSORFLOW", ["1/", "1/saved_model.pb", "1/variables/", "1/variables/variables.index"]),
        ("TENSORFLOW", ["frozen.pb"]),
        ("TENSORFLOW", ["graph.pbtxt", "checkpoint"]),  # NL looks for checkpoint in folders only
        ("XGBOOST", ["xgboost-model"]),
        ("XGBOOST", ["anything.bin"]),
        ("XGBOOST", ["xgboost-model-0", "xgboost-model-1", "xgboost-model-2"]),  # Autopilot
        ("COREML", ["whatever"]),  # not a framework these checks know: the spec checks report it
    ],
)
def test_valid_layouts_pass(framework: str, names: list[str]) -> None:
    assert _check(framework, *names) == []


def test_two_model_files_are_an_error_naming_them() -> None:
    assert _check("PYTORCH", "model.pth", "best.pth", "code/", "code/inference.py") == [
        (
            "error",
            f"2 .pt/.pth files in the PYTORCH model (best.pth, model.pth); Neo needs exactly one, {ROOT}",
            "remove all but the one to compile",
        )
    ]


def test_no_model_file_names_what_was_found() -> None:
    assert _check("ONNX", "model.pth", "README.md") == [
        (
            "error",
            f"no .onnx file in the ONNX model (found README.md, model.pth); Neo needs exactly one, {ROOT}",
            "add the model's .onnx file",
        )
    ]


def test_empty_and_hidden_only_and_code_only() -> None:
    assert _check("KERAS", ".DS_Store")[0][1] == (
        "no .h5 file in the KERAS model (found nothing; names starting with '.' are not counted); "
        f"Neo needs exactly one, {ROOT}"
    )
    assert _check("KERAS", "code/", "code/inference.py")[0][1].startswith(
        "no .h5 file in the KERAS model (found only code/)"
    )


def test_long_lists_are_cut_after_five_names() -> None:
    ((level, message, hint),) = _check("SKLEARN", *[f"m{i}.joblib" for i in range(8)])
    assert level == "error"
    assert "(m0.joblib, m1.joblib, m2.joblib, m3.joblib, m4.joblib and 3 more)" in message
    assert hint == "remove all but the one to compile"  # the names are in the message, once


# Layouts Neo refuses, one or more per rule: what each message says, its hint does not say again.
REFUSED = [
    ("PYTORCH", ["a.pth", "b.pth"]),
    ("PYTORCH", ["model.onnx"]),
    ("ONNX", ["a.onnx", "b.onnx", "c.onnx"]),
    ("SKLEARN", ["x.bin"]),
    ("DARKNET", ["a.cfg", "b.cfg", "w.weights"]),
    ("DARKNET", ["yolo.cfg"]),
    ("MXNET", ["a-symbol.json", "b-symbol.json", "a-0000.params"]),
    ("MXNET", ["resnet-0000.params"]),
    ("MXNET", ["resnet-symbol.json"]),
    ("TENSORFLOW", ["a/", "a/saved_model.pb", "a/variables/", "b/", "b/saved_model.pb", "b/variables/"]),
    ("TENSORFLOW", ["saved_model.pb", "variables/", "frozen.pb"]),
    ("TENSORFLOW", ["model.h5"]),
    ("XGBOOST", ["model/", "model/xgboost-model"]),
    ("XGBOOST", ["empty/"]),
]


@pytest.mark.parametrize(("framework", "names"), REFUSED, ids=[f"{f}-{'+'.join(n)}" for f, n in REFUSED])
def test_a_hint_never_repeats_its_message(framework: str, names: list[str]) -> None:
    # Rendered as "message (hint)": "… Neo needs exactly one, at the archive root; code/
    # allowed (keep exactly one .pt/.pth at the archive root; code/ allowed (found a.pth,
    # b.pth))" said the rule and the names twice. The hint is only what to do.
    problems = [p for p in _check(framework, *names) if p[0] == "error"]
    assert problems
    for _level, message, hint in problems:
        assert "found" not in hint, hint
        assert not (ROOT in message and ROOT in hint), (message, hint)
        assert not (("exactly one" in message) and ("exactly one" in hint)), (message, hint)
        listed = re.search(r"model \((?:found )?([^)]*)\)", message)
        assert listed is not None and listed[1] not in hint, (message, hint)  # the names, once


def test_suffix_in_another_case_is_named_in_the_hint() -> None:
    ((level, _, hint),) = _check("TFLITE", "MODEL.TFLITE")
    assert (level, hint) == ("error", "rename MODEL.TFLITE: Neo matches the suffix .tflite case-sensitively")


def test_nested_model_file_is_a_warning_naming_where_it_is() -> None:
    assert _check("PYTORCH", "resnet/", "resnet/model.pth") == [
        (
            "warning",
            f"the .pth file is at resnet/model.pth: Neo wants model files {ROOT} "
            "(its open loader searches folders, so this may still work)",
            "pack the contents of resnet/ rather than the folder: point model.path at it, "
            "or `tar czf model.tar.gz -C resnet .`",
        )
    ]


def test_a_hidden_folder_does_not_hide_its_files() -> None:
    # NL drops a member only when its own basename starts with ".": Jupyter's copy counts.
    ((level, message, _),) = _check(
        "PYTORCH", "model.pth", ".ipynb_checkpoints/", ".ipynb_checkpoints/model-checkpoint.pth"
    )
    assert level == "error"
    assert "(.ipynb_checkpoints/model-checkpoint.pth, model.pth)" in message


def test_errors_come_before_warnings() -> None:
    problems = check_contents("TENSORFLOW", _members("ckpt/", "ckpt/checkpoint", "ckpt/model.pb"))
    assert [p.level for p in problems] == ["error", "warning"]
    assert all(isinstance(p, ContentProblem) for p in problems)


# -- checking: per framework --------------------------------------------------------


def test_pytorch_pt_is_accepted_with_a_warning() -> None:
    assert _check("PYTORCH", "model.pt") == [
        (
            "warning",
            "the PyTorch model is model.pt: the developer guide accepts .pt, but Neo's open loader looks for .pth",
            "rename it to model.pth if the job fails with 'No pth file found'",
        )
    ]


def test_pytorch_pt_and_pth_together_is_an_error() -> None:
    ((level, message, _),) = _check("PYTORCH", "model.pt", "model.pth")
    assert (level, message) == (
        "error",
        f"2 .pt/.pth files in the PYTORCH model (model.pt, model.pth); Neo needs exactly one, {ROOT}",
    )


def test_pytorch_none() -> None:
    assert _check("PYTORCH", "model.onnx") == [
        (
            "error",
            f"no .pt/.pth file in the PYTORCH model (found model.onnx); Neo needs exactly one, {ROOT}",
            "add the model's .pt/.pth file",
        )
    ]


@pytest.mark.parametrize(
    ("framework", "suffix"), [("ONNX", ".onnx"), ("TFLITE", ".tflite"), ("KERAS", ".h5"), ("SKLEARN", ".joblib")]
)
def test_single_file_frameworks(framework: str, suffix: str) -> None:
    assert _check(framework, f"a{suffix}", f"b{suffix}") == [
        (
            "error",
            f"2 {suffix} files in the {framework} model (a{suffix}, b{suffix}); Neo needs exactly one, {ROOT}",
            "remove all but the one to compile",
        )
    ]
    assert _check(framework, "x.bin") == [
        (
            "error",
            f"no {suffix} file in the {framework} model (found x.bin); Neo needs exactly one, {ROOT}",
            f"add the model's {suffix} file",
        )
    ]


def test_darknet_needs_one_cfg_and_one_weights() -> None:
    assert _check("DARKNET", "yolo.cfg") == [
        (
            "error",
            f"no .weights file in the DARKNET model (found yolo.cfg); Neo needs exactly one, {ROOT}",
            "add the model's .weights file",
        )
    ]
    assert [p[1] for p in _check("DARKNET", "a.cfg", "b.cfg", "a.weights")] == [
        f"2 .cfg files in the DARKNET model (a.cfg, b.cfg); Neo needs exactly one, {ROOT}"
    ]


def test_tensorflow_two_saved_models() -> None:
    assert _check("TENSORFLOW", "a/", "a/saved_model.pb", "a/variables/", "b/", "b/saved_model.pb", "b/variables/") == [
        (
            "error",
            "2 SavedModel folders in the TENSORFLOW model (a/, b/); Neo needs exactly one",
            f"remove all but the one to compile, {ROOT}",
        )
    ]


def test_tensorflow_two_graphs_even_beside_a_saved_model() -> None:
    # NL counts .pb/.pbtxt first: a SavedModel plus a frozen graph fails.
    assert _check("TENSORFLOW", "saved_model.pb", "variables/", "frozen.pb") == [
        (
            "error",
            "2 .pb/.pbtxt files in the TENSORFLOW model (frozen.pb, saved_model.pb); "
            "Neo needs one SavedModel folder or exactly one frozen graph",
            f"remove all but the one to compile (a SavedModel's saved_model.pb counts), {ROOT}",
        )
    ]


def test_tensorflow_neither() -> None:
    assert _check("TENSORFLOW", "model.h5") == [
        (
            "error",
            "no SavedModel folder and no .pb/.pbtxt file in the TENSORFLOW model (found model.h5); "
            "Neo needs one or the other",
            f"put a SavedModel (saved_model.pb + variables/) or one frozen .pb {ROOT}",
        )
    ]


def test_tensorflow_checkpoint_in_a_folder_is_an_error() -> None:
    assert _check("TENSORFLOW", "ckpt/", "ckpt/checkpoint", "model.pb")[0] == (
        "error",
        "TensorFlow checkpoints are not supported (found ckpt/checkpoint)",
        "export a SavedModel (tf.saved_model.save) or a frozen graph (.pb) instead",
    )


def test_tensorflow_nested_frozen_graph_is_a_warning() -> None:
    assert [p[:2] for p in _check("TENSORFLOW", "export/", "export/frozen.pb")] == [
        (
            "warning",
            f"the .pb file is at export/frozen.pb: Neo wants model files {ROOT} "
            "(its open loader searches folders, so this may still work)",
        )
    ]


def test_mxnet_symbol_rules() -> None:
    assert _check("MXNET", "resnet-0000.params", "hyperparams.json") == [
        (
            "error",
            "no MXNet symbol file (*-symbol.json) in the MXNET model (found hyperparams.json, resnet-0000.params); "
            f"Neo needs one, {ROOT}",
            "export the model with HybridBlock.export(), which writes NAME-symbol.json and NAME-0000.params, "
            "and add both",
        )
    ]
    assert _check("MXNET", "a-symbol.json", "b-symbol.json", "a-0000.params") == [
        (
            "error",
            f"2 MXNet symbol files (.json) in the MXNET model (a-symbol.json, b-symbol.json); Neo needs exactly one, "
            f"{ROOT} (other than amba_config.json, hyperparams.json, model-metadata.json, model-shapes.json)",
            "remove all but the one to compile",
        )
    ]


def test_mxnet_params_rules() -> None:
    assert _check("MXNET", "resnet-symbol.json") == [
        (
            "error",
            "no MXNet parameter file (.params) in the MXNET model (found resnet-symbol.json); "
            "Neo needs resnet-NNNN.params beside resnet-symbol.json",
            f"add the resnet-0000.params written by HybridBlock.export() {ROOT}",
        )
    ]
    assert _check("MXNET", "resnet-symbol.json", "vgg-0000.params") == [
        (
            "error",
            "no MXNet parameter file starts with the symbol file's prefix 'resnet' "
            "(symbol resnet-symbol.json; found vgg-0000.params)",
            "rename the parameter file to resnet-0000.params, the name HybridBlock.export() gives it",
        )
    ]


def test_mxnet_two_params_is_only_a_warning() -> None:
    assert _check("MXNET", "resnet-symbol.json", "resnet-0000.params", "resnet-0009.params") == [
        (
            "warning",
            "2 MXNet parameter files for 'resnet' (resnet-0000.params, resnet-0009.params): "
            "Neo's open loader uses the highest epoch, the developer guide says only one is allowed",
            "keep only the resnet-NNNN.params you mean to compile",
        )
    ]


def test_xgboost_counts_every_member_folders_too() -> None:
    assert _check("XGBOOST", "model/", "model/xgboost-model") == [
        (
            "error",
            "2 members in the XGBOOST model (model/, model/xgboost-model); "
            "Neo takes exactly one file, whatever its name (folders count)",
            "keep only the model file, at the archive root",
        )
    ]
    assert _check("XGBOOST", "a.model", "b.model")[0][0] == "error"
    assert _check("XGBOOST", "empty/")[0][:2] == (
        "error",
        "no model file in the XGBOOST model (found empty/); Neo needs exactly one",
    )


def test_xgboost_with_code_is_a_warning() -> None:
    assert _check("XGBOOST", "xgboost-model", "code/", "code/inference.py") == [
        (
            "warning",
            "the archive has code/ (code/inference.py): Neo's open loader counts every member of an XGBoost "
            "archive, code/ included",
            "leave code/ out if the job fails with 'only one XGBoost model file is allowed'",
        )
    ]


# -- listing and checking together --------------------------------------------------


def test_a_parent_folder_packed_by_mistake(tmp_path: Path) -> None:
    _tree(tmp_path / "work", "resnet/model.pth", "resnet/code/inference.py")
    problems = check_contents("PYTORCH", list_model(tmp_path / "work"))
    # code/ is not at the root either, so resnet/code/inference.py is an ordinary member.
    assert [(p.level, p.message.split(":")[0]) for p in problems] == [
        ("warning", "the .pth file is at resnet/model.pth")
    ]


def test_archive_and_directory_give_the_same_verdict(tmp_path: Path) -> None:
    names = ("a-symbol.json", "b-symbol.json", "a-0000.params")
    directory = _tree(tmp_path / "m", *names)
    archive = _targz(tmp_path / "m.tar.gz", *names, prefix="./")
    assert check_contents("MXNET", list_model(directory)) == check_contents("MXNET", list_model(archive))
    assert check_contents("MXNET", list_model(archive))[0].level == "error"


def test_a_corrupt_gzip_trailer_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    # SageMaker would fail to untar it minutes later; the listing reads to the trailer.
    good = _targz(tmp_path / "good.tar.gz", "model.pth").read_bytes()
    path = tmp_path / "model.tar.gz"
    path.write_bytes(good[:-8] + bytes(b ^ 0xFF for b in good[-8:-4]) + good[-4:])  # a wrong CRC32
    with pytest.raises(InvalidInput) as caught:
        list_model(path)
    assert caught.value.message.startswith(f"model path {path} is not a gzip tar; SageMaker Neo would fail")
    assert "CRC" in caught.value.message


def test_reading_hears_of_every_byte_of_an_archive_and_of_nothing_else(tmp_path: Path) -> None:
    # What a progress bar is driven by (neoctl.models.contents.Reading): entered once per
    # .tar.gz with its size, told every byte read; a directory or a file reads no contents.
    import contextlib
    from collections.abc import Callable, Iterator

    heard: list[tuple[Path, int]] = []
    amounts: list[int] = []

    @contextlib.contextmanager
    def reading(path: Path, size: int) -> Iterator[Callable[[int], None]]:
        heard.append((path, size))
        yield amounts.append

    archive = tmp_path / "model.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        weights = os.urandom(3 * 1024 * 1024)
        info = tarfile.TarInfo("model.pth")
        info.size = len(weights)
        tar.addfile(info, io.BytesIO(weights))
    assert [m.name for m in list_model(archive, reading)] == ["model.pth"]
    assert heard == [(archive, archive.stat().st_size)]
    assert sum(amounts) == archive.stat().st_size and len(amounts) > 1  # as it goes, not once at the end
    heard.clear()
    list_model(_tree(tmp_path / "dir", "model.pth"), reading)
    list_model(tmp_path / "dir" / "model.pth", reading)
    assert heard == []
