"""Token usage and cost: what a run used, and what one would cost before it starts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel

from briefing.models import Chunk, Usage
from briefing.text import count_tokens

Prices = Mapping[str, tuple[float, float]]

# USD per 1M (prompt, completion) tokens, from OpenAI's public pricing page as
# last checked for this table (2025-08; standard tier, uncached input). Prices
# change: override or add models with BriefOptions.prices / `prices` in the
# config file. Models served locally cost nothing.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
    "o3": (2.00, 8.00),
    "o3-mini": (1.10, 4.40),
    "o4-mini": (1.10, 4.40),
    # Local and test models.
    "local": (0.0, 0.0),
    "fake": (0.0, 0.0),
    "gemma-3-270m": (0.0, 0.0),
}


def price_of(model: str, prices: Prices | None = None) -> tuple[float, float] | None:
    """Prices for ``model``: exact name first, then the longest known prefix
    (so dated snapshots like 'gpt-4o-mini-2024-07-18' resolve), user prices before built-ins."""
    table: dict[str, tuple[float, float]] = {**PRICES, **(prices or {})}
    name = model.strip()
    if name.lower().endswith(".gguf"):
        return (0.0, 0.0)
    for candidate in (name, name.rsplit("/", 1)[-1]):  # 'openai/gpt-4o' -> 'gpt-4o'
        if candidate in table:
            return table[candidate]
        matches = [k for k in table if candidate.startswith(k + "-")]
        if matches:
            return table[max(matches, key=len)]
    return None


def estimate_cost(
    model: str, prompt_tokens: int, completion_tokens: int, prices: Prices | None = None
) -> float | None:
    """USD for these tokens, or None when the model's price is unknown."""
    price = price_of(model, prices)
    if price is None:
        return None
    return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000


def add_completion_usage(usage: Usage, completion: object) -> None:
    """Add a completion's reported token counts to ``usage`` (calls are counted by the caller).

    Accepts an openai ChatCompletion, an instructor result (which carries the
    completion as ``_raw_response``) or a plain dict; anything without usage
    adds nothing.
    """
    raw = getattr(completion, "_raw_response", None) or completion
    reported = raw.get("usage") if isinstance(raw, Mapping) else getattr(raw, "usage", None)
    if reported is None:
        return
    usage.prompt_tokens += _int_field(reported, "prompt_tokens")
    usage.completion_tokens += _int_field(reported, "completion_tokens")


def apply_cost(usage: Usage, model: str, prices: Prices | None = None) -> None:
    """Set ``usage.cost_usd`` from its token counts (None for an unknown model)."""
    usage.cost_usd = estimate_cost(model, usage.prompt_tokens, usage.completion_tokens, prices)


def _int_field(obj: object, name: str) -> int:
    value = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


class RunEstimate(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    calls: int
    cost_usd: float | None


def estimate_run(
    chunks: Sequence[Chunk],
    *,
    model: str,
    prompt_overhead_tokens: int,
    completion_ratio: float = 0.3,
    prices: Prices | None = None,
) -> RunEstimate:
    """Upper-bound-ish estimate of an extraction run, for --max-cost before any call.

    One call per chunk: its text plus the fixed prompt (``prompt_overhead_tokens``);
    the answer is taken as ``completion_ratio`` of the chunk's tokens.
    """
    prompt = 0
    completion = 0
    for chunk in chunks:
        tokens = chunk.tokens or count_tokens(chunk.text)
        prompt += tokens + prompt_overhead_tokens
        completion += round(tokens * completion_ratio)
    return RunEstimate(
        prompt_tokens=prompt,
        completion_tokens=completion,
        calls=len(chunks),
        cost_usd=estimate_cost(model, prompt, completion, prices),
    )


# OpenAI's Batch API bills input and output tokens at half the standard price
# (pricing page, "Batch API"); make --batch applies it to the tokens it sends
# through a batch (briefing.engines.llm.batch).
BATCH_DISCOUNT = 0.5


def estimate_batch_cost(
    model: str, prompt_tokens: int, completion_tokens: int, prices: Prices | None = None
) -> float | None:
    """USD for these tokens sent through the Batch API, or None when the model's price is unknown."""
    full = estimate_cost(model, prompt_tokens, completion_tokens, prices)
    return None if full is None else full * BATCH_DISCOUNT
