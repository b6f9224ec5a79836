"""Markdown: the default output, readable as plain text in an email too.

Citation markers are ``[n]``, the 1-based position of the source in the
Sources list, the same numbers every other format uses. Everything that came
from outside (article text, titles, outlets, URLs, file names, skip reasons,
model names) is escaped so that it cannot turn into links, images, HTML,
headings or lists, whether the markdown is rendered by python-markdown or by
a CommonMark renderer (markdown-it): the escapes used are the ones both know.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

from briefing.models import Brief, Disagreement, SourceRef, Statement, StoryHeadline
from briefing.render._common import (
    MAX_LISTED_SOURCES,
    MAX_SHOWN_DISAGREEMENTS,
    change_marks,
    changes_summary,
    disagreement_mark,
    display_brief,
    footer_parts,
    independent_label,
    listed_sources,
    more_disagreements_note,
    more_sources_note,
    nested_quotes,
    point_key,
    repeats_quote,
    resolved_topics,
    shown_numbers,
    shown_points,
    source_number,
    statement_numbers,
    unchanged,
    unchanged_line,
)
from briefing.text import plural

# Markup characters that both python-markdown and CommonMark accept a
# backslash escape for: links/images ([]), emphasis (*_), code (`),
# headings (#), blockquotes (>), and the GFM table/strikethrough marks (|~).
_ESCAPE = re.compile(r"([\\`*_\[\]#>|~])")
# python-markdown has no backslash escape for "<" (it would pass "\<script>"
# through as HTML), so "<" is always an entity; "&" only where it would start one.
_ENTITY_START = re.compile(r"&(?=#?\w+;)")
# A list item or a setext underline when at the start of a line.
_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])")


def escape(text: str) -> str:
    """Untrusted text as inert markdown on one line."""
    text = " ".join(text.split())
    text = _ENTITY_START.sub("&amp;", text).replace("<", "&lt;")
    text = _ESCAPE.sub(r"\\\1", text)
    if _ORDERED_MARKER.match(text):
        return _ORDERED_MARKER.sub(r"\1\\\2", text, count=1)
    if text[:1] in ("-", "+"):
        return "\\" + text
    if text[:1] == "=":
        return "&#61;" + text[1:]  # python-markdown has no escape for "="
    return text


def _code(text: str) -> str:
    """A file name as a code span when that is unambiguous in every renderer, else escaped text."""
    text = " ".join(text.split())
    # Backticks and backslashes inside code spans are read differently by
    # python-markdown and CommonMark, so such names are shown as escaped text.
    if text and "`" not in text and "\\" not in text:
        return f"`{text}`"
    return escape(text)


def _url(url: str | None) -> str | None:
    """An http(s) URL as an autolink target, percent-encoded so it cannot end the link early."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not re.fullmatch(r"[\w.:@%-]+", parts.netloc):
        return None
    safe = "/%!$&'()*+,;=:@~-._"
    return urlunsplit(
        (
            parts.scheme.lower(),
            parts.netloc,
            quote(parts.path, safe=safe),
            quote(parts.query, safe=safe + "?"),
            quote(parts.fragment, safe=safe + "?"),
        )
    )


def _markers(statement: Statement, numbers: dict[str, int]) -> str:
    shown, more = shown_numbers(statement, numbers)
    return "".join(f"[{n}]" for n in shown) + (f"+{more}" if more else "")


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
        parts.append(escape(source.published))
    if source.opinion:
        parts.append("_opinion_")
    where = _url(source.url)
    parts.append(_code(source.path))
    if where:
        parts.append(f"<{where}>")
    return f"{n}. " + " — ".join(p for p in parts if p)


def _verb(statement: Statement) -> str:
    return "say" if len({c.source for c in statement.citations}) > 1 else "says"


def _side(statement: Statement) -> str:
    # Quote marks only around the source's own words; an LLM's paraphrase of a
    # side is shown plain, with its verbatim passage in the JSON citations.
    # Sides are joined with ";" and the list item ends with ".", so a side's
    # own closing full stop would double up.
    text = escape(statement.text.rstrip().rstrip("."))
    return f"“{nested_quotes(text)}”" if repeats_quote(statement) else text


