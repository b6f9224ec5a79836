"""What every test server here shares: a real HTTP server on 127.0.0.1, in a background thread.

A subclass says how to answer (:meth:`LocalServer.handler`); this class owns
the lifecycle: an ephemeral port, ``start``/``stop``, ``with`` blocks, and a
``stopping`` event that handlers sleeping in a delay wait on, so a test's
teardown never waits for a slow answer::

    class Echo(LocalServer):
        name = "echo"

        def handler(self) -> type[BaseHTTPRequestHandler]:
            ...

    with Echo() as server:
        httpx.get(server.url("/ping"))
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

__all__ = ["LocalServer", "QuietHandler"]


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive, and no access log on stderr: tests read what the server recorded."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm the body waited for the
    # client's delayed ACK, ~40 ms added to every answer (a real server sets TCP_NODELAY).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    # socketserver listens with a backlog of 5: a client opening 8 connections at once had one
    # refused and retried by TCP a second later (seen as one request of benchmark a taking 1.2 s).
    # Real servers (uvicorn, llama.cpp) listen with a backlog in the hundreds.
    request_queue_size = 128


class LocalServer:
    """Serve :meth:`handler` on 127.0.0.1 (a free port) until :meth:`stop`."""

    name = "local-server"  # the serving thread's name, seen in thread dumps

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    def start(self) -> Self:
        self.stopping.clear()
        httpd = _Server(("127.0.0.1", 0), self.handler())
        httpd.daemon_threads = True
        httpd.block_on_close = False
        self._httpd = httpd
        # A short poll interval keeps stop() (and so every test's teardown) quick.
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=self.name, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # wakes handlers sleeping in a delay
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError(f"the {self.name} is not running")
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"
