"""A fake OpenAI-compatible chat server for tests, benchmarks and bot examples.

It is a real HTTP server on 127.0.0.1 (an ephemeral port, a background
thread), so requests go through the real openai client, httpx and
instructor. By default it answers like a well-behaved model: extraction
requests get claims quoting real sentences of the article text inside the
request's data tag, reconcile requests get no conflicts, compose requests cite claim
ids found in the request. Faults are injected into a queue and consumed by
the next matching request::

    with FakeOpenAIServer(latency=0.2) as server:
        server.inject(rate_limited(retry_after=0.1))
        client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
"""

from __future__ import annotations

import json
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from briefing.testing.localserver import LocalServer, QuietHandler
from briefing.text import count_tokens, iter_numbers, sentence_spans

__all__ = [
    "FakeOpenAIServer",
    "FakeReply",
    "Fault",
    "RecordedRequest",
    "Responder",
    "connection_reset",
    "default_responder",
    "dripping",
    "empty_choices",
    "malformed_json",
    "many_claims",
    "quotes_not_in_source",
    "rate_limited",
    "redirect_to",
    "schema_violation",
    "server_error",
    "slow",
    "truncated",
]


@dataclass
class FakeReply:
    """One answer of the fake server.

    ``content`` is the structured answer (serialised as tool-call arguments
    or as message content, whichever the request asked for); ``text`` sends
    raw text instead. ``body`` replaces the whole HTTP body; ``drop`` closes
    the connection without answering.
    """

    content: Mapping[str, Any] | None = None
    text: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    delay: float = 0.0
    drop: bool = False
    finish_reason: str = "stop"
    empty_choices: bool = False
    drip: float = 0.0  # seconds between bytes of the body: a server that never quite finishes
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    name: str = "ok"


Responder = Callable[[dict[str, Any]], FakeReply]
Fault = FakeReply | Responder


@dataclass
class RecordedRequest:
    path: str
    body: dict[str, Any] | None
    received: float
    reply: str = "ok"

    @property
    def user_text(self) -> str:
        """The last user message (where the article or claims are)."""
        return user_text(self.body or {})


def user_text(request: Mapping[str, Any]) -> str:
    for message in reversed(request.get("messages") or []):
        if isinstance(message, Mapping) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):  # content parts
                return "".join(str(p.get("text", "")) for p in content if isinstance(p, Mapping))
    return ""


# -- the default, well-behaved "model" ---------------------------------------------

# The prompts fence untrusted text in a per-call tag, <data-0123456789abcdef>.
_DATA_RE = re.compile(r"<(data-[0-9a-f]{16})>\n?(.*?)\n?</\1>", re.S)
_ARTICLE_RE = re.compile(r"^text:\n(.*)", re.S | re.M)
_POINT_RE = re.compile(r"^(\S+) \(\d+ sources?; claims: ([^)]*)\): (.+)$", re.M)
_BUDGET_RE = re.compile(r"at most (\d+) words")


def _kind(request: Mapping[str, Any], text: str) -> str:
    names = json.dumps([request.get("tools"), request.get("response_format")])
    for kind in ("ChunkClaims", "Conflicts", "ComposedBrief"):
        if f'"{kind}"' in names:
            return kind
    data = data_section(text)
    if data is None:
        return "unknown"
    if _ARTICLE_RE.search(data):
        return "ChunkClaims"
    return "ComposedBrief" if data.startswith("points:") else "Conflicts"


def data_section(text: str) -> str | None:
    """What a prompt carries inside its data tag, or None."""
    match = _DATA_RE.search(text)
    return match.group(2) if match else None


def article_of(text: str) -> str:
    """The article text of an extraction prompt ('' if there is none)."""
    match = _ARTICLE_RE.search(data_section(text) or "")
    return match.group(1) if match else ""


def extract_answer(article: str, max_claims: int = 6) -> dict[str, Any]:
    """Claims quoting whole sentences of ``article`` verbatim (what a careful model returns)."""
    claims: list[dict[str, Any]] = []
    for start, end in sentence_spans(article):
        sentence = article[start:end]
        if len(sentence) < 25 or len(sentence.split()) < 5:
            continue  # headlines, bylines and fragments are not facts
        number = next(iter_numbers(sentence), None)
        words = sentence.split()
        claims.append(
            {
                "text": sentence,
                "quote": sentence,
                "subject": " ".join(words[:3]),
                "attribute": "reported",
                "value": number.group() if number else " ".join(words[-3:]),
                "importance": max(1, 5 - len(claims)),
            }
        )
        if len(claims) >= max_claims:
            break
    return {"claims": claims}


