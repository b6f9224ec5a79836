"""The HTTP layer under every LLM call: a total deadline, a size cap, no foreign redirects, retries.

httpx's ``timeout`` bounds each read, not the request: a server that sends
one byte a second keeps a call alive for ever. :class:`BoundedTransport`
wraps the real transport and gives each request a total deadline (connect,
send and every byte of the answer, under ``anyio.fail_after``), reads at most
``max_bytes`` of the answer, refuses a redirect to another host (the request
body holds article text), and retries transient failures through the run's
:class:`~briefing.engines.llm.retry.SharedBackoff`.

The deadline of the request in progress comes from :data:`DEADLINE`, which
the caller sets per call shape (a long local prompt gets longer than a short
one); the transport's own ``default_deadline`` applies otherwise.

The bound on requests in flight is here too, around the HTTP exchange alone:
a call's other work (rendering, the SDK's request building, parsing and
validating the answer) then runs while the server already has the next
request, instead of holding the server's slot idle (benchmark a).
"""

from __future__ import annotations

import asyncio
import ssl
from contextvars import ContextVar
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import anyio
import httpx2

from briefing.engines.llm.retry import RefusedResponse, RetryableStatus

if TYPE_CHECKING:
    from briefing.engines.llm.retry import SharedBackoff

__all__ = ["DEADLINE", "MAX_RESPONSE_BYTES", "BoundedTransport", "bounded_http_client", "ssl_context"]

# An answer of ours is a few KB of JSON (at most MAX_CLAIMS claims); 4 MB is
# generous for any of them and small enough that a hostile server cannot
# exhaust memory.
MAX_RESPONSE_BYTES = 4 * 1024 * 1024

DEADLINE: ContextVar[float | None] = ContextVar("briefing_llm_deadline", default=None)
# The most requests in flight (this one included) seen by the current call's sends: a timeout's
# advice names the queue the server had, not the calls waiting on our side for a slot.
IN_FLIGHT: ContextVar[list[int] | None] = ContextVar("briefing_llm_in_flight", default=None)


class ResponseTooLarge(RefusedResponse):
    pass


class ForeignRedirect(RefusedResponse):
    pass


def _host(url: object) -> tuple[str, int | None]:
    parts = urlsplit(str(url))
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or "").lower(), port


class BoundedTransport(httpx2.AsyncBaseTransport):
    def __init__(
        self,
        inner: httpx2.AsyncBaseTransport,
        *,
        backoff: SharedBackoff,
        default_deadline: float,
        max_bytes: int = MAX_RESPONSE_BYTES,
        slots: int = 1,
    ) -> None:
        self.inner = inner
        self.backoff = backoff
        self.default_deadline = default_deadline
        self.max_bytes = max_bytes
        # The one bound on requests in flight for the engine, whatever asks: extraction, and the
        # reconcile and compose calls of stories told at once, share the server's slots.
        self._slots = asyncio.Semaphore(max(1, slots))
        self.in_flight = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        async def once() -> httpx2.Response:
            response = await self._send(request)
            if response.status_code == 429 or response.status_code >= 500:
                raise RetryableStatus(response, response.status_code)
            return response

        try:
            return await self.backoff.run(once)
        except RetryableStatus as exc:
            # Out of retries (or told to wait longer than the budget): hand the
            # answer to the SDK, which raises its usual status error.
            response: httpx2.Response = exc.response  # type: ignore[assignment]  # set by once()
            return response

    async def _send(self, request: httpx2.Request) -> httpx2.Response:
        seconds = DEADLINE.get() or self.default_deadline
        try:
            # The deadline starts once a slot is free: waiting behind our own requests is not
            # the server being slow.
            async with self._slots:
                self.in_flight += 1
                seen = IN_FLIGHT.get()
                if seen is not None:
                    seen[0] = max(seen[0], self.in_flight)
                try:
                    with anyio.fail_after(seconds):
                        response = await self.inner.handle_async_request(request)
                        try:
                            body = await self._read(response)
                        finally:
                            await response.aclose()
                finally:
                    self.in_flight -= 1
        except TimeoutError:
            # Our own words, not the cancel scope's repr (which names an object id).
            raise httpx2.ReadTimeout(
                f"no complete answer within {seconds:g} s (connect, send and every byte of the answer)",
                request=request,
            ) from None
        if response.is_redirect:
            location = response.headers.get("location", "")
            target = request.url.join(location) if location else request.url
            if _host(target) != _host(request.url):
                raise ForeignRedirect(
                    f"the server redirected to another host ({_host(target)[0] or location!r}); "
                    "not followed, since the request carries article text"
                )
        return httpx2.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx2.ByteStream(body),
            extensions=response.extensions,
            request=request,
        )

    async def _read(self, response: httpx2.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise ResponseTooLarge(f"the answer is {int(declared):,} bytes; the limit is {self.max_bytes:,}")
        body = bytearray()
        stream: Any = response.stream
        async for part in stream:
            body += part
            if len(body) > self.max_bytes:
                raise ResponseTooLarge(f"the answer exceeded {self.max_bytes:,} bytes; not read further")
        return bytes(body)

    async def aclose(self) -> None:
        await self.inner.aclose()


@cache
def ssl_context() -> ssl.SSLContext:
    """One verifying SSL context per process: loading the CA bundle costs ~0.2 s each time."""
    return httpx2.create_ssl_context()


def bounded_http_client(
    *, backoff: SharedBackoff, deadline: float, connections: int, max_bytes: int = MAX_RESPONSE_BYTES
) -> httpx2.AsyncClient:
    """An ``httpx2.AsyncClient`` for the openai SDK: bounded transport, at most ``connections``
    requests in flight, redirects not followed."""
    limits = httpx2.Limits(
        max_connections=max(connections, 1) + 2, max_keepalive_connections=max(connections, 1)
    )
    inner = httpx2.AsyncHTTPTransport(limits=limits, verify=ssl_context())
    transport = BoundedTransport(
        inner, backoff=backoff, default_deadline=deadline, max_bytes=max_bytes, slots=connections
    )
    # Per-read timeouts are the deadline too; the total is enforced by the transport.
    return httpx2.AsyncClient(transport=transport, follow_redirects=False, timeout=httpx2.Timeout(deadline))
