"""Per-format readers behind :func:`briefing.sources.load_sources`.

Each reader turns a file's bytes into the text that citations index into,
plus whatever metadata the file states about itself. A reader that cannot
use a file raises :class:`Skip` with the reason shown to the user; nothing
here guesses a value the file does not state.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import logging
import os
import re
import signal
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Literal
from urllib.parse import urlsplit

from briefing.text import data_lines, is_headline_style

Format = Literal["txt", "md", "html", "pdf"]

FORMATS: dict[str, Format] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}

# A parser that spins this long on one file is treated as broken, not slow.
PARSE_SECONDS = 30.0
# Extracted text per source. A news article is tens of kilobytes and a book
# about one megabyte; a small compressed PDF or HTML file can expand to many
# megabytes of text, so the cap is on what was extracted, not on file size.
MAX_TEXT_CHARS = 2_000_000


class Skip(Exception):
    """The file cannot be used; ``str(self)`` is the reason shown to the user."""


@dataclass
class Extracted:
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_at: str | None = None  # ISO date and time, where the file states a time of day
    url: str | None = None
    warning: str | None = None
    opinion: bool = False  # a column, editorial or op-ed, as the file states it (see ``is_opinion_section``)


def read_file(raw: bytes, fmt: Format, *, max_chars: int | None = None) -> Extracted:
    """The text and metadata of one file; :class:`Skip` when it cannot be used.

    ``max_chars`` caps the extracted text (default :data:`MAX_TEXT_CHARS`);
    HTML and PDF parsing is stopped after :data:`PARSE_SECONDS` in any thread.
    """
    limit = MAX_TEXT_CHARS if max_chars is None else max_chars
    if not raw:
        raise Skip("empty file")
    if fmt == "pdf":
        out = parse_limited(_read_pdf, raw, limit, "corrupt PDF")
    elif fmt == "html":
        out = parse_limited(_read_html, raw, limit, "cannot parse HTML")
    else:
        text, warning = decode_text(raw)
        check_length(text, limit)
        out = _read_markdown(text) if fmt == "md" else _read_plain(text)
        out.warning = "; ".join(w for w in (warning, out.warning) if w) or None
    out.text = clean_text(out.text)
    check_length(out.text, limit)
    if not out.text.strip():
        raise Skip("no text")
    return out


def too_long(limit: int) -> Skip:
    return Skip(f"extracted text is longer than {limit:,} characters")


def check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise too_long(limit)


def clean_text(text: str) -> str:
    """The only rewriting applied to every format: newlines and the trailing end."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()


# --- decoding -----------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in text files (tab, newlines, form feed excepted).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def decode_text(raw: bytes) -> tuple[str, str | None]:
    """Decode a text file; returns the text and a warning when the encoding was guessed."""
    for bom, encoding in _BOMS:  # UTF-32 LE must be tested before UTF-16 LE: same first bytes
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), None
            except UnicodeDecodeError as exc:
                raise Skip(f"cannot decode: invalid {encoding.upper()} ({exc.reason})") from None
    if looks_binary(raw):
        raise Skip("binary file")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    # Western news text that is not UTF-8 is nearly always Windows-1252; charset
    # detection misreads short Western text (e.g. "café" as cp1250), so it is
    # only consulted when Windows-1252 cannot decode the bytes at all.
    try:
        return raw.decode("cp1252"), "not valid UTF-8; read as Windows-1252"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(raw).best()
    if best is not None and best.encoding and best.chaos < 0.2:
        return str(best), f"not valid UTF-8; read as {best.encoding}"
    return raw.decode("latin-1"), "not valid UTF-8; read as Latin-1 (encoding unknown)"


def looks_binary(raw: bytes) -> bool:
    head = raw[:8192]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls > len(head) * 0.05


# --- plain text and markdown ------------------------------------------------------