def compose_answer(text: str) -> dict[str, Any]:
    """A brief citing the points' claim ids, within the requested word budget."""
    budget_match = _BUDGET_RE.search(text)
    budget = int(budget_match.group(1)) if budget_match else 500
    sentences: list[dict[str, Any]] = []
    words = 0
    for match in _POINT_RE.finditer(text):
        ids = [c.strip() for c in match.group(2).split(",") if c.strip()]
        n = len(match.group(3).split())
        if not ids or words + n > budget:
            continue
        words += n
        sentences.append({"text": match.group(3).strip(), "claim_ids": ids})
    return {"title": "Fake brief", "bottom_line": sentences[:1], "key_points": sentences[1:]}


def default_responder(request: dict[str, Any]) -> FakeReply:
    """Valid answers for the extract, reconcile and compose prompts."""
    text = user_text(request)
    kind = _kind(request, text)
    if kind == "ChunkClaims":
        return FakeReply(content=extract_answer(article_of(text)))
    if kind == "ComposedBrief":
        return FakeReply(content=compose_answer(text))
    return FakeReply(content={"conflicts": []})


# -- faults ----------------------------------------------------------------------


def rate_limited(retry_after: float = 0.1, *, ms: bool = False) -> FakeReply:
    header = {"retry-after-ms": str(int(retry_after * 1000))} if ms else {"retry-after": str(retry_after)}
    error = {
        "error": {"message": "Rate limit reached", "type": "rate_limit_error", "code": "rate_limit_exceeded"}
    }
    return FakeReply(status=429, headers=header, body=json.dumps(error).encode(), name="rate_limited")


def server_error(status: int = 500) -> FakeReply:
    error = {"error": {"message": f"fake upstream error {status}", "type": "server_error"}}
    return FakeReply(status=status, body=json.dumps(error).encode(), name=f"server_error_{status}")


def slow(seconds: float) -> Responder:
    """A valid answer that arrives after ``seconds`` (longer than the client timeout, to time it out)."""

    def respond(request: dict[str, Any]) -> FakeReply:
        reply = default_responder(request)
        reply.delay = seconds
        reply.name = "slow"
        return reply

    return respond


def dripping(seconds_per_byte: float = 1.0) -> Responder:
    """A valid answer sent one byte every ``seconds_per_byte``: each read is quick, the whole never ends."""

    def respond(request: dict[str, Any]) -> FakeReply:
        reply = default_responder(request)
        reply.drip = seconds_per_byte
        reply.name = "dripping"
        return reply

    return respond


def many_claims(n: int = 100_000) -> Responder:
    """An extraction answer with ``n`` claims (each quoting a real sentence), far beyond any prompt's ask."""

    def respond(request: dict[str, Any]) -> FakeReply:
        reply = default_responder(request)
        claims = (reply.content or {}).get("claims") or []
        if claims:
            reply.content = {"claims": [claims[i % len(claims)] for i in range(n)]}
        reply.name = "many_claims"
        return reply

    return respond


def redirect_to(location: str, status: int = 307) -> FakeReply:
    """A redirect (which a client following it would answer by re-posting the article text there)."""
    return FakeReply(status=status, headers={"location": location}, body=b"", name="redirect")


def connection_reset() -> FakeReply:
    return FakeReply(drop=True, name="connection_reset")


def malformed_json() -> FakeReply:
    return FakeReply(
        body=b'{"id": "chatcmpl-broken", "choices": [{"message": {"content": "{\\"cla', name="malformed_json"
    )


def empty_choices() -> FakeReply:
    return FakeReply(empty_choices=True, name="empty_choices")


def schema_violation() -> FakeReply:
    """A well-formed completion whose structured answer does not match the schema."""
    return FakeReply(
        content={"claims": [{"text": 42, "importance": "very"}], "unexpected": True},
        name="schema_violation",
    )


