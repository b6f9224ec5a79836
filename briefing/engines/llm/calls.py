"""One structured LLM call: cache, instructor (validation re-asks), shared transport backoff, usage.

Two kinds of retry are kept apart on purpose. Transport failures (429, 5xx,
timeouts, dropped connections) are retried around each single HTTP request
by :class:`briefing.engines.llm.retry.SharedBackoff`, so a re-ask never repeats because
of a network blip and a 429 slows every concurrent call down together.
Validation failures (a quote not in the article, a bad claim id, malformed
JSON) are re-asked by instructor, bounded by ``BriefOptions.max_reasks``.

Failures come back as a :class:`CallOutcome` with a short reason (the
fallback counter's key) and a one-line detail; only errors that no other
chunk could get past — bad credentials, unknown model — raise
:class:`briefing.errors.LLMError`.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import re
import threading
from collections.abc import Callable, Coroutine, Mapping
from concurrent.futures import Future
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from briefing.errors import LLMError
from briefing.options import BriefOptions

if TYPE_CHECKING:
    from briefing.engines.base import RunContext
    from briefing.engines.llm.cache import ResponseCache
    from briefing.engines.llm.prompts import Prompt
    from briefing.engines.llm.retry import SharedBackoff

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

OPENAI_URL = "https://api.openai.com/v1"
_DETAIL_CHARS = 180


# -- which instructor mode -------------------------------------------------------


def resolve_mode(options: BriefOptions, base_url: str | None) -> str:
    """The instructor mode name for this endpoint ('tools', 'json_schema', 'json', 'md_json').

    TOOLS (a forced function call) is what api.openai.com, Azure and the
    llama-cpp-python server constrain best — the latter builds its grammar
    from the tool's parameters and answers ``json_schema`` with HTTP 500.
    Ollama, LM Studio and vLLM enforce ``response_format: json_schema``
    natively and some of their models do not support tools, so they get
    JSON_SCHEMA. MD_JSON (JSON in a fenced block, no server support needed)
    is only used when asked for.
    """
    if options.mode != "auto":
        return options.mode
    if not base_url:
        return "tools"
    parts = urlsplit(base_url if "//" in base_url else f"http://{base_url}")
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if host == "api.openai.com" or host.endswith(".openai.azure.com"):
        return "tools"
    if port in (11434, 1234) or any(name in host for name in ("ollama", "lmstudio", "lm-studio", "vllm")):
        return "json_schema"
    return "tools"


def instructor_mode(name: str) -> Any:
    import instructor

    return {
        "tools": instructor.Mode.TOOLS,
        "json_schema": instructor.Mode.JSON_SCHEMA,
        "json": instructor.Mode.JSON,
        "md_json": instructor.Mode.MD_JSON,
    }[name]


def make_client(options: BriefOptions, api_key: str | None) -> Any:
    """An ``AsyncOpenAI`` for ``options``; its own transport retries are off (ours are shared)."""
    import openai

    base_url = options.base_url or os.environ.get("OPENAI_BASE_URL") or None
    key = api_key or os.environ.get("OPENAI_API_KEY")
    if not key:
        if base_url is None:
            raise LLMError(
                "no API key for api.openai.com: set OPENAI_API_KEY, or --base-url for a local server"
            )
        key = "not-needed"  # local servers ignore it, but the SDK requires one
    import httpx2

    from briefing.engines.llm.transport import ssl_context

    # The engine's calls go through a copy with a bounded HTTP layer; this client only
    # carries the endpoint and key, so it shares the one SSL context instead of loading another.
    return openai.AsyncOpenAI(
        base_url=base_url,
        api_key=key,
        max_retries=0,
        timeout=options.timeout,
        http_client=httpx2.AsyncClient(verify=ssl_context()),
    )


@functools.cache
def _response_schema(response_model: type[M]) -> type[M]:
    """instructor's wrapper of ``response_model``, made once per model class.

    Given a plain model, instructor builds this subclass anew on every call (a pydantic class
    creation each time: the largest share of a call's CPU after the HTTP exchange); given the
    wrapper, it uses it as it is. The answer is an instance of the wrapper, a subclass of
    ``response_model``.
    """
    import instructor

    return instructor.openai_schema(response_model)


# -- running coroutines from sync code ----------------------------------------------

_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


def _background_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _loop_lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="briefing-llm", daemon=True).start()
            _loop = loop
        return _loop


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from synchronous code, even inside a running event loop.

    Every call runs on one long-lived background loop rather than a fresh
    ``asyncio.run``: an ``AsyncOpenAI`` keeps pooled connections tied to the
    loop that opened them, so the extract, reconcile and compose stages (and
    a bot's successive briefs) must share a loop. A caller that is itself
    inside an event loop (a Slack bot) simply blocks this thread meanwhile.
    """
    future: Future[T] = asyncio.run_coroutine_threadsafe(coro, _background_loop())
    try:
        return future.result()
    except BaseException:
        future.cancel()  # Ctrl-C: stop the calls instead of leaving them running
        raise


# -- outcomes and failures -------------------------------------------------------------


# Per call (asyncio copies the context into each chunk's task), so concurrent
# calls count their own attempts.
_ATTEMPTS: ContextVar[list[int] | None] = ContextVar("briefing_llm_attempts", default=None)


@dataclass
class CallOutcome(Generic[M]):
    """A validated answer, or why there is none (plus the last raw answer, for salvage)."""

    value: M | None
    reason: str | None = None
    detail: str = ""
    raw: str | None = None
    attempts: int = 0
    cached: bool = False


def _one_line(text: object) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= _DETAIL_CHARS else line[: _DETAIL_CHARS - 1] + "…"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 8:
        seen.append(current)
        # ``raise X from None`` means "X says it all": do not dig up what it replaced.
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return seen


def raw_output(completion: Any) -> str | None:
    """The JSON text a completion carries: tool-call arguments, else the message content."""
    choices = getattr(completion, "choices", None) or []
    if not choices:
        return None
    message = getattr(choices[0], "message", None)
    for call in getattr(message, "tool_calls", None) or []:
        arguments = getattr(getattr(call, "function", None), "arguments", None)
        if isinstance(arguments, str):
            return arguments
    content = getattr(message, "content", None)
    if not isinstance(content, str) or not content.strip():
        return None
    # MD_JSON and chatty models wrap the object in prose or a ``` fence.
    start, end = content.find("{"), content.rfind("}")
    return content[start : end + 1] if 0 <= start < end else content


def _api_message(err: Any) -> str:
    """The server's own error message, without the SDK's 'Error code: ... - {dict}' wrapping."""
    body = getattr(err, "body", None)
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        if isinstance(inner, Mapping) and isinstance(inner.get("message"), str):
            return _one_line(inner["message"])
    return _one_line(getattr(err, "message", err))


# How OpenAI and llama-cpp-python's server refuse a prompt too long for the model ("This model's
# maximum context length is 2048 tokens. However, you requested ..."): the number is the context.
_CONTEXT_LIMIT = re.compile(r"maximum context length is (\d+) tokens")


def context_limit(exc: BaseException) -> int | None:
    """The context size a server named when it refused a prompt as too long, or None."""
    import openai

    for err in _chain(exc):
        if isinstance(err, openai.BadRequestError):
            found = _CONTEXT_LIMIT.search(_api_message(err))
            if found:
                return int(found.group(1))
    return None


def _fatal(exc: BaseException, model: str, where: str) -> LLMError | None:
    import openai

    for err in _chain(exc):
        if isinstance(err, openai.AuthenticationError | openai.PermissionDeniedError):
            return LLMError(f"{where} refused the API key (HTTP {err.status_code}): {_api_message(err)}")
        if isinstance(err, openai.NotFoundError):
            return LLMError(f"model {model!r} is not available at {where} (HTTP 404): {_api_message(err)}")
    return None


def classify_failure(exc: BaseException) -> CallOutcome[Any]:
    """Turn an exception from one structured call into a fallback reason and evidence."""
    import openai
    from instructor.core import IncompleteOutputException, InstructorRetryException, ResponseParsingError

    from briefing.engines.llm.retry import transport_reason

    chain = _chain(exc)
    if any(isinstance(e, IncompleteOutputException) for e in chain):
        return CallOutcome(None, "truncated", "the answer hit the output token limit (finish_reason=length)")
    from briefing.engines.llm.retry import RefusedResponse

    refused = next((e for e in chain if isinstance(e, RefusedResponse)), None)
    if refused is not None:
        return CallOutcome(None, "refused answer", _one_line(refused))
    reason = transport_reason(exc)
    if reason is not None:
        return CallOutcome(None, "transport", f"{reason} after retries: {_one_line(chain[-1])}")
    status = next((e for e in chain if isinstance(e, openai.APIStatusError)), None)
    if status is not None:
        why = "prompt too long" if context_limit(status) is not None else "http error"
        return CallOutcome(None, why, f"HTTP {status.status_code}: {_api_message(status)}")
    if isinstance(exc, InstructorRetryException):
        last: BaseException | None = (
            exc.failed_attempts[-1].exception if exc.failed_attempts else exc.__cause__
        )
        raw = raw_output(exc.last_completion)
        attempts = exc.n_attempts
        if isinstance(last, ResponseParsingError):
            why = (
                "empty response"
                if not getattr(exc.last_completion, "choices", None)
                else "no structured output"
            )
            return CallOutcome(None, why, _one_line(last), raw, attempts)
        if isinstance(last, ValidationError):
            malformed = any(err.get("type") == "json_invalid" for err in last.errors())
            why = "malformed json" if malformed else "invalid output"
            return CallOutcome(None, why, _one_line(last), raw, attempts)
        if isinstance(last, json.JSONDecodeError):
            return CallOutcome(None, "malformed json", _one_line(last), raw, attempts)
        return CallOutcome(None, "error", _one_line(last or exc), raw, attempts)
    return CallOutcome(None, "error", f"{type(exc).__name__}: {_one_line(exc)}")


# -- the call ------------------------------------------------------------------------------


class StructuredCaller:
    """Makes validated calls for one engine: the instructor client, cache and backoff it shares.

    The instructor client is built the library's way, ``instructor.from_openai``,
    over a copy of the engine's openai client whose HTTP layer is
    :func:`briefing.engines.llm.transport.bounded_http_client` (total deadline,
    size cap, no foreign redirects, shared transport retries). Attempts and
    token usage are counted by instructor's hooks.
    """

    def __init__(
        self,
        options: BriefOptions,
        client: Any,
        *,
        base_url: str | None,
        mode: str,
        cache: ResponseCache | None,
        backoff: SharedBackoff,
        deadline: float | None = None,
    ) -> None:
        import instructor
        import openai

        from briefing.engines.llm.transport import bounded_http_client

        # instructor logs every failed attempt at ERROR; with no logging configured
        # Python would print those to stderr. Failures reach the user as warnings instead.
        logging.getLogger("instructor").addHandler(logging.NullHandler())
        self.options = options
        self.base_url = base_url or OPENAI_URL
        self.mode = mode
        self.cache = cache
        self.backoff = backoff
        self.deadline = deadline or options.timeout
        self.slots: int | None = None
        # The context a server named when it refused a prompt (the smallest so far), and the answer
        # cap to send once the engine has sized its prompts to it (None: the client's own).
        self.context_limit: int | None = None
        self.max_tokens: int | None = None
        self._run: RunContext | None = None
        self.http = bounded_http_client(
            backoff=backoff, deadline=self.deadline, connections=options.concurrency
        )
        if isinstance(client, openai.AsyncOpenAI):
            # copy() keeps the class (a capped local client stays capped) and its settings.
            self.client = client.copy(http_client=self.http, max_retries=0, timeout=self.deadline)
        else:  # a sync client: the same endpoint and key, used asynchronously
            self.client = openai.AsyncOpenAI(
                api_key=client.api_key,
                base_url=client.base_url,
                organization=client.organization,
                project=client.project,
                http_client=self.http,
                max_retries=0,
                timeout=self.deadline,
            )
        self._instructor = instructor.from_openai(self.client, mode=instructor_mode(mode))
        self._instructor.on("completion:kwargs", self._on_request)
        self._instructor.on("completion:response", self._on_response)

    def _on_request(self, *args: Any, **kwargs: Any) -> None:
        """One chat request is about to be sent (the first ask or a re-ask)."""
        asked = _ATTEMPTS.get()
        if asked is not None:
            asked[0] += 1
        if self._run is not None:
            self._run.meta.usage.calls += 1

    def _on_response(self, response: Any) -> None:
        from briefing.engines.llm.usage import add_completion_usage

        if self._run is not None:
            add_completion_usage(self._run.meta.usage, response)

    async def aclose(self) -> None:
        await self.http.aclose()

    def cache_key(
        self, prompt: Prompt, variables: Mapping[str, object], response_model: type[BaseModel]
    ) -> str:
        return self._key(prompt, prompt.render(**variables), response_model)

    def _key(self, prompt: Prompt, messages: list[dict[str, str]], response_model: type[BaseModel]) -> str:
        from briefing.engines.llm.cache import ResponseCache

        return ResponseCache.key(
            {
                "base_url": self.base_url,
                "model": self.options.model,
                "mode": self.mode,
                "prompt": prompt.key,
                "messages": messages,
                "schema": response_model.model_json_schema(),
                "temperature": self.options.temperature,
            }
        )

    async def call(
        self,
        run: RunContext,
        prompt: Prompt,
        variables: Mapping[str, object],
        response_model: type[M],
        *,
        checks: Mapping[str, object] | None = None,
        deadline: float | Callable[[list[dict[str, str]]], float | None] | None = None,
        max_reasks: int | None = None,
    ) -> CallOutcome[M]:
        """Ask for ``response_model``; ``variables`` fill the prompt, ``checks`` only feed validators.

        ``deadline`` is seconds, or a function of the rendered messages (a local server's
        deadline grows with the prompt): the prompt is rendered once, here.
        """
        from briefing.engines.llm.schemas import VALIDATION_CONTEXT
        from briefing.engines.llm.transport import DEADLINE, IN_FLIGHT

        self._run = run
        self._flush_cache_warnings(run)
        context = {**variables, **(checks or {})}
        messages = prompt.render(**variables)  # once per call; re-asks reuse the text
        key = self._key(prompt, messages, response_model) if self.cache is not None else None
        if key is not None and self.cache is not None:
            stored = self.cache.get(key)
            if stored is not None:
                try:
                    # Re-validated with the same context and gate: a cached answer gets no free pass.
                    value = response_model.model_validate_json(stored, context=context, strict=False)
                except ValidationError:
                    pass
                else:
                    run.meta.usage.cache_hits += 1
                    return CallOutcome(value, cached=True)
        asked = [0]
        queued = [0]
        seconds = deadline(messages) if callable(deadline) else deadline
        tokens = (
            _ATTEMPTS.set(asked),
            VALIDATION_CONTEXT.set(context),
            DEADLINE.set(seconds or self.deadline),
            IN_FLIGHT.set(queued),
        )
        try:
            # No ``context=``: instructor would render the (already rendered) messages as
            # Jinja templates; the validators read VALIDATION_CONTEXT instead.
            # Sent only once a refused prompt taught the engine the server's context: recorded
            # requests of every other run stay byte for byte the same.
            cap: dict[str, Any] = {"max_tokens": self.max_tokens} if self.max_tokens is not None else {}
            value = await self._instructor.create(
                messages=messages,  # type: ignore[arg-type]  # plain role/content dicts
                response_model=_response_schema(response_model),
                max_retries=self.options.max_reasks if max_reasks is None else max_reasks,
                strict=False,
                model=self.options.model,
                temperature=self.options.temperature,
                **cap,
            )
        except Exception as exc:
            limit = context_limit(exc)
            if limit is not None:
                self.context_limit = min(limit, self.context_limit or limit)
            fatal = _fatal(exc, self.options.model, self.base_url)
            if fatal is not None:
                raise fatal from None
            outcome: CallOutcome[M] = classify_failure(exc)
            if outcome.reason == "transport" and "timeout" in outcome.detail:
                outcome.detail = self._timeout_advice(outcome.detail, queued[0])
            outcome.attempts = outcome.attempts or asked[0]
            return outcome
        finally:
            _ATTEMPTS.reset(tokens[0])
            VALIDATION_CONTEXT.reset(tokens[1])
            DEADLINE.reset(tokens[2])
            IN_FLIGHT.reset(tokens[3])
        if key is not None and self.cache is not None:
            self.cache.put(key, value.model_dump_json())
            self._flush_cache_warnings(run)
        return CallOutcome(value, attempts=asked[0])

    def _timeout_advice(self, detail: str, in_flight: int) -> str:
        """Name the cause a user can act on when requests time out while others were queued."""
        if in_flight <= 1:
            return detail
        if self.slots is not None and self.slots < in_flight:
            return (
                f"{detail}; the server answers {self.slots} request(s) at a time and {in_flight} were "
                f"queued: use --concurrency {self.slots}"
            )
        return (
            f"{detail}; {in_flight} requests were in flight: if the server answers one at a time "
            "(a local model), use --concurrency 1 or --local"
        )

    def _flush_cache_warnings(self, run: RunContext) -> None:
        if self.cache is not None:
            while self.cache.warnings:
                run.warn(self.cache.warnings.pop(0))
