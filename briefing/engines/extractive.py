"""The deterministic engine: claims are the sources' own sentences.

It needs no network and no model, so the tool works on a fresh machine. A
claim's quote is the sentence (or table row) itself, so every citation is
verbatim by construction. Salience combines centrality (how much a sentence
shares the vocabulary of the whole set of articles), position (news puts the
lead first) and informativeness (numbers, names), so the brief leads with what
all the sources are about rather than with colour.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.engines.base import DeterministicSteps, RunContext
from briefing.models import Chunk, Claim
from briefing.text import citable_span, content_words, sentence_spans

_NUMBER = re.compile(r"\d")
_PROPER = re.compile(r"\b[A-Z][a-z]+")



@dataclass(frozen=True)
class _Candidate:
    chunk: Chunk
    start: int
    end: int
    text: str
    position: float
    is_row: bool


class ExtractiveEngine(DeterministicSteps):
    """Sentence-level extraction and ranking; reconcile/compose use the deterministic defaults."""

    name = "extractive"
    model: str | None = None

    def extract(self, chunks: Sequence[Chunk], run: RunContext) -> list[Claim]:
        from briefing.tables import find_tables, row_sentence

        candidates: list[_Candidate] = []
        # Tables are read from the whole source: a chunk boundary can fall
        # between a table's header and its rows.
        tables = {sid: find_tables(run.sources[sid].text) for sid in {c.source_id for c in chunks}}
        for chunk in chunks:
            source = run.sources[chunk.source_id]
            text = source.text
            table_spans: list[tuple[int, int]] = []
            for table in tables[chunk.source_id]:
                table_spans.append((table.start, table.end))
                for row in table.rows:
                    if chunk.start <= row.start < chunk.end:
                        candidates.append(
                            _Candidate(chunk, row.start, row.end, row_sentence(table, row), 0.0, True)
                        )
            for start, end in sentence_spans(text, chunk.start, chunk.end):
                if any(ts <= start < te for ts, te in table_spans):
                    continue
                span = citable_span(text, start, end)
                if span is None:
                    continue
                s, e = span
                candidates.append(_Candidate(chunk, s, e, text[s:e], _position_weight(s, len(text)), False))
        return self._score(candidates, run)

    def _score(self, candidates: list[_Candidate], run: RunContext) -> list[Claim]:
        # Document frequency over sources, so words every article uses (the
        # event's own vocabulary) count for centrality while boilerplate
        # repeated inside one article does not.
        df: Counter[str] = Counter()
        per_source: dict[str, set[str]] = {}
        for c in candidates:
            per_source.setdefault(c.chunk.source_id, set()).update(content_words(c.text))
        for vocabulary in per_source.values():
            df.update(vocabulary)
        n_sources = max(1, len(per_source))
        claims: list[Claim] = []
        counters: Counter[str] = Counter()
        for cand in candidates:
            chunk, start, end, sentence = cand.chunk, cand.start, cand.end, cand.text
            words = content_words(sentence)
            if not words:
                continue
            unique = set(words)
            # Words shared across sources are the story; a word in one source only
            # still carries a little (it may be the detail that matters).
            central = sum(df[w] / n_sources for w in unique) / math.sqrt(len(unique) + 4)
            info = 0.15 * (len(_NUMBER.findall(sentence)) > 0) + 0.03 * min(4, len(_PROPER.findall(sentence)))
            penalty = 0.0
            if sentence.rstrip().endswith("?"):
                penalty += 0.5
            if sentence.lstrip()[:1] in "“\"‘'":
                penalty += 0.35  # a quotation is colour; the facts around it come first
            elif sum(sentence.count(q) for q in '“”"') >= 2:
                penalty += 0.1
            n_words = len(sentence.split())
            if n_words > 40:
                penalty += 0.01 * (n_words - 40)  # long sentences cost the page more than they add
            # Table rows are facts for reconciliation more than lines for the brief.
            score = central + cand.position + info - penalty - (0.3 if cand.is_row else 0.0)
            source = run.sources[chunk.source_id]
            n = counters[chunk.id]
            counters[chunk.id] += 1
            claims.append(
                Claim(
                    id=f"{chunk.id}:c{n}",
                    source_id=chunk.source_id,
                    chunk_id=chunk.id,
                    text=_clean(sentence),
                    quote=source.text[start:end],
                    start=start,
                    end=end,
                    score=round(score, 6),
                    origin="extractive",
                )
            )
        return claims


def _position_weight(offset: int, length: int) -> float:
    # The first fifth of an article carries the news; later text is context.
    relative = offset / max(1, length)
    return 0.35 * max(0.0, 1.0 - relative * 2.5) + 0.01


def _clean(sentence: str) -> str:
    return " ".join(sentence.split())
