"""Transport retries shared by every LLM call of a run.

Only failures of the *transport* are retried here (rate limits, 5xx,
timeouts, dropped connections). Bad requests, auth errors and invalid model
output are not: retrying them would fail the same way, and validation
re-asks belong to instructor.

One :class:`SharedBackoff` is shared by all concurrent calls of a run. When
the server answers 429, every caller waits until the same ``resume_at``
before its next request, so the whole pool slows down together instead of
each worker hammering the endpoint on its own schedule. The pause is set
only once a call has decided to wait (never by a call that gives up), and it
is never longer than ``max_seconds``: a ``Retry-After: 600`` against a
60-second budget ends that one call, which falls back, and pauses nobody.

It runs inside the HTTP transport (:class:`briefing.engines.llm.transport.BoundedTransport`),
around each single request, so it sees both the transport's own errors and
the 429/5xx answers (as :class:`RetryableStatus`).
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
)

T = TypeVar("T")

# Reasons, as counted in ``SharedBackoff.retries`` and shown in the run's metadata.
RATE_LIMIT = "rate_limit"
SERVER_ERROR = "server_error"
TIMEOUT = "timeout"
CONNECTION = "connection"

# instructor wraps a transport error raised inside its own loop in an
# InstructorRetryException (``raise ... from err``); look through a few causes.
_MAX_CAUSE_DEPTH = 5


class RetryableStatus(Exception):
    """A 429 or 5xx answer, raised inside the transport so the backoff can retry it."""

    def __init__(self, response: object, status_code: int) -> None:
        super().__init__(f"HTTP {status_code}")
        self.response = response
        self.status_code = status_code


class RefusedResponse(Exception):
    """An answer that must not be used or retried: too large, or a redirect to another host."""


def transport_reason(exc: BaseException) -> str | None:
    """The retry reason for a transient transport error, or None if it must not be retried."""
    import httpx2
    import openai

    seen: BaseException | None = exc
    for _ in range(_MAX_CAUSE_DEPTH):
        if seen is None:
            return None
        if isinstance(seen, RefusedResponse):
            return None
        if isinstance(seen, RetryableStatus):
            return RATE_LIMIT if seen.status_code == 429 else SERVER_ERROR
        if isinstance(seen, httpx2.TimeoutException):
            return TIMEOUT
        if isinstance(seen, httpx2.TransportError):
            return CONNECTION
        if isinstance(seen, openai.RateLimitError):
            return RATE_LIMIT
        if isinstance(seen, openai.InternalServerError):
            return SERVER_ERROR
        # APITimeoutError subclasses APIConnectionError, so test it first.
        if isinstance(seen, openai.APITimeoutError):
            return TIMEOUT
        if isinstance(seen, openai.APIConnectionError):
            return CONNECTION
        if isinstance(seen, openai.APIError):
            return None  # 4xx and friends: the same request would fail again
        seen = seen.__cause__
    return None


def _find_status_error(exc: BaseException) -> BaseException | None:
    seen: BaseException | None = exc
    for _ in range(_MAX_CAUSE_DEPTH):
        if seen is None:
            return None
        if getattr(seen, "response", None) is not None:
            return seen
        seen = seen.__cause__
    return None


def parse_retry_after(headers: Mapping[str, str] | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date)."""
    if not headers:
        return None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            value = float(raw_ms) / 1000.0
        except ValueError:
            value = math.nan
        if math.isfinite(value) and value >= 0:
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        value = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(value):
        return None
    return max(0.0, value)


def retry_after_of(exc: BaseException) -> float | None:
    """The server's Retry-After for this error, if it sent one."""
    err = _find_status_error(exc)
    response = getattr(err, "response", None)
    headers = getattr(response, "headers", None)
    try:
        return parse_retry_after(headers)
    except Exception:  # a header object we do not understand is just "no hint"
        return None


class SharedBackoff:
    """Retry transient transport errors with one backoff state for all callers.

    ``max_retries`` retries (so ``max_retries + 1`` attempts) per call, and no
    more than ``max_seconds`` of waiting per call. The wait after a failure is
    the larger of the server's Retry-After and an exponential backoff with
    full jitter (``uniform(0, min(cap, base * 2**n))``).
    """

    def __init__(self, *, max_retries: int, max_seconds: float, base: float = 0.5, cap: float = 20.0) -> None:
        self.max_retries = max(0, max_retries)
        self.max_seconds = max_seconds
        self.base = base
        self.cap = cap
        # Monotonic time before which no caller may send its next request.
        self.resume_at = 0.0
        self.retries: dict[str, int] = {}
        self.gave_up: dict[str, int] = {}
        self.waited_seconds = 0.0
        self.last_retry_after: float | None = None
        # Tests replace these to run without real sleeping.
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        self._clock: Callable[[], float] = time.monotonic
        self._random: Callable[[float, float], float] = random.uniform

    @property
    def total_retries(self) -> int:
        return sum(self.retries.values())

    def counters(self) -> dict[str, int]:
        """Retries by reason, plus 'gave_up_<reason>' for calls that ran out of retries."""
        out = dict(self.retries)
        out.update({f"gave_up_{k}": v for k, v in self.gave_up.items()})
        return out

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        exponential = self._random(0.0, min(self.cap, self.base * 2 ** (state.attempt_number - 1)))
        if exc is None:
            return exponential
        hint = retry_after_of(exc)
        delay = exponential
        if hint is not None:
            self.last_retry_after = hint
            # The server knows better than our schedule; honour it even beyond ``cap``
            # (``max_seconds`` still bounds it through the stop condition, which
            # tenacity evaluates after this wait: so nothing shared is set here).
            delay = max(hint, exponential)
        return delay

    def _before_sleep(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        reason = transport_reason(exc) if exc is not None else None
        if reason is not None:
            self.retries[reason] = self.retries.get(reason, 0) + 1
        if reason == RATE_LIMIT:
            # Everyone waits: the limit is per key, not per worker. Only a call that
            # is really going to wait sets the pause, and never beyond max_seconds.
            pause = min(state.upcoming_sleep, self.max_seconds)
            self.resume_at = max(self.resume_at, self._clock() + pause)
        self.waited_seconds += state.upcoming_sleep

    async def _wait_for_pool(self) -> None:
        delay = min(self.resume_at - self._clock(), self.max_seconds)
        if delay > 0:
            await self._sleep(delay)

    async def run(self, fn: Callable[[], Awaitable[T]]) -> T:
        """Await ``fn()``, retrying transient transport errors; other errors propagate at once."""

        async def attempt() -> T:
            await self._wait_for_pool()
            return await fn()

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.max_retries + 1) | stop_before_delay(self.max_seconds),
            wait=self._wait,
            retry=retry_if_exception(lambda e: transport_reason(e) is not None),
            before_sleep=self._before_sleep,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return await retrying(attempt)
        except BaseException as exc:
            reason = transport_reason(exc) if isinstance(exc, Exception) else None
            if reason is not None:
                self.gave_up[reason] = self.gave_up.get(reason, 0) + 1
            raise
