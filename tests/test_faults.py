"""Every injected fault, through real HTTP: openai client -> FakeOpenAIServer on 127.0.0.1.

The first half drives :class:`SharedBackoff` directly (transport faults are
retried and succeed); the second half runs the whole pipeline with the LLM
engine and checks what the user gets when a fault persists: that chunk falls
back to the extractive engine and ``brief.meta`` says why.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from briefing.engines.llm.retry import SharedBackoff
from briefing.testing.fakeserver import (
    FakeOpenAIServer,
    connection_reset,
    empty_choices,
    malformed_json,
    quotes_not_in_source,
    rate_limited,
    schema_violation,
    server_error,
    slow,
    truncated,
)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as s:
        yield s


def _chat(server: FakeOpenAIServer, backoff: SharedBackoff, *, timeout: float = 5.0) -> Any:
    import openai

    async def go() -> Any:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="test", max_retries=0, timeout=timeout)
        try:
            return await backoff.run(
                lambda: client.chat.completions.create(
                    model="fake",
                    messages=[
                        {"role": "user", "content": "<article>\nA fact was stated here today.\n</article>"}
                    ],
                )
            )
        finally:
            await client.close()

    return asyncio.run(go())


def _backoff(max_retries: int = 3) -> SharedBackoff:
    return SharedBackoff(max_retries=max_retries, max_seconds=30.0, base=0.01, cap=0.05)


# -- transient faults: retried at the transport level, the call succeeds ------------------


def test_fault_rate_limit_429_waits_retry_after_then_succeeds(server: FakeOpenAIServer) -> None:
    server.inject(rate_limited(retry_after=0.4))
    backoff = _backoff()
    completion = _chat(server, backoff)
    assert completion.choices[0].message.content
    sent = server.completions
    assert [r.reply for r in sent] == ["rate_limited", "ok"]
    assert sent[1].received - sent[0].received >= 0.4  # Retry-After honoured, not the 0.01 s backoff
    assert backoff.retries == {"rate_limit": 1}
    assert backoff.last_retry_after == pytest.approx(0.4)


def test_fault_rate_limit_429_retry_after_ms_is_honoured(server: FakeOpenAIServer) -> None:
    server.inject(rate_limited(retry_after=0.3, ms=True))
    _chat(server, _backoff())
    sent = server.completions
    assert len(sent) == 2 and sent[1].received - sent[0].received >= 0.3


def test_fault_rate_limit_429_pauses_the_whole_pool(server: FakeOpenAIServer) -> None:
    """One 429 with Retry-After: every concurrent caller's next request waits for it."""
    import openai

    backoff = _backoff()
    server.latency = 0.05
    server.inject(rate_limited(retry_after=0.5))

    async def go() -> None:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="test", max_retries=0, timeout=5)

        async def one(delay: float) -> None:
            await asyncio.sleep(delay)
            await backoff.run(
                lambda: client.chat.completions.create(
                    model="fake", messages=[{"role": "user", "content": "hi"}]
                )
            )

        # The first call gets the 429; the others start while the pool is paused.
        await asyncio.gather(one(0.0), one(0.15), one(0.2), one(0.25))
        await client.close()

    asyncio.run(go())
    sent = server.completions
    first = sent[0]
    assert first.reply == "rate_limited"
    assert len(sent) == 5
    assert all(r.received - first.received >= 0.5 for r in sent[1:])


@pytest.mark.parametrize("status", [500, 502, 503])
def test_fault_server_error_5xx_is_retried(server: FakeOpenAIServer, status: int) -> None:
    server.inject(server_error(status))
    backoff = _backoff()
    _chat(server, backoff)
    assert [r.reply for r in server.completions] == [f"server_error_{status}", "ok"]
    assert backoff.retries == {"server_error": 1}


