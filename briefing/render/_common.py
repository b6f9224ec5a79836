"""Helpers every renderer shares, so that citation numbers and footers agree across formats."""

from __future__ import annotations

import re

from briefing.models import Brief, Meta, Statement
from briefing.text import normalize


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


def point_key(statement: Statement) -> tuple[str, str, int]:
    first = statement.citations[0]
    return statement.text, first.source, first.start


def shown_points(brief: Brief) -> set[tuple[str, str, int]]:
    """Key points of the stories that the brief still shows.

    ``brief.key_points`` holds every story's points, most important first;
    a renderer fitting a page trims that list, and the story layout shows a
    story's points only while they are still in it.
    """
    return {point_key(s) for s in brief.key_points}


def footer_parts(meta: Meta) -> list[str]:
    """Short phrases describing how the brief was made, for footers."""
    engine = meta.engine + (f" ({meta.model})" if meta.model else "")
    parts = [f"briefing {meta.version}".strip() + f" · engine {engine}"]
    if meta.skipped:
        n = len(meta.skipped)
        parts.append(f"{n} file{'s' if n != 1 else ''} skipped")
    if meta.chunks_fallback:
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(meta.fallback_reasons.items()))
        total = f" of {meta.chunks}" if meta.chunks else ""
        parts.append(
            f"{meta.chunks_fallback}{total} chunks used the extractive fallback"
            + (f" ({reasons})" if reasons else "")
        )
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
