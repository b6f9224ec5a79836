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
from briefing.models import Brief, Statement
from briefing.render._common import (
    footer_parts,
    independent_label,
    listed_sources,
    more_sources_note,
    repeats_quote,
    shown_numbers,
    source_number,
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
            quoted = escape_mrkdwn(clip(quote_text, min(limit, QUOTE_CHARS)))
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
        link = _safe_link(src.url)
        if link is not None:
            return f"{entry} {link}"
        path = escape_entities(display_location(src.path)).replace("`", "\u02cb")
        return f"{entry} `{path}`"

    def blocks(self, kept: int, limit: int, plan: _Plan | None = None) -> list[dict[str, Any]]:
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
        bottom = [self.cited(s, limit) for s in brief.bottom_line] or [
            "_Nothing could be stated with a citation._"
        ]
        blocks += [_section(t) for t in _pack(["*Bottom line*", *bottom], SECTION_CHARS)]
        if brief.disagreements:
            units = ["*Where the sources disagree*"]
            for d in brief.disagreements:
                sides = [self.side(p, limit) for p in d.positions]
                units.append("\n".join([f"*{escape_mrkdwn(clip(d.topic, 200))}*", *sides]))
            blocks.append({"type": "divider"})
            blocks += [_section(t) for t in _pack(units, SECTION_CHARS)]
        points = brief.key_points[:kept]
        if points:
            lines = ["*Key points*"]
            for s in points:
                label = independent_label(s)
                lines.append(f"• {self.cited(s, limit)}" + (f" _({label})_" if label else ""))
            blocks.append({"type": "divider"})
            blocks += [_section(t) for t in _pack(lines, SECTION_CHARS)]
        if brief.sources:
            blocks.append({"type": "divider"})
            shown = brief.model_copy(update={"key_points": points})
            listed, hidden = listed_sources(shown, plan.sources)
            entries = [self.source_entry(n) for n in listed]
            if hidden:
                entries.append("_" + escape_mrkdwn(more_sources_note(hidden, len(brief.sources))) + "_")
            elements = _pack(["*Sources*", *entries], CONTEXT_ELEMENT_CHARS // 3)
            for i in range(0, len(elements), CONTEXT_ELEMENTS):
                blocks.append(_context(elements[i : i + CONTEXT_ELEMENTS]))
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


def render_slack(brief: Brief) -> SlackMessage:
    """The brief as Slack blocks within Slack's limits, validated with slack_sdk.

    Lowest-priority key points (the end of ``key_points``) are dropped first to
    fit; the bottom line and disagreements are kept, and a statement is cut
    with an ellipsis only when nothing else is left to drop.
    """
    builder = _Builder(brief)
    kept, limit = len(brief.key_points), STATEMENT_CHARS
    plan = _Plan(sources=LISTED_SOURCES)
    blocks = builder.blocks(kept, limit, plan)
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
        blocks = builder.blocks(kept, limit, plan)
    if not _fits(blocks):  # nothing left to drop: never send an over-budget payload
        raise OutputError("the brief cannot be shown within Slack's message limits")
    validate_blocks(blocks)
    bottom = " ".join(" ".join(s.text.split()) for s in brief.bottom_line)
    text = escape_mrkdwn(clip(f"{brief.title}: {bottom}" if bottom else brief.title, FALLBACK_TEXT_CHARS))
    return SlackMessage(text=text, blocks=blocks)
