"""``make --batch``: the extraction calls through the OpenAI Batch API, at the batch price.

The LLM engine's extraction step is replaced; reconciling and composing stay
ordinary calls (they are one or two requests). The flow:

1. one ``/v1/chat/completions`` request per chunk, built exactly as the
   engine would send it (the ``extract_claims`` prompt, instructor's request
   shape for the engine's mode), written as JSONL with ``custom_id`` naming
   the chunk and a hash of its text; chunks already in the response cache
   are not sent;
2. the file is uploaded to ``/v1/files`` (purpose ``batch``) and a job is
   created at ``/v1/batches``; its state is saved under
   ``<cache>/batches/<id>.json`` so ``briefing batch collect ID`` can finish
   it from another process (``--no-wait`` stops here);
3. the job is polled, with progress, until it ends; each answer is mapped
   back by ``custom_id`` and validated like an ordinary answer (every quote
   must be in the chunk). There are no re-asks in a batch: an answer that
   does not validate keeps its verifiable claims, else the chunk goes to the
   extractive engine, as does every chunk of an expired job that got no
   answer. A failed or cancelled job is an error (exit 3) naming its reason.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from briefing.atomic import write_atomic
from briefing.engines.base import RunContext
from briefing.engines.llm.calls import instructor_mode, raw_output
from briefing.engines.llm.engine import LLMEngine
from briefing.engines.llm.prompts import load_prompt
from briefing.engines.llm.schemas import ChunkClaims
from briefing.engines.llm.usage import estimate_batch_cost, estimate_cost
from briefing.errors import EXIT_INTERRUPTED, EXIT_OK, BriefingError, CostLimitError, InputError, LLMError
from briefing.models import Chunk, Claim
from briefing.options import BriefOptions

FINAL = ("completed", "failed", "expired", "cancelled")
# The Batch API's documented limits for one input file.
MAX_REQUESTS = 50_000
MAX_FILE_BYTES = 200 * 1024 * 1024
POLL_SECONDS = 15.0


class BatchPending(BriefingError):
    """``--no-wait``: the job is submitted; not an error (exit 0)."""

    exit_code = EXIT_OK

    def __init__(self, batch_id: str) -> None:
        super().__init__(f"batch {batch_id} submitted; finish it with: briefing batch collect {batch_id}")
        self.batch_id = batch_id


class BatchInterrupted(BriefingError):
    """Ctrl-C while waiting: the job keeps running and can be collected."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self, batch_id: str) -> None:
        super().__init__(
            f"interrupted; batch {batch_id} keeps running: finish it with: briefing batch collect {batch_id}"
        )


class BatchJobSpec(BaseModel):
    """What a batch job needs to be finished later: saved as ``<cache>/batches/<id>.json``."""

    model_config = ConfigDict(extra="forbid")

    sources: str
    output: str | None = None
    format: str = "md"
    paper: str = "a4"
    since: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    batch_id: str | None = None
    input_file_id: str | None = None
    requests: int = 0
    created_at: str = ""
    status: str = "new"

    def brief_options(self) -> BriefOptions:
        return BriefOptions.model_validate(self.options)


def state_dir(options: BriefOptions) -> Path:
    if options.cache_dir is not None:
        return options.cache_dir / "batches"
    import platformdirs

    return platformdirs.user_cache_path("briefing") / "batches"


def load_job(cache_root: Path, batch_id: str) -> BatchJobSpec:
    """The saved state of job ``batch_id`` (``cache_root`` is the cache folder)."""
    if not batch_id.replace("_", "").replace("-", "").isalnum():
        raise InputError(f"not a batch id: {batch_id!r}")
    path = cache_root / "batches" / f"{batch_id}.json"
    try:
        return BatchJobSpec.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"no batch job {batch_id} in {path.parent} (submitted from another cache?)"
        ) from None
    except (OSError, ValidationError) as exc:
        raise InputError(f"cannot read batch state {path}: {' '.join(str(exc).split())[:160]}") from None


def custom_id(chunk: Chunk) -> str:
    """The chunk id plus a hash of its text, so a changed source is never mapped to an old answer."""
    return f"{chunk.id}~{hashlib.sha256(chunk.text.encode()).hexdigest()[:12]}"


