"""Markdown: the default output, readable as plain text in an email too.

Citation markers are ``[n]``, the 1-based position of the source in the
Sources list, the same numbers every other format uses. Article text is
escaped so that it cannot turn into links, images, HTML or headings when the
markdown is rendered.
"""

from __future__ import annotations

import re

from briefing.models import Brief, Disagreement, SourceRef, Statement
from briefing.render._common import (
    footer_parts,
    independent_label,
    point_key,
    repeats_quote,
    shown_points,
    source_number,
    statement_numbers,
)

# Characters that would make article text into markup: links/images ([]()!),
# emphasis (*_`~), raw HTML (<>) and reference-style definitions.
_ESCAPE = re.compile(r"([\\`*_\[\]<>|~#])")


def escape(text: str) -> str:
    text = " ".join(text.split())
    return _ESCAPE.sub(r"\\\1", text)


def _markers(statement: Statement, numbers: dict[str, int]) -> str:
    return "".join(f"[{n}]" for n in statement_numbers(statement, numbers))


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


def _disagreements(disagreements: list[Disagreement], checked: str, numbers: dict[str, int]) -> list[str]:
    out = []
    for d in disagreements:
        sides = "; ".join(f"{_markers(p, numbers)} says {_side(p)}" for p in d.positions)
        out.append(f"- **{escape(d.topic)}**: {sides}.")
    if not disagreements and checked:
        out.append(f"_{escape(checked)}_")
    return out


def _stories(brief: Brief, numbers: dict[str, int]) -> list[str]:
    out: list[str] = []
    shown = shown_points(brief)
    for i, story in enumerate(brief.stories, start=1):
        voices = story.independent_sources
        label = f" _({voices} independent sources)_" if voices > 1 else ""
        out += ["", f"## {i}. {escape(story.headline)}{label}", ""]
        out += [_line(s, numbers) for s in story.bottom_line] or [
            "_Nothing could be stated with a verified citation._"
        ]
        out += ["", "**Where the sources disagree**", ""]
        out += _disagreements(story.disagreements, story.checked, numbers)
        points = [s for s in story.key_points if point_key(s) in shown]
        if points:
            out += ["", "**Key points**", ""]
            out += [f"- {_line(s, numbers)}" for s in points]
    return out


def render_markdown(brief: Brief) -> str:
    numbers = source_number(brief)
    out = [f"# {escape(brief.title)}", ""]
    n_sources = len(brief.sources)
    out.append(
        f"_{brief.generated_at:%Y-%m-%d %H:%M} UTC · {n_sources} source{'s' if n_sources != 1 else ''}"
        f" · engine: {brief.meta.engine}_"
    )
    if len(brief.stories) > 1:
        out += _stories(brief, numbers)
    else:
        out += ["", "## Bottom line", ""]
        out += [_line(s, numbers) for s in brief.bottom_line] or [
            "_Nothing could be stated with a verified citation._"
        ]
        checked = brief.stories[0].checked if brief.stories else ""
        if brief.disagreements or checked:
            out += ["", "## Where the sources disagree", ""]
            out += _disagreements(brief.disagreements, checked, numbers)
        if brief.key_points:
            out += ["", "## Key points", ""]
            out += [f"- {_line(s, numbers)}" for s in brief.key_points]
    if brief.also_reported:
        out += ["", "## Also reported", ""]
        out += [f"- {_line(s, numbers)}" for s in brief.also_reported]
    out += ["", "## Sources", ""]
    out += [_source_line(numbers[s.id], s) for s in brief.sources]
    notes = footer_parts(brief.meta)
    if brief.meta.skipped:
        notes.append(
            "skipped: " + "; ".join(f"`{k.path}` ({escape(k.reason)})" for k in brief.meta.skipped[:10])
        )
    out += ["", "---", "", "_" + " · ".join(notes) + "_", ""]
    return "\n".join(out)
