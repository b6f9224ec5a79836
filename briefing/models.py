"""The data that flows between pipeline stages.

Every stage takes and returns these models; nothing travels as a loose dict.
The public JSON shape of :class:`Brief` is relied on by other tools, so field
names here are a contract: add fields, never rename or remove them.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceRef(_Model):
    """What the brief says about an input file (no text)."""

    id: str = Field(description="Short stable id, e.g. 'S1', used by citations.")
    path: str = Field(description="Path relative to the --sources folder, '/' separated.")
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(default=None, description="ISO date (YYYY-MM-DD) when known.")
    published_at: str | None = Field(
        default=None,
        description="ISO date and time (UTC with 'Z' where the source states an offset) when the source "
        "states a time of day; orders two reports of one day.",
    )
    url: str | None = None
    chars: int = 0
    duplicate_of: str | None = Field(
        default=None,
        description="Id of an earlier source this one near-duplicates (same wire copy).",
    )
    opinion: bool = Field(
        default=False,
        description="An opinion piece (column, editorial, op-ed), as the file states it: its section, "
        "its URL's folder or a label above its title. Its sentences are its author's view: cited and "
        "marked, never a story's bottom line nor corroboration of a report.",
    )


class Source(SourceRef):
    """A read input: its metadata plus the extracted text citations point into."""

    format: Literal["txt", "md", "html", "pdf"] = "txt"
    text: str = ""

    def ref(self) -> SourceRef:
        return SourceRef.model_validate(self.model_dump(include=set(SourceRef.model_fields)))


class Skipped(_Model):
    path: str
    reason: str


class SourceSet(_Model):
    """The result of reading a folder: what will be used, and what was not and why."""

    root: str
    sources: list[Source] = Field(default_factory=list)
    skipped: list[Skipped] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class Chunk(_Model):
    """A slice of one source's text: ``text == source.text[start:end]``."""

    id: str = Field(description="'<source id>#<index>', e.g. 'S1#0'.")
    source_id: str
    index: int
    start: int
    end: int
    text: str
    tokens: int = 0


class Citation(_Model):
    """A verbatim span of a source's extracted text: ``quote == text[start:end]``."""

    source: str = Field(description="A sources[].id.")
    quote: str
    start: int
    end: int


class Claim(_Model):
    """One fact taken from one chunk, with the exact span that supports it."""

    id: str
    source_id: str
    chunk_id: str
    text: str = Field(description="The claim as a standalone sentence.")
    quote: str = Field(description="Verbatim text of the source at start:end.")
    start: int
    end: int
    score: float = Field(default=0.0, description="Salience; higher is more important.")
    origin: Literal["llm", "extractive", "fallback"] = "extractive"
    # Optional structured reading of the claim, filled by the LLM or by
    # deterministic fact extraction; reconciliation groups on these.
    subject: str | None = None
    attribute: str | None = None
    value: str | None = None
    relayed: bool = Field(
        default=False,
        description="The passage relays another outlet's reporting: cited, but not corroboration.",
    )

    def citation(self) -> Citation:
        return Citation(source=self.source_id, quote=self.quote, start=self.start, end=self.end)


class Point(_Model):
    """Claims from one or more sources that state the same fact."""

    id: str
    text: str
    claims: list[Claim] = Field(min_length=1)
    score: float = 0.0
    independent_sources: int = 1

    @property
    def source_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for claim in self.claims:
            seen.setdefault(claim.source_id, None)
        return list(seen)


class Statement(_Model):
    """A sentence of the brief with the passages it rests on."""

    text: str
    citations: list[Citation] = Field(min_length=1)
    independent_sources: int = Field(
        default=1, description="How many independent sources (near-duplicates counted once) report it."
    )
    opinion: bool = Field(
        default=False,
        description="It rests on opinion pieces only (sources[].opinion): its author's view, not a report.",
    )


class Disagreement(_Model):
    """Sources that give different values for the same thing, each side quoted."""

    topic: str
    positions: list[Statement] = Field(min_length=2)
    kind: str | None = Field(
        default=None,
        description="What differs: number, date, title, person, place, agent, quote or statement.",
    )
    score: float | None = Field(default=None, description="Rank on one scale, 0 to 1 (higher: surer).")


class Usage(_Model):
    calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None


class Meta(_Model):
    """How the brief was made; shown in the footer and the JSON."""

    engine: str
    model: str | None = None
    version: str = ""
    skipped: list[Skipped] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    chunks: int = 0
    chunks_fallback: int = 0
    fallback_reasons: dict[str, int] = Field(default_factory=dict)
    claims: int = 0
    claims_rejected: int = 0
    sentences_unsupported: int = Field(
        default=0, description="Composed sentences that said more than the claims they cite."
    )
    sentences_replaced: int = Field(
        default=0, description="Of those, replaced by the cited claim's own text after a re-ask."
    )
    points_filled: int = Field(default=0, description="Key points added from validated extractive points.")
    points_trimmed: int = 0
    headlines_trimmed: int = Field(
        default=0, description='"More stories" headlines left out of a one-page PDF (all are in the JSON).'
    )
    words: int = 0
    usage: Usage = Field(default_factory=Usage)


