from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx2
import openai  # noqa: TID253 - tests may load openai eagerly; the ban protects `import briefing`
import pytest
from pydantic import BaseModel, ValidationError

from briefing.engines.llm.retry import SharedBackoff, parse_retry_after, transport_reason

_REQUEST = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")


def _status(cls: type[openai.APIStatusError], code: int, headers: dict[str, str] | None = None) -> Exception:
    response = httpx2.Response(code, headers=headers or {}, request=_REQUEST)
    return cls(f"status {code}", response=response, body=None)


class _FakeTime:
    """A clock that only advances when the backoff sleeps, so tests take no real time."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _backoff(max_retries: int = 3, max_seconds: float = 60.0, **kw: float) -> tuple[SharedBackoff, _FakeTime]:
    backoff = SharedBackoff(max_retries=max_retries, max_seconds=max_seconds, **kw)
    fake = _FakeTime()
    backoff._sleep = fake.sleep
    backoff._clock = fake.clock
    backoff._random = lambda lo, hi: hi  # deterministic "jitter": the full exponential step
    return backoff, fake


def _failing(errors: list[Exception], result: str = "ok") -> tuple[Callable[[], Awaitable[str]], list[int]]:
    calls: list[int] = []

    async def fn() -> str:
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return result

    return fn, calls


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (_status(openai.RateLimitError, 429), "rate_limit"),
        (_status(openai.InternalServerError, 500), "server_error"),
        (_status(openai.InternalServerError, 502), "server_error"),
        (_status(openai.InternalServerError, 503), "server_error"),
        (openai.APITimeoutError(request=_REQUEST), "timeout"),
        (openai.APIConnectionError(request=_REQUEST), "connection"),
    ],
)
def test_retry_transient_errors_are_retried_and_counted(error: Exception, reason: str) -> None:
    backoff, _ = _backoff()
    fn, calls = _failing([error, error])
    assert asyncio.run(backoff.run(fn)) == "ok"
    assert len(calls) == 3
    assert backoff.retries == {reason: 2}


@pytest.mark.parametrize(
    "error",
    [
        _status(openai.BadRequestError, 400),
        _status(openai.AuthenticationError, 401),
        _status(openai.PermissionDeniedError, 403),
        _status(openai.NotFoundError, 404),
        _status(openai.UnprocessableEntityError, 422),
        ValueError("not transport"),
    ],
)
def test_retry_permanent_errors_propagate_at_once(error: Exception) -> None:
    backoff, fake = _backoff()
    fn, calls = _failing([error])
    with pytest.raises(type(error)):
        asyncio.run(backoff.run(fn))
    assert len(calls) == 1
    assert fake.sleeps == []
    assert backoff.total_retries == 0


def test_retry_validation_error_is_not_retried() -> None:
    class M(BaseModel):
        x: int

    try:
        M.model_validate({"x": "nope"})
    except ValidationError as exc:
        err = exc
    backoff, _ = _backoff()
    fn, calls = _failing([err])
    with pytest.raises(ValidationError):
        asyncio.run(backoff.run(fn))
    assert len(calls) == 1


def test_retry_sees_transport_error_wrapped_by_instructor() -> None:
    from instructor.core.exceptions import InstructorRetryException

    cause = _status(openai.RateLimitError, 429, {"retry-after": "1"})
    try:
        try:
            raise cause
        except openai.RateLimitError as inner:
            raise InstructorRetryException("wrapped", n_attempts=1, total_usage=0) from inner
    except InstructorRetryException as exc:
        wrapped = exc
    assert transport_reason(wrapped) == "rate_limit"
    backoff, fake = _backoff()
    fn, calls = _failing([wrapped])
    assert asyncio.run(backoff.run(fn)) == "ok"
    assert len(calls) == 2
    assert fake.sleeps[0] >= 1.0


def test_retry_honours_retry_after_over_shorter_backoff() -> None:
    backoff, fake = _backoff(base=0.01)
    fn, _ = _failing([_status(openai.RateLimitError, 429, {"retry-after": "7"})])
    asyncio.run(backoff.run(fn))
    assert fake.sleeps == [7.0]
    assert backoff.last_retry_after == 7.0


def test_retry_prefers_retry_after_ms() -> None:
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({"retry-after": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, now=1445412470.0) == 10.0
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


def test_retry_backoff_is_exponential_and_capped() -> None:
    backoff, fake = _backoff(max_retries=6, base=1.0, cap=5.0)
    err = _status(openai.InternalServerError, 500)
    fn, _ = _failing([err] * 6)
    asyncio.run(backoff.run(fn))
    assert fake.sleeps == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


def test_retry_gives_up_after_max_retries() -> None:
    backoff, _ = _backoff(max_retries=2)
    err = _status(openai.InternalServerError, 503)
    fn, calls = _failing([err] * 5)
    with pytest.raises(openai.InternalServerError):
        asyncio.run(backoff.run(fn))
    assert len(calls) == 3
    assert backoff.counters() == {"server_error": 2, "gave_up_server_error": 1}


def test_retry_gives_up_when_the_wait_would_exceed_max_seconds() -> None:
    backoff, fake = _backoff(max_retries=10, max_seconds=5.0)
    fn, calls = _failing([_status(openai.RateLimitError, 429, {"retry-after": "30"})])
    with pytest.raises(openai.RateLimitError):
        asyncio.run(backoff.run(fn))
    assert len(calls) == 1
    assert fake.sleeps == []


def test_retry_rate_limit_pauses_every_concurrent_caller() -> None:
    """After one caller's 429, the others wait for the same resume time before their next request."""
    backoff = SharedBackoff(max_retries=2, max_seconds=10.0, base=0.001)
    sent: dict[str, list[float]] = {"a": [], "b": []}
    loop_start = 0.0

    async def a() -> str:
        sent["a"].append(time.monotonic() - loop_start)
        if len(sent["a"]) == 1:
            raise _status(openai.RateLimitError, 429, {"retry-after": "0.4"})
        return "a"

    async def b() -> str:
        sent["b"].append(time.monotonic() - loop_start)
        return "b"

    async def b_later() -> str:
        await asyncio.sleep(0.05)  # b's request comes while the pool is paused
        return await backoff.run(b)

    async def scenario() -> list[str]:
        nonlocal loop_start
        loop_start = time.monotonic()
        return list(await asyncio.gather(backoff.run(a), b_later()))

    assert asyncio.run(scenario()) == ["a", "b"]
    assert sent["a"][1] >= 0.4
    assert sent["b"][0] >= 0.4  # b never failed, yet waited for the shared resume time
    assert backoff.retries == {"rate_limit": 1}


def test_retry_server_error_does_not_pause_the_pool() -> None:
    backoff, _ = _backoff()
    fn, _ = _failing([_status(openai.InternalServerError, 500)])
    asyncio.run(backoff.run(fn))
    assert backoff.resume_at == 0.0
