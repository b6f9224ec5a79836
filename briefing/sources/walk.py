"""Read a folder (or one file) of articles into a :class:`SourceSet`.

Every file is either used, with the exact text citations will index into, or
listed in ``skipped`` with a reason; one bad file never stops the rest. The
files themselves are only ever opened for reading.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import InputError, MissingDependencyError
from briefing.models import Skipped, Source, SourceSet
from briefing.sources.readers import FORMATS, Extracted, Skip, read_file
from briefing.text import printable

__all__ = ["MAX_DEPTH", "SUPPORTED", "load_sources"]

SUPPORTED = ".txt .md .html .htm .pdf"
NEAR_DUPLICATE_JACCARD = 0.8
# Folders nested deeper than this are listed as skipped, not read: no news
# folder is this deep, and a generated or looping tree must not run on.
MAX_DEPTH = 100


@dataclass
class _Candidate:
    rel: str  # display name: '/'-separated, made printable (see briefing.text.printable)
    path: Path  # the real path, as the OS gave it, for reading


def load_sources(
    root: str | Path,
    *,
    max_bytes: int = 20_000_000,
    max_text_chars: int | None = None,
    within: Sequence[str | Path] | None = None,
) -> SourceSet:
    """Read every supported file under ``root`` (a folder, read recursively, or one file).

    Raises :class:`InputError` when ``root`` does not exist or nothing in it
    can be used; otherwise returns the used sources (ids ``S1``, ``S2``, ... in
    path order) and the skipped files with their reasons. A file whose
    extracted text is longer than ``max_text_chars`` (default
    ``readers.MAX_TEXT_CHARS``) is skipped. With ``within``, a file is read
    only if the file actually opened lives inside one of those folders, so a
    folder or link swapped while reading cannot lead elsewhere.
    """
    allowed = [Path(os.path.realpath(w)) for w in within] if within is not None else None
    root = Path(root)
    if not root.exists():
        raise InputError(f"no such folder: {root}")
    skipped: list[Skipped] = []
    if root.is_dir():
        candidates = _walk(root, skipped)
    elif root.is_file():
        suffix = root.suffix.lower()
        if suffix not in FORMATS:
            kind = f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"
            raise InputError(f"{root}: {printable(kind)} (supported: {SUPPORTED})")
        candidates = [_Candidate(printable(root.name), root)]
    else:
        raise InputError(f"not a folder or a regular file: {root}")

    warnings: list[str] = []
    used: list[tuple[_Candidate, Extracted]] = []
    seen_text: dict[str, str] = {}
    for cand in sorted(candidates, key=lambda c: c.rel):
        try:
            extracted = _read_candidate(cand, max_bytes, max_text_chars, allowed)
        except Skip as skip:
            skipped.append(Skipped(path=cand.rel, reason=str(skip)))
            continue
        digest = hashlib.sha256(" ".join(extracted.text.split()).encode()).hexdigest()
        if digest in seen_text:
            skipped.append(Skipped(path=cand.rel, reason=f"duplicate of {seen_text[digest]}"))
            continue
        seen_text[digest] = cand.rel
        if extracted.warning:
            warnings.append(f"{cand.rel}: {extracted.warning}")
        used.append((cand, extracted))

    skipped.sort(key=lambda s: s.path)
    if not used:
        readable = [s for s in skipped if not s.reason.startswith("unsupported file type")]
        if not readable:
            raise InputError(f"no articles found in {root} (supported: {SUPPORTED})")
        first = readable[0]
        raise InputError(
            f"none of the {len(readable)} files in {root} could be read; first: {first.path}: {first.reason}"
        )
    sources = [
        Source(
            id=f"S{i}",
            path=cand.rel,
            title=ex.title,
            outlet=ex.outlet,
            published=ex.published,
            published_at=ex.published_at,
            url=ex.url,
            opinion=ex.opinion,
            chars=len(ex.text),
            format=FORMATS[Path(cand.rel).suffix.lower()],
            text=ex.text,
        )
        for i, (cand, ex) in enumerate(used, start=1)
    ]
    mark_near_duplicates(sources)
    return SourceSet(root=printable(str(root)), sources=sources, skipped=skipped, warnings=warnings)


def _read_bytes(path: Path) -> bytes:
    # One seam for every read, so tests can simulate unreadable files even as root.
    with open(path, "rb") as fh:
        return fh.read()


def _read_confined(path: Path, allowed: Sequence[Path]) -> bytes:
    """Read ``path`` only if the file opened is a regular file inside ``allowed``.

    The check is made on the open handle: the real path must lead to the very
    file (device and inode) that was opened, so swapping a folder or a link
    between listing and reading makes the read fail instead of leaking.
    """
    # O_NONBLOCK: a FIFO swapped in for the file must not block the open.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as fh:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise Skip("not a regular file")
        real = Path(os.path.realpath(path))
        try:
            now = os.stat(real)
        except OSError:
            now = None
        if now is None or (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
            raise Skip("changed while it was being read")
        if not any(real.is_relative_to(folder) for folder in allowed):
            raise Skip("outside the allowed folders")
        return fh.read()


def _read_candidate(
    cand: _Candidate, max_bytes: int, max_text_chars: int | None = None, allowed: Sequence[Path] | None = None
) -> Extracted:
    suffix = Path(cand.rel).suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise Skip(f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)")
    try:
        size = cand.path.stat().st_size
        if size > max_bytes:
            raise Skip(f"larger than {_size_label(max_bytes)}")
        raw = _read_bytes(cand.path) if allowed is None else _read_confined(cand.path, allowed)
    except OSError as exc:
        raise Skip(f"cannot read: {exc.strerror or type(exc).__name__}") from None
    if len(raw) > max_bytes:  # grew between stat and read
        raise Skip(f"larger than {_size_label(max_bytes)}")
    try:
        return read_file(raw, fmt, max_chars=max_text_chars)
    except Skip:
        raise
    except ImportError as exc:
        # A broken install would otherwise skip every file of this type, one by
        # one, and hide the cause: stop with what to install instead.
        raise MissingDependencyError(f"read {suffix} files", exc) from None
    except Exception as exc:  # a reader bug or a parser's unexpected error must not stop the rest
        raise Skip(f"cannot read: {type(exc).__name__}: {str(exc)[:80]}") from None


def _size_label(max_bytes: int) -> str:
    if max_bytes >= 1_000_000:
        return f"{max_bytes / 1_000_000:g} MB"
    return f"{max_bytes:,} bytes"


def _walk(root: Path, skipped: list[Skipped]) -> list[_Candidate]:
    """Files under ``root`` in any order; symlinks followed only within ``root``, each folder once.

    Iterative (a stack of folder listings, visited in the same order as
    a recursive walk), so depth is bounded by :data:`MAX_DEPTH`, not by
    Python's recursion limit. Names are shown through :func:`printable`.
    """
    root_real = root.resolve()
    visited = {root_real}
    found: list[_Candidate] = []
    # Each frame: the folder's remaining entries, its real path, its display prefix, its depth.
    stack: list[tuple[Iterator[os.DirEntry[str]], Path, str, int]] = []

    def enter(folder: Path, real_folder: Path, prefix: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            skipped.append(
                Skipped(path=prefix.rstrip("/"), reason=f"folder nested deeper than {MAX_DEPTH} levels")
            )
            return
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(path=prefix.rstrip("/") or ".", reason=f"cannot read: {exc.strerror}"))
            return
        stack.append((iter(entries), real_folder, prefix, depth))

    enter(root, root_real, "", 0)
    while stack:
        entries, real_folder, prefix, depth = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue  # hidden files and folders (.git, .DS_Store) are not articles
        rel = prefix + printable(entry.name)
        path = Path(entry.path)
        if entry.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError) as exc:
                loop = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == 40
                skipped.append(Skipped(path=rel, reason="symlink loop" if loop else "broken symlink"))
                continue
            if not target.is_relative_to(root_real):
                skipped.append(Skipped(path=rel, reason="symlink points outside the sources folder"))
                continue
            if target.is_dir():
                if real_folder.is_relative_to(target):
                    skipped.append(Skipped(path=rel, reason="symlink loop"))
                elif target in visited:
                    skipped.append(Skipped(path=rel, reason="symlink to a folder already read"))
                else:
                    visited.add(target)
                    enter(path, target, rel + "/", depth + 1)
            elif target.is_file():
                found.append(_Candidate(rel, target))
            else:
                skipped.append(Skipped(path=rel, reason="not a regular file"))
        elif entry.is_dir(follow_symlinks=False):
            real = real_folder / entry.name
            if real not in visited:  # else already read through a symlink
                visited.add(real)
                enter(path, real, rel + "/", depth + 1)
        elif entry.is_file(follow_symlinks=False):
            found.append(_Candidate(rel, path))
        else:  # FIFOs and sockets would block or fail on read
            skipped.append(Skipped(path=rel, reason="not a regular file"))
    return found


# --- near duplicates ------------------------------------------------------------
# One-permutation MinHash over word 5-gram shingles, with LSH banding to find
# candidate pairs; only candidates get an exact Jaccard check, so 1,000
# articles cost about one pass over their words rather than n^2 comparisons.

_WORD = re.compile(r"\w+")
_SHINGLE = 5
_BINS = 64  # signature length; bins are picked by the low 6 bits of the hash
_ROWS = 4  # rows per band: 16 bands of 4 find pairs at Jaccard 0.8 with p > 0.999


def _shingles(text: str) -> set[int]:
    words = _WORD.findall(text.lower())
    if len(words) < _SHINGLE:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)]
    # crc32 is stable across runs (str hash is salted per process) and fast.
    return {zlib.crc32(g.encode()) for g in grams}


def _signature(shingles: set[int]) -> list[int]:
    bins: list[int | None] = [None] * _BINS
    for h in shingles:
        b, v = h & (_BINS - 1), h >> 6
        current = bins[b]
        if current is None or v < current:
            bins[b] = v
    sig: list[int] = []
    # Densify empty bins from the next filled one (rotation), offset by distance
    # so that two short texts do not collide on their empty bins.
    if all(v is None for v in bins):
        return [-1] * _BINS
    for i, value in enumerate(bins):
        if value is not None:
            sig.append(value)
            continue
        distance = 1
        while (nv := bins[(i + distance) % _BINS]) is None:
            distance += 1
        sig.append(nv + distance * (1 << 26))
    return sig


def jaccard(a: set[int], b: set[int]) -> float:
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def mark_near_duplicates(sources: list[Source], threshold: float = NEAR_DUPLICATE_JACCARD) -> None:
    """Set ``duplicate_of`` on each source that repeats an earlier one (same wire copy).

    ``duplicate_of`` always names the earliest source of the group, so counting
    distinct ``duplicate_of or id`` values counts independent voices.
    """
    shingle_sets = [_shingles(s.text) for s in sources]
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    for j, shingles in enumerate(shingle_sets):
        sig = _signature(shingles)
        candidates: set[int] = set()
        for band in range(_BINS // _ROWS):
            key = (band, tuple(sig[band * _ROWS : (band + 1) * _ROWS]))
            bucket = buckets.setdefault(key, [])
            candidates.update(bucket)
            bucket.append(j)
        for i in sorted(candidates):
            if jaccard(shingle_sets[i], shingles) >= threshold:
                sources[j].duplicate_of = sources[i].duplicate_of or sources[i].id
                break