_DATE_LINE = re.compile(
    r"^\s*(?:posted|published|updated|date|dated)(?:\s+on)?\s*[:\-]?\s*(?P<value>.+?)\s*$", re.I
)
_SOURCE_LINE = re.compile(r"^\s*(?:source|publisher|outlet)\s*:\s*(?P<value>.{1,80}?)\s*$", re.I)
_URL_LINE = re.compile(r"^\s*(?:url|link|source url|original url)\s*:\s*(?P<value>https?://\S+)\s*$", re.I)
_BYLINE = re.compile(r"^\s*by\s+\S", re.I)
_HEADING = re.compile(r"^#{1,6}\s+(?P<value>\S.*?)\s*#*\s*$")
# Section labels and breadcrumbs ("Newsroom - Harbour/Shipping") that sit above a headline.
_LABEL = re.compile(r"/|\||»|›|>| - |^\s*(?:news room|newsroom|home)\b", re.I)
_HEADER_LINES = 8  # a title or dateline further down than this is body text
_TITLE_MAX = 150


def _read_plain(text: str) -> Extracted:
    out = Extracted(text=text)
    _apply_heuristics(out, text)
    return out


def _read_markdown(text: str) -> Extracted:
    meta: dict[str, Any] = {}
    warning = None
    if text.lstrip("\ufeff").startswith("---"):
        import frontmatter

        try:
            post = frontmatter.loads(text)
            meta, text = dict(post.metadata), post.content
        except Exception as exc:  # malformed YAML: keep the file, unparsed
            warning = f"front matter not read ({type(exc).__name__})"
    out = Extracted(
        text=text,
        title=_meta_str(meta, "title", "headline"),
        outlet=_meta_str(meta, "outlet", "source", "publisher", "site", "site_name"),
        published=_meta_date(meta, "date", "published", "published_at", "pubdate"),
        published_at=_meta_time(meta, "date", "published", "published_at", "pubdate"),
        url=_meta_str(meta, "url", "link", "canonical_url"),
        warning=warning,
        opinion=_meta_opinion(meta),
    )
    if out.title is None:
        for line in text.splitlines()[:_HEADER_LINES]:
            if m := _HEADING.match(line):
                out.title = m.group("value")[:_TITLE_MAX]
                break
    _apply_heuristics(out, text)
    return out


def _meta_opinion(meta: dict[str, Any]) -> bool:
    """Front matter naming the piece's section or kind as opinion ("section: Opinion", "type: op-ed")."""
    for key in ("section", "category", "categories", "type", "kind", "genre"):
        value = meta.get(key)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and is_opinion_section(v) for v in values):
            return True
    return False


def _meta_str(meta: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value).strip()
    return None


def _meta_time(meta: dict[str, Any], *keys: str) -> str | None:
    from briefing.sources.stamps import iso_time

    for key in keys:
        if (stamp := iso_time(meta.get(key))) is not None:
            return stamp
    return None


def _meta_date(meta: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str) and (parsed := parse_date(value)):
            return parsed
    return None


