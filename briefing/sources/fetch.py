"""Fetch today's articles from feeds and URLs into a folder the readers can brief.

``fetch_sources(["feeds.opml"], out_dir)`` reads an OPML file, a text file of
URLs (one a line, ``#`` comments) or bare URLs. A URL that answers with a feed
(RSS or Atom, parsed by feedparser from the bytes fetched here) contributes its
entries; any other URL is an article. Articles are fetched with httpx under a
total deadline per request, a size cap, a content-type check, a polite
User-Agent and a per-host concurrency limit, extracted with trafilatura (the
same reader ``load_sources`` uses for HTML) and saved as ``.md`` files whose
front matter (url, outlet, title, published) ``readers._read_markdown``
understands, so a brief made from the folder cites the original article.

``DIR/.briefing-fetch.json`` records what was saved, so running again skips
URLs already fetched. A failure (timeout, 404, wrong content type, no article
text...) is listed with its reason and never stops the other downloads.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urldefrag, urlsplit
from xml.etree import ElementTree

from pydantic import BaseModel, Field

from briefing.atomic import write_atomic
from briefing.errors import InputError
from briefing.text import plural

if TYPE_CHECKING:
    import httpx

    from briefing.run import Event

INDEX_NAME = ".briefing-fetch.json"
USER_AGENT = "briefing/0.1 (+https://github.com/briefing; news brief for a team; polite, low-rate)"
ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)
# Suffixes that mean "a list of feeds or URLs", not an article (see README: make --sources).
LIST_SUFFIXES = (".opml", ".urls")


class FetchOptions(BaseModel):
    """Limits of one fetch run; the defaults suit a morning's few dozen articles."""

    timeout: float = Field(default=20.0, gt=0, description="Total seconds per request, body included.")
    max_bytes: int = Field(default=5_000_000, gt=0, description="Larger responses are refused.")
    per_host: int = Field(default=2, ge=1, le=16, description="Concurrent requests to one host.")
    concurrency: int = Field(default=8, ge=1, le=64, description="Concurrent requests in all.")
    max_entries: int = Field(default=50, ge=1, description="Entries taken from one feed.")
    user_agent: str = USER_AGENT


class Fetched(BaseModel):
    url: str
    file: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


class Failed(BaseModel):
    url: str
    reason: str


class FetchReport(BaseModel):
    """What one run did: saved files, URLs skipped (already fetched, duplicates) and failures."""

    folder: str
    saved: list[Fetched] = Field(default_factory=list)
    skipped: list[Failed] = Field(default_factory=list)
    failed: list[Failed] = Field(default_factory=list)
    feeds: int = 0


@dataclass
class _Entry:
    """An article to fetch, with what its feed already said about it."""

    url: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


@dataclass
class _Response:
    url: str
    content_type: str
    body: bytes


class _FetchError(Exception):
    """One URL failed; ``str(self)`` is the reason listed for it."""


@dataclass
class _Limits:
    options: FetchOptions
    all: asyncio.Semaphore
    hosts: dict[str, asyncio.Semaphore] = field(default_factory=dict)

    def host(self, url: str) -> asyncio.Semaphore:
        name = (urlsplit(url).hostname or "").lower()
        if name not in self.hosts:
            self.hosts[name] = asyncio.Semaphore(self.options.per_host)
        return self.hosts[name]


# -- reading the list of sources ----------------------------------------------------------


