from __future__ import annotations

import re

from _render_samples import sample_brief, stmt

from briefing.models import Disagreement
from briefing.render._common import source_number
from briefing.render.html import display_location, render_html, safe_url

EVIL = (
    'Officials <script>alert(1)</script> said <img src="http://127.0.0.1:9/x.png"> '
    '<link rel="stylesheet" href="file:///etc/passwd"> & more.'
)


def test_source_number_follows_sources_order() -> None:
    brief = sample_brief(3)
    assert source_number(brief) == {"S1": 1, "S2": 2, "S3": 3}


def test_render_html_sections_in_order() -> None:
    html = render_html(sample_brief(2, 3))
    positions = [
        html.index(h)
        for h in (
            "<h1>",
            "Bottom line",
            "Where the sources disagree",
            "Key points",
            "<h2>Sources</h2>",
            '<footer class="meta">',
        )
    ]
    assert positions == sorted(positions)


def test_render_html_without_disagreements_omits_section() -> None:
    brief = sample_brief(2, 3, n_disagreements=0)
    assert "Where the sources disagree" not in render_html(brief)


def test_render_html_footnotes_link_to_numbered_sources() -> None:
    brief = sample_brief(3, 3)
    brief.key_points = [stmt("Only the third outlet says this.", "S3")]
    html = render_html(brief)
    assert re.search(r'<a class="fn" href="#src-3"[^>]*>\[3\]</a>', html)
    assert '<li id="src-3">' in html
    item = html[html.index('<li id="src-3">') :]
    assert brief.sources[2].outlet is not None
    assert item.index(brief.sources[2].outlet) < item.index("</li>")


def test_render_html_escapes_article_text() -> None:
    brief = sample_brief(2, 2)
    brief.key_points[0] = stmt(EVIL, "S1")
    brief.disagreements = [Disagreement(topic="<b>topic</b>", positions=[stmt(EVIL, "S1"), stmt("x", "S2")])]
    brief.sources[0].title = '"><script>alert(2)</script>'
    html = render_html(brief)
    body = html[html.index("<body>") :]
    assert "<script" not in html
    assert "<img" not in body and "<link" not in body and "<b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;img src=&#34;http://127.0.0.1:9/x.png&#34;&gt;" in body
    assert "&amp; more." in body


def test_render_html_links_only_http_urls() -> None:
    brief = sample_brief(2, 2)
    brief.sources[0].url = "javascript:alert(1)"
    brief.sources[1].url = "https://example.org/a"
    html = render_html(brief)
    assert 'href="javascript' not in html
    assert 'href="https://example.org/a"' in html
    assert safe_url("data:text/html,x") is None and safe_url("file:///etc/passwd") is None


def test_render_html_has_no_external_resources_and_csp() -> None:
    html = render_html(sample_brief(2, 2))
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"<(script|img|link|iframe)\b", html)
    assert "@import" not in html and "url(" not in html


def test_render_html_paper_size_and_wrapping() -> None:
    assert "size: letter" in render_html(sample_brief(2), paper="letter")
    html = render_html(sample_brief(2))
    assert "size: A4" in html
    assert "overflow-wrap: anywhere" in html


def test_render_html_shows_independent_sources_and_footer() -> None:
    brief = sample_brief(2, 3)
    brief.meta.chunks, brief.meta.chunks_fallback = 10, 2
    brief.meta.fallback_reasons = {"timeout": 2}
    brief.meta.model = "gpt-4o-mini"
    html = render_html(brief)
    assert "(2 independent sources)" in html
    assert "(1 independent sources)" not in html
    footer = html[html.index('<footer class="meta">') :]
    assert "engine extractive (gpt-4o-mini)" in footer
    assert "1 file skipped" in footer
    assert "2 of 10 chunks used the extractive fallback (timeout: 2)" in footer


def test_display_location_shortens_long_urls() -> None:
    url = "https://www.example.org/" + "a" * 200
    assert display_location(url, compact=True) == "example.org/…"
    assert len(display_location(url)) <= 60
    assert display_location("short.txt") == "short.txt"


def test_render_html_side_that_repeats_its_quote_is_shown_once() -> None:
    brief = sample_brief(2, 1)
    same = "The quarry shipped 45,000 tonnes last year."
    brief.disagreements = [Disagreement(topic="Output", positions=[stmt(same, "S1"), stmt("Less.", "S2")])]
    brief.sources[1].outlet = None
    html = render_html(brief)
    visible = re.sub(r'title="[^"]*"', "", html)  # markers carry the quote as a tooltip
    assert visible.count("45,000 tonnes") == 1
    side_two = html.split('<p class="side">')[2]
    assert side_two.split("</p>")[0].count("articles/") == 0  # no file name as a speaker label


def test_render_html_side_shows_the_stretch_where_the_sources_differ() -> None:
    brief = sample_brief(2, 1)
    passage = (
        "After a wet spring and two strikes at the pier, the quarry shipped 45,000 tonnes last year, "
        "its owners told the council on Monday."
    )
    brief.disagreements = [
        Disagreement(
            topic="Output",
            positions=[
                stmt("…the quarry shipped 45,000 tonnes last year…", "S1", quote=passage),
                stmt("…the quarry shipped 38,000 tonnes last year…", "S2", quote=passage.replace("45", "38")),
            ],
        )
    ]
    visible = re.sub(r'title="[^"]*"', "", render_html(brief))  # markers carry the whole passage
    assert "the quarry shipped 45,000 tonnes last year" in visible
    assert "wet spring" not in visible  # the passage around the figure is not repeated in the page


def test_render_html_size_is_bounded_whatever_the_number_of_sources() -> None:
    def page(n: int) -> str:
        brief = sample_brief(n, 12, n_disagreements=40)
        brief.bottom_line[0] = stmt(brief.bottom_line[0].text, *[s.id for s in brief.sources])
        return render_html(brief)

    small, large = page(1000), page(4000)
    assert len(large) < len(small) * 1.02
    assert "3,800 more of the 4,000 sources are not listed here" in large
    assert "10 more disagreements are in the JSON output" in large
    assert large.count('class="disagreement"') == 30
