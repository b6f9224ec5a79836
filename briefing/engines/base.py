"""The seam every engine plugs into.

An engine turns chunks into claims and may also reconcile and compose. The
pipeline supplies the deterministic defaults: an engine that returns ``None``
from :meth:`Engine.reconcile` or :meth:`Engine.compose` gets the extractive
behaviour for that step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

__all__ = ["Composed", "DeterministicSteps", "Engine", "Event", "RunContext", "quoted_claim"]

from briefing.models import Chunk, Claim, Disagreement, Point
from briefing.run import Composed, Event, RunContext
from briefing.text import locate_quote


@runtime_checkable
class Engine(Protocol):
    name: str
    model: str | None
    # True when ``extract`` mostly waits on a model server: the pipeline then does its own CPU
    # work (story grouping) meanwhile. An engine that computes in this process would only share
    # the interpreter with it (measured: 1,000 articles offline took 1 s longer).
    waits_on_server: bool

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

    def check_budget(self, chunks: Sequence[Chunk], run: RunContext) -> None:
        """Refuse before any call is made (e.g. ``--max-cost``); raise to stop the run."""
        ...

    def close(self) -> None:
        """Release what the engine holds (pooled connections, a local server); idempotent."""
        ...


class DeterministicSteps:
    """Mixin for engines that only extract: reconcile and compose use the pipeline's defaults."""

    waits_on_server = False

    def check_budget(self, chunks: Sequence[Chunk], run: RunContext) -> None:
        return None

    def close(self) -> None:
        return None

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