def _apply_heuristics(out: Extracted, text: str) -> None:
    """Fill metadata the file states in its own lines; fields already known are kept.

    The header is the run of short lines before the first body paragraph. Its
    title is the first short line that is neither metadata nor a section label;
    a label is used only when nothing better follows. ``Source:``/``URL:``
    lines count anywhere in the first or last few lines (wire copy often ends
    with them).
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    header: list[str] = []
    for line in lines[:_HEADER_LINES]:
        if _is_body(line):
            break
        header.append(line)
    titles: list[str] = []
    for line in header:
        if m := _DATE_LINE.match(line):
            out.published = out.published or parse_date(m.group("value"))
        elif (bare := parse_date(line)) is not None:
            out.published = out.published or bare
        elif not (_SOURCE_LINE.match(line) or _URL_LINE.match(line) or _BYLINE.match(line)):
            titles.append(line.lstrip("#").strip())
            out.opinion = out.opinion or is_opinion_section(titles[-1])
    if out.title is None and titles:
        plain = [t for t in titles if not _LABEL.search(t) and not is_opinion_section(t)]
        out.title = (plain or titles)[0]
    edges = lines[:_HEADER_LINES] + lines[-_HEADER_LINES:]
    for line in edges:
        if out.outlet is None and (m := _SOURCE_LINE.match(line)) and not m.group("value").startswith("http"):
            out.outlet = m.group("value")
        if out.url is None and (m := _URL_LINE.match(line)):
            out.url = m.group("value")
    out.title = _strip_site_suffix(out.title, out.outlet)
    out.opinion = out.opinion or is_opinion_url(out.url)


# A label above a headline, and the headline after it: "Opinion | Why ...", "Editorial: ...".
_LABEL_PARTS = re.compile(r"\s*(?:\||:|»|›|\s[-–—]\s)\s*")


def is_opinion_section(value: str) -> bool:
    """A section name or a label line naming opinion writing ("Opinion", "Op-Ed | Columnists").

    Only the label's first part counts: a headline that mentions an editorial is news about one.
    """
    first = _LABEL_PARTS.split(value.strip(), maxsplit=1)[0]
    return first.strip().lower() in _opinion_sections()


def is_opinion_url(url: str | None) -> bool:
    """An address filed under an opinion folder ("/opinion/2024/05/...", "/opinions/..."); the last
    part names the article itself, whatever words its slug uses."""
    if not url:
        return False
    folders = urlsplit(url).path.lower().split("/")[1:-1]
    return any(folder in _opinion_sections() for folder in folders)


@cache
def _opinion_sections() -> frozenset[str]:
    return frozenset(w.lower() for w in data_lines("opinion_sections.txt"))


def _is_body(line: str) -> bool:
    if len(line) > _TITLE_MAX or len(line.split()) > 25:
        return True
    # A sentence ends with a full stop; headlines do not (questions and exclamations may), unless
    # on an abbreviation: "Ferry Fares Get Backing From the E.U." is written as a headline.
    if not line.endswith(".") or _DATE_LINE.match(line):
        return False
    return len(line.split()) > 3 and not is_headline_style(line)


def parse_date(value: str) -> str | None:
    """ISO date for a fully stated date (day, month and year), else None.

    dateutil fills missing parts from a default; parsing with two different
    defaults and requiring the same answer rejects "Oct 2025" or "Monday".
    """
    value = value.strip()
    if not (6 <= len(value) <= 60) or not re.search(r"\b\d{4}\b", value):
        return None
    from dateutil import parser  # type: ignore[import-untyped]

    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for default in (datetime(2000, 1, 1), datetime(2001, 2, 2)):
            try:
                results.append(parser.parse(value, default=default, ignoretz=True, fuzzy=False).date())
            except (ValueError, OverflowError, TypeError):
                return None
    if results[0] != results[1] or not 1900 <= results[0].year <= 2100:
        return None
    iso: str = results[0].isoformat()
    return iso


# --- HTML ---------------------------------------------------------------------


def _read_html(raw: bytes, max_chars: int) -> Extracted:
    if b"\x00" in raw[:8192] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Skip("binary file")
    import trafilatura
    from trafilatura.settings import set_date_params
    from trafilatura.utils import load_html

    from briefing.sources.stamps import published_time

    doc: Any = None
    stamp: str | None = None
    opinion = False
    try:
        with warnings.catch_warnings(), quiet_logs("trafilatura", "htmldate", "courlan"):
            # htmldate and dateutil warn about odd date strings; they are not ours to show.
            warnings.simplefilter("ignore")
            # Parsed once: the stated time is read before extraction prunes the tree.
            tree = load_html(raw)
            stamp = published_time(tree)
            opinion = tree is not None and _html_opinion(tree)
            doc = (
                None
                if tree is None
                else trafilatura.bare_extraction(
                    tree,
                    with_metadata=True,
                    include_comments=False,
                    include_tables=True,
                    include_images=False,
                    include_links=False,
                    # Extensive search guesses from bare years in the text ("2024" -> 2024-01-01);
                    # only dates the page states as such are wanted.
                    date_extraction_params=set_date_params(False),
                )
            )
            body = (doc.text or "") if doc is not None else ""
    except RecursionError:
        raise Skip("cannot parse HTML: nested too deeply") from None
    except TimeoutError:
        raise
    except Exception as exc:  # lxml and trafilatura raise many types on broken markup
        raise Skip(f"cannot parse HTML: {_short(exc)}") from None
    if doc is None or not body.strip():
        raise Skip("no article text found")
    check_length(body, max_chars)
    outlet = doc.sitename or doc.hostname
    published = parse_date(doc.date) if doc.date else None
    return Extracted(
        text=_paragraphs(body),
        title=_strip_site_suffix(doc.title, outlet),
        outlet=outlet,
        published=published,
        published_at=_same_day(stamp, published),
        url=doc.url,
        opinion=opinion or is_opinion_url(doc.url),
    )


def _html_opinion(tree: Any) -> bool:
    """The page files itself as opinion: its ``article:section``, a label before its title, or schema.org's
    OpinionNewsArticle as the type of its own JSON-LD record (not of articles it lists)."""
    sections = tree.xpath('//meta[@property="article:section" or @name="article:section"]/@content')
    sections += tree.xpath("//head/title/text()")  # "Opinion | Headline - Site"
    if any(is_opinion_section(str(s)) for s in sections):
        return True
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(str(script))
        except ValueError:
            continue
        records = data if isinstance(data, list) else [data]
        records += [
            r
            for d in records
            if isinstance(d, dict) and isinstance(d.get("@graph"), list)
            for r in d["@graph"]
        ]
        for record in records:
            kind = record.get("@type") if isinstance(record, dict) else None
            if kind == "OpinionNewsArticle" or (isinstance(kind, list) and "OpinionNewsArticle" in kind):
                return True
    return False


_STAMP_DAYS = 1  # a stated time this far from the page's date (time zones) is the same publication


def _same_day(stamp: str | None, published: str | None) -> str | None:
    """The page's stated publication time, when it agrees with its date (else it dates something else)."""
    if stamp is None or published is None:
        return None
    gap = abs((date.fromisoformat(stamp[:10]) - date.fromisoformat(published)).days)
    return stamp if gap <= _STAMP_DAYS else None


