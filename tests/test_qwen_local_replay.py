"""Replay of a real recording: the seed brief made by ``--engine local`` with Qwen2.5-Coder-1.5B-Instruct.

tests/cassettes/qwen/seed_local_rare_earths.yaml was recorded from the real CLI,
``briefing make --sources examples/rare-earths --engine local --no-cache``, which
started its own ``llama_cpp.server`` on the joined Qwen GGUF (see the README
beside it). Replaying it builds the LLM engine exactly as ``--engine local``
does for an instruct model (8k context, 900-token answers, at most 5 claims),
with no server, and checks the guards on the model's real output: a bottom line
citing no report's opening sentences is made a key point, and a composed
sentence that opens mid-sentence and runs into the answer's JSON is re-asked,
then replaced by the source's own sentence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _local_guards import EXAMPLE, NOW, verify_citations

from briefing import BriefOptions, make_brief
from briefing.models import Brief
from briefing.testing.replay import recorded_call_matcher
from briefing.verify import statement_problem

CASSETTE = Path(__file__).resolve().parent / "cassettes" / "qwen" / "seed_local_rare_earths.yaml"
BASE_URL = "http://127.0.0.1:9/v1"  # any address: the matcher compares method, path and call
ALIAS = "qwen2.5-coder-1.5b-instruct-q4_k_m"  # the server's alias: the GGUF file's stem


@pytest.fixture(scope="module")
def replayed() -> tuple[Brief, Any]:
    import vcr

    from briefing.engines.llm.calls import run_sync
    from briefing.engines.llm.engine import LLMEngine
    from briefing.engines.local.server import (
        INSTRUCT_MAX_ITEMS,
        INSTRUCT_MAX_TOKENS,
        INSTRUCT_N_CTX,
        capped_client,
        local_options,
    )

    # What LocalEngine builds once its server is up (briefing/engines/local/server.py).
    options = BriefOptions(engine="local", cache=False)
    client = capped_client(
        BASE_URL, timeout=options.timeout, max_tokens=INSTRUCT_MAX_TOKENS, max_items=INSTRUCT_MAX_ITEMS
    )
    recorder = vcr.VCR(record_mode="none", match_on=["method", "path", "recorded_call"])
    recorder.register_matcher("recorded_call", recorded_call_matcher)
    try:
        with recorder.use_cassette(str(CASSETTE)) as cassette:
            # The engine probes the server as it is built: inside the cassette.
            local = local_options(options, base_url=BASE_URL, model=ALIAS, context=INSTRUCT_N_CTX)
            engine = LLMEngine(local, client=client)
            brief = make_brief(EXAMPLE, options, engine=engine, now=NOW)
    finally:
        run_sync(client.close())
    return brief, cassette


def test_qwen_local_replay_plays_every_recorded_exchange(replayed: tuple[Brief, Any]) -> None:
    brief, cassette = replayed
    posts = [r for r in cassette.requests if r.method == "POST"]
    unplayed = [r for i, r in enumerate(cassette.requests) if not cassette.play_counts[i]]
    # Only the server's readiness poll (LlamaServer waits for /v1/models before the engine's own
    # probe): no server is started here.
    assert [(r.method, r.path) for r in unplayed] == [("GET", "/v1/models")]
    assert brief.meta.usage.calls == len(posts) > 5
    assert verify_citations(brief) == []


def test_qwen_local_replay_bottom_line_is_the_news(replayed: tuple[Brief, Any]) -> None:
    brief, _ = replayed
    offline = make_brief(EXAMPLE, BriefOptions(engine="extractive"), now=NOW)
    # The model's bottom line was a background figure; the offline engine's, a report's first sentence.
    assert any("cites no report's opening sentences" in w for w in brief.meta.warnings)
    assert [s.text for s in brief.bottom_line] == [s.text for s in offline.bottom_line]
    assert not any(k.text in {s.text for s in brief.bottom_line} for k in brief.key_points)


def test_qwen_local_replay_replaces_the_composed_fragment(replayed: tuple[Brief, Any]) -> None:
    brief, _ = replayed
    said = [s.text for s in [*brief.bottom_line, *brief.key_points]]
    meta = brief.meta
    assert meta.sentences_unsupported == RECORDED["sentences_unsupported"]
    assert meta.sentences_replaced == RECORDED["sentences_replaced"]
    assert (meta.claims_rejected, meta.chunks_fallback) == (
        RECORDED["claims_rejected"],
        RECORDED["chunks_fallback"],
    )
    assert any("dominant supply chain" in w and "no standalone sentence" in w for w in meta.warnings)
    assert [t for t in said if statement_problem(t) is not None] == []
    assert not any('","' in t for t in said)


def test_qwen_local_replay_keeps_every_offline_disagreement(replayed: tuple[Brief, Any]) -> None:
    brief, _ = replayed
    offline = make_brief(EXAMPLE, BriefOptions(engine="extractive"), now=NOW)
    assert len(brief.disagreements) >= len(offline.disagreements) == 3


# What the recording shows (tests/cassettes/qwen/README.md).
RECORDED = {
    # compose: the bottom line and its repeat as a key point cut off at "China's over-", and the
    # fragment "dominant supply chain. ... monumental.\",\"cli" twice; each re-asked once, then
    # replaced by the source's own sentence(s)
    "sentences_unsupported": 4,
    "sentences_replaced": 4,
    "claims_rejected": 3,  # S2#3: quotes not in the text after 3 attempts
    "chunks_fallback": 4,  # S1#0, S2#0-2: invalid output (quotes joined or paraphrased)
}
