"""What a local server can take: how many requests at once, and how long a prompt.

A llama.cpp server (``llama-server``) says both at ``GET /props``
(``total_slots``, ``default_generation_settings.n_ctx``). llama-cpp-python's
server has no ``/props``; its ``/v1/models`` answer (``owned_by: "me"``)
identifies it, and it answers one request at a time. Where the endpoint
says nothing, ``--local`` (``BriefOptions.local``) is the hint: one slot and
:data:`DEFAULT_LOCAL_CONTEXT` tokens unless ``--context-tokens`` says more.

Only loopback endpoints (or ``--local``) are probed, with a short timeout;
a probe that fails means "unknown", never an error. A context assumed too
large is corrected by the server's first refusal, which names it
(:func:`briefing.engines.llm.calls.context_limit`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from briefing.options import BriefOptions

__all__ = [
    "DEFAULT_LOCAL_CONTEXT",
    "LOCAL_MAX_TOKENS",
    "Endpoint",
    "is_loopback",
    "local_deadline",
    "probe_endpoint",
]

DEFAULT_LOCAL_CONTEXT = 4096
PROBE_TIMEOUT = 3.0
# What a local answer may take: room for a handful of claims; the grammar
# built from the bounded schema ends the answer well before this.
LOCAL_MAX_TOKENS = 900
# Deadline per local request: a floor plus prompt reading and generation at
# rates a busy 2-core CPU still reaches with a 1.5B model (measured 1-13
# tokens/s generating, 20+ reading), so only a stuck server hits it.
LOCAL_DEADLINE_FLOOR = 120.0
LOCAL_PREFILL_TOKENS_PER_S = 15.0
LOCAL_GENERATE_TOKENS_PER_S = 1.5


@dataclass(frozen=True)
class Endpoint:
    """What is known about the server; ``None`` is unknown."""

    local: bool = False
    slots: int | None = None
    context: int | None = None
    kind: str = "unknown"  # 'llama.cpp', 'llama-cpp-python', 'hint', 'busy' or 'unknown'
    assumed: bool = False  # the context is DEFAULT_LOCAL_CONTEXT: neither the server nor the user said

    def concurrency(self, asked: int) -> int:
        return max(1, min(asked, self.slots)) if self.slots else asked

    def describe(self) -> str:
        slots = f"{self.slots} slot(s)" if self.slots else "slots unknown"
        context = f"{self.context}-token context" if self.context else "context unknown"
        if self.assumed:
            # Seen live: llama-cpp-python started with --n_ctx 16384 says nothing of it, and every
            # prompt was sized to 4,096 tokens (more calls, each slower) with no word of why.
            context += " assumed (the server does not say; --context-tokens N if it was started with more)"
        if self.kind == "busy":
            busy = f"loopback server too busy to answer in {PROBE_TIMEOUT:g} s, taken for a local model"
            return f"{busy}: {slots}, {context}"
        return f"{self.kind} server: {slots}, {context}"


def is_loopback(base_url: str | None) -> bool:
    if not base_url:
        return False
    host = (urlsplit(base_url if "//" in base_url else f"http://{base_url}").hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


class _Busy(Exception):
    """A loopback server that took the connection but did not answer in time."""


def _get_json(client: object, url: str) -> object | None:
    import httpx2

    try:
        response = client.get(url)  # type: ignore[attr-defined]  # an httpx2.Client
        if response.status_code != 200:
            return None
        data: object = response.json()
    except (httpx2.ReadTimeout, httpx2.WriteTimeout, httpx2.PoolTimeout) as exc:
        raise _Busy from exc
    except Exception:  # any failure of a best-effort probe (refused, not JSON, replay miss) is "unknown"
        return None
    return data


def probe_endpoint(base_url: str | None, options: BriefOptions) -> Endpoint:
    """Ask a loopback (or ``--local``) server what it can take."""
    hinted_context = options.context_tokens
    if not (options.local or is_loopback(base_url)) or not base_url:
        return Endpoint(context=hinted_context)
    import httpx2

    from briefing.engines.llm.transport import ssl_context

    root = base_url.rstrip("/")
    api_root = root[: -len("/v1")] if root.endswith("/v1") else root
    slots: int | None = None
    context: int | None = None
    kind = "unknown"
    with httpx2.Client(
        timeout=PROBE_TIMEOUT, follow_redirects=False, trust_env=False, verify=ssl_context()
    ) as client:
        try:
            props = _get_json(client, f"{api_root}/props")
        except _Busy:
            # Seen live: a llama-cpp-python server on a busy 2-core machine let the 3 s probe time
            # out, and the run went on as against a cloud API (8 requests in flight, 120 s
            # deadlines): every call timed out. A loopback server too busy to say what it is, is
            # a local model at work: one request at a time, local deadlines.
            return Endpoint(
                local=True,
                slots=1,
                context=hinted_context or DEFAULT_LOCAL_CONTEXT,
                kind="busy",
                assumed=not hinted_context,
            )
        if isinstance(props, dict):
            total = props.get("total_slots")
            settings = props.get("default_generation_settings")
            n_ctx = settings.get("n_ctx") if isinstance(settings, dict) else None
            if isinstance(total, int) and total > 0:
                slots, kind = total, "llama.cpp"
            if isinstance(n_ctx, int) and n_ctx > 0:
                context, kind = n_ctx, "llama.cpp"
        if kind == "unknown":
            try:
                models = _get_json(client, f"{root}/models")
            except _Busy:
                models = None
                kind = "busy"
            data = models.get("data") if isinstance(models, dict) else None
            first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
            meta = first.get("meta") if isinstance(first.get("meta"), dict) else {}
            if first.get("owned_by") == "me" and "permissions" in first:
                # llama-cpp-python: one Llama instance behind a lock.
                slots, kind = 1, "llama-cpp-python"
            n_ctx = meta.get("n_ctx") or meta.get("n_ctx_train") if isinstance(meta, dict) else None
            if isinstance(n_ctx, int) and n_ctx > 0:
                context = n_ctx
    if options.local:
        slots = slots or 1
        kind = kind if kind != "unknown" else "hint"
    slots = 1 if kind == "busy" else slots
    local = options.local or kind != "unknown"
    assumed = False
    if hinted_context:
        context = hinted_context  # the user knows how the server was started
    elif local and context is None:
        context, assumed = DEFAULT_LOCAL_CONTEXT, True
    return Endpoint(local=local, slots=slots, context=context, kind=kind, assumed=assumed)


def local_deadline(prompt_tokens: int, max_tokens: int, floor: float) -> float:
    """Seconds one local request may take before it counts as stuck."""
    seconds = (
        LOCAL_DEADLINE_FLOOR
        + prompt_tokens / LOCAL_PREFILL_TOKENS_PER_S
        + max_tokens / LOCAL_GENERATE_TOKENS_PER_S
    )
    return max(floor, math.ceil(seconds))
