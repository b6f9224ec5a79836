"""HTML rendering: one Jinja2 template with print CSS, shared with the PDF renderer.

Article text is untrusted. Autoescaping is on for everything the template
prints, links are emitted only for http(s) URLs, and a Content-Security-Policy
stops a browser from loading or running anything even if a bug let markup in.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from markupsafe import Markup

from briefing.models import Brief, Statement
from briefing.render._common import (
    LEFT_OUT_NOTE,
    MAX_LISTED_SOURCES,
    MAX_SHOWN_DISAGREEMENTS,
    change_marks,
    changes_summary,
    disagreement_mark,
    display_brief,
    footer_parts,
    independent_label,
    listed_sources,
    more_disagreements_note,
    more_sources_note,
    nested_quotes,
    point_key,
    repeats_quote,
    resolved_topics,
    shown_numbers,
    shown_points,
    source_number,
    unchanged,
    unchanged_line,
)

if TYPE_CHECKING:
    import jinja2

Paper = Literal["a4", "letter"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# Page geometry per paper size; the margins shrink with the type scale.
_PAGE_SIZE: dict[str, str] = {"a4": "A4", "letter": "letter"}

# Type scales from roomy to tight. The PDF renderer walks down this list when
# a brief does not fit on one page; step 0 is what HTML readers get.
SCALES: tuple[dict[str, str], ...] = (
    {"fs": "10pt", "fs-small": "8pt", "fs-h1": "17pt", "fs-h2": "10.5pt", "lh": "1.32", "gap": "7pt"},
    {"fs": "9.5pt", "fs-small": "7.6pt", "fs-h1": "16pt", "fs-h2": "10pt", "lh": "1.28", "gap": "6pt"},
    {"fs": "9pt", "fs-small": "7.2pt", "fs-h1": "15pt", "fs-h2": "9.5pt", "lh": "1.25", "gap": "5pt"},
    {"fs": "8.5pt", "fs-small": "6.9pt", "fs-h1": "14pt", "fs-h2": "9pt", "lh": "1.22", "gap": "4pt"},
    {"fs": "8pt", "fs-small": "6.6pt", "fs-h1": "13pt", "fs-h2": "8.5pt", "lh": "1.18", "gap": "3.5pt"},
)
_MARGINS = (
    "16mm 17mm 14mm 17mm",
    "14mm 15mm 12mm 15mm",
    "12mm 14mm 11mm 14mm",
    "11mm 13mm 10mm 13mm",
    "10mm 12mm 9mm 12mm",
)

_QUOTE_DISPLAY_CHARS = 280


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        # Always on, not select_autoescape: the template name ends in .j2.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    return env


@lru_cache(maxsize=1)
def _css() -> str:
    return (TEMPLATES_DIR / "brief.css").read_text(encoding="utf-8")


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s), else None (no javascript:, data:, file: links)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def display_location(text: str, *, compact: bool = False) -> str:
    """A URL or path short enough for the source list; the link keeps the full URL.

    Compact (long source lists) shows a URL as its host, since outlet, title and
    date already identify the article and the link still carries the address.
    """
    shown = text.strip()
    limit = 30 if compact else 60
    for prefix in ("https://", "http://"):
        if shown.lower().startswith(prefix):
            shown = shown[len(prefix) :].removeprefix("www.")
            if compact:
                host, _, rest = shown.partition("/")
                return host + ("/…" if rest.strip("/") else "")
    if len(shown) <= limit:
        return shown
    head = limit // 2
    return shown[:head] + "…" + shown[-(limit - head - 1) :]


def split_last_word(text: str) -> tuple[str, str]:
    """``("The river fell by ", "Friday.")``: the text before its last word, and the word."""
    text = text.rstrip()
    cut = max(text.rfind(" "), text.rfind("\n"), text.rfind("\t")) + 1
    # A single very long token stays breakable rather than overflowing the column.
    if len(text) - cut > 30:
        return text, ""
    return text[:cut], text[cut:]


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(",;:") + "…"


def format_dateline(brief: Brief) -> str:
    when: datetime = brief.generated_at
    stamp = f"{when.day} {when:%B %Y}, {when:%H:%M}"
    if when.tzinfo is not None:
        stamp += f" {when.tzname() or ''}".rstrip()
    n = len(brief.sources)
    return f"{stamp} · {n} source{'s' if n != 1 else ''}"


def render_html(brief: Brief, *, paper: Paper = "a4") -> str:
    """The brief as a standalone HTML page (inline CSS, no external resources).

    Its size is bounded: at most MAX_LISTED_SOURCES sources and
    MAX_SHOWN_DISAGREEMENTS disagreements are shown, with a line saying the
    JSON output has the rest.
    """
    return render_page(brief, paper=paper, step=0, max_disagreements=MAX_SHOWN_DISAGREEMENTS)


def render_page(
    brief: Brief,
    *,
    paper: Paper,
    step: int,
    max_sources: int | None = MAX_LISTED_SOURCES,
    max_disagreements: int | None = None,
    displayed: bool = False,
) -> str:
    """The page at type scale ``step``, listing at most ``max_sources`` sources (None: all).

    ``displayed``: the brief already went through ``display_brief`` (the PDF
    fitter does it once for all its layouts instead of once per layout).
    """
    hidden_disagreements = 0
    if max_disagreements is not None and len(brief.disagreements) > max_disagreements:
        hidden_disagreements = len(brief.disagreements) - max_disagreements
        brief = brief.model_copy(update={"disagreements": brief.disagreements[:max_disagreements]})
    if paper not in _PAGE_SIZE:
        raise ValueError(f"paper must be 'a4' or 'letter', not {paper!r}")
    step = max(0, min(step, len(SCALES) - 1))
    if not displayed:
        brief = display_brief(brief)
    numbers = source_number(brief)
    by_number = {n: sid for sid, n in numbers.items()}
    # Only outlets label a side: a bare file name says less than its [n] marker.
    outlets = {src.id: src.outlet for src in brief.sources if src.outlet}

    def quote_of(statement: Statement, n: int) -> str:
        sid = by_number.get(n)
        for c in statement.citations:
            if c.source == sid:
                return _shorten(c.quote, _QUOTE_DISPLAY_CHARS)
        return ""

    def side_label(statement: Statement) -> str:
        ids = list(dict.fromkeys(c.source for c in statement.citations if c.source in numbers))
        names = list(dict.fromkeys(outlets[s] for s in ids if outlets.get(s)))
        return (" and ".join(names[:2]) + (" and others" if len(names) > 2 else "") + ":") if names else ""

    def side_quotes(statement: Statement) -> list[str]:
        if repeats_quote(statement):
            # The side's words are the stretch of its passage where the sources differ (a figure with
            # the words around it, two wordings cut to the change): that stretch is the quotation shown,
            # as in the markdown; the whole passage is one click away in the marker's tooltip.
            return [_shorten(nested_quotes(statement.text), _QUOTE_DISPLAY_CHARS)]
        seen: dict[str, str] = {}
        for c in statement.citations:
            seen.setdefault(c.source, c.quote)
        # Two passages are enough to show where a side stands; the rest are in the sources.
        return [_shorten(nested_quotes(q), _QUOTE_DISPLAY_CHARS) for q in list(seen.values())[:2]]

    listed, hidden = listed_sources(brief, max_sources)
    shown = shown_points(brief)
    template = _environment().get_template("brief.html.j2")
    return template.render(
        brief=brief,
        numbers=numbers,
        numbers_of=lambda s: shown_numbers(s, numbers)[0],
        more_of=lambda s: shown_numbers(s, numbers)[1],
        listed=listed,
        sources_note=more_sources_note(hidden, len(brief.sources)) if hidden else "",
        disagreements_note=more_disagreements_note(hidden_disagreements) if hidden_disagreements else "",
        quote_of=quote_of,
        side_label=side_label,
        side_quotes=side_quotes,
        independent=independent_label,
        repeats_quote=repeats_quote,
        safe_url=safe_url,
        display_location=lambda text: display_location(text, compact=len(brief.sources) > 10),
        split_last_word=split_last_word,
        story_points=lambda story: [s for s in story.key_points if point_key(s) in shown],
        dateline=format_dateline(brief),
        footer=" · ".join(footer_parts(brief.meta)),
        # make --since: New/Update tags, moved figures, unchanged points compressed to one line.
        marks=lambda section, i: change_marks(brief, section, i),
        quiet_points=set(unchanged(brief, "key_points")),
        unchanged_line=unchanged_line(brief, "key_points"),
        changes_summary=changes_summary(brief),
        disagreement_mark=lambda topic: disagreement_mark(brief, topic),
        left_out_note=LEFT_OUT_NOTE,
        resolved=resolved_topics(brief),
        # Our own stylesheet and numbers; Markup so autoescape leaves the CSS alone.
        css=Markup(_css()),
        css_vars=list(SCALES[step].items()),
        page_size=_PAGE_SIZE[paper],
        margin=_MARGINS[step],
    )