class ValueChange(_Model):
    """A figure that moved since the earlier brief, e.g. ``1,200 MW`` -> ``1,350 MW``."""

    before: str
    after: str


class ItemChange(_Model):
    """How one item of this brief relates to the earlier brief (see briefing.since)."""

    section: str = Field(description="'bottom_line', 'key_points' (or 'stories' when briefs have them).")
    index: int = Field(description="Position of the item in that section.")
    status: Literal["new", "update", "unchanged"]
    previous: str | None = Field(default=None, description="The earlier item it continues.")
    values: list[ValueChange] = Field(default_factory=list)


class DisagreementChange(_Model):
    topic: str
    status: Literal["appeared", "resolved", "continuing"]


class Changes(_Model):
    """What changed since an earlier brief (``make --since PREVIOUS.json``)."""

    since: datetime = Field(description="generated_at of the earlier brief.")
    previous_title: str = ""
    items: list[ItemChange] = Field(default_factory=list)
    disagreements: list[DisagreementChange] = Field(default_factory=list)


class Story(_Model):
    """One event in the folder, as several outlets report it."""

    id: str = Field(description="'T1', 'T2', ... in the order the brief shows them.")
    headline: str
    sources: list[str] = Field(description="Ids of the sources reporting this story.")
    independent_sources: int = Field(default=1, description="Independent voices (wire copies counted once).")
    published: str | None = Field(default=None, description="Latest ISO date among its sources, when known.")
    bottom_line: list[Statement] = Field(default_factory=list)
    key_points: list[Statement] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    checked: str = Field(
        default="",
        description="What the disagreement check found, stated even when nothing was found "
        "(e.g. 'The 3 sources agree on the facts checked.').",
    )


class StoryHeadline(_Model):
    """A story several outlets carry that the budget left untold: its headline and sources only."""

    headline: str
    sources: list[str] = Field(description="Ids of the sources reporting this story.")
    independent_sources: int = Field(default=1, description="Independent voices (wire copies counted once).")
    published: str | None = Field(default=None, description="Latest ISO date among its sources, when known.")


class Brief(_Model):
    """A brief. ``stories`` holds the folder's stories; the top-level ``bottom_line``,
    ``key_points`` and ``disagreements`` are those of the whole brief: for a one-story
    folder exactly that story's, for several stories each story's bottom line, then
    their key points (most important first) and all their disagreements."""

    title: str
    generated_at: datetime
    bottom_line: list[Statement] = Field(default_factory=list)
    key_points: list[Statement] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)
    meta: Meta
    stories: list[Story] = Field(default_factory=list, description="The folder's stories, most voices first.")
    also_reported: list[Statement] = Field(
        default_factory=list, description="Stories a single source reports: one cited sentence each."
    )
    more_stories: list[StoryHeadline] = Field(
        default_factory=list,
        description="Multi-source stories that did not fit the budget: by headline, most voices first.",
    )
    changes: Changes | None = Field(default=None, description="Set by make --since: what is new since then.")

    # models.py is data only: render/ imports it, so it never imports render/
    # back (not even lazily). The methods find their renderer by name at call
    # time, which also keeps WeasyPrint and slack_sdk out of a plain import.
    def to_markdown(self) -> str:
        return str(_renderer("markdown")(self))

    def to_json(self) -> str:
        """The brief as JSON; bidi and C1 controls written as ``\\u`` escapes: verbatim data, inert text."""
        from briefing.text import json_inert

        return json_inert(self.model_dump_json(indent=2))

    def to_html(self, paper: Literal["a4", "letter"] = "a4") -> str:
        return str(_renderer("html")(self, paper=paper))

    def to_pdf(self, paper: Literal["a4", "letter"] = "a4") -> bytes:
        """One-page PDF bytes (needs the 'pdf' extra)."""
        return bytes(_renderer("pdf")(self, paper=paper))

    def to_slack(self) -> dict[str, Any]:
        """A Slack message payload: ``text`` fallback plus validated ``blocks`` (needs the 'slack' extra)."""
        payload: dict[str, Any] = _renderer("slack")(self).to_payload()
        return payload


_RENDERERS = {
    "markdown": ("briefing.render.markdown", "render_markdown"),
    "html": ("briefing.render.html", "render_html"),
    "pdf": ("briefing.render.pdf", "render_pdf"),
    "slack": ("briefing.render.slack", "render_slack"),
}


def _renderer(fmt: str) -> Any:
    module, name = _RENDERERS[fmt]
    return getattr(importlib.import_module(module), name)
