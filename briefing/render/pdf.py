"""One-page PDF via WeasyPrint.

The page budget is enforced by measuring, not guessing: render, count pages,
and if the brief spills over drop the lowest-priority key points, then step the
type scale down. A long source list is compacted (the sources the page cites
first) with a line saying where the full list is; only when that is not
enough are disagreements, then bottom-line sentences, left out, each with a
warning. Only the package's own template directory can be read while
rendering; every other URL (http, https, file elsewhere, data) is refused.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from briefing.errors import MissingExtraError
from briefing.models import Brief
from briefing.render._common import FULL_LIST_NOTE, LEFT_OUT_NOTE, display_brief, display_meta, listed_sources
from briefing.render.html import SCALES, TEMPLATES_DIR, Paper, render_page

if TYPE_CHECKING:
    from weasyprint.document import Document

# Key points kept before the type is made smaller: a brief with a couple of
# points in 9pt reads better than one with none in 10pt.
MIN_POINTS = 3
# Sources listed before the list is compacted further; about what fits beside
# a full brief, so a long list does not cost a layout of hundreds of entries.
LISTED_SOURCES = 40
# Entries kept in a compacted list before disagreements are left out.
MIN_LISTED = 10


class FetchRefused(ValueError):
    """Raised by the fetcher for any URL outside the package's assets."""


