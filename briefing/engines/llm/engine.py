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
import json
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
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
from briefing.engines.llm.endpoint import LOCAL_MAX_TOKENS, Endpoint, local_deadline, probe_endpoint
from briefing.engines.llm.prompts import Prompt, load_prompt
from briefing.engines.llm.schemas import BriefSentence, ChunkClaims, ComposedBrief, Conflicts, ExtractedClaim
from briefing.errors import CostLimitError, LLMError
from briefing.models import Chunk, Citation, Claim, Disagreement, Point, Statement
from briefing.options import BriefOptions
from briefing.text import count_tokens, count_words, cut_at_bound, plural, sentence_spans, tidy_model_text
from briefing.verify import claim_problem, sentence_problem, statement_problem

__all__ = ["LLMEngine", "raw_output", "resolve_mode"]

# Caps on what one reconcile/compose prompt carries, best-scored first, so a
# large folder still fits a small local context window.
MAX_RECONCILE_CLAIMS = 150
MAX_COMPOSE_POINTS = 60
# Tokens kept free in a context window beyond the answer: chat-template
# markup and the estimate's error (briefing.text.count_tokens is within ~10%).
CONTEXT_MARGIN = 0.15
# Answer tokens assumed per call when the server sets no cap (for --max-cost).
ANSWER_TOKENS = {"ChunkClaims": 900, "Conflicts": 600, "ComposedBrief": 900}
# Per-line tokens of a claim or point in reconcile/compose prompts, beyond its text.
_LINE_OVERHEAD = 12


