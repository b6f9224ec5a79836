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
    change_marks,
    changes_summary,
    disagreement_mark,
    footer_parts,
    independent_label,
    repeats_quote,
    resolved_topics,
    source_number,
    statement_numbers,
    unchanged,
    unchanged_line,
)

# Characters that would make article text into markup: links/images ([]()!),
# emphasis (*_`~), raw HTML (<>) and reference-style definitions.
_ESCAPE = re.compile(r"([\\`*_\[\]<>|~#])")


def escape(text: str) -> str:
    text = " ".join(text.split())
    return _ESCAPE.sub(r"\\\1", text)


def _markers(statement: Statement, numbers: dict[str, int]) -> str:
    return "".join(f"[{n}]" for n in statement_numbers(statement, numbers))


def _line(
    statement: Statement, numbers: dict[str, int], marks: tuple[str | None, str | None] = (None, None)
) -> str:
    label = independent_label(statement)
    suffix = f" _({label})_" if label else ""
    tag, note = marks
    prefix = f"**{tag}** " if tag else ""
    if note:
        suffix += f" _({escape(note)})_"
    return f"{prefix}{escape(statement.text)} {_markers(statement, numbers)}{suffix}"


def _key_points(brief: Brief, numbers: dict[str, int]) -> list[str]:
    """Key points with their New/Update marks; unchanged ones compressed to one line."""
    quiet = set(unchanged(brief, "key_points"))
    lines = [
        f"- {_line(s, numbers, change_marks(brief, 'key_points', i))}"
        for i, s in enumerate(brief.key_points)
        if i not in quiet
    ]
    line = unchanged_line(brief, "key_points")
    if line:
        cited = sorted({n for i in quiet for n in statement_numbers(brief.key_points[i], numbers)})
        lines.append(f"- _{line}_ " + "".join(f"[{n}]" for n in cited))
    return lines


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
    summary = changes_summary(brief)
    if summary:
        out += ["", f"_{escape(summary)}_"]
    out += ["", "## Bottom line", ""]
    bottom = [
        _line(s, numbers, change_marks(brief, "bottom_line", i)) for i, s in enumerate(brief.bottom_line)
    ]
    out += bottom or [
        "_Nothing could be stated with a verified citation._"
    ]
    if brief.disagreements:
        out += ["", "## Where the sources disagree", ""]
        for d in brief.disagreements:
            sides = "; ".join(f"{_markers(p, numbers)} says {_side(p)}" for p in d.positions)
            mark = disagreement_mark(brief, d.topic)
            out.append(f"- {'**' + mark + '** ' if mark else ''}**{escape(d.topic)}**: {sides}.")
    resolved = resolved_topics(brief)
    if resolved:
        out += ["", "_No longer disputed: " + "; ".join(escape(t) for t in resolved) + "._"]
    if brief.key_points:
        out += ["", "## Key points", ""]
        out += _key_points(brief, numbers)
    out += ["", "## Sources", ""]
    out += [_source_line(numbers[s.id], s) for s in brief.sources]
    notes = footer_parts(brief.meta)
    if brief.meta.skipped:
        notes.append(
            "skipped: " + "; ".join(f"`{k.path}` ({escape(k.reason)})" for k in brief.meta.skipped[:10])
        )
    out += ["", "---", "", "_" + " · ".join(notes) + "_", ""]
    return "\n".join(out)
