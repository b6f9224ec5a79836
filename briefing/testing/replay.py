"""Serve recorded model answers over HTTP: vcrpy cassettes replayed by a server on 127.0.0.1.

A cassette recorded from a real server (scripts/record_qwen.py, the llama.cpp
integration test) holds every exchange of a run. :class:`ReplayServer`
answers each request with the recorded response whose method, path and JSON
body match (:func:`body_key`: the body minus its volatile keys), so anything
that talks HTTP to an OpenAI-compatible base URL — the CLI, ``briefing eval``,
another process — runs on the recorded model output, offline::

    with ReplayServer("recordings/event.yaml") as server:
        make_brief(folder, BriefOptions(engine="llm", base_url=server.base_url, ...))
    server.misses  # requests the recording does not answer

Some calls carry what the deterministic stages made (the reconcile and compose
requests list the merged claims), so a recording made before those stages
changed no longer matches them byte for byte. ``by_call=("Conflicts", ...)``
answers such a request, when its exact body is not recorded, with the answer
recorded for the same call and attempt (tool name and message count) in the
cassette of the last exactly matched request: the run being replayed, since a
run's extraction calls come before its reconcile and compose calls. The engine
validates that answer afresh (claim ids it cites must exist), and
:attr:`ReplayServer.by_call_played` counts them.

A request the cassettes do not hold is answered ``400`` with a message that
says so: the LLM engine treats it like any HTTP error and falls back to the
extractive engine for that call, so a partial recording still makes a brief,
and its warnings say which calls were not replayed.

The matcher is shared with the recorder and the tests' vcrpy configuration,
so the three agree on what "the same request" is.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from briefing.testing.localserver import LocalServer, QuietHandler

__all__ = ["VOLATILE_BODY_KEYS", "Miss", "ReplayServer", "body_key", "json_body_matcher", "request_key"]

# Request keys that vary between identical calls (per-user ids, seeds) and say nothing about the answer.
VOLATILE_BODY_KEYS = frozenset({"user", "seed", "stream_options", "metadata"})
# instructor's re-ask text quotes pydantic's error URL, which names pydantic's version.
_PYDANTIC_URL = re.compile(r"https://errors\.pydantic\.dev/[^/\s]+/")
# Recorded headers that describe the recorded transfer, not the answer: recomputed when served.
_TRANSFER_HEADERS = frozenset({"content-length", "transfer-encoding", "content-encoding", "connection"})


def body_key(body: bytes | str | None) -> Any:
    """What identifies a request body: its JSON minus volatile keys (the raw text if not JSON)."""
    if not body:
        return None
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in VOLATILE_BODY_KEYS}
    return json.loads(_PYDANTIC_URL.sub("https://errors.pydantic.dev/", json.dumps(data, sort_keys=True)))


def json_body_matcher(r1: Any, r2: Any) -> None:
    """A vcrpy matcher on :func:`body_key` (concurrent calls arrive in any order: match on content)."""
    if body_key(r1.body) != body_key(r2.body):
        raise AssertionError("request bodies differ")


def call_key(body: bytes | str | None) -> tuple[str, int] | None:
    """The structured call a request makes, without what it carries: (tool name, messages)."""
    data = body_key(body)
    if not isinstance(data, dict):
        return None
    tool = ((data.get("tool_choice") or {}).get("function") or {}).get("name")
    return (tool, len(data.get("messages") or [])) if isinstance(tool, str) else None


EXTRACTION_CALL = "ChunkClaims"


def recorded_call_matcher(r1: Any, r2: Any) -> None:
    """A vcrpy matcher for a recorded model run: extraction requests on their body, later calls on
    the call they make (:func:`call_key`).

    What a reconcile or compose request carries is made by the deterministic stages (the claims of
    chunks that fell back, the disagreements found): when those improve, the body changes but the
    recorded answer is still the model's answer to that call, and the engine validates it afresh.
    """
    c1, c2 = call_key(r1.body), call_key(r2.body)
    if c1 != c2:
        raise AssertionError("a different call")
    if (c1 is None or c1[0] == EXTRACTION_CALL) and body_key(r1.body) != body_key(r2.body):
        raise AssertionError("request bodies differ")


def request_key(method: str, path: str, body: bytes | str | None) -> tuple[str, str, str]:
    """Method, path (without the query) and body key, hashable."""
    return method.upper(), path.split("?", 1)[0], json.dumps(body_key(body), sort_keys=True)


@dataclass(frozen=True)
class Miss:
    """A request no cassette answers."""

    method: str
    path: str
    body: bytes

    @property
    def call(self) -> str:
        """The structured call it was (the tool it asked for), or its path."""
        call = call_key(self.body)
        return call[0] if call is not None else f"{self.method} {self.path}"


@dataclass
class _Answer:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


class ReplayServer(LocalServer):
    """Answer requests from vcrpy cassettes: each recorded answer once, in order, then the last again."""

    name = "replay-server"

    def __init__(self, *cassettes: str | Path, by_call: Iterable[str] = ()) -> None:
        super().__init__()
        self.cassettes = [Path(c) for c in cassettes]
        self.by_call = frozenset(by_call)
        self._answers: dict[tuple[str, str, str], list[_Answer]] = {}
        self._served: dict[tuple[str, str, str], int] = {}
        self._owner: dict[tuple[str, str, str], int] = {}  # which cassette recorded it
        self._calls: dict[tuple[int, str, tuple[str, int]], list[_Answer]] = {}
        self._calls_served: dict[tuple[int, str, tuple[str, int]], int] = {}
        self._last_cassette: int | None = None
        self.recorded = 0
        for index, cassette in enumerate(self.cassettes):
            self._load(index, cassette)
        self.misses: list[Miss] = []
        self.played = 0
        self.by_call_played = 0
        self._lock = threading.Lock()

    def _load(self, index: int, cassette: Path) -> None:
        try:
            from vcr.serialize import deserialize
            from vcr.serializers import yamlserializer
        except ImportError as exc:
            from briefing.errors import MissingDependencyError

            raise MissingDependencyError("replay a cassette (vcrpy is in the test extra)", exc) from None
        loaded = deserialize(cassette.read_text(encoding="utf-8"), yamlserializer)
        requests, responses = loaded[0], loaded[1]  # a third item, metadata, in newer cassettes
        for request, response in zip(requests, responses, strict=True):
            key = request_key(request.method, request.path, request.body)
            answer = _answer(response)
            self._answers.setdefault(key, []).append(answer)
            self._owner.setdefault(key, index)
            call = call_key(request.body)
            if call is not None and call[0] in self.by_call:
                self._calls.setdefault((index, key[1], call), []).append(answer)
            self.recorded += 1

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL (``/v1``) the recorded requests were sent to."""
        return self.url("/v1")

    @property
    def unplayed(self) -> int:
        """Recorded exchanges no request has asked for (yet)."""
        with self._lock:
            return sum(max(0, len(a) - self._served.get(k, 0)) for k, a in self._answers.items())

    def summary(self) -> str:
        """One line: how much of the recording was replayed, and what it did not answer."""
        with self._lock:
            calls = sorted({m.call for m in self.misses})
            missed = f"{len(self.misses)} not in the recording" + (f" ({', '.join(calls)})" if calls else "")
            loose = f", {self.by_call_played} of them by call and attempt" if self.by_call else ""
            return f"replayed {self.played} request(s) from {self.recorded} recorded{loose}; {missed}"

    def answer(self, method: str, path: str, body: bytes) -> _Answer:
        key = request_key(method, path, body)
        with self._lock:
            answers = self._answers.get(key)
            if answers:
                if key[0] == "POST":  # the endpoint probes (GETs) are the same in every recording
                    self._last_cassette = self._owner[key]
                self.played += 1
                return _next(answers, self._served, key)
            call = call_key(body)
            if call is not None and self._last_cassette is not None:
                loose = (self._last_cassette, key[1], call)
                if loose in self._calls:
                    self.played += 1
                    self.by_call_played += 1
                    return _next(self._calls[loose], self._calls_served, loose)
            self.misses.append(Miss(method.upper(), path, body))
            return _miss(method, path)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                self._reply(server.answer("GET", self.path, b""))

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                self._reply(server.answer("POST", self.path, self.rfile.read(length)))

            def _reply(self, answer: _Answer) -> None:
                try:
                    self.send_response(answer.status, answer.reason or None)
                    for name, value in answer.headers:
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:  # the client gave up first
                    self.close_connection = True

        return Handler