def _paragraphs(body: str) -> str:
    """One block per paragraph, so chunking can break between them; table rows stay together."""
    out: list[str] = []
    previous_row = False
    for line in body.splitlines():
        line = line.rstrip()
        if not line.strip():
            continue
        row = line.lstrip().startswith("|")
        if out:
            out.append("\n" if row and previous_row else "\n\n")
        out.append(line)
        previous_row = row
    return "".join(out)


_SITE_WORDS = 4  # "Headline | Example Daily News": a site name after a bar is a few words


def _strip_site_suffix(title: str | None, outlet: str | None) -> str | None:
    """'Headline | CNN Politics' -> 'Headline' when the suffix names the outlet.

    With no outlet known, a short tail after a bar is taken for the site's name:
    headlines do not use "|" themselves, and pages append their site that way.
    """
    if not title:
        return title
    label, found, rest = title.partition(" | ")
    if found and rest.strip() and is_opinion_section(label):
        title = rest.strip()  # "Opinion | Headline | Site": the section's label is no part of the headline
    if not outlet:
        head, found, tail = title.rpartition(" | ")
        return head.strip() if found and head.strip() and len(tail.split()) <= _SITE_WORDS else title
    for sep in (" | ", " - ", " – ", " — "):
        head, found, tail = title.rpartition(sep)
        tail, site = tail.strip().lower(), outlet.lower()
        if found and head and tail and (tail in site or site.split()[0] in tail):
            return head.strip()
    return title


# --- PDF ----------------------------------------------------------------------


def _read_pdf(raw: bytes, max_chars: int) -> Extracted:
    from pypdf import PdfReader

    try:
        with warnings.catch_warnings(), quiet_logs("pypdf"):
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(raw))
            if reader.is_encrypted:
                try:
                    opened = bool(reader.decrypt(""))
                except Exception:  # e.g. AES without the optional 'cryptography' package
                    opened = False
                if not opened:
                    raise Skip("encrypted PDF")
            pages: list[str] = []
            total = 0
            for page in reader.pages:
                # Pages can share one content stream: a few kilobytes of PDF may
                # hold megabytes of text, so stop as soon as the cap is passed.
                pages.append(page.extract_text() or "")
                total += len(pages[-1])
                if total > max_chars:
                    raise too_long(max_chars)
            title = reader.metadata.title if reader.metadata else None
    except Skip:
        raise
    except RecursionError:
        raise Skip("corrupt PDF: nested too deeply") from None
    except TimeoutError:
        raise
    except Exception as exc:
        raise Skip(f"corrupt PDF: {_short(exc)}") from None
    text = "\n\n".join(clean_text(p) for p in pages if p.strip())
    if not text.strip():
        raise Skip("PDF has no extractable text")
    out = Extracted(text=text, title=title.strip() if isinstance(title, str) and title.strip() else None)
    _apply_heuristics(out, text)
    return out


