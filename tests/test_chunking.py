"""chunk_source: offsets always index the source text, chunks respect the token budget."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.chunking import chunk_source, chunk_sources
from briefing.models import Source
from briefing.text import count_tokens

_words = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12),
    st.sampled_from(["Varna", "96,000", "tonnes", "Zürich", "東京", "naïve", "—", "“quoted”", "U.S.", "🙂"]),
    st.text(alphabet="abcxyz", min_size=40, max_size=400),  # very long words
)
_separators = st.sampled_from([" ", " ", " ", "\n", "\n\n", "\n\n\n", ". ", "? ", "\t", "  ", "\n \n"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(_words, _separators), max_size=80))
    lead = draw(st.sampled_from(["", "\n", "  "]))
    return lead + "".join(w + s for w, s in parts)


def _source(text: str, sid: str = "S1") -> Source:
    return Source(id=sid, path=f"{sid}.txt", text=text, chars=len(text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(texts(), st.text()), max_tokens=st.integers(min_value=1, max_value=60))
def test_chunk_source_offsets_order_coverage_and_budget(text: str, max_tokens: int) -> None:
    chunks = chunk_source(_source(text), max_tokens)
    covered = [False] * len(text)
    previous_end = 0
    for i, chunk in enumerate(chunks):
        assert chunk.id == f"S1#{i}" and chunk.index == i and chunk.source_id == "S1"
        assert chunk.text == text[chunk.start : chunk.end]
        assert chunk.text.strip(), "no empty or whitespace-only chunks"
        assert chunk.start >= previous_end, "in order and non-overlapping"
        previous_end = chunk.end
        assert chunk.tokens == count_tokens(chunk.text)
        # Only a piece that cannot be split further may exceed the budget.
        assert chunk.tokens <= max_tokens or len(chunk.text) == 1
        for j in range(chunk.start, chunk.end):
            covered[j] = True
    left_out = "".join(ch for ch, inside in zip(text, covered, strict=True) if not inside)
    assert not left_out.strip(), f"non-whitespace text outside every chunk: {left_out!r}"


def test_chunk_source_breaks_between_paragraphs_when_they_fit() -> None:
    paragraphs = [
        f"Paragraph {i} says that Varna milled {i},000 tonnes of paper pulp last year, officials said."
        for i in range(12)
    ]
    text = "\n\n".join(paragraphs)
    chunks = chunk_source(_source(text), 60)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text.startswith("Paragraph ")
        assert chunk.text.endswith("officials said.")
        assert chunk.tokens <= 60


def test_chunk_source_breaks_long_paragraph_at_sentence_ends() -> None:
    sentence = "Neodymium oxide prices rose by a third over the year, traders in Shanghai said on Tuesday. "
    text = (sentence * 20).strip()
    chunks = chunk_source(_source(text), 50)
    assert len(chunks) > 1
    assert all(c.text.endswith("Tuesday.") for c in chunks)


def test_chunk_source_whole_text_fits_in_one_chunk() -> None:
    text = "Short article.\n\nTwo paragraphs."
    (chunk,) = chunk_source(_source(text), 1000)
    assert (chunk.start, chunk.end, chunk.text) == (0, len(text), text)


def test_chunk_source_blank_text_has_no_chunks() -> None:
    assert chunk_source(_source(" \n\n\t"), 10) == []
    assert chunk_source(_source(""), 10) == []


def test_chunk_source_rejects_a_budget_below_one_token() -> None:
    with pytest.raises(ValueError, match="max_tokens must be at least 1"):
        chunk_source(_source("text"), 0)


def test_chunk_sources_keeps_source_order_and_ids() -> None:
    sources = [_source("Alpha one.\n\nAlpha two.", "S1"), _source("Beta one.", "S2")]
    chunks = chunk_sources(sources, 3)
    assert [c.id for c in chunks] == ["S1#0", "S1#1", "S2#0"]
    assert [c.text for c in chunks] == ["Alpha one.", "Alpha two.", "Beta one."]
