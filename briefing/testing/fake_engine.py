"""Test doubles that ship with the package, for bots, examples and tests.

``FakeEngine`` answers from a script instead of a model: a mapping from chunk
id (or ``"*"`` for every chunk) to ``(claim text, quote)`` pairs. Quotes are
located in the chunk exactly like the LLM engine's validator does, so a quote
that is not in the chunk is rejected and counted, just as it would be live.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from briefing.engines.base import DeterministicSteps, RunContext, quoted_claim
from briefing.models import Chunk, Claim
from briefing.text import sentence_spans


class FakeEngine(DeterministicSteps):
    name = "fake"

    def __init__(
        self,
        script: Mapping[str, Sequence[tuple[str, str]]] | None = None,
        *,
        model: str | None = "fake-model",
    ) -> None:
        self.script = dict(script or {})
        self.model = model
        self.seen: list[str] = []

    def _pairs(self, chunk: Chunk) -> Sequence[tuple[str, str]]:
        if chunk.id in self.script:
            return self.script[chunk.id]
        if "*" in self.script:
            return self.script["*"]
        # Unscripted: the chunk's first sentence, verbatim.
        spans = sentence_spans(chunk.text)
        if not spans:
            return []
        s, e = spans[0]
        return [(chunk.text[s:e], chunk.text[s:e])]

    def extract(self, chunks: Sequence[Chunk], run: RunContext) -> list[Claim]:
        claims: list[Claim] = []
        for chunk in chunks:
            self.seen.append(chunk.id)
            for n, (text, quote) in enumerate(self._pairs(chunk)):
                claim = quoted_claim(
                    chunk,
                    run,
                    claim_id=f"{chunk.id}:c{n}",
                    text=text,
                    quote=quote,
                    score=1.0 / (1 + chunk.index + n),
                )
                if claim is None:
                    run.meta.claims_rejected += 1
                else:
                    claims.append(claim)
        return claims
