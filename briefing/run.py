"""Run state shared by the stages: options, sources, meta and progress events.

It lives in a neutral module so that compose, engines and the pipeline can all
use it without depending on each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from briefing.models import Chunk, Meta, Source, Statement
from briefing.options import BriefOptions


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