def test_fault_timeout_is_retried(server: FakeOpenAIServer) -> None:
    server.inject(slow(3.0))
    backoff = _backoff()
    started = time.monotonic()
    _chat(server, backoff, timeout=0.3)
    assert time.monotonic() - started < 2.0  # gave up on the slow answer, did not wait 3 s
    assert [r.reply for r in server.completions] == ["slow", "ok"]
    assert backoff.retries == {"timeout": 1}


def test_fault_connection_reset_is_retried(server: FakeOpenAIServer) -> None:
    server.inject(connection_reset())
    backoff = _backoff()
    _chat(server, backoff)
    assert [r.reply for r in server.completions] == ["connection_reset", "ok"]
    assert backoff.retries == {"connection": 1}


def test_fault_persistent_503_gives_up_after_max_retries(server: FakeOpenAIServer) -> None:
    import openai

    server.inject(server_error(503), times=100)
    backoff = _backoff(max_retries=2)
    with pytest.raises(openai.InternalServerError):
        _chat(server, backoff)
    assert len(server.completions) == 3
    assert backoff.counters() == {"server_error": 2, "gave_up_server_error": 1}


# -- the whole pipeline: what the user gets ------------------------------------------------------

# Two short synthetic articles; the fault is aimed at the chunk of the first one only.
_ARTICLE_A = (
    "Quarry output rises\n\n"
    "The Dornwick quarry produced 45,000 tonnes of crushed granite in 2024, officials said on Monday. "
    "The company employs about 300 people in Quenby. Shipments to the coast fell by a third over the year.\n"
)
_ARTICLE_B = (
    "Granite boom\n\n"
    "The Dornwick quarry produced 43,000 tonnes of crushed granite in 2024, "
    "according to the company report. "
    "Analysts expect prices to rise again next year as demand for kerbstones grows.\n"
)


def _is_article_a(request: dict[str, Any]) -> bool:
    from briefing.testing.fakeserver import article_of, user_text

    return "officials said on Monday" in article_of(user_text(request))


def _brief(server: FakeOpenAIServer, tmp_path: Any, **overrides: Any) -> Any:
    import openai

    from briefing import BriefOptions, make_brief
    from briefing.engines.llm.calls import run_sync

    folder = tmp_path / "sources"
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text(_ARTICLE_A)
    (folder / "b.txt").write_text(_ARTICLE_B)
    settings: dict[str, Any] = {
        "engine": "llm",
        "base_url": server.base_url,
        "model": "fake",
        "cache": False,
        "concurrency": 2,
        "max_retries": 2,
        "max_reasks": 1,
        "timeout": 5.0,
    }
    settings.update(overrides)
    options = BriefOptions(**settings)
    # The test owns the client so it can close its pooled connections (filterwarnings=error
    # turns an unclosed socket into a failure); it is configured as the engine would.
    client = openai.AsyncOpenAI(
        base_url=server.base_url, api_key="test", max_retries=0, timeout=options.timeout
    )
    try:
        return make_brief(folder, options, client=client)
    finally:
        run_sync(client.close())


def _extract_requests(server: FakeOpenAIServer) -> list[Any]:
    from briefing.testing.fakeserver import article_of

    return [r for r in server.completions if article_of(r.user_text)]


def _assert_fell_back(brief: Any, reason: str) -> None:
    assert brief.meta.chunks == 2
    assert brief.meta.chunks_fallback == 1
    assert brief.meta.fallback_reasons == {reason: 1}
    assert any(w.startswith("S1#0: ") and "extractive" in w for w in brief.meta.warnings), brief.meta.warnings
    # The brief is still complete and cites the faulty source, through the extractive engine.
    cited = {c.source for s in [*brief.bottom_line, *brief.key_points] for c in s.citations}
    assert cited == {"S1", "S2"}


def _assert_clean(brief: Any) -> None:
    assert brief.meta.chunks_fallback == 0
    assert brief.meta.fallback_reasons == {}


