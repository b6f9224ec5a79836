from __future__ import annotations

from types import SimpleNamespace

import pytest

from briefing.engines.llm.usage import (
    PRICES,
    add_completion_usage,
    apply_cost,
    estimate_cost,
    estimate_run,
    price_of,
)
from briefing.models import Chunk, Usage


def test_usage_estimate_cost_known_model() -> None:
    assert estimate_cost("gpt-4o-mini", 1_000_000, 1_000_000) == pytest.approx(0.15 + 0.60)
    assert estimate_cost("gpt-4o", 2000, 500) == pytest.approx((2000 * 2.5 + 500 * 10) / 1e6)


def test_usage_unknown_model_is_none() -> None:
    assert estimate_cost("mystery-model", 10, 10) is None


def test_usage_dated_snapshot_and_provider_prefix_resolve() -> None:
    assert price_of("gpt-4o-mini-2024-07-18") == PRICES["gpt-4o-mini"]
    assert price_of("gpt-4o-2024-08-06") == PRICES["gpt-4o"]
    assert price_of("openai/gpt-4.1-nano") == PRICES["gpt-4.1-nano"]


def test_usage_local_models_are_free() -> None:
    assert estimate_cost("gemma-3-270m-it-Q4_K_M.gguf", 10**6, 10**6) == 0.0
    assert estimate_cost("fake", 10**6, 10**6) == 0.0


def test_usage_user_prices_override_builtin() -> None:
    assert estimate_cost("gpt-4o", 10**6, 0, prices={"gpt-4o": (1.0, 1.0)}) == pytest.approx(1.0)
    assert estimate_cost("my-model", 0, 10**6, prices={"my-model": (0.0, 3.0)}) == pytest.approx(3.0)


def test_usage_add_completion_usage_from_objects_and_dicts() -> None:
    usage = Usage()
    tokens = SimpleNamespace(prompt_tokens=100, completion_tokens=20)
    add_completion_usage(usage, SimpleNamespace(usage=tokens))
    add_completion_usage(usage, {"usage": {"prompt_tokens": 5, "completion_tokens": 1}})
    raw = SimpleNamespace(usage=SimpleNamespace(prompt_tokens=1, completion_tokens=1))
    wrapped = SimpleNamespace(_raw_response=raw)
    add_completion_usage(usage, wrapped)
    add_completion_usage(usage, SimpleNamespace(usage=None))
    add_completion_usage(usage, object())
    assert (usage.prompt_tokens, usage.completion_tokens, usage.calls) == (106, 22, 0)


def test_usage_apply_cost() -> None:
    usage = Usage(prompt_tokens=1_000_000, completion_tokens=0)
    apply_cost(usage, "gpt-4.1-mini")
    assert usage.cost_usd == pytest.approx(0.40)
    apply_cost(usage, "unknown")
    assert usage.cost_usd is None


def _chunk(i: int, text: str, tokens: int = 0) -> Chunk:
    return Chunk(id=f"S1#{i}", source_id="S1", index=i, start=0, end=len(text), text=text, tokens=tokens)


def test_usage_estimate_run_counts_overhead_per_call() -> None:
    chunks = [_chunk(0, "x", tokens=1000), _chunk(1, "y", tokens=500)]
    est = estimate_run(chunks, model="gpt-4o-mini", prompt_overhead_tokens=300, completion_ratio=0.2)
    assert (est.calls, est.prompt_tokens, est.completion_tokens) == (2, 2100, 300)
    assert est.cost_usd == pytest.approx((2100 * 0.15 + 300 * 0.6) / 1e6)


def test_usage_estimate_run_counts_tokens_when_chunk_has_none() -> None:
    est = estimate_run([_chunk(0, "one two three")], model="nope", prompt_overhead_tokens=0)
    assert est.prompt_tokens == 3
    assert est.cost_usd is None
