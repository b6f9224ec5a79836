"""The full LLM engine against a real llama.cpp server, recorded as cassettes.

Gemma 3 270M is a base model: it invents quotes and ignores instructions, which
is what this test needs. It shows the guards working on real output: invented
quotes are rejected and re-asked, chunks the model cannot do fall back to the
extractive engine, and the brief keeps only citations that are the sources'
own text. Every exchange is recorded into tests/cassettes/llama_server/
(rewritten on each run) for tests/test_local_replay.py to replay offline.

Run: ``bash scripts/ci_llama.sh && pytest -m integration tests/integration -s``
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from _local_guards import (
    CASSETTE,
    CASSETTE_DIR,
    EXAMPLE,
    MAX_TOKENS,
    NOW,
    guard_figures,
    recorded_options,
    verify_citations,
)

from briefing import make_brief

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTE_DIR)


# "rewrite" = delete the old cassette, then record every exchange of this run.
@pytest.mark.vcr(record_mode="rewrite")
@pytest.mark.default_cassette(CASSETTE)
def test_llama_server_brief_rare_earths(llama_server: Any, vcr: Any) -> None:
    from briefing.engines.llm.calls import run_sync
    from briefing.engines.local.server import capped_client

    options = recorded_options(llama_server.base_url)
    client = capped_client(llama_server.base_url, max_tokens=MAX_TOKENS, timeout=options.timeout)
    started = time.monotonic()
    try:
        brief = make_brief(EXAMPLE, options, client=client, now=NOW)
    finally:
        run_sync(client.close())  # on the engine's loop, where its connections live
    seconds = time.monotonic() - started

    figures = guard_figures(brief, list(vcr.requests))
    print(f"\n--- llama.cpp server, {llama_server.alias}, {seconds:.0f}s ---\n{figures.report()}")
    print(brief.to_markdown())

    assert figures.requests == brief.meta.usage.calls > 0
    # The weak model's quotes are checked against the article and re-asked...
    assert figures.reasks >= 1 and max(figures.requests_per_chunk.values()) > 1
    assert figures.invented_quotes_rejected >= 1
    # ...what it still cannot do falls back to the extractive engine...
    assert brief.meta.chunks_fallback >= 1
    assert sum(brief.meta.fallback_reasons.values()) == brief.meta.chunks_fallback
    # ...and the brief cites nothing but the sources' own text.
    assert figures.citations > 0
    assert verify_citations(brief) == []


def test_llama_server_stops_and_removes_its_log(llama_server: Any) -> None:
    from briefing.engines.local.server import LlamaServer

    server = LlamaServer(llama_server.model_path, n_ctx=512)
    server.start()
    log = server.log_path
    assert server.running and log is not None and log.exists()
    server.stop()
    assert not server.running and not log.exists()


def test_llama_server_reports_a_model_it_cannot_load(llama_server: Any, tmp_path: Any) -> None:
    from briefing.engines.local.server import LlamaServer
    from briefing.errors import LLMError

    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(LLMError, match="exited with code"):
        LlamaServer(bad, startup_timeout=60).start()
