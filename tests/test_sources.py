"""load_sources: each format read from real files, metadata, ids, skip reasons, duplicates."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest

from briefing.errors import InputError
from briefing.sources.walk import load_sources, mark_near_duplicates

TXT = """Newsroom - Harbours/Shipping

Posted on 31 Oct 2025

Tarnow, Quenby sign dredging pact

Tarnow and Quenby have agreed a charter to share the cost of deepening the outer channel, Quaywire reports.

The port handled 45,000 tonnes of salted herring and smoked eel last year.

Source:Quaywire
"""

MD = """---
title: Quenby tightens herring quotas
publisher: Example Times
date: 2025-10-09
url: https://example.com/china-exports
---

# A different heading

Quenby added five more herring grounds to its closed-waters list on Thursday.

| Port | Landings (tonnes) |
|---|---|
| Quenby | 270,000 |
"""

HTML = """<html><head><title>Herring landings rise | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2025-10-28T10:00:00Z">
<link rel="canonical" href="https://example.com/herring">
</head><body><nav>Home | World | Business</nav><article><h1>Herring landings rise</h1>
<p>Norland landed 230,000 tonnes of herring in 2024, by the count of the Northern Fisheries Board,
which tallies the catch every January.</p>
<p>Tarnow landed 45,000 tonnes, the board said. Skippers expect a larger catch next
year as new trawlers sail from Dornwick and Quenby.</p>
<table><tr><th>Port</th><th>Tonnes</th></tr><tr><td>Norland</td><td>230,000</td></tr>
<tr><td>TNW</td><td>45,000</td></tr></table>
<p>Prices of smoked fillets rose by a third over the year, traders said on Tuesday.</p>
</article><footer>Copyright Example News</footer></body></html>"""


def make_pdf(text: str, title: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    if title:
        pdf.set_title(title)
    pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def encrypt_pdf(raw: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_load_sources_txt_reads_title_outlet_and_date(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", TXT)
    (src,) = load_sources(tmp_path).sources
    assert src.id == "S1"
    assert src.path == "a.txt"
    assert src.format == "txt"
    assert src.title == "Tarnow, Quenby sign dredging pact"  # not the "Newsroom - ..." label above it
    assert src.outlet == "Quaywire"
    assert src.published == "2025-10-31"
    assert src.url is None
    # The text is the file, only the trailing newline trimmed: metadata lines stay citable.
    assert src.text == TXT.rstrip()
    assert src.chars == len(src.text)


def test_load_sources_txt_reads_url_line_and_published_label(tmp_path: Path) -> None:
    write(
        tmp_path, "a.txt", "Gallium prices jump\nPublished: March 3, 2025\nURL: https://ex.com/g\n\nBody.\n"
    )
    (src,) = load_sources(tmp_path).sources
    assert (src.title, src.published, src.url) == ("Gallium prices jump", "2025-03-03", "https://ex.com/g")


def test_load_sources_txt_title_loses_a_site_name_after_a_bar(tmp_path: Path) -> None:
    body = "\n\nThe price of gallium rose on Monday in every market.\n"
    write(tmp_path, "a.txt", "Gallium prices jump | Example Metals Daily" + body)
    write(tmp_path, "b.txt", "Gallium | the metal nobody mined for forty years of trade wars" + body)
    a, b = load_sources(tmp_path).sources
    assert a.title == "Gallium prices jump"
    assert b.title == "Gallium | the metal nobody mined for forty years of trade wars"  # not a site's name


def test_load_sources_txt_never_invents_a_partial_date(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Headline here\nPosted on Oct 2025\n\nThe deal was signed on Monday in Tokyo.\n")
    (src,) = load_sources(tmp_path).sources
    assert src.published is None


def test_load_sources_txt_without_header_has_no_title(tmp_path: Path) -> None:
    body = "Tarnow and Quenby agreed a lasting charter on deepening the outer harbour channel on Monday, " * 3
    write(tmp_path, "a.txt", body + "\nSecond paragraph.\n")
    (src,) = load_sources(tmp_path).sources
    assert src.title is None


def test_load_sources_txt_title_in_headline_capitals_may_end_on_an_abbreviation(tmp_path: Path) -> None:
    # A headline ending on "I.R.S." ends on a full stop; a sentence's first line would not be in
    # headline capitals.
    body = "The harbour tax office said on Thursday it would recognise all marriages for filing purposes."
    write(tmp_path, "a.txt", f"Marriages Get Recognition From the Harbour I.R.S.\n\n{body}\n")
    write(tmp_path, "b.txt", f"The harbour tax office recognised all marriages on Thursday.\n\n{body}\n")
    first, second = load_sources(tmp_path).sources
    assert first.title == "Marriages Get Recognition From the Harbour I.R.S."
    assert second.title is None


def test_load_sources_crlf_is_normalised(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", b"Title line\r\n\r\nFirst paragraph here.\r\nSecond.\r\n\r\n")
    (src,) = load_sources(tmp_path).sources
    assert src.text == "Title line\n\nFirst paragraph here.\nSecond."


def test_load_sources_markdown_front_matter_is_metadata_and_removed(tmp_path: Path) -> None:
    write(tmp_path, "b.md", MD)
    (src,) = load_sources(tmp_path).sources
    assert src.format == "md"
    assert src.title == "Quenby tightens herring quotas"
    assert src.outlet == "Example Times"
    assert src.published == "2025-10-09"
    assert src.url == "https://example.com/china-exports"
    assert "---" not in src.text.splitlines()[0]
    assert "publisher:" not in src.text
    assert src.text.startswith("# A different heading")
    assert "| Quenby | 270,000 |" in src.text  # tables kept verbatim


def test_load_sources_markdown_heading_is_title_without_front_matter(tmp_path: Path) -> None:
    write(tmp_path, "b.markdown", "# Lithium glut deepens\n\nPrices fell again this week, traders said.\n")
    (src,) = load_sources(tmp_path).sources
    assert src.title == "Lithium glut deepens"


def test_load_sources_markdown_broken_front_matter_keeps_file_with_warning(tmp_path: Path) -> None:
    write(tmp_path, "b.md", "---\ntitle: [unclosed\n---\nBody text that is still worth reading.\n")
    result = load_sources(tmp_path)
    assert len(result.sources) == 1
    assert "Body text" in result.sources[0].text
    assert result.warnings and result.warnings[0].startswith("b.md: front matter not read")


def test_load_sources_html_metadata_and_table_rows(tmp_path: Path) -> None:
    write(tmp_path, "c.html", HTML)
    (src,) = load_sources(tmp_path).sources
    assert src.format == "html"
    assert src.title == "Herring landings rise"  # " | Example News" suffix dropped
    assert src.outlet == "Example News"
    assert src.published == "2025-10-28"
    assert src.url == "https://example.com/herring"
    assert "Norland landed 230,000 tonnes" in src.text
    assert "Copyright" not in src.text and "Home | World" not in src.text
    lines = src.text.splitlines()
    assert "| Norland | 230,000 |" in lines
    assert "| TNW | 45,000 |" in lines
    # Paragraphs are separated by a blank line so chunking can break between them.
    assert "\n\n" in src.text


def test_load_sources_html_without_article_text_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", TXT)
    write(tmp_path, "empty.htm", "<html><head><title>x</title></head><body></body></html>")
    result = load_sources(tmp_path)
    assert [s.path for s in result.sources] == ["good.txt"]
    assert result.skipped[0].path == "empty.htm"
    assert result.skipped[0].reason == "no article text found"


def test_load_sources_pdf_text_and_title(tmp_path: Path) -> None:
    text = "Posted on 3 November 2025\n\nNorland landed 230,000 tonnes of herring in 2024.\n\nSource: Wire"
    write(tmp_path, "d.pdf", make_pdf(text, title="Herring catch report"))
    (src,) = load_sources(tmp_path).sources
    assert src.format == "pdf"
    assert src.title == "Herring catch report"
    assert src.published == "2025-11-03"
    assert src.outlet == "Wire"
    assert "Norland landed 230,000 tonnes of herring in 2024." in src.text


def test_load_sources_pdf_encrypted_with_password_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", TXT)
    write(tmp_path, "locked.pdf", encrypt_pdf(make_pdf("Secret body text of the report."), "secret"))
    result = load_sources(tmp_path)
    assert [s.path for s in result.skipped] == ["locked.pdf"]
    assert result.skipped[0].reason == "encrypted PDF"


def test_load_sources_pdf_encrypted_with_empty_password_is_read(tmp_path: Path) -> None:
    write(tmp_path, "open.pdf", encrypt_pdf(make_pdf("Readable body text of the report."), ""))
    (src,) = load_sources(tmp_path).sources
    assert "Readable body text" in src.text


def test_load_sources_pdf_without_text_is_skipped(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()  # a scanned page looks like this to a text extractor: nothing
    write(tmp_path, "good.txt", TXT)
    write(tmp_path, "scan.pdf", bytes(pdf.output()))
    result = load_sources(tmp_path)
    assert result.skipped[0].reason == "PDF has no extractable text"


def test_load_sources_ids_follow_sorted_relative_paths(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", "Beta story\n\nBeta body text about magnets.\n")
    write(tmp_path, "a/z.txt", "Zeta story\n\nZeta body text about mines.\n")
    write(tmp_path, "a.txt", "Alpha story\n\nAlpha body text about prices.\n")
    write(tmp_path, "notes.docx", b"PK\x03\x04")
    write(tmp_path, ".hidden.txt", "Hidden story\n\nShould never be read.\n")
    write(tmp_path, ".git/config.txt", "Hidden folder\n\nShould never be read.\n")
    result = load_sources(tmp_path)
    assert [(s.id, s.path) for s in result.sources] == [("S1", "a.txt"), ("S2", "a/z.txt"), ("S3", "b.txt")]
    assert [(s.path, s.reason) for s in result.skipped] == [("notes.docx", "unsupported file type .docx")]
    assert result.root == str(tmp_path)


def test_load_sources_single_file_root(tmp_path: Path) -> None:
    path = write(tmp_path, "one.txt", TXT)
    result = load_sources(path)
    assert [(s.id, s.path) for s in result.sources] == [("S1", "one.txt")]


def test_load_sources_missing_folder_raises_input_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(InputError, match=r"^no such folder: .*nope$"):
        load_sources(missing)


def test_load_sources_empty_folder_raises_input_error(tmp_path: Path) -> None:
    write(tmp_path, "image.png", b"\x89PNG\r\n")
    with pytest.raises(
        InputError, match=r"no articles found in .* \(supported: \.txt \.md \.html \.htm \.pdf\)"
    ):
        load_sources(tmp_path)


def test_load_sources_nothing_readable_raises_input_error(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", b"")
    write(tmp_path, "b.txt", b"\x00\x01\x02\x03" * 10)
    with pytest.raises(
        InputError, match=r"none of the 2 files in .* could be read; first: a.txt: empty file"
    ):
        load_sources(tmp_path)


def test_load_sources_exact_duplicate_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", TXT)
    write(tmp_path, "b.txt", TXT.replace("\n\n", "\n\n\n"))  # same words, different spacing
    result = load_sources(tmp_path)
    assert [s.path for s in result.sources] == ["a.txt"]
    assert [(s.path, s.reason) for s in result.skipped] == [("b.txt", "duplicate of a.txt")]


def _wire_story(seed: int, words: int = 400) -> str:
    rng = random.Random(seed)
    return " ".join(f"w{rng.randrange(20_000)}" for _ in range(words))


def test_load_sources_near_duplicates_point_to_the_earliest_copy(tmp_path: Path) -> None:
    original = _wire_story(1)
    words = original.split()
    edited = " ".join([*words[:200], "Updated", "with", "local", "reaction", *words[200:]])
    edited_again = edited.replace(words[300], "changed", 1)
    write(tmp_path, "a.txt", original)
    write(tmp_path, "b.txt", _wire_story(2))
    write(tmp_path, "c.txt", edited)
    write(tmp_path, "d.txt", edited_again)
    by_path = {s.path: s for s in load_sources(tmp_path).sources}
    assert by_path["a.txt"].duplicate_of is None
    assert by_path["b.txt"].duplicate_of is None
    assert by_path["c.txt"].duplicate_of == "S1"
    assert by_path["d.txt"].duplicate_of == "S1"


def test_load_sources_different_stories_sharing_a_paragraph_are_not_duplicates(tmp_path: Path) -> None:
    shared = _wire_story(9).split()[:60]
    write(tmp_path, "a.txt", " ".join([*shared, *_wire_story(3).split()]))
    write(tmp_path, "b.txt", " ".join([*shared, *_wire_story(4).split()]))
    assert all(s.duplicate_of is None for s in load_sources(tmp_path).sources)


def test_load_sources_thousand_articles_find_wire_copies(tmp_path: Path) -> None:
    # Speed is measured by benchmarks/bench_sources.py, not here (a timed test fails on a busy machine).
    for i in range(1000):
        # Every 20th article is republished 10 files later with one sentence added.
        body = _wire_story(i - 10) + " plus one local sentence" if i % 20 == 10 else _wire_story(i)
        write(tmp_path, f"{i:04d}.txt", f"Story {i}\n\n{body}\n")
    result = load_sources(tmp_path)
    assert len(result.sources) == 1000
    dups = {s.path: s.duplicate_of for s in result.sources if s.duplicate_of}
    assert dups == {f"{i:04d}.txt": f"S{i - 10 + 1}" for i in range(10, 1000, 20)}


def test_mark_near_duplicates_is_deterministic_and_in_place() -> None:
    from briefing.models import Source

    text = _wire_story(5)
    sources = [Source(id="S1", path="a", text=text), Source(id="S2", path="b", text=text + " extra")]
    mark_near_duplicates(sources)
    assert sources[1].duplicate_of == "S1"
    assert sources[0].duplicate_of is None


def test_load_sources_follows_symlinks_inside_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    write(root, "real/a.txt", "Alpha story\n\nAlpha body text about prices.\n")
    write(root, "z.txt", "Zeta story\n\nZeta body text about mines.\n")
    os.symlink(root / "z.txt", root / "link_to_z.txt")
    os.symlink(root / "real", root / "b_linked_dir")
    result = load_sources(root)
    assert [s.path for s in result.sources] == ["b_linked_dir/a.txt", "link_to_z.txt"]
    # Each folder is read once (through the link, which sorts first); the file link repeats z.txt.
    assert [(s.path, s.reason) for s in result.skipped] == [("z.txt", "duplicate of link_to_z.txt")]


def test_load_sources_opinion_piece_is_read_from_its_label_url_or_section(tmp_path: Path) -> None:
    body = "\n\nThe harbour council should scrap the ferry plan before it costs the town a fortune.\n"
    write(tmp_path, "a.txt", "Opinion | Scrap the ferry plan" + body)
    write(
        tmp_path, "b.txt", "Scrap the ferry plan\nURL: https://paper.example/opinion/2025/scrap-it\n" + body
    )
    write(tmp_path, "c.md", "---\ntitle: Scrap the ferry plan\nsection: Op-Ed\n---\n" + body)
    page = (
        "<html><head><title>Scrap the ferry plan</title>{}</head>"
        "<body><article><h1>Scrap it</h1><p>{}</p></article></body></html>"
    )
    text = "The harbour council should scrap the ferry plan before it costs the town a fortune. " * 6
    write(tmp_path, "d.html", page.format('<meta property="article:section" content="Opinion">', text))
    ld = '<script type="application/ld+json">{"@type": "OpinionNewsArticle", "headline": "Scrap it"}</script>'
    write(tmp_path, "e.html", page.format(ld, text.replace("fortune", "mint")))
    sources = load_sources(tmp_path).sources
    assert [s.opinion for s in sources] == [True] * 5
    assert sources[0].title == "Scrap the ferry plan"  # the label is no part of the headline


def test_load_sources_opinion_words_elsewhere_make_no_opinion_piece(tmp_path: Path) -> None:
    body = "\n\nThe harbour council approved the ferry plan on Monday by seven votes to two.\n"
    write(tmp_path, "a.txt", "Opinion polls shift after the ferry vote" + body)
    write(tmp_path, "b.txt", "Ferry plan passes\nURL: https://paper.example/news/2025/opinion\n" + body)
    listed = '{"@type": "ItemList", "itemListElement": [{"@type": "OpinionNewsArticle", "headline": "x"}]}'
    page = (
        '<html><head><title>Ferry plan passes</title><meta property="article:section" content="Local">'
        f'<script type="application/ld+json">{listed}</script></head>'
        "<body><article><h1>Ferry plan passes</h1>"
        "<p>" + "The harbour council approved the ferry plan on Monday by seven votes to two. " * 6 + "</p>"
        "</article></body></html>"
    )
    write(tmp_path, "c.html", page)
    assert [s.opinion for s in load_sources(tmp_path).sources] == [False, False, False]
