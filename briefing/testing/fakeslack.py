"""A fake Slack Web API on 127.0.0.1: enough of ``chat.postMessage`` and ``auth.test`` to test posting.

It checks what Slack checks and a test would otherwise only learn in
production: the bearer token, that the channel exists and the bot is in it,
the 50-block and 3,000-character section limits, that a thread reply names a
message that exists. ``slack_sdk.WebClient(base_url=fake.base_url)`` talks to
it over real HTTP::

    with FakeSlack(token="xoxb-test", channels={"C1": True}) as slack:
        WebClient(token="xoxb-test", base_url=slack.base_url).chat_postMessage(channel="C1", text="hi")
        slack.messages[0]["text"]
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl

from briefing.testing.localserver import LocalServer, QuietHandler

__all__ = ["FakeSlack"]

MAX_BLOCKS = 50
SECTION_TEXT = 3000
TEXT_CHARS = 40_000


class FakeSlack(LocalServer):
    """``channels`` maps channel id -> whether the bot is a member."""

    name = "fake-slack"

    def __init__(self, token: str = "xoxb-fake", channels: Mapping[str, bool] | None = None) -> None:
        super().__init__()
        self.token = token
        self.channels = dict(channels if channels is not None else {"C0001": True})
        self.messages: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self.fail_next: list[str] = []  # error codes to answer the next postMessage calls with
        self._ts = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return self.url("/api/")

    def thread(self, ts: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m.get("thread_ts") == ts]

    # -- the API --

    def answer(self, method: str, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.calls.append(method)
            if token != self.token:
                return {"ok": False, "error": "invalid_auth" if token else "not_authed"}
            if method == "auth.test":
                return {"ok": True, "team": "Fake", "user": "briefing", "bot_id": "B0001"}
            if method == "chat.postMessage":
                return self._post(args)
            return {"ok": False, "error": "unknown_method"}

    def _post(self, args: dict[str, Any]) -> dict[str, Any]:
        if self.fail_next:
            return {"ok": False, "error": self.fail_next.pop(0)}
        channel = str(args.get("channel") or "")
        if channel not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        if not self.channels[channel]:
            return {"ok": False, "error": "not_in_channel"}
        blocks = args.get("blocks")
        if isinstance(blocks, str):  # form-encoded clients send blocks as a JSON string
            blocks = json.loads(blocks)
        text = str(args.get("text") or "")
        if not blocks and not text:
            return {"ok": False, "error": "no_text"}
        if len(text) > TEXT_CHARS:
            return {"ok": False, "error": "msg_too_long"}
        if blocks is not None:
            if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
                return {"ok": False, "error": "invalid_blocks", "errors": ["must be at most 50 blocks"]}
            for block in blocks:
                body = (block.get("text") or {}).get("text", "") if isinstance(block, dict) else ""
                if block.get("type") == "section" and len(body) > SECTION_TEXT:
                    return {"ok": False, "error": "invalid_blocks", "errors": ["section text too long"]}
        thread_ts = args.get("thread_ts")
        if thread_ts is not None and not any(m["ts"] == thread_ts for m in self.messages):
            return {"ok": False, "error": "thread_not_found"}
        ts = f"1700000000.{next(self._ts):06d}"
        message = {"channel": channel, "ts": ts, "text": text, "blocks": blocks or []}
        if thread_ts is not None:
            message["thread_ts"] = str(thread_ts)
        self.messages.append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": {"text": text, "ts": ts}}

    # -- lifecycle --

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8", errors="replace")
                auth = self.headers.get("authorization") or ""
                token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else None
                if (self.headers.get("content-type") or "").startswith("application/json"):
                    try:
                        args = json.loads(raw or "{}")
                    except ValueError:
                        args = None
                else:
                    args = dict(parse_qsl(raw))
                    token = token or args.pop("token", None)
                method = self.path.rsplit("/", 1)[-1].split("?", 1)[0]
                body = (
                    fake.answer(method, token, args)
                    if isinstance(args, dict)
                    else {"ok": False, "error": "invalid_json"}
                )
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
