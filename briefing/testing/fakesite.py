"""A tiny web site on 127.0.0.1 for fetch tests and demos: pages and feeds built in memory.

with FakeSite() as site:
    site.add("/a.html", "<html>...</html>")
    site.add("/feed.xml", rss_feed("Outlet", [(site.url("/a.html"), "Title", "2026-01-02")]),
             content_type="application/rss+xml")
    fetch_sources([site.url("/feed.xml")], folder)
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from xml.sax.saxutils import escape

from briefing.testing.localserver import LocalServer, QuietHandler

__all__ = ["FakeSite", "Page", "article_html", "rss_feed"]


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0


class FakeSite(LocalServer):
    """Serves the pages added to it; records every request path with its User-Agent."""

    name = "fake-site"

    def __init__(self) -> None:
        super().__init__()
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, str]] = []
        self.active: dict[str, int] = {}
        self.max_active = 0
        self._lock = threading.Lock()

    def add(
        self,
        path: str,
        body: str | bytes,
        *,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        delay: float = 0.0,
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = Page(data, content_type, status, delay)
        return self.url(path)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                path = self.path.split("#", 1)[0]
                with site._lock:
                    site.requests.append((path, self.headers.get("user-agent", "")))
                    site.active["all"] = site.active.get("all", 0) + 1
                    site.max_active = max(site.max_active, site.active["all"])
                counted = True
                try:
                    page = site.pages.get(path) or Page(b"not found", "text/plain", 404)
                    if page.delay:
                        site.stopping.wait(page.delay)
                    # The request stops counting as in progress before its answer is sent: once the
                    # client has the last byte it may start the next one while this thread is still
                    # returning, and that overlap is not the client's concurrency.
                    with site._lock:
                        site.active["all"] -= 1
                        counted = False
                    try:
                        self.send_response(page.status)
                        self.send_header("content-type", page.content_type)
                        self.send_header("content-length", str(len(page.body)))
                        self.end_headers()
                        self.wfile.write(page.body)
                    except OSError:  # the client gave up first
                        self.close_connection = True
                finally:
                    if counted:
                        with site._lock:
                            site.active["all"] -= 1

        return Handler


def article_html(title: str, paragraphs: Sequence[str], *, site_name: str = "", date: str = "") -> str:
    """A plain article page that trafilatura can extract."""
    meta = f'<meta property="og:site_name" content="{escape(site_name)}">' if site_name else ""
    if date:
        meta += f'<meta property="article:published_time" content="{escape(date)}">'
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{escape(title)}</title>{meta}</head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>Contact us</footer></body></html>"
    )


def rss_feed(title: str, items: Sequence[tuple[str, str, str]]) -> str:
    """RSS 2.0 with ``(link, title, YYYY-MM-DD)`` items."""
    parts = []
    for link, item_title, day in items:
        when = datetime.strptime(day, "%Y-%m-%d").replace(hour=6, tzinfo=UTC) if day else None
        date = f"<pubDate>{format_datetime(when)}</pubDate>" if when else ""
        parts.append(f"<item><title>{escape(item_title)}</title><link>{escape(link)}</link>{date}</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://127.0.0.1/</link><description>test feed</description>"
        + "".join(parts)
        + "</channel></rss>"
    )