class BatchEngine(LLMEngine):
    """The LLM engine with extraction through the Batch API (see the module docstring)."""

    name = "llm-batch"

    def __init__(
        self,
        options: BriefOptions,
        *,
        client: Any = None,
        api_key: str | None = None,
        wait: bool = True,
        job: BatchJobSpec | None = None,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        super().__init__(options, client=client, api_key=api_key)
        self.wait = wait
        self.job = job or BatchJobSpec(sources="")
        self.poll_seconds = poll_seconds
        self._api_key = api_key
        self._batch_tokens = (0, 0)

    # -- the sync client used for files and batches ---------------------------------

    def _files_client(self) -> Any:
        import openai

        if isinstance(self.client, openai.OpenAI):
            return self.client
        # The engine's client is async; file uploads and polling are plain blocking calls.
        return openai.OpenAI(
            base_url=str(self.client.base_url),
            api_key=self.client.api_key,
            max_retries=3,
            timeout=self.options.timeout,
        )

    # -- cost guard ------------------------------------------------------------------

    def check_budget(self, chunks: Sequence[Chunk], run: RunContext) -> None:
        """--max-cost with the extraction estimate at the batch price."""
        if self.options.max_cost is None:
            return
        from briefing.engines.llm.usage import estimate_run
        from briefing.text import count_tokens

        prompt = load_prompt("extract_claims")
        overhead = sum(count_tokens(m["content"]) for m in prompt.render(title="", outlet="", chunk=""))
        estimate = estimate_run(chunks, model=self.options.model, prompt_overhead_tokens=overhead)
        cost = estimate_batch_cost(
            self.options.model,
            estimate.prompt_tokens,
            estimate.completion_tokens,
            self.options.prices or None,
        )
        if cost is not None and cost > self.options.max_cost:
            raise CostLimitError(
                f"estimated cost ${cost:.4f} (batch price) for {len(chunks)} chunks with "
                f"{self.options.model} exceeds --max-cost ${self.options.max_cost:.4f}"
            )

    # -- extract ---------------------------------------------------------------------

    def extract(self, chunks: Sequence[Chunk], run: RunContext) -> list[Claim]:
        import instructor  # noqa: F401 - fail early with the usual message if missing
        from instructor.processing import handle_response_model

        prompt = load_prompt("extract_claims")
        pending: dict[str, tuple[Chunk, dict[str, str]]] = {}
        claims: list[Claim] = []
        lines: list[str] = []
        for chunk in chunks:
            source = run.sources[chunk.source_id]
            variables = {
                "title": source.title or "untitled",
                "outlet": source.outlet or "unknown outlet",
                "chunk": chunk.text,
            }
            cached = self._cached(chunk, variables, run)
            if cached is not None:
                claims.extend(cached)
                continue
            _, body = handle_response_model(
                ChunkClaims,
                mode=instructor_mode(self.mode),
                messages=prompt.render(**variables),
                model=self.options.model,
                temperature=self.options.temperature,
            )
            cid = custom_id(chunk)
            pending[cid] = (chunk, variables)
            lines.append(
                json.dumps({"custom_id": cid, "method": "POST", "url": "/v1/chat/completions", "body": body})
            )
        if pending:
            client = self._files_client()
            if self.job.batch_id is None:
                self._submit(client, lines, run)
            if not self.wait:
                raise BatchPending(str(self.job.batch_id))
            claims.extend(self._collect(client, pending, run))
        self._finish(run)
        return claims

    def _cached(self, chunk: Chunk, variables: dict[str, str], run: RunContext) -> list[Claim] | None:
        cache = self.caller.cache
        if cache is None:
            return None
        stored = cache.get(self.caller.cache_key(load_prompt("extract_claims"), variables, ChunkClaims))
        if stored is None:
            return None
        try:
            value = ChunkClaims.model_validate_json(stored, context=variables, strict=False)
        except ValidationError:
            return None
        run.meta.usage.cache_hits += 1
        return self._to_claims(chunk, value.claims, run)[0]

    def _submit(self, client: Any, lines: list[str], run: RunContext) -> None:
        import openai

        run.emit("stage", f"uploading {len(lines)} requests for the batch", 0, 0)
        data = ("\n".join(lines) + "\n").encode()
        if len(lines) > MAX_REQUESTS or len(data) > MAX_FILE_BYTES:
            raise InputError(
                f"{len(lines)} requests ({len(data) // 1_000_000} MB) exceed one batch's limits "
                f"({MAX_REQUESTS} requests, {MAX_FILE_BYTES // 1_048_576} MB): brief fewer articles per run"
            )
        try:
            uploaded = client.files.create(file=("briefing-batch.jsonl", data), purpose="batch")
            batch = client.batches.create(
                input_file_id=uploaded.id,
                endpoint="/v1/chat/completions",
                completion_window="24h",
                metadata={"made_by": "briefing"},
            )
        except openai.APIError as exc:
            raise LLMError(f"cannot submit the batch: {' '.join(str(exc).split())[:200]}") from None
        self.job.batch_id = batch.id
        self.job.input_file_id = uploaded.id
        self.job.requests = len(lines)
        self.job.created_at = datetime.now(UTC).replace(microsecond=0).isoformat()
        self.job.options = self.options.model_dump(mode="json")
        self.job.status = batch.status
        self._save_state()

    def _save_state(self) -> None:
        folder = state_dir(self.options)
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{self.job.batch_id}.json", self.job.model_dump_json(indent=2))

    def _poll(self, client: Any, run: RunContext) -> Any:
        run.emit("stage", f"waiting for batch {self.job.batch_id}", 0, self.job.requests)
        try:
            return self._poll_until_done(client, run)
        except KeyboardInterrupt:
            # The job goes on at OpenAI: say how to pick it up instead of losing it.
            raise BatchInterrupted(str(self.job.batch_id)) from None

    def _poll_until_done(self, client: Any, run: RunContext) -> Any:
        while True:
            batch = client.batches.retrieve(self.job.batch_id)
            counts = batch.request_counts
            if counts is not None and counts.total:
                run.emit("batch", batch.status, counts.completed + counts.failed, counts.total)
            if batch.status in FINAL:
                return batch
            time.sleep(self.poll_seconds)

    def _collect(
        self, client: Any, pending: dict[str, tuple[Chunk, dict[str, str]]], run: RunContext
    ) -> list[Claim]:
        import openai

        try:
            batch = self._poll(client, run)
        except openai.APIError as exc:
            raise LLMError(
                f"cannot check batch {self.job.batch_id}: {' '.join(str(exc).split())[:200]}"
            ) from None
        self.job.status = batch.status
        self._save_state()
        if batch.status in ("failed", "cancelled"):
            errors = getattr(batch, "errors", None)
            reasons = "; ".join(
                f"{e.code}: {e.message}" for e in (getattr(errors, "data", None) or []) if e is not None
            )
            raise LLMError(f"batch {batch.id} {batch.status}" + (f" ({reasons[:300]})" if reasons else ""))
        answers: dict[str, dict[str, Any]] = {}
        for file_id in (batch.output_file_id, batch.error_file_id):
            if file_id:
                for line in client.files.content(file_id).text.splitlines():
                    if line.strip():
                        row = json.loads(line)
                        answers[str(row.get("custom_id"))] = row
        claims: list[Claim] = []
        fallback: list[tuple[Chunk, str]] = []
        for cid, (chunk, variables) in pending.items():
            row = answers.get(cid)
            found, why = self._answer(row, chunk, variables, run)
            if found is None:
                fallback.append(
                    (chunk, why if row is not None or batch.status != "expired" else "batch expired")
                )
            else:
                claims.extend(found)
        if batch.status == "expired":
            run.warn(
                f"batch {batch.id} expired: {len(fallback)} of {len(pending)} chunks got no usable answer"
            )
        if fallback:
            from briefing.engines.extractive import ExtractiveEngine

            extractive = ExtractiveEngine()
            for chunk, why in fallback:
                run.fallback(why)
                run.warn(f"{chunk.id}: {why}; used the extractive engine")
                claims.extend(
                    c.model_copy(update={"origin": "fallback"}) for c in extractive.extract([chunk], run)
                )
        return claims

    def _answer(
        self, row: dict[str, Any] | None, chunk: Chunk, variables: dict[str, str], run: RunContext
    ) -> tuple[list[Claim] | None, str]:
        """Claims from one batch answer, or (None, reason) to fall back."""
        from openai.types.chat import ChatCompletion

        from briefing.engines.llm.usage import add_completion_usage

        if row is None:
            return None, "no answer in batch"
        response = row.get("response") or {}
        if row.get("error") or response.get("status_code") != 200:
            error = row.get("error") or (response.get("body") or {}).get("error") or {}
            return None, f"batch request failed ({error.get('code') or response.get('status_code')})"
        body = response.get("body") or {}
        run.meta.usage.calls += 1
        before = (run.meta.usage.prompt_tokens, run.meta.usage.completion_tokens)
        add_completion_usage(run.meta.usage, body)
        self._batch_tokens = (
            self._batch_tokens[0] + run.meta.usage.prompt_tokens - before[0],
            self._batch_tokens[1] + run.meta.usage.completion_tokens - before[1],
        )
        try:
            raw = raw_output(ChatCompletion.model_validate(body))
        except ValidationError:
            return None, "invalid output"
        if raw is None:
            return None, "no structured output"
        try:
            value = ChunkClaims.model_validate_json(raw, context=variables, strict=False)
        except ValidationError:
            try:  # no re-ask in a batch: keep the claims whose quotes are really there
                value = ChunkClaims.model_validate_json(raw, strict=False)
            except ValidationError:
                return None, "invalid output"
            found, dropped = self._to_claims(chunk, value.claims, run)
            if not found:
                return None, "invalid output"
            run.meta.claims_rejected += dropped
            return found, ""
        if self.caller.cache is not None:
            key = self.caller.cache_key(load_prompt("extract_claims"), variables, ChunkClaims)
            self.caller.cache.put(key, value.model_dump_json())
        return self._to_claims(chunk, value.claims, run)[0], ""

    def _finish(self, run: RunContext) -> None:
        """Cost at standard prices, less the batch discount on the tokens that went through the batch."""
        super()._finish(run)
        usage = run.meta.usage
        prices = self.options.prices or None
        full = estimate_cost(self.options.model, *self._batch_tokens, prices)
        batch = estimate_batch_cost(self.options.model, *self._batch_tokens, prices)
        if usage.cost_usd is not None and full is not None and batch is not None:
            usage.cost_usd = max(0.0, usage.cost_usd - full + batch)
