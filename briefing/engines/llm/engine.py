"""The LLM engine: claims, disagreements and the brief's wording from any OpenAI-compatible endpoint.

Every answer is validated against the text the model was shown (see
:mod:`briefing.engines.llm.schemas`) and re-asked when it cites something that is not
there; what still fails is dropped and counted, and a chunk the model cannot
handle at all is given to the extractive engine (``origin="fallback"``). The
model only ever *proposes* a quote: a claim's citation is always the source's
own text at ``start:end``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from briefing.engines.base import Composed, RunContext, quoted_claim
from briefing.engines.llm.calls import (
    CallOutcome,
    StructuredCaller,
    make_client,
    raw_output,
    resolve_mode,
    run_sync,
)
from briefing.engines.llm.prompts import load_prompt
from briefing.engines.llm.schemas import BriefSentence, ChunkClaims, ComposedBrief, Conflicts, ExtractedClaim
from briefing.errors import CostLimitError, LLMError
from briefing.models import Chunk, Citation, Claim, Disagreement, Point, Statement
from briefing.options import BriefOptions
from briefing.text import count_tokens, plural

__all__ = ["LLMEngine", "raw_output", "resolve_mode"]

# Caps on what one reconcile/compose prompt carries, best-scored first, so a
# large folder still fits a small local context window.
MAX_RECONCILE_CLAIMS = 150
MAX_COMPOSE_POINTS = 60


class _ClaimView(BaseModel):
    id: str
    source_id: str
    outlet: str
    text: str
    quote: str


class _PointView(BaseModel):
    id: str
    text: str
    sources: int
    claim_ids: list[str]


class LLMEngine:
    """Engine over an OpenAI-compatible chat endpoint, through instructor.

    ``client`` may be an ``openai.AsyncOpenAI`` or ``openai.OpenAI`` the
    caller owns (a bot shares its own; a sync client is used from worker
    threads). Without one, an ``AsyncOpenAI`` is built from
    ``options.base_url`` and ``api_key`` (or ``OPENAI_API_KEY``).
    """

    name = "llm"

    def __init__(self, options: BriefOptions, *, client: Any = None, api_key: str | None = None) -> None:
        import openai

        from briefing.engines.llm.retry import SharedBackoff

        if client is not None and not isinstance(client, openai.AsyncOpenAI | openai.OpenAI):
            raise TypeError(
                f"client must be openai.AsyncOpenAI or openai.OpenAI, not {type(client).__name__}"
            )
        self.options = options
        self.model: str | None = options.model
        self._owns_client = client is None
        self.client = client if client is not None else make_client(options, api_key)
        self.base_url = str(self.client.base_url).rstrip("/")
        self.mode = resolve_mode(options, self.base_url)
        self.backoff = SharedBackoff(max_retries=options.max_retries, max_seconds=options.retry_max_seconds)
        self._caller: StructuredCaller | None = None

    def close(self) -> None:
        """Close the client this engine made (an injected client belongs to its owner)."""
        if self._owns_client:
            self._owns_client = False
            close = self.client.close()
            if close is not None:  # AsyncOpenAI.close is a coroutine, OpenAI.close is not
                run_sync(close)

    @property
    def caller(self) -> StructuredCaller:
        if self._caller is None:
            cache = None
            if self.options.cache:
                from briefing.engines.llm.cache import ResponseCache, cache_path

                cache = ResponseCache(cache_path(self.options.cache_dir))
            self._caller = StructuredCaller(
                self.options,
                self.client,
                base_url=self.base_url,
                mode=self.mode,
                cache=cache,
                backoff=self.backoff,
            )
        return self._caller

    # -- cost guard ------------------------------------------------------------------

    def check_budget(self, chunks: Sequence[Chunk], run: RunContext) -> None:
        """Refuse before any call when the extraction estimate exceeds ``options.max_cost``."""
        if self.options.max_cost is None:
            return
        from briefing.engines.llm.usage import estimate_run

        prompt = load_prompt("extract_claims")
        overhead = sum(count_tokens(m["content"]) for m in prompt.render(title="", outlet="", chunk=""))
        estimate = estimate_run(
            chunks,
            model=self.options.model,
            prompt_overhead_tokens=overhead,
            prices=self.options.prices or None,
        )
        if estimate.cost_usd is not None and estimate.cost_usd > self.options.max_cost:
            raise CostLimitError(
                f"estimated cost ${estimate.cost_usd:.4f} for {plural(len(chunks), 'chunk')} "
                f"with {self.options.model} exceeds --max-cost ${self.options.max_cost:.4f}"
            )

    # -- extract -------------------------------------------------------------------------

    def extract(self, chunks: Sequence[Chunk], run: RunContext) -> list[Claim]:
        if not chunks:
            return []
        outcomes = run_sync(self._extract_all(list(chunks), run))
        claims: list[Claim] = []
        fallback: list[Chunk] = []
        for chunk, found in zip(chunks, outcomes, strict=True):
            if found is None:
                fallback.append(chunk)
            else:
                claims.extend(found)
        if fallback:
            from briefing.engines.extractive import ExtractiveEngine

            extractive = ExtractiveEngine()
            for chunk in fallback:
                claims.extend(
                    c.model_copy(update={"origin": "fallback"}) for c in extractive.extract([chunk], run)
                )
        self._finish(run)
        return claims

    async def _extract_all(self, chunks: list[Chunk], run: RunContext) -> list[list[Claim] | None]:
        semaphore = asyncio.Semaphore(self.options.concurrency)
        done = 0

        async def one(chunk: Chunk) -> list[Claim] | None:
            nonlocal done
            async with semaphore:
                found = await self._extract_chunk(chunk, run)
            done += 1
            run.emit("chunk", chunk.id, done, len(chunks))
            return found

        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(one(chunk)) for chunk in chunks]
        except BaseExceptionGroup as group_error:
            # One bad key or model name fails every chunk the same way: stop at the first.
            fatal = next((e for e in group_error.exceptions if isinstance(e, LLMError)), None)
            if fatal is not None:
                raise fatal from None
            raise
        return [task.result() for task in tasks]

    async def _extract_chunk(self, chunk: Chunk, run: RunContext) -> list[Claim] | None:
        """Claims of one chunk, or None when it must fall back to the extractive engine."""
        source = run.sources[chunk.source_id]
        variables = {
            "title": source.title or "untitled",
            "outlet": source.outlet or "unknown outlet",
            "chunk": chunk.text,
        }
        outcome: CallOutcome[ChunkClaims] = await self.caller.call(
            run, load_prompt("extract_claims"), variables, ChunkClaims
        )
        if outcome.value is not None:
            claims, dropped = self._to_claims(chunk, outcome.value.claims, run)
            run.meta.claims_rejected += dropped  # only possible if a cached entry predates a fix
            if claims or outcome.attempts <= 1:
                return claims
            # Told its quotes were invented, a weak model may answer with no
            # claims at all: that is giving up, not a chunk without facts.
            outcome.reason, outcome.detail = "empty after re-ask", f"{outcome.attempts} attempts"
        if outcome.reason == "invalid output" and outcome.raw is not None:
            salvaged = self._salvage(chunk, outcome, run)
            if salvaged is not None:
                return salvaged
        run.fallback(outcome.reason or "error")
        run.warn(f"{chunk.id}: {outcome.reason}; used the extractive engine ({outcome.detail})")
        return None

    def _salvage(
        self, chunk: Chunk, outcome: CallOutcome[ChunkClaims], run: RunContext
    ) -> list[Claim] | None:
        """Re-asks ran out: keep the claims whose quotes verify, drop and count the rest."""
        try:
            parsed = ChunkClaims.model_validate_json(
                outcome.raw or "", strict=False
            )  # no context: no quote check
        except ValidationError:
            return None
        claims, dropped = self._to_claims(chunk, parsed.claims, run)
        if not claims and parsed.claims:
            return None  # nothing verifiable left: the extractive engine does better than nothing
        run.meta.claims_rejected += dropped
        run.warn(
            f"{chunk.id}: dropped {dropped} claim(s) whose quote is not in the text after "
            f"{outcome.attempts} attempt(s) ({outcome.detail})"
        )
        return claims

    @staticmethod
    def _to_claims(
        chunk: Chunk, extracted: Sequence[ExtractedClaim], run: RunContext
    ) -> tuple[list[Claim], int]:
        claims: list[Claim] = []
        dropped = 0
        for i, item in enumerate(extracted):
            claim = quoted_claim(
                chunk,
                run,
                claim_id=f"{chunk.id}:c{i}",
                text=item.text.strip(),
                quote=item.quote,
                score=float(item.importance),
                subject=item.subject.strip() or None,
                attribute=item.attribute.strip() or None,
                value=item.value.strip() or None,
            )
            if claim is None:
                dropped += 1
            else:
                claims.append(claim)
        return claims, dropped

    # -- reconcile -------------------------------------------------------------------------

    def reconcile(self, claims: Sequence[Claim], run: RunContext) -> list[Disagreement] | None:
        if len({c.source_id for c in claims}) < 2:
            return []
        chosen = sorted(claims, key=lambda c: -c.score)[:MAX_RECONCILE_CLAIMS]
        chosen.sort(key=lambda c: (c.source_id, c.start))
        by_id = {c.id: c for c in chosen}
        views = [
            _ClaimView(
                id=c.id,
                source_id=c.source_id,
                outlet=run.sources[c.source_id].outlet or "unknown outlet",
                text=c.text,
                quote=c.quote,
            )
            for c in chosen
        ]
        outcome: CallOutcome[Conflicts] = run_sync(
            self.caller.call(
                run,
                load_prompt("reconcile"),
                {"claims": views},
                Conflicts,
                checks={"claim_sources": {c.id: c.source_id for c in chosen}},
            )
        )
        self._finish(run)
        if outcome.value is None:
            run.warn(f"reconcile: {outcome.reason}; used the deterministic reconciler ({outcome.detail})")
            return None
        out: list[Disagreement] = []
        for conflict in outcome.value.conflicts:
            positions = [
                Statement(
                    text=p.text.strip(),
                    citations=_citations(by_id[cid] for cid in p.claim_ids),
                    independent_sources=len({by_id[cid].source_id for cid in p.claim_ids}),
                )
                for p in conflict.positions
            ]
            out.append(Disagreement(topic=conflict.topic.strip(), positions=positions))
        return out

    # -- compose ----------------------------------------------------------------------------

    def compose(
        self, points: Sequence[Point], disagreements: Sequence[Disagreement], run: RunContext
    ) -> Composed | None:
        if not points:
            return None
        chosen = sorted(points, key=lambda p: -p.score)[:MAX_COMPOSE_POINTS]
        claim_point = {c.id: p for p in chosen for c in p.claims}
        views = [
            _PointView(
                id=p.id, text=p.text, sources=p.independent_sources, claim_ids=[c.id for c in p.claims]
            )
            for p in chosen
        ]
        outcome: CallOutcome[ComposedBrief] = run_sync(
            self.caller.call(
                run,
                load_prompt("compose"),
                {"points": views, "disagreements": list(disagreements), "max_words": self.options.max_words},
                ComposedBrief,
                checks={"claim_ids": set(claim_point)},
            )
        )
        self._finish(run)
        if outcome.value is None:
            run.warn(f"compose: {outcome.reason}; used the extractive composer ({outcome.detail})")
            return None
        brief = outcome.value

        def statement(sentence: BriefSentence) -> Statement:
            cited = [claim_point[cid] for cid in sentence.claim_ids]
            claims = [c for cid in sentence.claim_ids for c in claim_point[cid].claims if c.id == cid]
            return Statement(
                text=sentence.text.strip(),
                citations=_citations(claims),
                independent_sources=max(p.independent_sources for p in cited),
            )

        return Composed(
            bottom_line=[statement(s) for s in brief.bottom_line],
            key_points=[statement(s) for s in brief.key_points],
            title=brief.title.strip() or None,
        )

    # -- bookkeeping ---------------------------------------------------------------------------

    def _finish(self, run: RunContext) -> None:
        from briefing.engines.llm.usage import apply_cost

        apply_cost(run.meta.usage, self.options.model, self.options.prices or None)


def _citations(claims: Any) -> list[Citation]:
    seen: dict[tuple[str, int, int], Citation] = {}
    for claim in claims:
        citation = claim.citation()
        seen.setdefault((citation.source, citation.start, citation.end), citation)
    return list(seen.values())
