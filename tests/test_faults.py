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

from briefing.fakeserver import (
    FakeOpenAIServer,
    connection_reset,
    rate_limited,
    server_error,
    slow,
)
from briefing.retry import SharedBackoff


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
