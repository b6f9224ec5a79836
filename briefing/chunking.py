"""Split source texts into token-bounded chunks that keep their offsets.

semchunk breaks on the most meaningful boundary that fits (blank lines, then
lines, then sentence ends, then words), and returns offsets, so every chunk is
exactly ``source.text[start:end]`` and citations found inside a chunk can be
mapped back to the source by adding ``start``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from briefing.models import Chunk, Source
from briefing.text import count_tokens

__all__ = ["chunk_source", "chunk_sources"]


@lru_cache(maxsize=8)
def _chunker(max_tokens: int) -> Any:
    from semchunk.semchunk import chunkerify

    # The offline estimate in briefing.text, never a downloaded tokenizer.
    # Memoising is bounded so that a long run over many articles cannot grow without limit.
    return chunkerify(count_tokens, max_tokens, cache_maxsize=65_536)


def chunk_source(source: Source, max_tokens: int) -> list[Chunk]:
    """Chunks of ``source.text`` in order, non-overlapping, each at most ``max_tokens`` tokens.

    Whitespace between chunks belongs to no chunk. A chunk can exceed the
    budget only if a single character already does (``max_tokens`` < 1).
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
    text = source.text
    if not text.strip():
        return []
    offsets: list[tuple[int, int]] = _chunker(max_tokens)(text, offsets=True)[1]
    chunks: list[Chunk] = []
    for start, end in offsets:
        piece = text[start:end]
        if not piece.strip():
            continue
        index = len(chunks)
        chunks.append(
            Chunk(
                id=f"{source.id}#{index}",
                source_id=source.id,
                index=index,
                start=start,
                end=end,
                text=piece,
                tokens=count_tokens(piece),
            )
        )
    return chunks


def chunk_sources(sources: Iterable[Source], max_tokens: int) -> list[Chunk]:
    """All chunks of all sources, source by source."""
    return [chunk for source in sources for chunk in chunk_source(source, max_tokens)]