def is_url(text: str) -> bool:
    parts = urlsplit(text.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def is_source_list(path: str | Path) -> bool:
    """True for what ``make --sources`` fetches first: an .opml or .urls file, or an http(s) URL."""
    text = str(path)
    return is_url(text) or Path(text).suffix.lower() in LIST_SUFFIXES


def read_source_list(items: Sequence[str | Path]) -> list[str]:
    """The URLs named by ``items``: OPML files, text files of URLs, or URLs themselves (in order)."""
    urls: list[str] = []
    for item in items:
        text = str(item)
        if is_url(text):
            urls.append(text.strip())
            continue
        path = Path(text)
        if path.exists() and not path.is_file():
            raise InputError(f"{path} is not a file of feeds or URLs")  # a folder, FIFO or device
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
        if path.suffix.lower() in (".opml", ".xml") or raw.lstrip().startswith(b"<"):
            urls.extend(_opml_urls(raw, path))
        else:
            urls.extend(_text_urls(raw.decode("utf-8", errors="replace"), path))
    return urls


def _opml_urls(raw: bytes, path: Path) -> list[str]:
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        raise InputError(f"{path} is not valid OPML: {exc}") from None
    urls = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl") or outline.get("url") or ""
        if not url and outline.get("type", "").lower() == "link":
            url = outline.get("htmlUrl") or ""
        if is_url(url):
            urls.append(url.strip())
    if not urls:
        raise InputError(f"{path} lists no feed URLs (outline xmlUrl=...)")
    return urls


def _text_urls(text: str, path: Path) -> list[str]:
    urls = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if not line:
            continue
        if not is_url(line):
            raise InputError(f"{path}:{n}: not an http(s) URL: {line[:80]!r}")
        urls.append(line)
    return urls


# -- the index of what was fetched ---------------------------------------------------------


def normalize_url(url: str) -> str:
    """The URL as the index keys it: no fragment, lower-case scheme and host."""
    url = urldefrag(url.strip())[0]
    parts = urlsplit(url)
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


def load_index(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / INDEX_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the fetch index {path}: {exc}") from None
    return data.get("urls", {}) if isinstance(data, dict) else {}


def _save_index(folder: Path, index: dict[str, dict[str, Any]]) -> None:
    path = folder / INDEX_NAME
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise InputError(f"{path} is not a regular file; the fetch index was not written")
    write_atomic(folder / INDEX_NAME, json.dumps({"version": 1, "urls": index}, indent=2, sort_keys=True))


# -- fetching ------------------------------------------------------------------------------


def fetch_sources(
    sources: Sequence[str | Path],
    out_dir: str | Path,
    options: FetchOptions | None = None,
    *,
    on_event: Callable[[Event], None] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FetchReport:
    """Fetch the feeds and articles ``sources`` name into ``out_dir`` (created if missing)."""
    options = options or FetchOptions()
    urls = read_source_list(sources)
    if not urls:
        raise InputError("no feeds or URLs to fetch")
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {folder}: {exc.strerror or exc}") from None
    work = _fetch_all(urls, folder, options, on_event, transport)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    # Called from inside an event loop (a bot, a notebook): run on a loop of our own.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


def _emit(on_event: Callable[[Event], None] | None, kind: str, message: str, done: int, total: int) -> None:
    if on_event is not None:
        from briefing.run import Event

        on_event(Event(kind, message, done, total))


async def _fetch_all(
    urls: list[str],
    folder: Path,
    options: FetchOptions,
    on_event: Callable[[Event], None] | None,
    transport: httpx.AsyncBaseTransport | None,
) -> FetchReport:
    import httpx

    report = FetchReport(folder=str(folder))
    index = load_index(folder)
    limits = _Limits(options, asyncio.Semaphore(options.concurrency))
    timeout = httpx.Timeout(options.timeout)
    headers = {"User-Agent": options.user_agent, "Accept": "text/html, application/xhtml+xml, */*;q=0.5"}
    # An article URL given directly and already fetched is not asked for again
    # (feeds are never in the index: they are read every time).
    known = [
        u
        for u in urls
        if normalize_url(u) in index and (folder / str(index[normalize_url(u)].get("file", ""))).is_file()
    ]
    urls = [u for u in urls if u not in known]
    async with httpx.AsyncClient(
        headers=headers, timeout=timeout, follow_redirects=True, transport=transport
    ) as client:
        _emit(on_event, "stage", "reading feeds", 0, len(urls))
        first = await _gather(client, urls, limits, options, on_event, "reading feeds")
        entries: list[_Entry] = [_Entry(url=u) for u in known]
        for url, got in zip(urls, first, strict=True):
            if isinstance(got, _FetchError):
                report.failed.append(Failed(url=url, reason=str(got)))
            elif _is_feed(got):
                report.feeds += 1
                try:
                    entries.extend(_feed_entries(got, options))
                except _FetchError as exc:
                    report.failed.append(Failed(url=url, reason=str(exc)))
            else:
                entries.append(_Entry(url=url))
        todo: list[_Entry] = []
        seen: set[str] = set()
        for entry in entries:
            key = normalize_url(entry.url)
            if key in seen:
                report.skipped.append(Failed(url=entry.url, reason="duplicate in this run"))
            elif key in index and (folder / str(index[key].get("file", ""))).is_file():
                report.skipped.append(Failed(url=entry.url, reason=f"already fetched ({index[key]['file']})"))
            else:
                todo.append(entry)
            seen.add(key)
        # Pages already downloaded as the "feed" pass (article URLs given directly) are reused.
        direct = {u: r for u, r in zip(urls, first, strict=True) if isinstance(r, _Response)}
        need = [e.url for e in todo if e.url not in direct]
        _emit(on_event, "stage", "fetching articles", 0, len(need))
        got_pages = await _gather(client, need, limits, options, on_event, "fetching articles")
    pages: dict[str, _Response | _FetchError] = {**direct, **dict(zip(need, got_pages, strict=True))}

    _emit(on_event, "stage", "extracting articles", 0, len(todo))
    for n, entry in enumerate(todo, start=1):
        page = pages[entry.url]
        try:
            if isinstance(page, _FetchError):
                raise page
            saved = _save_article(entry, page, folder)
        except _FetchError as exc:
            report.failed.append(Failed(url=entry.url, reason=str(exc)))
        else:
            report.saved.append(saved)
            index[normalize_url(entry.url)] = {
                "file": saved.file,
                "title": saved.title,
                "fetched_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            }
        _emit(on_event, "item", entry.url, n, len(todo))
    _save_index(folder, index)
    return report


async def _gather(
    client: httpx.AsyncClient,
    urls: list[str],
    limits: _Limits,
    options: FetchOptions,
    on_event: Callable[[Event], None] | None,
    stage: str,
) -> list[_Response | _FetchError]:
    done = 0

    async def one(url: str) -> _Response | _FetchError:
        nonlocal done
        try:
            result: _Response | _FetchError = await _get(client, url, limits, options)
        except _FetchError as exc:
            result = exc
        done += 1
        _emit(on_event, "item", url, done, len(urls))
        return result

    return list(await asyncio.gather(*(one(u) for u in urls)))


async def _get(client: httpx.AsyncClient, url: str, limits: _Limits, options: FetchOptions) -> _Response:
    import httpx

    if not is_url(url):
        raise _FetchError("not an http(s) URL")
    # The host's slot first: waiting for a busy host must not hold one of the global slots.
    async with limits.host(url), limits.all:
        try:
            # httpx's timeout bounds each read; this bounds the whole exchange,
            # so a server trickling bytes cannot hold a slot forever.
            async with asyncio.timeout(options.timeout):
                return await _download(client, url, options)
        except TimeoutError:
            raise _FetchError(f"timed out after {options.timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise _FetchError("too many redirects") from None
        except httpx.HTTPError as exc:
            detail = " ".join(str(exc).split())[:120] or type(exc).__name__
            raise _FetchError(f"network error: {detail}") from None


async def _download(client: httpx.AsyncClient, url: str, options: FetchOptions) -> _Response:
    async with client.stream("GET", url) as response:
        if response.status_code != 200:
            raise _FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type and not content_type.startswith(ARTICLE_TYPES + FEED_TYPES):
            raise _FetchError(f"unsupported content type {content_type}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > options.max_bytes:
            raise _FetchError(f"too large ({int(declared)} bytes > {options.max_bytes})")
        body = bytearray()
        async for part in response.aiter_bytes():
            body.extend(part)
            if len(body) > options.max_bytes:
                raise _FetchError(f"too large (over {options.max_bytes} bytes)")
        return _Response(url=str(response.url), content_type=content_type, body=bytes(body))


# -- feeds -------------------------------------------------------------------------------


def _is_feed(response: _Response) -> bool:
    if response.content_type.startswith(FEED_TYPES):
        return True
    # Some servers send feeds as text/html or text/plain: the root element decides.
    head = re.sub(rb"^(?:\s|<\?xml[^>]*>|<!--.*?-->)+", b"", response.body[:2048], flags=re.S).lower()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def _feed_entries(response: _Response, options: FetchOptions) -> list[_Entry]:
    import feedparser

    parsed = feedparser.parse(response.body, response_headers={"content-location": response.url})
    outlet = _clean(parsed.feed.get("title"))
    entries = []
    for item in parsed.entries[: options.max_entries]:
        link = item.get("link")
        if not isinstance(link, str) or not is_url(link):
            continue
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        published = time.strftime("%Y-%m-%d", stamp) if stamp else None
        entries.append(_Entry(url=link, title=_clean(item.get("title")), outlet=outlet, published=published))
    if parsed.bozo and not entries:
        # feedparser reads what it can of a broken feed; only one that yields nothing is a failure.
        error = parsed.get("bozo_exception")
        raise _FetchError(f"not a readable feed: {' '.join(str(error).split())[:100]}")
    return entries


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text[:300] or None


# -- saving ------------------------------------------------------------------------------


def _save_article(entry: _Entry, page: _Response, folder: Path) -> Fetched:
    from briefing.sources.readers import Skip, read_file

    if page.content_type.startswith(FEED_TYPES):
        raise _FetchError("a feed inside a feed (not followed)")
    fmt: Literal["txt", "html"] = "txt" if page.content_type == "text/plain" else "html"
    try:
        extracted = read_file(page.body, fmt)
    except Skip as exc:
        raise _FetchError(str(exc)) from None
    text = extracted.text.strip()
    if not text:
        raise _FetchError("no article text found")
    host = urlsplit(entry.url).hostname
    # The page's own site name names the outlet better than the feed's title
    # (an aggregator's feed lists many outlets); a bare host name does not.
    page_outlet = extracted.outlet if extracted.outlet and extracted.outlet != host else None
    fetched = Fetched(
        url=entry.url,
        file="",
        title=entry.title or extracted.title,
        outlet=page_outlet or entry.outlet or host,
        published=entry.published or extracted.published,
    )
    fetched.file = _file_name(fetched)
    target = folder / fetched.file
    if target.is_symlink() or (target.exists() and not target.is_file()):
        # Never replace a link, pipe or device that happens to have the name.
        raise _FetchError(f"{fetched.file} exists and is not a regular file; not replaced")
    write_atomic(target, _with_front_matter(fetched, text))
    return fetched


def _file_name(item: Fetched) -> str:
    # The URL hash makes the name unique, so a run never overwrites another article.
    digest = hashlib.sha256(normalize_url(item.url).encode()).hexdigest()[:10]
    slug = re.sub(r"[^a-z0-9]+", "-", (item.title or urlsplit(item.url).path).lower()).strip("-")[:60]
    return f"{slug or 'article'}-{digest}.md"


def _with_front_matter(item: Fetched, text: str) -> str:
    import yaml  # type: ignore[import-untyped]  # no stubs installed (as in engines/llm/prompts.py)

    meta = {
        "url": item.url,
        "outlet": item.outlet,
        "title": item.title,
        "published": item.published,
    }
    head = yaml.safe_dump({k: v for k, v in meta.items() if v}, allow_unicode=True, sort_keys=False)
    return f"---\n{head}---\n\n{text}\n"


def summarize(report: FetchReport) -> Iterable[str]:
    """One line per failure and skip, then a count: what the CLI prints."""
    for f in report.failed:
        yield f"failed {f.url}: {f.reason}"
    for s in report.skipped:
        yield f"skipped {s.url}: {s.reason}"
    yield (
        f"fetched {plural(len(report.saved), 'article')} from {plural(report.feeds, 'feed')} "
        f"into {report.folder} "
        f"({len(report.skipped)} skipped, {len(report.failed)} failed)"
    )