def test_fault_pipeline_rate_limit_429_retried_and_pool_waits(
    server: FakeOpenAIServer, tmp_path: Any
) -> None:
    server.inject(rate_limited(retry_after=0.3), when=_is_article_a)
    brief = _brief(server, tmp_path)
    _assert_clean(brief)
    extract = _extract_requests(server)
    assert [r.reply for r in extract].count("rate_limited") == 1
    assert len(extract) == 3  # 2 chunks + 1 retry
    limited = next(r for r in extract if r.reply == "rate_limited")
    retry = next(r for r in extract[extract.index(limited) + 1 :] if _is_article_a(r.body or {}))
    assert retry.received - limited.received >= 0.3  # Retry-After honoured


@pytest.mark.parametrize("status", [500, 502, 503])
def test_fault_pipeline_server_error_5xx_retried(
    server: FakeOpenAIServer, tmp_path: Any, status: int
) -> None:
    server.inject(server_error(status), when=_is_article_a)
    brief = _brief(server, tmp_path)
    _assert_clean(brief)
    assert len(_extract_requests(server)) == 3


def test_fault_pipeline_timeout_retried(server: FakeOpenAIServer, tmp_path: Any) -> None:
    server.inject(slow(3.0), when=_is_article_a)
    brief = _brief(server, tmp_path, timeout=0.5)
    _assert_clean(brief)
    assert [r.reply for r in _extract_requests(server)].count("slow") == 1


def test_fault_pipeline_connection_reset_retried(server: FakeOpenAIServer, tmp_path: Any) -> None:
    server.inject(connection_reset(), when=_is_article_a)
    brief = _brief(server, tmp_path)
    _assert_clean(brief)
    assert len(_extract_requests(server)) == 3


def test_fault_pipeline_malformed_json_reasked_once_then_ok(server: FakeOpenAIServer, tmp_path: Any) -> None:
    server.inject(malformed_json(), when=_is_article_a)
    brief = _brief(server, tmp_path)
    _assert_clean(brief)
    assert len(_extract_requests(server)) == 3


# Persistent faults: the chunk falls back to the extractive engine and meta says why.


@pytest.mark.parametrize(
    ("fault", "name"),
    [
        (rate_limited(retry_after=0.05), "rate_limited"),
        (server_error(500), "server_error_500"),
        (server_error(502), "server_error_502"),
        (server_error(503), "server_error_503"),
        (connection_reset(), "connection_reset"),
    ],
)
def test_fault_pipeline_persistent_transport_error_falls_back(
    server: FakeOpenAIServer, tmp_path: Any, fault: Any, name: str
) -> None:
    server.inject(fault, times=100, when=_is_article_a)
    brief = _brief(server, tmp_path, max_retries=2, retry_max_seconds=10.0)
    _assert_fell_back(brief, "transport")
    replies = [r.reply for r in _extract_requests(server)]
    assert replies.count(name) == 3  # 1 try + max_retries, then give up
    assert replies.count("ok") == 1


def test_fault_pipeline_persistent_timeout_falls_back(server: FakeOpenAIServer, tmp_path: Any) -> None:
    server.inject(slow(5.0), times=100, when=_is_article_a)
    brief = _brief(server, tmp_path, timeout=0.3, max_retries=1)
    _assert_fell_back(brief, "transport")
    assert [r.reply for r in _extract_requests(server)].count("slow") == 2


def test_fault_pipeline_persistent_malformed_json_falls_back(server: FakeOpenAIServer, tmp_path: Any) -> None:
    server.inject(malformed_json(), times=100, when=_is_article_a)
    brief = _brief(server, tmp_path)
    _assert_fell_back(brief, "malformed json")
    assert [r.reply for r in _extract_requests(server)].count("malformed_json") == 2  # 1 + max_reasks


def test_fault_pipeline_schema_violation_reasked_then_falls_back(
    server: FakeOpenAIServer, tmp_path: Any
) -> None:
    server.inject(schema_violation(), times=100, when=_is_article_a)
    brief = _brief(server, tmp_path)
    _assert_fell_back(brief, "invalid output")
    assert [r.reply for r in _extract_requests(server)].count("schema_violation") == 2


