"""One-page PDF via WeasyPrint.

The page budget is enforced by measuring, not guessing: render, count pages,
and if the brief spills over drop the lowest-priority key points, then step the
type scale down. The bottom line, the disagreements and the source list are
never dropped. Only the package's own template directory can be read while
rendering; every other URL (http, https, file elsewhere, data) is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from briefing.errors import MissingExtraError
from briefing.models import Brief
from briefing.render.html import SCALES, TEMPLATES_DIR, Paper, render_page

if TYPE_CHECKING:
    from weasyprint.document import Document

# Key points kept before the type is made smaller: a brief with a couple of
# points in 9pt reads better than one with none in 10pt.
MIN_POINTS = 3


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


def _layout(brief: Brief, paper: Paper, step: int) -> Document:
    weasyprint = _weasyprint()
    html = render_page(brief, paper=paper, step=step)
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
    """Like :func:`render_pdf`, also returning the copy of the brief the PDF shows."""
    doc, fitted = fit_one_page(brief, paper=paper)
    data: bytes = doc.write_pdf()
    return data, fitted


def fit_one_page(brief: Brief, *, paper: Paper = "a4") -> tuple[Document, Brief]:
    """Lay out ``brief`` on one page, trimming key points and then shrinking type.

    Returns the laid-out document and the (copied, possibly trimmed) brief it shows.
    """
    total = len(brief.key_points)
    floor = min(total, MIN_POINTS)

    def attempt(kept: int, step: int) -> tuple[Document, Brief]:
        copy = brief.model_copy(deep=True)
        copy.key_points = copy.key_points[:kept]
        copy.meta.points_trimmed = brief.meta.points_trimmed + (total - kept)
        return _layout(copy, paper, step), copy

    first = attempt(total, 0)
    if len(first[0].pages) <= 1:
        return first
    for step in range(len(SCALES)):
        at_floor = attempt(floor, step)
        if len(at_floor[0].pages) > 1:
            continue
        # Largest number of points that still fits at this scale: page count
        # only grows with more points, so a binary search finds it.
        best, lo, hi = at_floor, floor + 1, total if step else total - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            candidate = attempt(mid, step)
            if len(candidate[0].pages) <= 1:
                best, lo = candidate, mid + 1
            else:
                hi = mid - 1
        return best
    # Even the tightest scale with the fewest points overflows (huge
    # disagreements): drop every key point, and say so if it still spills.
    last = attempt(0, len(SCALES) - 1)
    if len(last[0].pages) > 1:
        last[1].meta.warnings.append(f"the brief needs {len(last[0].pages)} pages; it could not fit on one")
    return last
