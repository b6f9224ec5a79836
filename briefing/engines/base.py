"""The seam every engine plugs into.

An engine turns chunks into claims and may also reconcile and compose. The
pipeline supplies the deterministic defaults: an engine that returns ``None``
from :meth:`Engine.reconcile` or :meth:`Engine.compose` gets the extractive
behaviour for that step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from briefing.models import Chunk, Claim, Disagreement, Meta, Point, Source, Statement
from briefing.options import BriefOptions
from briefing.text import locate_quote


@dataclass
class Event:
    """Progress for terminals and bots: ``kind`` is 'chunk', 'call', 'stage' or 'warning'."""

    kind: str
    message: str = ""
    done: int = 0
    total: int = 0


@dataclass
class RunContext:
    """State of one run, shared by the stages; ``meta`` is filled in as they go."""

    options: BriefOptions
    sources: dict[str, Source]
    meta: Meta
    on_event: Callable[[Event], None] | None = None
    chunks: dict[str, Chunk] = field(default_factory=dict)

    def emit(self, kind: str, message: str = "", done: int = 0, total: int = 0) -> None:
        if self.on_event is not None:
            self.on_event(Event(kind, message, done, total))

    def warn(self, message: str) -> None:
        self.meta.warnings.append(message)
        self.emit("warning", message)

    def fallback(self, reason: str) -> None:
        """Count a chunk handed to the extractive engine, by reason."""
        self.meta.chunks_fallback += 1
        self.meta.fallback_reasons[reason] = self.meta.fallback_reasons.get(reason, 0) + 1


@dataclass
class Composed:
    """What a compose step produces; the pipeline adds sources and meta."""

    bottom_line: list[Statement]
    key_points: list[Statement]
    title: str | None = None


@runtime_checkable
class Engine(Protocol):
    name: str
    model: str | None

    def extract(self, chunks: Sequence[Chunk], run: RunContext) -> list[Claim]:
        """Claims for these chunks; every quote must be ``source.text[start:end]``."""
        ...

    def reconcile(self, claims: Sequence[Claim], run: RunContext) -> list[Disagreement] | None:
        """Disagreements between sources, or None to use the deterministic reconciler."""
        ...

    def compose(
        self, points: Sequence[Point], disagreements: Sequence[Disagreement], run: RunContext
    ) -> Composed | None:
        """Bottom line and key points, or None to use the extractive composer."""
        ...


class DeterministicSteps:
    """Mixin for engines that only extract: reconcile and compose use the pipeline's defaults."""

    def reconcile(self, claims: Sequence[Claim], run: RunContext) -> list[Disagreement] | None:
        return None

    def compose(
        self, points: Sequence[Point], disagreements: Sequence[Disagreement], run: RunContext
    ) -> Composed | None:
        return None


def quoted_claim(
    chunk: Chunk,
    run: RunContext,
    *,
    claim_id: str,
    text: str,
    quote: str,
    score: float,
    origin: Literal["llm", "extractive", "fallback"] = "llm",
    subject: str | None = None,
    attribute: str | None = None,
    value: str | None = None,
) -> Claim | None:
    """A claim whose quote is found in ``chunk``, or None when it is not there.

    The quote is matched after normalising whitespace and quote marks, and
    the claim keeps the source's own characters at the span found, never the
    proposed wording, so ``claim.quote == source.text[start:end]`` always.
    """
    span = locate_quote(chunk.text, quote)
    if span is None:
        return None
    start, end = chunk.start + span[0], chunk.start + span[1]
    return Claim(
        id=claim_id,
        source_id=chunk.source_id,
        chunk_id=chunk.id,
        text=text,
        quote=run.sources[chunk.source_id].text[start:end],
        start=start,
        end=end,
        score=score,
        origin=origin,
        subject=subject,
        attribute=attribute,
        value=value,
    )
