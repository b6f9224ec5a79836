"""Markdown: the default output, readable as plain text in an email too.

Citation markers are ``[n]``, the 1-based position of the source in the
Sources list, the same numbers every other format uses. Article text is
escaped so that it cannot turn into links, images, HTML or headings when the
markdown is rendered.
"""

from __future__ import annotations

import re

from briefing.models import Brief, SourceRef, Statement
from briefing.render._common import (
    MAX_LISTED_SOURCES,
    MAX_SHOWN_DISAGREEMENTS,
    footer_parts,
    independent_label,
    listed_sources,
    more_disagreements_note,
    more_sources_note,
    repeats_quote,
    shown_numbers,
    source_number,
)

# Characters that would make article text into markup: links/images ([]()!),
# emphasis (*_`~), raw HTML (<>) and reference-style definitions.
_ESCAPE = re.compile(r"([\\`*_\[\]<>|~#])")


def escape(text: str) -> str:
    text = " ".join(text.split())
    return _ESCAPE.sub(r"\\\1", text)


def _markers(statement: Statement, numbers: dict[str, int]) -> str:
    shown, more = shown_numbers(statement, numbers)
    return "".join(f"[{n}]" for n in shown) + (f"+{more}" if more else "")


def _line(statement: Statement, numbers: dict[str, int]) -> str:
    label = independent_label(statement)
    suffix = f" _({label})_" if label else ""
    return f"{escape(statement.text)} {_markers(statement, numbers)}{suffix}"


def _source_line(n: int, source: SourceRef) -> str:
    parts = [escape(source.outlet) if source.outlet else None]
    if source.title:
        parts.append(f"“{escape(source.title)}”")
    if source.published:
        parts.append(source.published)
    where = f"<{source.url}>" if source.url and re.match(r"https?://\S+$", source.url) else None
    parts.append(f"`{source.path}`")
    if where:
        parts.append(where)
    return f"{n}. " + " — ".join(p for p in parts if p)


def _side(statement: Statement) -> str:
    # Quote marks only around the source's own words; an LLM's paraphrase of a
    # side is shown plain, with its verbatim passage in the JSON citations.
    # Sides are joined with ";" and the list item ends with ".", so a side's
    # own closing full stop would double up.
    text = escape(statement.text.rstrip().rstrip("."))
    return f"“{text}”" if repeats_quote(statement) else text


def render_markdown(brief: Brief) -> str:
    numbers = source_number(brief)
    out = [f"# {escape(brief.title)}", ""]
    n_sources = len(brief.sources)
    out.append(
        f"_{brief.generated_at:%Y-%m-%d %H:%M} UTC · {n_sources} source{'s' if n_sources != 1 else ''}"
        f" · engine: {brief.meta.engine}_"
    )
    out += ["", "## Bottom line", ""]
    out += [_line(s, numbers) for s in brief.bottom_line] or [
        "_Nothing could be stated with a verified citation._"
    ]
    if brief.disagreements:
        out += ["", "## Where the sources disagree", ""]
        for d in brief.disagreements[:MAX_SHOWN_DISAGREEMENTS]:
            sides = "; ".join(f"{_markers(p, numbers)} says {_side(p)}" for p in d.positions)
            out.append(f"- **{escape(d.topic)}**: {sides}.")
        if len(brief.disagreements) > MAX_SHOWN_DISAGREEMENTS:
            hidden = len(brief.disagreements) - MAX_SHOWN_DISAGREEMENTS
            out += ["", f"_{escape(more_disagreements_note(hidden))}_"]
    if brief.key_points:
        out += ["", "## Key points", ""]
        out += [f"- {_line(s, numbers)}" for s in brief.key_points]
    out += ["", "## Sources", ""]
    listed, hidden = listed_sources(brief, MAX_LISTED_SOURCES)
    lines = [_source_line(n, brief.sources[n - 1]) for n in listed]
    if hidden:
        # A shortened list has gaps, and markdown renumbers "1." lists: keep the numbers as text.
        lines = [f"- [{line.replace('. ', '] ', 1)}" for line in lines]
    out += lines
    if hidden:
        out += ["", f"_{escape(more_sources_note(hidden, n_sources))}_"]
    notes = footer_parts(brief.meta)
    if brief.meta.skipped:
        notes.append(
            "skipped: " + "; ".join(f"`{k.path}` ({escape(k.reason)})" for k in brief.meta.skipped[:10])
        )
    out += ["", "---", "", "_" + " · ".join(notes) + "_", ""]
    return "\n".join(out)
