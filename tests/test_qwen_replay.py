"""Replay of a real recording: the seed brief made by Qwen2.5-Coder-1.5B-Instruct through llama.cpp.

tests/cassettes/qwen/seed_rare_earths.yaml was recorded by scripts/record_qwen.py
from a real ``llama_cpp.server`` (see the README beside it). Replaying it runs
the whole pipeline offline, through the real openai client, instructor and the
LLM engine, on real model output, and checks the guards on it.

Extraction requests are matched on their exact body (they depend only on the
example's text and the prompts). Reconcile and compose requests are matched on
their call and attempt: what they carry also depends on the deterministic
stages (merging, the disagreement pass), which may improve without the model's
recorded answers becoming wrong; those answers are validated afresh anyway.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _local_guards import EXAMPLE, NOW, guard_figures, verify_citations

from briefing import BriefOptions, make_brief
from briefing.models import Brief
from briefing.testing.replay import recorded_call_matcher

CASSETTE = Path(__file__).resolve().parent / "cassettes" / "qwen" / "seed_rare_earths.yaml"
BASE_URL = "http://127.0.0.1:8090/v1"


def recorded_options() -> BriefOptions:
    """What scripts/record_qwen.py ran: `briefing make` with these flags and environment."""
    return BriefOptions(
        engine="llm",
        base_url=BASE_URL,
        model="qwen2.5-coder-1.5b",
        concurrency=1,
        context_tokens=16384,
        cache=False,
        timeout=2400,
        max_reasks=1,
    )


def _body(request: Any) -> dict[str, Any]:
    raw = request.body
    if not raw:
        return {}
    data = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
    return data if isinstance(data, dict) else {}


@pytest.fixture(scope="module")
def replayed() -> tuple[Brief, Any]:
    import vcr

    recorder = vcr.VCR(record_mode="none", match_on=["method", "path", "recorded_call"])
    recorder.register_matcher("recorded_call", recorded_call_matcher)
    with recorder.use_cassette(str(CASSETTE)) as cassette:
        brief = make_brief(EXAMPLE, recorded_options(), now=NOW)
    return brief, cassette


def test_qwen_replay_plays_every_recorded_exchange(replayed: tuple[Brief, Any]) -> None:
    brief, cassette = replayed
    posts = [r for r in cassette.requests if r.method == "POST"]
    assert cassette.all_played
    assert brief.meta.usage.calls == len(posts) > 5
    assert brief.meta.engine == "llm" and brief.meta.model == "qwen2.5-coder-1.5b"


def test_qwen_replay_prompts_fit_the_context_they_were_sized_to(replayed: tuple[Brief, Any]) -> None:
    _, cassette = replayed
    # The engine probed the server first: llama-cpp-python has no /props (404) and names itself in
    # /v1/models; the context came from --context-tokens 16384.
    probes = [r for r in cassette.requests if r.method == "GET"]
    assert {r.path for r in probes} <= {"/props", "/v1/models"}
    posts = [r for r in cassette.requests if r.method == "POST"]
    assert len(posts) == len(cassette.requests) - len(probes) > 5
    bodies = [_body(r) for r in posts]
    assert all(b["tool_choice"]["type"] == "function" for b in bodies)  # TOOLS: the server's grammar
    for request, response in cassette.data:
        if request.method != "POST":
            continue
        usage = json.loads(response["body"]["string"])["usage"]
        assert usage["prompt_tokens"] + 900 < 16384


def test_qwen_replay_brief_holds_only_verified_citations(replayed: tuple[Brief, Any]) -> None:
    brief, _ = replayed
    assert brief.bottom_line and brief.key_points
    assert verify_citations(brief) == []


def test_qwen_replay_guards_act_on_real_output(replayed: tuple[Brief, Any]) -> None:
    brief, cassette = replayed
    figures = guard_figures(brief, list(cassette.requests))
    print(figures.report())
    meta = brief.meta
    assert figures.extract_requests >= meta.chunks
    assert figures.reasks == RECORDED["reasks"]
    assert meta.claims_rejected == RECORDED["claims_rejected"]
    assert meta.chunks_fallback == RECORDED["chunks_fallback"]
    assert meta.sentences_unsupported == RECORDED["sentences_unsupported"]
    assert meta.sentences_replaced == RECORDED["sentences_replaced"]


def test_qwen_replay_brief_is_as_full_as_offline(replayed: tuple[Brief, Any]) -> None:
    brief, _ = replayed
    offline = make_brief(EXAMPLE, BriefOptions(engine="extractive"), now=NOW)
    bottom = {s.text for s in brief.bottom_line}
    assert not any(k.text in bottom for k in brief.key_points)  # the bottom line is not repeated
    # Compose was re-asked for four unsupported sentences, then cited claim ids '' and fell back to the
    # extractive composer over the checked claims: nothing was left thin to fill.
    assert brief.meta.points_filled == RECORDED["points_filled"]
    assert any("compose: invalid output; used the extractive composer" in w for w in brief.meta.warnings)
    assert brief.meta.words >= 0.8 * offline.meta.words  # the budget is used


def test_qwen_replay_keeps_every_offline_disagreement(replayed: tuple[Brief, Any]) -> None:
    brief, _ = replayed
    offline = make_brief(EXAMPLE, BriefOptions(engine="extractive"), now=NOW)
    assert len(offline.disagreements) == 3
    assert len(brief.disagreements) >= len(offline.disagreements)


# What the recording shows (scripts/record_qwen.py; tests/cassettes/qwen/README.md).
RECORDED = {
    "reasks": 6,  # four chunks, reconcile and compose were each re-asked once
    "claims_rejected": 0,  # no chunk kept a claim whose quote failed: the four that failed fell back whole
    "chunks_fallback": 4,  # S2#0..3: quotes merged from two sentences, or not stating the claim's names
    "sentences_unsupported": 4,  # compose: e.g. "China", "Monday" cited to claims that say neither
    "sentences_replaced": 0,  # the re-asked compose answer was invalid: the extractive composer stands
    "points_filled": 0,
}