def quotes_not_in_source() -> Responder:
    def respond(request: dict[str, Any]) -> FakeReply:
        reply = default_responder(request)
        if reply.content is not None and isinstance(reply.content.get("claims"), list):
            claims = [
                dict(c, quote="This sentence appears nowhere in the article.")
                for c in reply.content["claims"]
            ]
            reply.content = {**reply.content, "claims": claims}
        reply.name = "quotes_not_in_source"
        return reply

    return respond


def strings_cut_at(chars: int) -> Responder:
    """Claim texts ended by a grammar's string bound: the first ``chars`` characters, mid-phrase."""

    def respond(request: dict[str, Any]) -> FakeReply:
        reply = default_responder(request)
        if reply.content is not None and isinstance(reply.content.get("claims"), list):
            claims = [dict(c, text=c["text"][:chars]) for c in reply.content["claims"]]
            reply.content = {**reply.content, "claims": claims}
        reply.name = "strings_cut_at"
        return reply

    return respond


def truncated() -> Responder:
    """The answer cut off at max_tokens: half the JSON and finish_reason 'length'."""

    def respond(request: dict[str, Any]) -> FakeReply:
        full = json.dumps(default_responder(request).content or {})
        return FakeReply(text=full[: max(1, len(full) // 2)], finish_reason="length", name="truncated")

    return respond


# -- the server ------------------------------------------------------------------


@dataclass
class _Injected:
    fault: Fault
    times: int
    when: Callable[[dict[str, Any]], bool] | None


class FakeOpenAIServer(LocalServer):
    """``POST /v1/chat/completions`` (and ``GET /v1/models``) on 127.0.0.1."""

    name = "fake-openai"

    def __init__(
        self,
        responder: Responder | None = None,
        *,
        latency: float = 0.0,
        model: str = "fake",
        props: Mapping[str, Any] | None = None,
        probe_delay: float = 0.0,
    ) -> None:
        super().__init__()
        self.responder: Responder = responder or default_responder
        # Seconds GET /props and /models take: a local server too busy to answer a probe in time.
        self.probe_delay = probe_delay
        self.latency = latency
        self.model = model
        # What GET /props answers, like llama.cpp's llama-server ({"total_slots": 1,
        # "default_generation_settings": {"n_ctx": 4096}}); None answers 404 like other servers.
        self.props = props
        self.requests: list[RecordedRequest] = []
        # Chat requests being answered now, and the most there ever were at once.
        self.in_flight = 0
        self.max_in_flight = 0
        self._faults: list[_Injected] = []
        self._lock = threading.Lock()
        # The Batch API endpoints (/v1/files, /v1/batches) live in their own module.
        from briefing.testing.fakebatch import FakeBatchAPI

        self.batch = FakeBatchAPI(self)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        return _make_handler(self)

    @property
    def base_url(self) -> str:
        return self.url("/v1")

    # -- faults and records --

    def inject(
        self, *faults: Fault, times: int = 1, when: Callable[[dict[str, Any]], bool] | None = None
    ) -> None:
        """Queue faults; each answers the next ``times`` requests for which ``when(request)`` holds."""
        with self._lock:
            self._faults.extend(_Injected(f, times, when) for f in faults)

    def pending_faults(self) -> int:
        with self._lock:
            return sum(f.times for f in self._faults)

    @property
    def completions(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _next_reply(self, request: dict[str, Any]) -> tuple[FakeReply, str]:
        with self._lock:
            for injected in self._faults:
                if injected.when is None or injected.when(request):
                    injected.times -= 1
                    if injected.times <= 0:
                        self._faults.remove(injected)
                    fault = injected.fault
                    break
            else:
                fault = None
        if fault is None:
            return self.responder(request), "ok"
        reply = fault if isinstance(fault, FakeReply) else fault(request)
        return reply, reply.name

    def sleep(self, seconds: float) -> None:
        self.stopping.wait(seconds)

    def completion_body(self, request: dict[str, Any], reply: FakeReply) -> bytes:
        text = reply.text if reply.text is not None else json.dumps(reply.content or {})
        message: dict[str, Any] = {"role": "assistant", "content": None}
        tools = request.get("tools")
        if tools and reply.text is None:
            name = _tool_name(request)
            message["tool_calls"] = [
                {"id": "call_fake_0", "type": "function", "function": {"name": name, "arguments": text}}
            ]
            finish = "tool_calls" if reply.finish_reason == "stop" else reply.finish_reason
        else:
            message["content"] = text
            finish = reply.finish_reason
        prompt_tokens = reply.prompt_tokens
        if prompt_tokens is None:
            prompt_tokens = sum(
                count_tokens(str(m.get("content") or "")) for m in request.get("messages") or []
            )
        completion_tokens = (
            reply.completion_tokens if reply.completion_tokens is not None else count_tokens(text)
        )
        body = {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": str(request.get("model") or self.model),
            "choices": []
            if reply.empty_choices
            else [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
        return json.dumps(body).encode()


def _tool_name(request: Mapping[str, Any]) -> str:
    choice = request.get("tool_choice")
    if isinstance(choice, Mapping):
        name = (choice.get("function") or {}).get("name")
        if isinstance(name, str):
            return name
    tools = request.get("tools") or []
    return str(((tools[0] if tools else {}).get("function") or {}).get("name", "response"))


def _make_handler(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            with server._lock:
                server.requests.append(RecordedRequest(self.path, None, time.monotonic()))
            if server.batch.handles(self.path):  # Batch API: briefing.testing.fakebatch
                status, data, kind = server.batch.get(self.path)
                self._send(status, data, {"content-type": kind})
                return
            if server.probe_delay:
                server.sleep(server.probe_delay)
            if self.path.rstrip("/") == "/props" and server.props is not None:
                self._send(200, json.dumps(server.props).encode())
            elif self.path.rstrip("/").endswith("/models"):
                body = {
                    "object": "list",
                    "data": [{"id": server.model, "object": "model", "owned_by": "fake"}],
                }
                self._send(200, json.dumps(body).encode())
            else:
                self._send(404, b'{"error": {"message": "not found"}}')

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            if server.batch.handles(self.path):  # Batch API: briefing.testing.fakebatch
                with server._lock:
                    server.requests.append(RecordedRequest(self.path, None, time.monotonic()))
                status, data, kind = server.batch.post(self.path, self.headers.get("content-type", ""), raw)
                self._send(status, data, {"content-type": kind})
                return
            try:
                request = json.loads(raw)
            except ValueError:
                request = None
            record = RecordedRequest(self.path, request, time.monotonic())
            with server._lock:
                server.requests.append(record)
            if not self.path.rstrip("/").endswith("/chat/completions") or not isinstance(request, dict):
                self._send(404 if request is not None else 400, b'{"error": {"message": "bad request"}}')
                return
            with server._lock:
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                reply, record.reply = server._next_reply(request)
                body = reply.body
                if body is None and not reply.drop:
                    body = server.completion_body(request, reply)
                if server.latency or reply.delay:
                    # ``latency`` is the time to answer, counted from the request's arrival: the
                    # fake's own work (parsing, building the answer) is inside it, as a real
                    # server's is, not added to it (a benchmark's L is then exactly L).
                    spent = time.monotonic() - record.received
                    server.sleep(max(0.0, server.latency - spent) + reply.delay)
            finally:
                # Before answering: the client can only send its next request after this one's answer.
                with server._lock:
                    server.in_flight -= 1
            if reply.drop:
                self._reset()
                return
            self._send(reply.status, body or b"", reply.headers, drip=reply.drip)

        def _send(
            self, status: int, body: bytes, headers: Mapping[str, str] | None = None, drip: float = 0.0
        ) -> None:
            try:
                self.send_response(status)
                extra = dict(headers or {})
                self.send_header("content-type", extra.pop("content-type", "application/json"))
                self.send_header("content-length", str(len(body)))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                if drip:
                    for i in range(len(body)):
                        if server.stopping.is_set():
                            break
                        self.wfile.write(body[i : i + 1])
                        self.wfile.flush()
                        server.sleep(drip)
                else:
                    self.wfile.write(body)
                self.wfile.flush()
            except OSError:  # the client gave up (timeout) before we answered
                self.close_connection = True

        def _reset(self) -> None:
            # SO_LINGER 0 makes close() send RST: the client sees "connection reset".
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
            except OSError:
                pass
            self.close_connection = True

    return Handler