def _disagreements(
    brief: Brief, disagreements: list[Disagreement], checked: str, numbers: dict[str, int]
) -> list[str]:
    out = []
    for d in disagreements[:MAX_SHOWN_DISAGREEMENTS]:
        sides = "; ".join(f"{_markers(p, numbers)} {_verb(p)} {_side(p)}" for p in d.positions)
        mark = disagreement_mark(brief, d.topic)
        out.append(f"- {'**' + mark + '** ' if mark else ''}**{escape(d.topic)}**: {sides}.")
    if len(disagreements) > MAX_SHOWN_DISAGREEMENTS:
        hidden = len(disagreements) - MAX_SHOWN_DISAGREEMENTS
        out += ["", f"_{escape(more_disagreements_note(hidden))}_"]
    if not disagreements and checked:
        out.append(f"_{escape(checked)}_")
    return out


def _stories(brief: Brief, numbers: dict[str, int]) -> list[str]:
    out: list[str] = []
    shown = shown_points(brief)
    for i, story in enumerate(brief.stories, start=1):
        voices = story.independent_sources
        label = f" _({voices} independent sources)_" if voices > 1 else ""
        tag, note = change_marks(brief, "stories", i - 1)
        head = f"**{tag}** " if tag else ""
        out += ["", f"## {i}. {head}{escape(story.headline)}{label}", ""]
        if note:
            out += [f"_{escape(note)}_", ""]
        out += [_line(s, numbers) for s in story.bottom_line] or [
            "_Nothing could be stated with a verified citation._"
        ]
        out += ["", "**Where the sources disagree**", ""]
        out += _disagreements(brief, story.disagreements, story.checked, numbers)
        points = [s for s in story.key_points if point_key(s) in shown]
        if points:
            out += ["", "**Key points**", ""]
            out += [f"- {_line(s, numbers)}" for s in points]
    return out


def _headline_line(story: StoryHeadline, numbers: dict[str, int]) -> str:
    cited = "".join(f"[{numbers[sid]}]" for sid in story.sources if sid in numbers)
    n = story.independent_sources
    label = f" _({n} independent sources)_" if n > 1 else ""
    return f"- {escape(story.headline)}{label} {cited}".rstrip()


def render_markdown(brief: Brief) -> str:
    brief = display_brief(brief)
    numbers = source_number(brief)
    out = [f"# {escape(brief.title)}", ""]
    out.append(
        f"_{brief.generated_at:%Y-%m-%d %H:%M} UTC · {plural(len(brief.sources), 'source')}"
        f" · engine: {escape(brief.meta.engine)}_"
    )
    summary = changes_summary(brief)
    if summary:
        out += ["", f"_{escape(summary)}_"]
    if len(brief.stories) > 1:
        out += _stories(brief, numbers)
    else:
        out += ["", "## Bottom line", ""]
        bottom = [
            _line(s, numbers, change_marks(brief, "bottom_line", i)) for i, s in enumerate(brief.bottom_line)
        ]
        out += bottom or ["_Nothing could be stated with a verified citation._"]
        checked = brief.stories[0].checked if brief.stories else ""
        if brief.disagreements or checked:
            out += ["", "## Where the sources disagree", ""]
            out += _disagreements(brief, brief.disagreements, checked, numbers)
        resolved = resolved_topics(brief)
        if resolved:
            out += ["", "_No longer disputed: " + "; ".join(escape(t) for t in resolved) + "._"]
        if brief.key_points:
            out += ["", "## Key points", ""]
            out += _key_points(brief, numbers)
    if brief.more_stories:
        out += ["", "## More stories", ""]
        out += [_headline_line(h, numbers) for h in brief.more_stories]
    if brief.also_reported:
        out += ["", "## Also reported", ""]
        out += [f"- {_line(s, numbers)}" for s in brief.also_reported]
    out += ["", "## Sources", ""]
    listed, hidden = listed_sources(brief, MAX_LISTED_SOURCES)
    lines = [_source_line(n, brief.sources[n - 1]) for n in listed]
    if hidden:
        # A shortened list has gaps, and markdown renumbers "1." lists: keep the numbers as text.
        lines = [f"- [{line.replace('. ', '] ', 1)}" for line in lines]
    out += lines
    if hidden:
        out += ["", f"_{escape(more_sources_note(hidden, len(brief.sources)))}_"]
    notes = [escape(part) for part in footer_parts(brief.meta)]
    if brief.meta.skipped:
        notes.append(
            "skipped: " + "; ".join(f"{_code(k.path)} ({escape(k.reason)})" for k in brief.meta.skipped[:10])
        )
    out += ["", "---", "", "_" + " · ".join(notes) + "_", ""]
    return "\n".join(out)