def test_fault_pipeline_schema_violation_once_is_fixed_by_reask(
    server: FakeOpenAIServer, tmp_path: Any
) -> None:
    server.inject(schema_violation(), when=_is_article_a)
    brief = _brief(server, tmp_path)
    _assert_clean(brief)
    reask = [r for r in _extract_requests(server) if _is_article_a(r.body or {})][-1]
    # instructor re-asks with the validation error in the conversation.
    assert len((reask.body or {}).get("messages", [])) > 2


def test_fault_pipeline_quotes_not_in_source_fall_back(server: FakeOpenAIServer, tmp_path: Any) -> None:
    server.inject(quotes_not_in_source(), times=100, when=_is_article_a)
    brief = _brief(server, tmp_path)
    _assert_fell_back(brief, "invalid output")
    # No invented quote reaches the brief: every citation is the source's own text.
    for statement in [*brief.bottom_line, *brief.key_points]:
        for c in statement.citations:
            assert "appears nowhere" not in c.quote


def test_fault_pipeline_truncated_finish_reason_length_falls_back(
    server: FakeOpenAIServer, tmp_path: Any
) -> None:
    server.inject(truncated(), times=100, when=_is_article_a)
    brief = _brief(server, tmp_path)
    _assert_fell_back(brief, "truncated")


def test_fault_pipeline_empty_choices_falls_back(server: FakeOpenAIServer, tmp_path: Any) -> None:
    server.inject(empty_choices(), times=100, when=_is_article_a)
    brief = _brief(server, tmp_path)
    assert brief.meta.chunks_fallback == 1
    (reason,) = brief.meta.fallback_reasons
    assert reason in {"empty response", "no structured output"}


def test_fault_pipeline_usage_is_reported(server: FakeOpenAIServer, tmp_path: Any) -> None:
    brief = _brief(server, tmp_path)
    usage = brief.meta.usage
    assert usage.calls == len(server.completions)
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    assert usage.cost_usd == 0.0  # the 'fake' model is priced at zero


# -- Ctrl-C ---------------------------------------------------------------------------------------


def test_fault_ctrl_c_mid_write_leaves_no_partial_output(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """KeyboardInterrupt while the output file is being written: exit 130, no file, no temp file."""
    import os

    from typer.testing import CliRunner

    from briefing.cli import app

    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "a.txt").write_text(_ARTICLE_A)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    output = out_dir / "brief.md"

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    result = CliRunner().invoke(
        app, ["make", "--sources", str(folder), "--engine", "extractive", "-o", str(output), "--quiet"]
    )
    assert result.exit_code == 130
    assert list(out_dir.iterdir()) == []


def test_fault_ctrl_c_mid_write_keeps_previous_output(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from briefing.atomic import write_atomic

    output = tmp_path / "brief.md"
    output.write_text("previous brief\n")
    real_fdopen = os.fdopen

    class Interrupting:
        """The temp file: some bytes reach the disk, then Ctrl-C."""

        def __init__(self, fd: int, mode: str) -> None:
            self.file = real_fdopen(fd, mode)

        def __enter__(self) -> Interrupting:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, data: bytes) -> int:
            self.file.write(data[:10])
            self.file.flush()
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", Interrupting)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(output, "new brief " * 10_000)
    monkeypatch.undo()
    assert output.read_text() == "previous brief\n"
    assert list(tmp_path.iterdir()) == [output]


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
def test_fakeserver_serves_every_instructor_mode(server: FakeOpenAIServer, tmp_path: Any, mode: str) -> None:
    brief = _brief(server, tmp_path, mode=mode)
    _assert_clean(brief)
    assert brief.key_points
    first = server.completions[0].body or {}
    assert ("tools" in first) == (mode == "tools")
    assert brief.meta.usage.calls == len(server.completions) == 4  # 2 chunks, reconcile, compose
