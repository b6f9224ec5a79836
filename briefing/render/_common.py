"""Helpers every renderer shares, so that citation numbers and footers agree across formats."""

from __future__ import annotations

import re
from typing import Any

from briefing.models import Brief, Meta, Statement
from briefing.text import normalize, plural, safe_text


def _safe_strings(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return [_safe_strings(v) for v in value]
    if isinstance(value, dict):
        return {_safe_strings(k): _safe_strings(v) for k, v in value.items()}
    return value


def display_brief(brief: Brief) -> Brief:
    """A copy of ``brief`` for display: every string passed through :func:`briefing.text.safe_text`.

    Every renderer starts from this copy, so no control character and no
    unclosed bidirectional override in an article (or a file name, a model
    name, a server's message) reaches any format. The brief itself, whose
    quotes equal the source text at their offsets, is left untouched; the
    JSON output keeps them verbatim.
    """
    return Brief.model_validate(_safe_strings(brief.model_dump()))


def source_number(brief: Brief) -> dict[str, int]:
    """Footnote number of each source id: 1-based position in ``brief.sources``.

    Every format numbers citations this way, so ``[1]`` is always
    ``brief.sources[0]`` whether the reader has the Markdown, the PDF or Slack.
    """
    return {src.id: i for i, src in enumerate(brief.sources, start=1)}


def statement_numbers(statement: Statement, numbers: dict[str, int]) -> list[int]:
    """The distinct footnote numbers a statement cites, ascending.

    A citation to an id missing from the sources list is dropped rather than
    shown as a dangling marker (the pipeline validates ids; this is a guard).
    """
    return sorted({numbers[c.source] for c in statement.citations if c.source in numbers})


def footer_parts(meta: Meta) -> list[str]:
    """Short phrases describing how the brief was made, for footers."""
    engine = meta.engine + (f" ({meta.model})" if meta.model else "")
    parts = [f"briefing {meta.version}".strip() + f" · engine {engine}"]
    if meta.skipped:
        n = len(meta.skipped)
        parts.append(f"{n} file{'s' if n != 1 else ''} skipped")
    if meta.chunks_fallback:
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(meta.fallback_reasons.items()))
        # "1 of 3 chunks used", but "1 chunk used" when the total is unknown.
        counted = (
            f"{meta.chunks_fallback} of {plural(meta.chunks, 'chunk')}"
            if meta.chunks
            else plural(meta.chunks_fallback, "chunk")
        )
        parts.append(f"{counted} used the extractive fallback" + (f" ({reasons})" if reasons else ""))
    if meta.points_trimmed:
        n = meta.points_trimmed
        parts.append(f"{n} key point{'s' if n != 1 else ''} left out to fit one page")
    return parts


def independent_label(statement: Statement) -> str | None:
    n = statement.independent_sources
    return f"{n} independent sources" if n > 1 else None


def _comparable(text: str) -> str:
    return re.sub(r"[^\w]+", " ", normalize(text).casefold()).strip()


def repeats_quote(statement: Statement) -> bool:
    """True when the statement only restates one of its quotes (extractive text).

    Renderers then show the quote alone instead of the same words twice.
    """
    said = _comparable(statement.text)
    return bool(said) and any(said in _comparable(c.quote) for c in statement.citations)
