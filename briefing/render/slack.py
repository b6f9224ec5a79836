"""Slack Block Kit rendering.

Article text is untrusted and Slack's mrkdwn is live: ``<!channel>`` pings a
channel and ``<http://evil|bank.com>`` disguises a link. Every piece of text
from a source is escaped (``&``, ``<``, ``>``) and its formatting characters
are swapped for look-alikes, so what an article says is shown, never obeyed.
Citation markers ``[n]`` use the same numbers as every other format.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from briefing.errors import MissingExtraError, OutputError
from briefing.models import Brief, Disagreement, Statement, StoryHeadline
from briefing.render._common import (
    change_marks,
    changes_summary,
    disagreement_mark,
    display_brief,
    footer_parts,
    independent_label,
    listed_sources,
    more_sources_note,
    nested_quotes,
    point_key,
    repeats_quote,
    resolved_topics,
    shown_numbers,
    source_number,
    unchanged,
    unchanged_line,
)
from briefing.render.html import display_location, format_dateline, safe_url

# Slack's documented limits, plus a payload budget (measured as slack_sdk sends it,
# ASCII-escaped JSON) well under the size at
# which chat.postMessage starts rejecting messages.
MAX_BLOCKS = 50
SECTION_CHARS = 3000
HEADER_CHARS = 150
CONTEXT_ELEMENTS = 10
CONTEXT_ELEMENT_CHARS = 2000
BLOCKS_JSON_BUDGET = 12_000
FALLBACK_TEXT_CHARS = 600
QUOTE_CHARS = 300
SOURCE_TITLE_CHARS = 120
# A statement is cut only when a single one would not fit anyway; then the
# cap shrinks as a last resort.
STATEMENT_CHARS = 2800
MIN_STATEMENT_CHARS = 120

# Look-alikes for mrkdwn's formatting characters: the text still reads the
# same, but *bold*, _italic_, ~strike~ and `code` in an article stay literal.
_FORMAT_LOOKALIKES = {"*": "\u2217", "~": "\u223c", "`": "\u02cb"}
# Underscores inside words (snake_case, file_names) never format, so only
# word-edge ones are replaced.
_EDGE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


class SlackMessage(BaseModel):
    """A chat.postMessage payload: ``text`` is the notification/fallback text."""

    model_config = ConfigDict(extra="forbid")

    text: str
    blocks: list[dict[str, Any]] = Field(default_factory=list)
    points_left_out: int = Field(default=0, description="Key points dropped to fit Slack's limits.")

    def to_payload(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def escape_entities(text: str) -> str:
    """Slack's three control characters as entities (order matters: & first)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_mrkdwn(text: str) -> str:
    """Untrusted text made inert for mrkdwn: one line, no mentions, links or formatting."""
    text = escape_entities(" ".join(text.split()))
    for ch, lookalike in _FORMAT_LOOKALIKES.items():
        text = text.replace(ch, lookalike)
    return _EDGE_UNDERSCORE.sub("\u02cd", text)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _safe_link(url: str | None) -> str | None:
    """An explicit ``<url>`` link whose visible text is the URL itself (no ``|label``)."""
    url = safe_url(url)
    if url is None:
        return None
    # Percent-encode whatever could end the link or add a label; & is an entity inside <>.
    encoded = quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")
    return "<" + encoded.replace("&", "&amp;") + ">"


def _split_long(line: str, limit: int) -> list[str]:
    """Hard-split a single line longer than ``limit`` (only if clipping failed)."""
    return [line[i : i + limit] for i in range(0, len(line), limit)]


def _pack(units: list[str], limit: int, sep: str = "\n") -> list[str]:
    """Join units into texts of at most ``limit`` characters, breaking only between units/lines."""
    lines: list[str] = []
    for unit in units:
        if len(unit) <= limit:
            lines.append(unit)
        else:
            for line in unit.split("\n"):
                lines.extend(_split_long(line, limit) if len(line) > limit else [line])
    texts: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}{sep}{line}" if current else line
        if len(candidate) > limit and current:
            texts.append(current)
            current = line
        else:
            current = candidate
    if current:
        texts.append(current)
    return texts


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object. ``verbatim`` stops Slack from turning bare URLs,
    ``#channel`` and ``@name`` in article text into links and mentions; the
    only links are the explicit ``<url>`` ones this module writes."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text)}


def _context(texts: list[str]) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts]}