# What a chunk's extraction returns when the server refused its prompt as too long for a context
# the server named: asked again once the prompts are sized to it.
_TOO_LONG: list[Claim] = []


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
    waits_on_server = True

    def __init__(self, options: BriefOptions, *, client: Any = None, api_key: str | None = None) -> None:
        import openai

        from briefing.engines.llm.retry import SharedBackoff

        if client is not None and not isinstance(client, openai.AsyncOpenAI | openai.OpenAI):
            raise TypeError(
                f"client must be openai.AsyncOpenAI or openai.OpenAI, not {type(client).__name__}"
            )
        self.model: str | None = options.model
        self._owns_client = client is None
        base_url = (
            str(client.base_url)
            if client is not None
            else options.base_url or os.environ.get("OPENAI_BASE_URL") or None
        )
        self.endpoint: Endpoint = probe_endpoint(base_url, options)
        # A local server's grammar ends every string at this many characters: a claim text that long
        # with no final mark was cut there ("...ahead of Tarnow's"), whatever full stop tidying adds.
        self._string_cap: int | None = None
        if self.endpoint.local:
            from briefing.engines.local.server import MAX_STRING_CHARS

            self._string_cap = MAX_STRING_CHARS
        if client is None and self.endpoint.local:
            from briefing.engines.local.server import capped_client

            # A local server generates until its context is full unless told
            # otherwise; the capped client bounds the answer and its grammar.
            client = capped_client(
                str(base_url), max_tokens=self._local_answer_tokens(), timeout=options.timeout, max_items=5
            )
        self.client = client if client is not None else make_client(options, api_key)
        self.base_url = str(self.client.base_url).rstrip("/")
        if self.endpoint.local and options.mode == "auto":
            # llama.cpp builds its grammar from the forced tool; json_schema answers HTTP 500.
            options = options.model_copy(update={"mode": "tools"})
        concurrency = self.endpoint.concurrency(options.concurrency)
        self.options = options.model_copy(update={"concurrency": concurrency})
        self.mode = resolve_mode(self.options, self.base_url)
        self.backoff = SharedBackoff(max_retries=options.max_retries, max_seconds=options.retry_max_seconds)
        self._caller: StructuredCaller | None = None
        self._noted = False
        # The pipeline asks for several stories' reconcile and compose at once, from its threads:
        # what they share here (the caller, the run's counters and cost) changes under this lock.
        self._tally = threading.RLock()

    def close(self) -> None:
        """Close the client this engine made (an injected client belongs to its owner)."""
        if self._caller is not None:
            caller, self._caller = self._caller, None
            run_sync(caller.aclose())
        if self._owns_client:
            self._owns_client = False
            close = self.client.close()
            if close is not None:  # AsyncOpenAI.close is a coroutine, OpenAI.close is not
                run_sync(close)

    # -- sizing to the server ---------------------------------------------------------------

    def _note_endpoint(self, run: RunContext) -> None:
        with self._tally:
            if self._noted:
                return
            self._noted = True
        if self.endpoint.local:
            run.emit("stage", f"{self.endpoint.describe()}; concurrency {self.options.concurrency}")
        if self.endpoint.kind == "busy":
            run.warn(f"{self.endpoint.describe()} (use --local to say so, or --concurrency to override)")
        if self.endpoint.slots and self.options.concurrency < run.options.concurrency:
            run.warn(
                f"the server answers {self.endpoint.slots} request(s) at a time; "
                f"concurrency set to {self.options.concurrency} (asked {run.options.concurrency})"
            )

    def _local_answer_tokens(self) -> int:
        # A quarter of a small context at most, so a prompt still fits beside the answer.
        context = self.endpoint.context
        return min(LOCAL_MAX_TOKENS, context // 4) if context else LOCAL_MAX_TOKENS

    def _answer_tokens(self, model: type[BaseModel]) -> int:
        if self.endpoint.local:
            return self._local_answer_tokens()
        return ANSWER_TOKENS.get(model.__name__, 900)

    def _prompt_budget(self, model: type[BaseModel]) -> int | None:
        """Tokens a prompt's messages may take with this server, or None when unbounded."""
        context = self.endpoint.context
        if context is None:
            return None
        schema = count_tokens(json.dumps(model.model_json_schema()))
        return int(context * (1 - CONTEXT_MARGIN)) - self._answer_tokens(model) - schema

    def _deadline(self, messages_tokens: int) -> float | None:
        if not self.endpoint.local:
            return None
        return local_deadline(messages_tokens, self._local_answer_tokens(), self.options.timeout)

    def _call_deadline(self, messages: Sequence[Mapping[str, str]]) -> float | None:
        """A local server's deadline for these rendered messages; None (the options' timeout) elsewhere.

        The caller passes the messages it rendered for the call: no prompt is rendered twice.
        """
        if not self.endpoint.local:
            return None
        return self._deadline(sum(count_tokens(m["content"]) for m in messages))

    @staticmethod
    def _fixed_tokens(prompt: Prompt, **empty: object) -> int:
        return sum(count_tokens(m["content"]) for m in prompt.render(**empty))

    @property
    def caller(self) -> StructuredCaller:
        if self._caller is not None:
            return self._caller
        with self._tally:
            return self._make_caller()

    def _make_caller(self) -> StructuredCaller:
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
                deadline=self._deadline(self.endpoint.context or 0) if self.endpoint.local else None,
            )
            self._caller.slots = self.endpoint.slots
        return self._caller

    def _learn_context(self, run: RunContext) -> bool:
        """Size prompts (and a local answer) to the context the server named when it refused one.

        llama-cpp-python's server reports no context size (and its default is 2,048 tokens, under
        the 4,096 assumed): its refusal ("maximum context length is 2048 tokens") is the first
        word of it. True when the context is now smaller than assumed.
        """
        learned = self.caller.context_limit
        with self._tally:
            if learned is None or (self.endpoint.context is not None and learned >= self.endpoint.context):
                return False
            was = self.endpoint.context
            self.endpoint = replace(self.endpoint, context=learned)
            if self.endpoint.local:
                self.caller.max_tokens = self._local_answer_tokens()
        assumed = f"not {was} as assumed" if was else "it refused a longer prompt"
        run.warn(
            f"the server's context is {learned} tokens ({assumed}); prompts now sized to it "
            f"(--context-tokens {learned} does so from the start)"
        )
        return True

    # -- cost guard ------------------------------------------------------------------

    def check_budget(self, chunks: Sequence[Chunk], run: RunContext) -> None:
        """Refuse before any call when the worst-case estimate exceeds ``options.max_cost``.

        Every token that may be sent is counted: each extraction prompt as it
        will be rendered (title, outlet and text included), the response schema
        sent with it, and the worst case of re-asks (each re-ask resends the
        conversation plus the previous answer); then reconcile and compose
        prompts holding the claims the extraction may return.
        """
        if self.options.max_cost is None:
            return
        from briefing.engines.llm.usage import estimate_cost

        attempts = self.options.max_reasks + 1
        prompt_tokens = 0
        completion_tokens = 0

        def add(messages_tokens: int, model: type[BaseModel]) -> None:
            nonlocal prompt_tokens, completion_tokens
            sent = messages_tokens + count_tokens(json.dumps(model.model_json_schema()))
            answer = self._answer_tokens(model)
            # Attempt k resends the prompt plus k earlier answers and their error messages.
            prompt_tokens += sum(sent + k * 2 * answer for k in range(attempts))
            completion_tokens += attempts * answer

        extract = load_prompt("extract_claims")
        for chunk in chunks:
            source = run.sources[chunk.source_id]
            messages = extract.render(**self._extract_variables(chunk, source))
            add(sum(count_tokens(m["content"]) for m in messages), ChunkClaims)
        claims = min(MAX_RECONCILE_CLAIMS, 12 * len(chunks))
        claim_tokens = sum(min(c.tokens or count_tokens(c.text), 200) for c in chunks) // max(1, len(chunks))
        per_line = _LINE_OVERHEAD + 2 * min(claim_tokens, 120)
        add(self._fixed_tokens(load_prompt("reconcile"), claims=[]) + claims * per_line, Conflicts)
        points = min(MAX_COMPOSE_POINTS, claims)
        add(
            self._fixed_tokens(load_prompt("compose"), points=[], disagreements=[], max_words=0)
            + points * per_line,
            ComposedBrief,
        )
        cost = estimate_cost(
            self.options.model, prompt_tokens, completion_tokens, self.options.prices or None
        )
        if cost is not None and cost > self.options.max_cost:
            raise CostLimitError(
                f"estimated cost up to ${cost:.4f} ({prompt_tokens:,} prompt + "
                f"{completion_tokens:,} completion tokens, {plural(len(chunks), 'chunk')}, up to {attempts} "
                f"attempts per call) with {self.options.model} "
                f"exceeds --max-cost ${self.options.max_cost:.4f}"
            )

    # -- extract -------------------------------------------------------------------------

    @staticmethod
    def _extract_variables(chunk: Chunk, source: Any) -> dict[str, object]:
        return {
            "title": source.title or "untitled",
            "outlet": source.outlet or "unknown outlet",
            "chunk": chunk.text,
        }

    def _fit(self, chunks: Sequence[Chunk], run: RunContext) -> list[Chunk]:
        """Chunks split so each extraction prompt fits the server's context."""
        budget = self._prompt_budget(ChunkClaims)
        if budget is None:
            return list(chunks)
        from briefing.chunking import chunk_source
        from briefing.models import Source

        prompt = load_prompt("extract_claims")
        out: list[Chunk] = []
        for chunk in chunks:
            source = run.sources[chunk.source_id]
            fixed = self._fixed_tokens(prompt, **{**self._extract_variables(chunk, source), "chunk": ""})
            room = budget - fixed
            tokens = chunk.tokens or count_tokens(chunk.text)
            if tokens <= room:
                out.append(chunk)
                continue
            if room < 64:
                raise LLMError(
                    f"the model's context ({self.endpoint.context} tokens) cannot hold an extraction prompt "
                    f"for {source.path}; start the server with a larger context or set --context-tokens"
                )
            piece = Source(id=chunk.source_id, path=source.path, text=chunk.text)
            for k, sub in enumerate(chunk_source(piece, room)):
                out.append(
                    sub.model_copy(
                        update={
                            "id": f"{chunk.id}.{k}",
                            "start": chunk.start + sub.start,
                            "end": chunk.start + sub.end,
                        }
                    )
                )
            run.emit("stage", f"{chunk.id}: split to fit a {self.endpoint.context}-token context")
        return out

    def extract(self, chunks: Sequence[Chunk], run: RunContext) -> list[Claim]:
        if not chunks:
            return []
        self._note_endpoint(run)
        chunks = self._fit(chunks, run)
        outcomes = run_sync(self._extract_all(list(chunks), run, final=False))
        refused = [c for c, found in zip(chunks, outcomes, strict=True) if found is _TOO_LONG]
        if refused:
            # The server named its context when it refused them: sized to it, they are asked again.
            self._learn_context(run)
            answered = [(c, o) for c, o in zip(chunks, outcomes, strict=True) if o is not _TOO_LONG]
            again = self._fit(refused, run)
            chunks = [c for c, _ in answered] + again
            outcomes = [o for _, o in answered] + run_sync(self._extract_all(again, run, final=True))
        claims: list[Claim] = []
        fallback: list[Chunk] = []
        for chunk, found in zip(chunks, outcomes, strict=True):
            if found is None or found is _TOO_LONG:
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

    async def _extract_all(
        self, chunks: list[Chunk], run: RunContext, *, final: bool
    ) -> list[list[Claim] | None]:
        # Not the bound on requests in flight (the transport's is): it keeps chunks from being
        # prepared all at once, ahead of the first requests. One round is prepared ahead, so a
        # slot freed by an answer takes the next request at once, while that answer is validated.
        ready = asyncio.Semaphore(2 * self.options.concurrency)
        done = 0

        async def one(chunk: Chunk) -> list[Claim] | None:
            nonlocal done
            async with ready:
                found = await self._extract_chunk(chunk, run, final=final)
            if found is not _TOO_LONG:
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

    async def _extract_chunk(
        self, chunk: Chunk, run: RunContext, *, final: bool = True
    ) -> list[Claim] | None:
        """Claims of one chunk, or None when it must fall back to the extractive engine
        (:data:`_TOO_LONG`, unless ``final``, when the server refused its prompt as too long for
        a context it named: asked again once prompts are sized to it)."""
        source = run.sources[chunk.source_id]
        variables = self._extract_variables(chunk, source)
        prompt = load_prompt("extract_claims")
        outcome: CallOutcome[ChunkClaims] = await self.caller.call(
            run,
            prompt,
            variables,
            ChunkClaims,
            checks={"gate": (chunk, source)},
            deadline=self._call_deadline,
        )
        if outcome.value is not None:
            claims, dropped = self._to_claims(chunk, outcome.value.claims, run)
            run.meta.claims_rejected += dropped  # only possible if a cached entry predates a fix
            if claims or outcome.attempts <= 1:
                return claims
            # Told its quotes were invented, a weak model may answer with no
            # claims at all: that is giving up, not a chunk without facts.
            outcome.reason, outcome.detail = "empty after re-ask", f"{outcome.attempts} attempts"
        if not final and outcome.reason == "prompt too long" and self.caller.context_limit is not None:
            return _TOO_LONG
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
        claims, dropped = self._to_claims(chunk, parsed.claims, run, gate=True)
        if not claims and parsed.claims:
            return None  # nothing verifiable left: the extractive engine does better than nothing
        run.meta.claims_rejected += dropped
        run.warn(
            f"{chunk.id}: dropped {dropped} claim(s) whose quote is not in the text after "
            f"{outcome.attempts} attempt(s) ({outcome.detail})"
        )
        return claims

    def _to_claims(
        self, chunk: Chunk, extracted: Sequence[ExtractedClaim], run: RunContext, *, gate: bool = False
    ) -> tuple[list[Claim], int]:
        """Claims at their spans; ``gate`` also applies the verification gate (to an answer the
        validator has not seen: a salvage). The pipeline applies it to every claim in any case.
        A claim text cut at the local grammar's string bound is dropped and counted."""
        claims: list[Claim] = []
        dropped = 0
        for i, item in enumerate(extracted):
            if self._string_cap is not None and cut_at_bound(item.text, self._string_cap):
                dropped += 1
                continue
            claim = quoted_claim(
                chunk,
                run,
                claim_id=f"{chunk.id}:c{i}",
                text=tidy_model_text(item.text),
                quote=item.quote,
                score=float(item.importance),
                subject=item.subject.strip() or None,
                attribute=item.attribute.strip() or None,
                value=item.value.strip() or None,
            )
            if claim is None or (gate and claim_problem(claim, run.sources.get(claim.source_id)) is not None):
                dropped += 1
            else:
                claims.append(claim)
        return claims, dropped

    # -- reconcile -------------------------------------------------------------------------

    def _batches(self, views: list[_ClaimView], prompt: Prompt) -> list[list[_ClaimView]]:
        """Claims in batches whose prompts fit the context, like subjects together."""
        budget = self._prompt_budget(Conflicts)
        if budget is None:
            return [views]
        room = max(budget - self._fixed_tokens(prompt, claims=[]), 200)
        ordered = sorted(views, key=lambda v: (v.text.split()[:3], v.source_id))
        batches: list[list[_ClaimView]] = [[]]
        used = 0
        for view in ordered:
            cost = (
                _LINE_OVERHEAD
                + count_tokens(view.text)
                + count_tokens(view.quote)
                + count_tokens(view.outlet)
            )
            if batches[-1] and used + cost > room:
                batches.append([])
                used = 0
            batches[-1].append(view)
            used += cost
        return [b for b in batches if len({v.source_id for v in b}) >= 2]

    def reconcile(self, claims: Sequence[Claim], run: RunContext) -> list[Disagreement] | None:
        if len({c.source_id for c in claims}) < 2:
            return []
        self._note_endpoint(run)
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
        prompt = load_prompt("reconcile")
        batches = self._batches(views, prompt)
        out: list[Disagreement] = []
        failed = 0

        def ask(batch: list[_ClaimView]) -> CallOutcome[Conflicts]:
            return run_sync(
                self.caller.call(
                    run,
                    prompt,
                    {"claims": batch},
                    Conflicts,
                    checks={"claim_sources": {v.id: v.source_id for v in batch}},
                    deadline=self._call_deadline,
                )
            )

        asked = [(batch, ask(batch)) for batch in batches]
        if any(o.reason == "prompt too long" for _, o in asked) and self._learn_context(run):
            # Refused as too long for the context the server named: sized to it, asked again.
            refused = [v for batch, o in asked if o.reason == "prompt too long" for v in batch]
            asked = [(b, o) for b, o in asked if o.reason != "prompt too long"]
            again = self._batches(refused, prompt)
            asked += [(batch, ask(batch)) for batch in again]
        for _, outcome in asked:
            if outcome.value is None:
                failed += 1
                run.warn(
                    f"reconcile: {outcome.reason}; the deterministic reconciler stands ({outcome.detail})"
                )
                continue
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
        with self._tally:
            self._finish(run)
        if asked and failed == len(asked):
            return None
        return out

    # -- compose ----------------------------------------------------------------------------

    def _fit_points(self, points: Sequence[Point], disagreements: Sequence[Disagreement]) -> list[Point]:
        chosen = sorted(points, key=lambda p: -p.score)[:MAX_COMPOSE_POINTS]
        budget = self._prompt_budget(ComposedBrief)
        if budget is None:
            return chosen
        used = self._fixed_tokens(
            load_prompt("compose"),
            points=[],
            disagreements=list(disagreements),
            max_words=self.options.max_words,
        )
        fitted: list[Point] = []
        for point in chosen:
            cost = _LINE_OVERHEAD + count_tokens(point.text) + 4 * len(point.claims)
            if used + cost > budget:
                break
            fitted.append(point)
            used += cost
        return fitted

    def compose(
        self, points: Sequence[Point], disagreements: Sequence[Disagreement], run: RunContext
    ) -> Composed | None:
        if not points:
            return None
        self._note_endpoint(run)
        chosen = self._fit_points(points, disagreements)
        if not chosen:
            return None
        claim_point = {c.id: p for p in chosen for c in p.claims}
        claims_by_id = {c.id: c for p in chosen for c in p.claims}
        views = [
            _PointView(
                id=p.id, text=p.text, sources=p.independent_sources, claim_ids=[c.id for c in p.claims]
            )
            for p in chosen
        ]
        support = {cid: f"{c.text}\n{c.quote}" for cid, c in claims_by_id.items()}
        found: list[list[str]] = []
        prompt = load_prompt("compose")
        variables = {
            "points": views,
            "disagreements": list(disagreements),
            "max_words": self.options.max_words,
        }
        outcome: CallOutcome[ComposedBrief] = run_sync(
            self.caller.call(
                run,
                prompt,
                variables,
                ComposedBrief,
                checks={"claim_ids": set(claim_point), "claim_support": support, "unsupported_log": found},
                deadline=self._call_deadline,
                # An unsupported sentence is re-asked once, with the reason; then replaced.
                max_reasks=min(1, self.options.max_reasks),
            )
        )
        if outcome.reason == "prompt too long" and self._learn_context(run):
            return self.compose(points, disagreements, run)  # the points refitted to the named context
        with self._tally:
            self._finish(run)
            # Counted on the first answer: the sentences the check caught and re-asked.
            first = found[0] if found else []
            run.meta.sentences_unsupported += len(first)
            for line in first[:3]:
                run.warn(f"compose: unsupported sentence re-asked: {line}")
            brief = outcome.value
            if brief is None and outcome.raw is not None:
                brief = self._salvage_brief(outcome.raw, claim_point, support, run)
        if brief is None:
            run.warn(f"compose: {outcome.reason}; used the extractive composer ({outcome.detail})")
            return None

        def statement(sentence: BriefSentence) -> Statement:
            cited = [claim_point[cid] for cid in sentence.claim_ids]
            claims = [claims_by_id[cid] for cid in sentence.claim_ids]
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

    @staticmethod
    def _salvage_brief(
        raw: str, claim_point: dict[str, Point], support: dict[str, str], run: RunContext
    ) -> ComposedBrief | None:
        """Re-asks ran out: keep supported sentences, replace the others by a cited claim's own text."""
        try:
            parsed = ComposedBrief.model_validate_json(raw, strict=False)  # no context: checks below
        except ValidationError:
            return None

        def fixed(sentences: list[BriefSentence]) -> list[BriefSentence]:
            out: list[BriefSentence] = []
            for sentence in sentences:
                ids = [cid for cid in sentence.claim_ids if cid in claim_point]
                if not ids:
                    continue  # cites nothing we know: nothing to stand on
                if sentence_problem(sentence.text, [support[c] for c in ids]) is None:
                    out.append(sentence.model_copy(update={"claim_ids": ids}))
                    continue
                first = ids[0]
                claim = next(c for c in claim_point[first].claims if c.id == first)
                run.meta.sentences_replaced += 1
                run.warn(f"compose: replaced {sentence.text[:80]!r} by the cited claim's text")
                out.append(BriefSentence(text=_own_text(claim, run), claim_ids=[first]))
            return out

        bottom, key = fixed(parsed.bottom_line), fixed(parsed.key_points)
        if not bottom and key:
            bottom, key = key[:1], key[1:]
        if not bottom:
            return None
        return ComposedBrief(title=parsed.title or "Brief", bottom_line=bottom, key_points=key)

    # -- bookkeeping ---------------------------------------------------------------------------

    def _finish(self, run: RunContext) -> None:
        from briefing.engines.llm.usage import apply_cost

        apply_cost(run.meta.usage, self.options.model, self.options.prices or None)


_OWN_TEXT_MAX_WORDS = 60  # the source's sentence stands in for the claim's text up to this length


def _own_text(claim: Claim, run: RunContext) -> str:
    """What stands in for a sentence its claims do not support: the source's own sentence.

    The claim's text is the model's wording: its quote passed the check, but the text can still
    open mid-sentence or carry the answer's JSON ('...is monumental.","cli'). The sentence of the
    source that holds the quote is verbatim; the claim's text is kept only when none fits.
    """
    source = run.sources.get(claim.source_id)
    if source is None:
        return claim.text
    spans = [(s, e) for s, e in sentence_spans(source.text) if s < claim.end and e > claim.start]
    if not spans:
        return claim.text
    sentence = " ".join(source.text[spans[0][0] : spans[-1][1]].split())
    if count_words(sentence) > _OWN_TEXT_MAX_WORDS or statement_problem(sentence) is not None:
        return claim.text
    return sentence


def _citations(claims: Any) -> list[Citation]:
    seen: dict[tuple[str, int, int], Citation] = {}
    for claim in claims:
        citation = claim.citation()
        seen.setdefault((citation.source, citation.start, citation.end), citation)
    return list(seen.values())