# --- helpers --------------------------------------------------------------------


def _short(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) <= 80 else message[:77] + "..."


@contextlib.contextmanager
def quiet_logs(*names: str) -> Iterator[None]:
    """Silence library loggers for the block: their complaints become our one-line skip reasons."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def parse_limited(
    parse: Callable[[bytes, int], Extracted], raw: bytes, max_chars: int, label: str
) -> Extracted:
    """``parse(raw, max_chars)`` stopped after :data:`PARSE_SECONDS`, in any thread.

    SIGALRM only reaches the main thread, and a thread cannot be stopped from
    outside; elsewhere (the Slack bot's workers) the parse runs in a child
    process that is killed when time is up, which also returns its memory.
    """
    seconds = PARSE_SECONDS
    try:
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            with time_limit(seconds):
                return parse(raw, max_chars)
        return _parse_in_child(parse, raw, max_chars, seconds)
    except TimeoutError:
        raise Skip(f"{label}: took longer than {seconds:g} s") from None


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the block after ``seconds`` (main thread on Unix only)."""

    def _expired(signum: int, frame: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _ParseWorker:
    """A child process that parses files for one thread, restarted after a kill.

    One per thread (threads of a pool are reused, and so is their worker): no
    lock, and one process start per thread rather than per file. A plain
    ``python -m`` child with two pipes: forking a process that runs threads can
    copy a held lock, the forkserver needs a socket, and ``spawn`` re-runs the
    caller's unguarded ``__main__``.
    """

    def __init__(self) -> None:
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "briefing.sources._parse_child", str(job_read), str(result_write)],
                pass_fds=(job_read, result_write),
                # The child finds briefing where this process did, installed or not.
                env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        finally:
            os.close(job_read)
            os.close(result_write)
        self.jobs = Connection(job_write, readable=False)
        self.results = Connection(result_read, writable=False)

    def alive(self) -> bool:
        return self.process.poll() is None

    def parse(
        self, parse: Callable[[bytes, int], Extracted], raw: bytes, max_chars: int, seconds: float
    ) -> tuple[str, Any]:
        self.jobs.send((parse, raw, max_chars))
        if not self.results.poll(seconds):
            raise TimeoutError
        result: tuple[str, Any] = self.results.recv()
        return result

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        self.jobs.close()
        self.results.close()

    def __del__(self) -> None:
        # The thread that owned this worker ended: end the process with it.
        if getattr(self, "process", None) is None or self.jobs.closed:
            return
        # At interpreter exit modules may be gone; the child exits on EOF anyway.
        with contextlib.suppress(Exception):
            self.stop()


_workers = threading.local()


def serve(jobs: Any, results: Any) -> None:
    """The parse worker's loop (see ``briefing.sources._parse_child``)."""
    while True:
        try:
            parse, raw, max_chars = jobs.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        result: tuple[str, Any]
        try:
            result = ("ok", parse(raw, max_chars))
        except Skip as skip:
            result = ("skip", str(skip))
        except BaseException as exc:  # reported as a skip reason by the parent, never a traceback
            result = ("error", _short(exc))
        results.send(result)


def _parse_in_child(
    parse: Callable[[bytes, int], Extracted], raw: bytes, max_chars: int, seconds: float
) -> Extracted:
    worker: _ParseWorker | None = getattr(_workers, "worker", None)
    if worker is None or not worker.alive():
        worker = _workers.worker = _ParseWorker()
    try:
        kind, value = worker.parse(parse, raw, max_chars, seconds)
    except TimeoutError:
        worker.stop()
        _workers.worker = None
        raise
    except (EOFError, OSError):
        worker.stop()
        _workers.worker = None
        raise Skip("parser stopped without an answer") from None
    if kind == "ok":
        out: Extracted = value
        return out
    if kind == "skip":
        raise Skip(value)
    raise Skip(f"cannot read: {value}")
