"""The markdown brief rendered to HTML by python-markdown and by markdown-it: no raw HTML survives.

Every string that came from outside (statement and quote text, titles,
outlets, URLs, file names, skip reasons, model names) is filled with hostile
text; the rendered HTML may hold only the tags the brief's own structure makes
and links only to http(s) URLs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from briefing.models import Brief, Citation, Disagreement, Meta, Skipped, SourceRef, Statement
from briefing.render.markdown import escape, render_markdown

PINNED = datetime(2026, 1, 2, 7, 0, tzinfo=UTC)
# What the brief's own markdown makes: headings, paragraphs, lists, emphasis,
# code spans for file names, autolinks for source URLs and the footer rule.
ALLOWED_TAGS = {"h1", "h2", "p", "ul", "ol", "li", "em", "strong", "code", "a", "hr"}

PIECES = [
    *"ab <>[]()!*_`#|~\\=+-.:;&\"' \n\t\r\x1b\u202e",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "[x](javascript:alert(1))",
    "![i](http://x/i.png)",
    "<http://evil.example/>",
    "<javascript:alert(1)>",
    "<!-- c -->",
    "<![CDATA[x]]>",
    "<?php ?>",
    "<!DOCTYPE html>",
    "&lt;script&gt;",
    "&#60;b&#62;",
    "[1]: http://x",
    "1. ",
    "1) ",
    "- ",
    "+ ",
    "> ",
    "# ",
    "===",
    "---",
    "```",
    "    ",
    "|-|-|",
    "~~s~~",
    "**b**",
    "<div>",
    "</p>",
]
hostile = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join)
urls = st.one_of(
    hostile,
    st.builds(lambda tail: "https://example.org/" + tail, hostile),
    st.just("javascript:alert(1)"),
    st.just("https://a.example/><script>alert(1)</script>"),
    st.just("http://x/[y](javascript:alert(1))"),
)


def _brief(
    text: str, other: str, topic: str, title: str, outlet: str, url: str, path: str, model: str
) -> Brief:
    cite = Citation(source="S1", quote=other, start=0, end=max(1, len(other)))
    cite2 = Citation(source="S2", quote=text, start=0, end=max(1, len(text)))
    return Brief(
        title=title,
        generated_at=PINNED,
        bottom_line=[Statement(text=text, citations=[cite])],
        key_points=[Statement(text=other, citations=[cite, cite2], independent_sources=2)],
        disagreements=[
            Disagreement(
                topic=topic,
                positions=[Statement(text=text, citations=[cite]), Statement(text=other, citations=[cite2])],
            )
        ],
        sources=[
            SourceRef(id="S1", path=path, title=title, outlet=outlet, url=url, published=other),
            SourceRef(id="S2", path=text, url=url),
        ],
        meta=Meta(
            engine="llm",
            model=model,
            skipped=[Skipped(path=path, reason=text)],
            chunks=2,
            chunks_fallback=1,
            fallback_reasons={model: 1},
        ),
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.other.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.other.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.other.append("processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.other.append("cdata")


def _renderers() -> list[tuple[str, object]]:
    commonmark = MarkdownIt("commonmark")  # raw HTML allowed, as CommonMark says
    gfm = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    return [
        ("python-markdown", lambda md: markdown.markdown(md)),
        ("markdown-it commonmark", commonmark.render),
        ("markdown-it gfm", gfm.render),
    ]


RENDERERS = _renderers()


def assert_no_raw_html(md: str) -> None:
    for name, render in RENDERERS:
        html = render(md)  # type: ignore[operator]  # a callable from the list above
        parser = _Tags()
        parser.feed(html)
        parser.close()
        assert not parser.other, (name, parser.other, html)
        assert "<script" not in html.lower(), (name, html)
        for tag, attrs in parser.tags:
            assert tag in ALLOWED_TAGS, (name, tag, html)
            for attr, value in attrs:
                assert tag == "a" and attr == "href", (name, tag, attr, html)
                assert value is not None and value.lower().startswith(("http://", "https://")), (name, html)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=hostile,
    other=hostile,
    topic=hostile,
    title=hostile,
    outlet=hostile,
    url=urls,
    path=hostile,
    model=hostile,
)
def test_render_markdown_hostile_text_leaves_no_raw_html_in_either_renderer(
    text: str, other: str, topic: str, title: str, outlet: str, url: str, path: str, model: str
) -> None:
    md = render_markdown(_brief(text, other, topic, title, outlet, url, path, model))
    assert_no_raw_html(md)
    # The brief's structure survives: its own headings, in order, and nothing else a heading.
    headings = [line for line in md.split("\n") if line.startswith("#")]
    assert headings[1:] == ["## Bottom line", "## Where the sources disagree", "## Key points", "## Sources"]


def test_render_markdown_source_url_cannot_close_its_link() -> None:
    md = render_markdown(
        _brief("a", "b", "c", "t", "o", "https://a.example/x><script>alert(1)</script>", "p.txt", "m")
    )
    assert "<https://a.example/x%3E%3Cscript%3Ealert(1)%3C/script%3E>" in md
    assert_no_raw_html(md)


def test_render_markdown_drops_non_http_urls() -> None:
    md = render_markdown(_brief("a", "b", "c", "t", "o", "javascript:alert(1)", "p.txt", "m"))
    assert "javascript" not in md


def test_render_markdown_file_names_with_backticks_stay_inert() -> None:
    md = render_markdown(_brief("a", "b", "c", "t", "o", "", "x` <b>y</b> `z.txt", "m"))
    assert "x\\` &lt;b\\>y&lt;/b\\> \\`z.txt" in md
    assert_no_raw_html(md)
    plain = render_markdown(_brief("a", "b", "c", "t", "o", "", "folder/plain_name.txt", "m"))
    assert "`folder/plain_name.txt`" in plain


def test_escape_keeps_plain_text_readable() -> None:
    assert escape("AT&T said 5 > 4 and 3 < 4.") == "AT&T said 5 \\> 4 and 3 &lt; 4."
    assert escape("&amp; is an entity") == "&amp;amp; is an entity"


def test_escape_neutralises_block_markers_at_the_start() -> None:
    assert escape("1986. The year") == "1986\\. The year"
    assert escape("- item") == "\\- item"
    assert escape("+ item") == "\\+ item"
    assert escape("===") == "&#61;=="
    assert escape("# title") == "\\# title"
    assert escape("> quote") == "\\> quote"