def _next(answers: list[_Answer], served: dict[Any, int], key: Any) -> _Answer:
    """Each recorded answer once, in recorded order; then the last one again."""
    count = served.get(key, 0)
    served[key] = count + 1
    return answers[min(count, len(answers) - 1)]


def _answer(response: dict[str, Any]) -> _Answer:
    status = response.get("status") or {}
    raw = (response.get("body") or {}).get("string") or b""
    body = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    headers: list[tuple[str, str]] = []
    for name, values in (response.get("headers") or {}).items():
        if name.lower() in _TRANSFER_HEADERS:
            continue
        for value in values if isinstance(values, list) else [values]:
            headers.append((name, str(value)))
    return _Answer(int(status.get("code", 200)), str(status.get("message", "")), headers, body)


def _miss(method: str, path: str) -> _Answer:
    # 400, not 404 or 5xx: the OpenAI client does not retry it, and the engine takes it as an
    # ordinary failed call (404 would read as "no such model" and stop the run).
    where = f"{method.upper()} {path.split('?', 1)[0]}"
    message = f"replay: no recorded answer for this {where} (not in the recording)"
    body = json.dumps({"error": {"message": message, "type": "not_recorded"}}).encode()
    return _Answer(400, "Not Recorded", [("content-type", "application/json")], body)