class _Builder:
    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.numbers = source_number(brief)
        self.outlets = {s.id: s.outlet for s in brief.sources if s.outlet}

    def markers(self, statement: Statement) -> str:
        shown, more = shown_numbers(statement, self.numbers)
        return "".join(f"[{n}]" for n in shown) + (f"+{more}" if more else "")

    def cited(self, statement: Statement, limit: int) -> str:
        text = escape_mrkdwn(clip(" ".join(statement.text.split()), limit))
        return f"{text} {self.markers(statement)}".rstrip()

    def marked(self, section: str, index: int, statement: Statement, limit: int) -> str:
        """A cited statement with its make --since tag and moved figures."""
        tag, note = change_marks(self.brief, section, index)
        text = self.cited(statement, limit)
        if tag:
            text = f"*{tag}* {text}"
        if note:
            text += f" _({escape_mrkdwn(note)})_"
        return text

    def side(self, statement: Statement, limit: int) -> str:
        ids = list(dict.fromkeys(c.source for c in statement.citations if c.source in self.numbers))
        who = " and ".join(escape_mrkdwn(self.outlets[i]) for i in ids[:2] if self.outlets.get(i))
        quote_text = " ".join(next((c.quote for c in statement.citations), "").split())
        parts = [f"• {self.markers(statement)}".rstrip()]
        if who:
            parts.append(f"{who}:")
        # Extractive statements repeat their quote word for word: show it once.
        said = "" if quote_text and repeats_quote(statement) else " ".join(statement.text.split())
        if said:
            parts.append(escape_mrkdwn(clip(said, limit)))
        if quote_text:
            quoted = escape_mrkdwn(clip(nested_quotes(quote_text), min(limit, QUOTE_CHARS)))
            parts.append(("— " if said else "") + f"_“{quoted}”_")
        return " ".join(parts)

    def source_entry(self, n: int) -> str:
        src = self.brief.sources[n - 1]
        parts = [f"[{n}]"]
        if src.outlet:
            parts.append(f"*{escape_mrkdwn(src.outlet)}*")
        if src.title:
            parts.append(("— " if src.outlet else "") + escape_mrkdwn(clip(src.title, SOURCE_TITLE_CHARS)))
        entry = " ".join(parts) + (f", {escape_mrkdwn(src.published)}" if src.published else "")
        entry += " _(opinion)_" if src.opinion else ""
        link = _safe_link(src.url)
        if link is not None:
            return f"{entry} {link}"
        path = escape_entities(display_location(src.path)).replace("`", "\u02cb")
        return f"{entry} `{path}`"

    def headline(self, story: StoryHeadline) -> str:
        cited = "".join(f"[{self.numbers[s]}]" for s in story.sources if s in self.numbers)
        n = story.independent_sources
        label = f" _({n} independent sources)_" if n > 1 else ""
        return f"• {escape_mrkdwn(clip(' '.join(story.headline.split()), 200))}{label} {cited}".rstrip()

    def point(self, statement: Statement, limit: int) -> str:
        label = independent_label(statement)
        return f"• {self.cited(statement, limit)}" + (f" _({label})_" if label else "")

    def disagreement_units(self, disagreements: list[Disagreement], checked: str, limit: int) -> list[str]:
        units = []
        for d in disagreements:
            sides = [self.side(p, limit) for p in d.positions]
            mark = disagreement_mark(self.brief, d.topic)
            head = f"*{escape_mrkdwn(clip(d.topic, 200))}*"
            units.append("\n".join([f"*{mark}* {head}" if mark else head, *sides]))
        if not disagreements and checked:
            units.append(f"_{escape_mrkdwn(checked)}_")
        return units

    def story_blocks(self, kept: int, limit: int) -> list[dict[str, Any]]:
        shown = {point_key(s) for s in self.brief.key_points[:kept]}
        blocks: list[dict[str, Any]] = []
        for i, story in enumerate(self.brief.stories, start=1):
            voices = story.independent_sources
            tag, note = change_marks(self.brief, "stories", i - 1)
            head = (f"*{tag}* " if tag else "") + f"*{i}. {escape_mrkdwn(clip(story.headline, 200))}*"
            head += f" _({voices} independent sources)_" if voices > 1 else ""
            head += f" _({escape_mrkdwn(note)})_" if note else ""
            units = [head, *(self.cited(s, limit) for s in story.bottom_line)]
            units += self.disagreement_units(story.disagreements, story.checked, limit)
            units += [self.point(s, limit) for s in story.key_points if point_key(s) in shown]
            blocks.append({"type": "divider"})
            blocks += [_section(t) for t in _pack(units, SECTION_CHARS)]
        return blocks

    def blocks(
        self, kept: int, limit: int, plan: _Plan | None = None, sources: bool = True
    ) -> list[dict[str, Any]]:
        plan = plan or _Plan()
        brief = self.brief.model_copy(
            update={
                "bottom_line": self.brief.bottom_line[: plan.bottom],
                "disagreements": self.brief.disagreements[: plan.disagreements],
            }
        )
        title = clip(escape_entities(" ".join(brief.title.split())) or "Brief", HEADER_CHARS)
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": title, "emoji": False}},
            _context([escape_mrkdwn(format_dateline(brief))]),
        ]
        summary = changes_summary(brief)
        if summary:
            blocks.append(_context([escape_mrkdwn(summary)]))
        points = brief.key_points[:kept]
        if len(brief.stories) > 1:
            blocks += self.story_blocks(kept, limit)
        else:
            bottom = [self.marked("bottom_line", i, s, limit) for i, s in enumerate(brief.bottom_line)] or [
                "_Nothing could be stated with a citation._"
            ]
            blocks += [_section(t) for t in _pack(["*Bottom line*", *bottom], SECTION_CHARS)]
            checked = brief.stories[0].checked if brief.stories else ""
            if brief.disagreements or checked:
                found = self.disagreement_units(brief.disagreements, checked, limit)
                units = ["*Where the sources disagree*", *found]
                blocks.append({"type": "divider"})
                blocks += [_section(t) for t in _pack(units, SECTION_CHARS)]
            resolved = resolved_topics(brief)
            if resolved:
                gone = "; ".join(escape_mrkdwn(clip(t, 200)) for t in resolved)
                text = f"_No longer disputed: {gone}._"
                blocks += [_section(t) for t in _pack([text], SECTION_CHARS)]
            quiet = set(unchanged(brief, "key_points"))
            if points:
                lines = ["*Key points*"]
                for i, s in enumerate(points):
                    if i in quiet:
                        continue
                    label = independent_label(s)
                    marked = self.marked("key_points", i, s, limit)
                    lines.append(f"• {marked}" + (f" _({label})_" if label else ""))
                line = unchanged_line(brief, "key_points")
                if line:
                    lines.append(f"• _{escape_mrkdwn(line)}_")
                blocks.append({"type": "divider"})
                blocks += [_section(t) for t in _pack(lines, SECTION_CHARS)]
        if brief.more_stories:
            lines = ["*More stories*", *(self.headline(h) for h in brief.more_stories)]
            blocks.append({"type": "divider"})
            blocks += [_section(t) for t in _pack(lines, SECTION_CHARS)]
        if brief.also_reported:
            lines = ["*Also reported*", *(self.point(s, limit) for s in brief.also_reported)]
            blocks.append({"type": "divider"})
            blocks += [_section(t) for t in _pack(lines, SECTION_CHARS)]
        if brief.sources and sources:
            blocks.append({"type": "divider"})
            shown = brief.model_copy(update={"key_points": points})
            listed, hidden = listed_sources(shown, plan.sources)
            entries = [self.source_entry(n) for n in listed]
            if hidden:
                entries.append("_" + escape_mrkdwn(more_sources_note(hidden, len(brief.sources))) + "_")
            elements = _pack(["*Sources*", *entries], CONTEXT_ELEMENT_CHARS // 3)
            for i in range(0, len(elements), CONTEXT_ELEMENTS):
                blocks.append(_context(elements[i : i + CONTEXT_ELEMENTS]))
        elif brief.sources:
            blocks.append(_context([f"{len(brief.sources)} sources: see the thread"]))
        footer = list(footer_parts(brief.meta))
        trimmed = len(brief.key_points) - kept
        if trimmed:
            footer.append(f"{trimmed} key point{'s' if trimmed != 1 else ''} left out to fit Slack")
        for dropped, what in (
            (len(self.brief.disagreements) - len(brief.disagreements), "disagreement"),
            (len(self.brief.bottom_line) - len(brief.bottom_line), "bottom-line sentence"),
        ):
            if dropped > 0:
                footer.append(
                    f"{dropped} {what}{'s' if dropped != 1 else ''} left out to fit Slack (in the PDF/JSON)"
                )
        blocks.append(_context([clip(escape_mrkdwn(" · ".join(footer)), CONTEXT_ELEMENT_CHARS)]))
        return blocks

    def source_blocks(self) -> list[dict[str, Any]]:
        entries = [self.source_entry(n) for n in range(1, len(self.brief.sources) + 1)]
        elements = _pack(["*Sources*", *entries], CONTEXT_ELEMENT_CHARS // 3)
        return [
            _context(elements[i : i + CONTEXT_ELEMENTS]) for i in range(0, len(elements), CONTEXT_ELEMENTS)
        ]


class _Plan:
    """How much of the brief a Slack message shows (None: everything)."""

    def __init__(
        self, sources: int | None = None, disagreements: int | None = None, bottom: int | None = None
    ):
        self.sources = sources
        self.disagreements = disagreements
        self.bottom = bottom


# Sources listed before the list is compacted; each entry costs up to ~300 bytes.
LISTED_SOURCES = 30


def _fits(blocks: list[dict[str, Any]]) -> bool:
    return len(blocks) <= MAX_BLOCKS and len(json.dumps(blocks)) <= BLOCKS_JSON_BUDGET


def _halve(value: int | None, total: int) -> int:
    current = total if value is None else value
    return current // 2


def validate_blocks(blocks: list[dict[str, Any]]) -> None:
    """Check blocks against slack_sdk's Block Kit models (raises SlackObjectFormationError)."""
    try:
        from slack_sdk.models.blocks import Block
    except ImportError as exc:
        raise MissingExtraError("slack", "slack_sdk") from exc
    parsed = Block.parse_all(blocks)
    if len(parsed) != len(blocks) or any(b is None for b in parsed):
        raise ValueError("unknown block type in payload")
    for block in parsed:
        block.validate_json()


def render_slack(brief: Brief, *, sources: bool = True) -> SlackMessage:
    """The brief as Slack blocks within Slack's limits, validated with slack_sdk.

    Lowest-priority key points (the end of ``key_points``) are dropped first to
    fit; the bottom line and disagreements are kept, and a statement is cut
    with an ellipsis only when nothing else is left to drop.
    """
    brief = display_brief(brief)
    builder = _Builder(brief)
    kept, limit = len(brief.key_points), STATEMENT_CHARS
    plan = _Plan(sources=LISTED_SOURCES)
    blocks = builder.blocks(kept, limit, plan, sources)
    # Give up detail in order of priority until the payload fits; every step
    # shrinks the message, and the last state (title and footer) always fits.
    while not _fits(blocks):
        if kept > 0:
            kept = kept - 1 if kept <= 8 else kept // 2
        elif plan.sources is None or plan.sources > 0:
            plan.sources = _halve(plan.sources, len(brief.sources))
        elif limit > MIN_STATEMENT_CHARS:
            limit = max(MIN_STATEMENT_CHARS, limit * 2 // 3)
        elif plan.disagreements is None or plan.disagreements > 0:
            plan.disagreements = _halve(plan.disagreements, len(brief.disagreements))
        elif plan.bottom is None or plan.bottom > 1:
            plan.bottom = max(1, _halve(plan.bottom, len(brief.bottom_line)))
        elif plan.bottom > 0:
            plan.bottom = 0
        else:
            break
        blocks = builder.blocks(kept, limit, plan, sources)
    if not _fits(blocks):  # nothing left to drop: never send an over-budget payload
        raise OutputError("the brief cannot be shown within Slack's message limits")
    validate_blocks(blocks)
    bottom = " ".join(" ".join(s.text.split()) for s in brief.bottom_line)
    text = escape_mrkdwn(clip(f"{brief.title}: {bottom}" if bottom else brief.title, FALLBACK_TEXT_CHARS))
    return SlackMessage(text=text, blocks=blocks, points_left_out=len(brief.key_points) - kept)


def render_slack_sources(brief: Brief) -> list[SlackMessage]:
    """The source list alone, as thread replies that each fit Slack's limits."""
    blocks = _Builder(brief).source_blocks()
    messages: list[SlackMessage] = []
    current: list[dict[str, Any]] = []
    for block in blocks:
        if current and not _fits([*current, block]):
            messages.append(SlackMessage(text="Sources", blocks=current))
            current = []
        current.append(block)
    if current:
        messages.append(SlackMessage(text="Sources", blocks=current))
    for message in messages:
        validate_blocks(message.blocks)
    return messages