def asset_path(url: str) -> Path | None:
    """The file a ``file:`` URL names, if it is inside the templates directory."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(TEMPLATES_DIR) or not path.is_file():
        return None
    return path


def make_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves only files under the templates directory.

    WeasyPrint 70 replaced the ``default_url_fetcher`` function with the
    :class:`weasyprint.urls.URLFetcher` class and reads attributes of it
    (``_fail_on_errors``), so a plain callable no longer suffices: we subclass
    it and override :meth:`fetch`, never calling the network-capable parent.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetsOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.requested: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            self.requested.append(url)
            path = asset_path(url)
            if path is None:
                raise FetchRefused(f"refused to fetch {url[:200]!r}: only the brief's own assets are allowed")
            mime = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(
                path.suffix, "application/octet-stream"
            )
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return AssetsOnlyFetcher()


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is there but Pango is not
        raise MissingExtraError("pdf", "weasyprint") from exc
    return weasyprint


def _layout(brief: Brief, paper: Paper, step: int, listed: int | None) -> Document:
    """Lay out ``brief``, whose strings are already made safe for display (``display_brief``)."""
    weasyprint = _weasyprint()
    html = render_page(brief, paper=paper, step=step, max_sources=listed, displayed=True)
    return weasyprint.HTML(
        string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=make_fetcher()
    ).render()


def render_pdf(brief: Brief, *, paper: Paper = "a4") -> bytes:
    """The brief as PDF bytes, fitted to one page.

    Returns the PDF of a copy of ``brief`` whose ``meta.points_trimmed`` says
    how many key points were left out; the caller's brief is not changed.
    """
    return render_pdf_fitted(brief, paper=paper)[0]


def render_pdf_fitted(brief: Brief, *, paper: Paper = "a4") -> tuple[bytes, Brief]:
    """Like :func:`render_pdf`, also returning the copy of the brief the PDF shows.

    The copy's ``meta.warnings`` ends with what fitting left out (compacted
    source list, dropped disagreements, or that one page was not enough).
    """
    doc, fitted = fit_one_page(brief, paper=paper)
    data: bytes = doc.write_pdf()
    return data, fitted


def _largest(
    lo: int, hi: int, fits: Callable[[int], tuple[Document, Brief] | None], *, gallop: bool = False
) -> tuple[Document, Brief] | None:
    """The layout for the largest value in [lo, hi] that fits (fitting shrinks as the value grows).

    ``lo`` is tried first: when even it does not fit, one layout says so
    instead of a whole bisection of layouts that all overflow. With ``gallop``
    the search then probes lo+1, lo+2, lo+4, ... before bisecting, which takes
    fewer layouts when the answer is expected near ``lo`` (a page far over).
    """
    if lo > hi:
        return None
    best = fits(lo)
    if best is None:
        return None
    lo += 1
    if gallop:
        step = 1
        while lo <= hi:
            probe = min(hi, lo + step - 1)
            candidate = fits(probe)
            if candidate is None:
                hi = probe - 1
                break
            best, lo = candidate, probe + 1
            step *= 2
    while lo <= hi:
        mid = (lo + hi) // 2
        candidate = fits(mid)
        if candidate is not None:
            best, lo = candidate, mid + 1
        else:
            hi = mid - 1
    return best


def _trimmed(
    brief: Brief,
    kept: int,
    disagreements: int | None,
    bottom: int | None,
    also: int | None,
    per_story: int | None = None,
) -> Brief:
    """A shallow copy of ``brief`` showing only what the limits keep (None: all), with its own meta.

    With several stories, the page shows each story's own disagreements and
    bottom line: the first ``disagreements`` of the brief's (in story order)
    are kept, at most ``per_story`` of each story's, and ``bottom`` counts the
    stories kept (one bottom line each).
    """
    kept_disagreements = brief.disagreements[:disagreements]
    if per_story is not None and len(brief.stories) > 1:
        first = [d for story in brief.stories for d in story.disagreements[:per_story]]
        kept_disagreements = [d for d in kept_disagreements if d in first]
    n_more = len(brief.more_stories)
    update: dict[str, object] = {
        "key_points": brief.key_points[:kept],
        "disagreements": kept_disagreements,
        "bottom_line": brief.bottom_line[:bottom],
        # ``also`` counts the one-line lists together, stories named by headline first.
        "more_stories": brief.more_stories[:also],
        "also_reported": brief.also_reported[: None if also is None else max(0, also - n_more)],
        "meta": brief.meta.model_copy(deep=True),
    }
    if len(brief.stories) > 1:
        stories = []
        for story in brief.stories[:bottom]:
            if disagreements is not None or per_story is not None:
                shown = [d for d in story.disagreements[:per_story] if d in kept_disagreements]
                left = len(story.disagreements) - len(shown)
                # The story's own line says what the page leaves out: "1 disagreement found" over an
                # empty section, or one of two shown with no word of the other, would mislead.
                checked = (
                    f"{story.checked.rstrip('.')}: {LEFT_OUT_NOTE}"
                    if left and not shown
                    else f"{left} more {LEFT_OUT_NOTE}"
                    if left
                    else story.checked
                )
                story = story.model_copy(update={"disagreements": shown, "checked": checked})
            stories.append(story)
        update["stories"] = stories
    return brief.model_copy(update=update)


def fit_one_page(brief: Brief, *, paper: Paper = "a4") -> tuple[Document, Brief]:
    """Lay out ``brief`` on one page, trimming key points and then shrinking type.

    Returns the laid-out document and the (copied, possibly trimmed) brief it shows.

    Each layout is a full WeasyPrint run, so the search is by bisection: the
    smallest type step at which the fewest points fit, then the most points at
    that step; beyond that, each fallback is tried at its smallest setting
    first and bisected only when that fits.
    """
    total = len(brief.key_points)
    floor = min(total, MIN_POINTS)
    n_sources = len(brief.sources)
    n_stories = len(brief.stories) if len(brief.stories) > 1 else 0
    first_listed = None if n_sources <= LISTED_SOURCES else LISTED_SOURCES
    last_step = len(SCALES) - 1
    # Made safe for display once: every layout below starts from this copy.
    shown = display_brief(brief)

    def attempt(
        kept: int,
        step: int,
        listed: int | None = first_listed,
        disagreements: int | None = None,
        bottom: int | None = None,
        also: int | None = None,
        per_story: int | None = None,
    ) -> tuple[Document, Brief]:
        copy = _trimmed(brief, kept, disagreements, bottom, also, per_story)
        copy.meta.points_trimmed = brief.meta.points_trimmed + (total - kept)
        copy.meta.headlines_trimmed = len(brief.more_stories) - len(copy.more_stories)
        _, hidden = listed_sources(copy, listed)
        if hidden:
            copy.meta.warnings.append(
                f"the PDF lists {n_sources - hidden:,} of {n_sources:,} sources; {FULL_LIST_NOTE}"
            )
        for dropped, what in (
            (len(brief.disagreements) - len(copy.disagreements), "disagreement"),
            (len(brief.also_reported) - len(copy.also_reported), '"Also reported" item'),
            (len(brief.more_stories) - len(copy.more_stories), '"More stories" headline'),
            (n_stories - len(copy.stories) if n_stories else 0, "story"),
            (0 if n_stories else len(brief.bottom_line) - len(copy.bottom_line), "bottom-line sentence"),
        ):
            if dropped:
                plural = ("stories" if what == "story" else what + "s") if dropped != 1 else what
                copy.meta.warnings.append(
                    f"{dropped} {plural} left out of the PDF to fit one page (all are in the JSON output)"
                )
        page = _trimmed(shown, kept, disagreements, bottom, also, per_story)
        page = page.model_copy(update={"meta": display_meta(copy.meta)})
        return _layout(page, paper, step, listed), copy

    def one_page(result: tuple[Document, Brief]) -> tuple[Document, Brief] | None:
        return result if len(result[0].pages) <= 1 else None

    def _at_step(step: int, kept: int) -> tuple[Document, Brief] | None:
        return one_page(attempt(kept, step))

    first = attempt(total, 0)
    if len(first[0].pages) <= 1:
        return first
    tightest = one_page(attempt(floor, last_step))
    if tightest is not None:
        # The smallest step at which the fewest points fit (fitting only gets
        # easier as the type shrinks), then the most points at that step.
        step, at_floor = last_step, tightest
        lo, hi = 0, last_step - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            candidate = one_page(attempt(floor, mid))
            if candidate is not None:
                step, at_floor, hi = mid, candidate, mid - 1
            else:
                lo = mid + 1
        best = _largest(floor + 1, total if step else total - 1, functools.partial(_at_step, step))
        return best or at_floor
    # Even the tightest scale with the fewest points overflows: compact the
    # source list (keeping a few entries, the cited ones first), then leave
    # out "Also reported" items, key points and disagreements, then the rest
    # of the list, then stories (or bottom-line sentences), each no more than
    # one page needs.
    listed_max = first_listed if first_listed is not None else n_sources
    keep_listed = min(MIN_LISTED, listed_max)
    n_also = len(brief.more_stories) + len(brief.also_reported)
    n_bottom = n_stories or len(brief.bottom_line)
    fitted = _largest(
        keep_listed, listed_max - 1, lambda n: one_page(attempt(floor, last_step, n)), gallop=True
    )
    if fitted is None and brief.more_stories:
        # A story named by its headline costs one line and tells the reader it exists: on a
        # big morning the headlines stay and key points go first.
        fitted = _largest(0, floor - 1, lambda k: one_page(attempt(k, last_step, keep_listed)), gallop=True)
    # A story's first disagreement tells the reader the sources differ; its fifth quotation wording
    # is worth less than another story's headline: stories keep one each before headlines go.
    cap = 1 if n_stories and brief.more_stories else None
    points = 0 if brief.more_stories else floor  # headlines stay longer than key points (above)
    if fitted is None and cap is not None:
        fitted = _largest(
            0, floor, lambda k: one_page(attempt(k, last_step, keep_listed, per_story=cap)), gallop=True
        )
    if fitted is None:
        fitted = _largest(
            0,
            n_also - 1,
            lambda a: one_page(attempt(points, last_step, keep_listed, also=a, per_story=cap)),
            gallop=True,
        )
    if fitted is None:
        fitted = _largest(
            0,
            len(brief.disagreements),
            lambda d: one_page(attempt(0, last_step, keep_listed, d, also=0)),
            gallop=True,
        )
    if fitted is None:
        fitted = _largest(
            0, keep_listed - 1, lambda n: one_page(attempt(0, last_step, n, 0, also=0)), gallop=True
        )
    if fitted is None:
        fitted = _largest(
            0, n_bottom - 1, lambda b: one_page(attempt(0, last_step, 0, 0, b, also=0)), gallop=True
        )
    if fitted is not None:
        return fitted
    last = attempt(0, last_step, 0, 0, 0, also=0)
    last[1].meta.warnings.append(f"the brief needs {len(last[0].pages)} pages; it could not fit on one")
    return last
