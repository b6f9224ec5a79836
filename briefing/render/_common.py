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


def display_meta(meta: Meta) -> Meta:
    """``meta`` made safe for display, as :func:`display_brief` does for a whole brief."""
    return Meta.model_validate(_safe_strings(meta.model_dump()))


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
    if meta.headlines_trimmed:
        # A story the page does not name must still be known to exist.
        parts.append(
            f"{plural(meta.headlines_trimmed, 'more story', 'more stories')} named in the JSON output"
        )
    return parts


def independent_label(statement: Statement) -> str | None:
    """The note after a statement: how many voices report it, or that it is an opinion piece's view."""
    if statement.opinion:
        return "opinion"
    n = statement.independent_sources
    return f"{n} independent sources" if n > 1 else None


def _comparable(text: str) -> str:
    return re.sub(r"[^\w]+", " ", normalize(text).casefold()).strip()


_NESTED = str.maketrans({"“": "‘", "”": "’", '"': "'"})


def nested_quotes(text: str) -> str:
    """Double quotation marks inside a passage the brief itself puts in double marks become single.

    ““The goal…,” the report says” reads as two openings; ‘The goal…,’ inside “…” reads as a quote
    within a quote. Display only: the JSON keeps the passage as written.
    """
    return text.translate(_NESTED)


def repeats_quote(statement: Statement) -> bool:
    """True when the statement only restates one of its quotes (extractive text).

    Renderers then show the quote alone instead of the same words twice.
    """
    said = _comparable(statement.text)
    return bool(said) and any(said in _comparable(c.quote) for c in statement.citations)


# --- size bounds ------------------------------------------------------------------
# A statement backed by hundreds of copies of one wire story would otherwise
# print hundreds of markers; the first few identify it, the JSON has them all.
MAX_MARKERS = 6
# Sources listed by the unpaginated formats (HTML, markdown); the JSON lists all.
MAX_LISTED_SOURCES = 200
FULL_LIST_NOTE = "the full list is in the JSON output (--format json)"
# What the one-page PDF says of a story's disagreements it could not fit.
LEFT_OUT_NOTE = "left out of this page to fit (all are in the JSON output)."
# Disagreements shown by the unpaginated formats; the JSON has them all.
MAX_SHOWN_DISAGREEMENTS = 30


def more_disagreements_note(hidden: int) -> str:
    return (
        f"{hidden:,} more disagreement{'s are' if hidden != 1 else ' is'} in the JSON output (--format json)."
    )


def shown_numbers(statement: Statement, numbers: dict[str, int]) -> tuple[list[int], int]:
    """The footnote numbers a statement shows (at most MAX_MARKERS) and how many more it cites."""
    all_numbers = statement_numbers(statement, numbers)
    return all_numbers[:MAX_MARKERS], max(0, len(all_numbers) - MAX_MARKERS)


def cited_numbers(brief: Brief) -> list[int]:
    """Footnote numbers the brief's statements show, ascending."""
    numbers = source_number(brief)
    statements = [*brief.bottom_line, *brief.key_points]
    statements += [p for d in brief.disagreements for p in d.positions]
    return sorted({n for s in statements for n in shown_numbers(s, numbers)[0]})


def listed_sources(brief: Brief, limit: int | None) -> tuple[list[int], int]:
    """Which source numbers a size-bounded list shows, and how many it leaves out.

    Sources the brief's markers point to come first, so a reader can resolve
    every marker on the page; the rest fill the list in number order.
    """
    total = len(brief.sources)
    if limit is None or total <= limit:
        return list(range(1, total + 1)), 0
    chosen = cited_numbers(brief)[:limit]
    taken = set(chosen)
    for n in range(1, total + 1):
        if len(chosen) >= limit:
            break
        if n not in taken:
            chosen.append(n)
    return sorted(chosen), total - len(chosen)


def more_sources_note(hidden: int, total: int) -> str:
    return f"{hidden:,} more of the {total:,} sources are not listed here; {FULL_LIST_NOTE}."


# -- what changed since an earlier brief (make --since); every renderer uses these --


def since_label(brief: Brief) -> str:
    """'yesterday' when the earlier brief is from the day before, else 'since 2 Mar'."""
    if brief.changes is None:
        return ""
    then, now = brief.changes.since, brief.generated_at
    if (now.date() - then.date()).days == 1:
        return "since yesterday"
    return f"since {then.day} {then:%b}"


def change_marks(brief: Brief, section: str, index: int) -> tuple[str | None, str | None]:
    """``("New" | "Update" | None, "changed since yesterday: 1,200 MW → 1,350 MW" | None)`` for an item."""
    if brief.changes is None:
        return None, None
    for change in brief.changes.items:
        if change.section == section and change.index == index:
            tag = {"new": "New", "update": "Update"}.get(change.status)
            note = None
            if change.values:
                moved = "; ".join(f"{v.before} → {v.after}" for v in change.values)
                note = f"changed {since_label(brief)}: {moved}"
            return tag, note
    return None, None


def unchanged(brief: Brief, section: str) -> list[int]:
    """Indexes of items that add nothing since the earlier brief: renderers compress them to one line."""
    if brief.changes is None:
        return []
    # A hand-edited JSON brief may point past the end of a section: such entries are ignored.
    size = len(getattr(brief, section, None) or [])
    return [
        c.index
        for c in brief.changes.items
        if c.section == section and c.status == "unchanged" and 0 <= c.index < size
    ]


def unchanged_line(brief: Brief, section: str, what: str = "point") -> str | None:
    n = len(unchanged(brief, section))
    if not n:
        return None
    return f"{n} {what}{'s' if n != 1 else ''} unchanged {since_label(brief)}"


def disagreement_mark(brief: Brief, topic: str) -> str | None:
    """'New' for a disagreement that appeared since the earlier brief."""
    if brief.changes is None:
        return None
    hit = next((d for d in brief.changes.disagreements if d.topic == topic), None)
    return "New" if hit is not None and hit.status == "appeared" else None


def resolved_topics(brief: Brief) -> list[str]:
    if brief.changes is None:
        return []
    return [d.topic for d in brief.changes.disagreements if d.status == "resolved"]


def changes_summary(brief: Brief) -> str | None:
    """'Compared with the brief of 2 Mar 08:00: 2 new, 1 update, 3 unchanged.'"""
    if brief.changes is None:
        return None
    counts = {s: sum(1 for c in brief.changes.items if c.status == s) for s in ("new", "update", "unchanged")}
    then = brief.changes.since
    parts = [f"{counts['new']} new", f"{counts['update']} update{'s' if counts['update'] != 1 else ''}"]
    parts.append(f"{counts['unchanged']} unchanged")
    return f"Compared with the brief of {then.day} {then:%b %H:%M}: " + ", ".join(parts) + "."
