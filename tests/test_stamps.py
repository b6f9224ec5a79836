"""The publication time a page states: which metadata counts, and what is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing.sources.stamps import iso_time, published_time
from briefing.sources.walk import load_sources


def _page(head: str) -> Any:
    from trafilatura.utils import load_html  # heavy: imported where used, as in the readers

    return load_html(f"<html><head>{head}</head><body><p>Text.</p><p>More text.</p></body></html>".encode())


def test_published_time_reads_opengraph_schema_org_and_parsely() -> None:
    og = '<meta property="article:published_time" content="2026-03-04T09:15:00+01:00">'
    assert published_time(_page(og)) == "2026-03-04T08:15:00Z"
    ld = (
        '<script type="application/ld+json">'
        '{"@graph": [{"@type": "NewsArticle", "datePublished": "2026-03-04T20:03:00Z"}]}</script>'
    )
    assert published_time(_page(ld)) == "2026-03-04T20:03:00Z"
    parsely = """<meta name="parsely-page" content='{"pub_date": "2026-03-04T23:44:40+0000"}'>"""
    assert published_time(_page(parsely)) == "2026-03-04T23:44:40Z"
    naive = '<time itemprop="datePublished" datetime="2026-03-04T19:53:52">4 March</time>'
    assert published_time(_page(naive)) == "2026-03-04T19:53:52"


def test_published_time_skips_metadata_of_related_items_and_dates_without_a_time() -> None:
    related = "".join(
        f'<meta itemprop="datePublished" content="2026-0{m}-01T10:00:00Z">' for m in (1, 2, 3)
    )  # one per related item: none of them is this page's
    assert published_time(_page(related)) is None
    og = '<meta property="article:published_time" content="{}">'
    assert published_time(_page(related + og.format("2026-04-02T08:00:00Z"))) == "2026-04-02T08:00:00Z"
    assert published_time(_page(og.format("2026-04-02"))) is None  # a date alone orders nothing
    assert published_time(_page(og.format("2026-00-29T11:12:28Z"))) is None  # month 0
    assert published_time(None) is None  # what load_html gives for no HTML at all
    assert iso_time("yesterday at noon") is None


def test_load_sources_html_time_is_kept_only_when_it_agrees_with_the_date(tmp_path: Path) -> None:
    body = "<body><article><h1>Pier reopens</h1>" + "<p>The Varnholm pier reopened on Monday.</p>" * 5
    (tmp_path / "a.html").write_text(
        '<html><head><meta property="article:published_time" content="2026-03-04T08:00:00Z">'
        f"</head>{body}</article></body></html>"
    )
    (tmp_path / "b.html").write_text(
        """<html><head><meta name="parsely-page" content='{"pub_date": "2026-03-04T08:00:00Z"}'>"""
        '<meta name="date" content="2026-05-20"></head>'
        f"{body.replace('Monday', 'Friday after a storm')}</article></body></html>"
    )
    a, b = load_sources(tmp_path).sources
    assert (a.published, a.published_at) == ("2026-03-04", "2026-03-04T08:00:00Z")
    assert b.published == "2026-05-20" and b.published_at is None
